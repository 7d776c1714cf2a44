"""`POST /v1/drills`: a drill started through the service, planned and checked by the same desk as any action.

The desk (`dutyroom.operators.desk.StoreDesk`) checks the caller's role from the service's `[roles]` and the
playbook, and records a `run-start` marked as a drill; a viewer is refused (403) and the refusal audited, as
on the console that owns a room. Apart from `routes` so the shared module only delegates.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

import msgspec

from collectors.service.api.changes import ChangeFeed
from collectors.service.api.http_connection import Request, Response
from dutyroom.actions_model import UnreadableAction
from dutyroom.model import Identity
from dutyroom.operators.actions import ActionRefused
from dutyroom.operators.desk import StoreDesk
from dutyroom.operators.planning import StartDrill
from dutyroom.operators.roles import role_of
from dutyroom.room import Room
from dutyroom.store.database import Store
from dutyroom.views.wire import Problem, decode, encode
from dutyroom.views.wire_drills import DrillPost, DrillStarted

log = logging.getLogger(__name__)

DRILL_PATH = "/v1/drills"


class DrillRoutes:
    def __init__(
        self,
        room: Callable[[], Room],
        store: Store,
        feed: ChangeFeed,
        clock: Callable[[], float],
        groups_of: Callable[[str], set[str]],
    ) -> None:
        self.room = room
        self.store = store
        self.feed = feed
        self.clock = clock
        self.groups_of = groups_of

    def answer(self, request: Request, caller: Identity) -> Response:
        if request.method != "POST":
            return _problem(405, f"{request.method} is not allowed on {DRILL_PATH}")
        try:
            post = decode(request.body, DrillPost)
        except (msgspec.ValidationError, msgspec.DecodeError) as error:
            return _problem(400, f"not a drill: {error}")
        room = self.room()
        desk = StoreDesk(self.store, room.config, caller, room.playbooks)
        try:
            stored = desk.submit(StartDrill(post.playbook), post.alert, self.clock())
        except ActionRefused as refusal:
            viewer = role_of(caller, room.config.parsed.roles, self.groups_of) == "viewer"
            log.info("API: drill of %s refused for %s: %s", post.playbook, caller.describe(), refusal)
            return _problem(403 if viewer else 409, str(refusal))
        self.feed.bump()
        log.info("API: drill of %s #%d by %s", post.playbook, stored.id, caller.describe())
        if isinstance(stored.action, UnreadableAction):  # not so: the desk just wrote it
            return _problem(503, f"the drill's action #{stored.id} cannot be read back")
        return Response(200, encode(DrillStarted(id=stored.id, action=stored.action)))


def _problem(status: int, reason: str) -> Response:
    return Response(status, encode(Problem(error=reason)))
