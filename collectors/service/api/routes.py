"""The `/v1/` endpoints (docs/api.md): who the caller is decides what it may do, never what it says.

Each request is answered for the peer the kernel named on its connection: the uid's name and Unix groups,
with `[roles]` from the service's own configuration. Actions go through the same desk as the console and the
standalone commands (`dutyroom.operators.desk.StoreDesk`), so the same checks apply and refusals are audited.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from importlib.metadata import PackageNotFoundError, version

import msgspec

from collectors.service.api.changes import ChangeFeed
from collectors.service.api.documents import DOCUMENT_PATHS, DocumentRoutes
from collectors.service.api.drills import DRILL_PATH, DrillRoutes
from collectors.service.api.http_connection import Handler, Request, Response
from collectors.service.api.peer import PeerCredentials
from collectors.service.api.playbooks import PLAYBOOK_PATH, PlaybookRoutes
from dutyroom.actions_model import OperatorAction, kind_of
from dutyroom.handover.shifts import HANDOVER_NAME, latest_handover
from dutyroom.handover.writer import HandoverError, handover_directory, sign_handover
from dutyroom.model import Identity
from dutyroom.operators.actions import ActionRefused
from dutyroom.operators.desk import StoreDesk
from dutyroom.operators.identity import identity_of_uid, user_groups
from dutyroom.operators.roles import role_of
from dutyroom.room import Room
from dutyroom.store.beacon import read_beacon
from dutyroom.store.database import Store
from dutyroom.store.liveness import read_poller_liveness
from dutyroom.store.records import StoreError
from dutyroom.views.alerts import collector_health
from dutyroom.views.runs import RunNotFoundError, find_run, read_run_book
from dutyroom.views.snapshot import read_alerts, read_engine_state
from dutyroom.views.store_source import StoreSource
from dutyroom.views.wire import (
    API_VERSION,
    CONTEXT_HEADERS,
    ActionDone,
    ActionPost,
    Caller,
    Changes,
    HandoverSigned,
    HandoverSignPost,
    Problem,
    RoomSnapshot,
    ServiceStatus,
    ServiceVersion,
    decode,
    encode,
)

log = logging.getLogger(__name__)

RECORDED_BY_THE_SERVICE = frozenset({"lapse", "drill", "handover-sign", "run-start", "run-join"})
"""Kinds the service records itself (the poller, the handover writer): a client cannot submit them."""
PATHS = (
    "/v1/version",
    "/v1/whoami",
    "/v1/alerts",
    "/v1/status",
    "/v1/changes",
    "/v1/actions",
    "/v1/handover/sign",
    "/v1/console/snapshot",
    "/v1/console/detail",
    "/v1/console/timeline",
)


class ServiceRoutes:
    """Answers requests against the poller's room and store (`room` is asked each time: reloads apply)."""

    def __init__(
        self,
        room: Callable[[], Room],
        store: Store,
        feed: ChangeFeed,
        *,
        clock: Callable[[], float] = time.time,
        groups_of: Callable[[str], set[str]] = user_groups,
    ) -> None:
        self.room = room
        self.store = store
        self.feed = feed
        self.clock = clock
        self.groups_of = groups_of
        self.documents = DocumentRoutes(room, store, clock)
        self.drills = DrillRoutes(room, store, feed, clock, groups_of)
        self.playbooks = PlaybookRoutes(room)

    def handler_for(self, peer: PeerCredentials) -> Handler:
        """The handler of one connection: a console on it gets its own reader of the store (its own bell cursor)."""
        consoles: dict[str, StoreSource] = {}

        async def handle(request: Request) -> Response:
            return await self.answer(request, peer, consoles)

        return handle

    async def answer(
        self, request: Request, peer: PeerCredentials, consoles: dict[str, StoreSource] | None = None
    ) -> Response:
        caller = identity_of_uid(
            peer.uid, {name: request.headers.get(header, "") for name, header in CONTEXT_HEADERS.items()}
        )
        route = (request.method, request.path)
        try:
            if route == ("GET", "/v1/version"):
                return _ok(ServiceVersion(api=API_VERSION, dutyroom=_program_version()))
            if route == ("GET", "/v1/whoami"):
                return _ok(self._whoami(caller, peer))
            if route == ("GET", "/v1/alerts"):
                return _ok(self._snapshot())
            if route == ("GET", "/v1/status"):
                return _ok(self._status())
            if route == ("GET", "/v1/changes"):
                return await self._changes(request)
            if route == ("POST", "/v1/actions"):
                return self._act(request, caller)
            if route == ("POST", "/v1/handover/sign"):
                return self._sign(request, caller)
            if request.path == DRILL_PATH:
                return self.drills.answer(request, caller)
            if request.path == PLAYBOOK_PATH:
                return self.playbooks.answer(request)
            if request.path in DOCUMENT_PATHS:
                return self.documents.answer(request, caller)
            if request.method == "GET" and request.path.startswith("/v1/console/"):
                return self._console(request, caller, {} if consoles is None else consoles)
        except StoreError as error:
            log.error("API %s %s for %s: %s", request.method, request.path, caller.user, error)
            return _problem(503, str(error))
        if request.path in PATHS:
            return _problem(405, f"{request.method} is not allowed on {request.path}")
        return _problem(404, f"no such path: {request.path} (this service speaks API v{API_VERSION})")

    def _whoami(self, caller: Identity, peer: PeerCredentials) -> Caller:
        role = role_of(caller, self.room().config.parsed.roles, self.groups_of)
        reported = {"sudo_user": caller.sudo_user, "ssh_client": caller.ssh_client}
        return Caller(
            user=caller.user, uid=peer.uid, role=role, groups=sorted(self.groups_of(caller.user)), reported=reported
        )

    def _snapshot(self) -> RoomSnapshot:
        config = self.room().config
        now = self.clock()
        return RoomSnapshot(
            version=self.feed.version,
            site=config.parsed.site.name,
            timezone=str(config.timezone),
            poller=read_poller_liveness(self.store, now),
            alerts=read_alerts(self.store, config, now),
        )

    def _status(self) -> ServiceStatus:
        now = self.clock()
        beacon = read_beacon(self.store.db_path.parent)
        return ServiceStatus(
            poller=read_poller_liveness(self.store, now),
            reload_status=self.store.get_meta("reload_status") or "",
            health=collector_health(self.room().config, read_engine_state(self.store).health, now),
            store_problem=beacon.store_problem if beacon else "",
            listener_problems=list(beacon.listener_problems) if beacon else [],
        )

    async def _changes(self, request: Request) -> Response:
        try:
            after = int(request.query.get("after", "0"))
            wait_s = float(request.query.get("wait", "0"))
        except ValueError:
            return _problem(400, "after must be an integer and wait a number of seconds")
        return _ok(Changes(version=await self.feed.wait_past(after, wait_s)))

    def _act(self, request: Request, caller: Identity) -> Response:
        try:
            post = decode(request.body, ActionPost)
        except (msgspec.ValidationError, msgspec.DecodeError) as error:
            return _problem(400, f"not an action: {error}")
        kind = kind_of(post.action)
        if kind in RECORDED_BY_THE_SERVICE:
            return _problem(409, f"a {kind} is recorded by the service, not submitted")
        room = self.room()
        action, alert, run_id = post.action, post.alert, ""
        if post.run:
            try:
                run = find_run(read_run_book(self.store), post.run)
            except RunNotFoundError as missing:
                return _problem(404, str(missing))
            action, alert, run_id = _on_run(action, run.run_id), run.incident_key, run.run_id
        desk = StoreDesk(self.store, room.config, caller, room.playbooks)
        try:
            stored = desk.submit(action, alert, self.clock())
        except ActionRefused as refusal:
            viewer = role_of(caller, room.config.parsed.roles, self.groups_of) == "viewer"
            log.info("API: %s refused for %s: %s", kind, caller.describe(), refusal)
            return _problem(403 if viewer else 409, str(refusal))
        self.feed.bump()
        log.info("API: %s #%d by %s", kind, stored.id, caller.describe())
        return _ok(ActionDone(id=stored.id, run=run_id, step_status=self._step_status(action, run_id)))

    def _sign(self, request: Request, caller: Identity) -> Response:
        """Sign a handover as the caller: the outgoing operator first, a different verified user second."""
        try:
            post = decode(request.body or b"{}", HandoverSignPost)
        except (msgspec.ValidationError, msgspec.DecodeError) as error:
            return _problem(400, f"not a sign-off: {error}")
        room = self.room()
        directory = handover_directory(room, self.store)
        if post.file and not HANDOVER_NAME.fullmatch(post.file):
            return _problem(400, f"{post.file!r} is not a handover file name (give the bare name, as it was written)")
        path = directory / post.file if post.file else latest_handover(directory)
        if path is None or not path.is_file():
            return _problem(404, f"no handover file {post.file or 'to sign'} in the service's {directory}")
        try:
            signed = sign_handover(room, self.store, self.clock(), actor=caller, path=path)
        except ActionRefused as refusal:
            viewer = role_of(caller, room.config.parsed.roles, self.groups_of) == "viewer"
            return _problem(403 if viewer else 409, str(refusal))
        except HandoverError as error:
            return _problem(409, str(error))
        self.feed.bump()
        log.info("API: handover %s signed as %s by %s", path.name, signed.role, caller.describe())
        return _ok(HandoverSigned(file=path.name, role=signed.role, id=signed.action.id if signed.action else 0))

    def _console(self, request: Request, caller: Identity, consoles: dict[str, StoreSource]) -> Response:
        """What a console shows, read for the caller (its role and name in the status line) by a store reader
        kept for the connection, so the transitions it hands out (the bell's news) are this console's."""
        language = "zh" if request.query.get("lang") == "zh" else "en"
        source = consoles.get(language)
        if source is None:
            source = consoles[language] = StoreSource(self.room(), self.store, caller, "viewer", language=language)
        now = self.clock()
        try:
            if request.path == "/v1/console/snapshot":
                return Response(200, msgspec.json.encode(source.snapshot(now)))
            if request.path == "/v1/console/detail":
                return Response(200, msgspec.json.encode(source.detail(request.query.get("target", ""), now)))
            if request.path == "/v1/console/timeline":
                since, until = float(request.query.get("since", "0")), float(request.query.get("until", str(now)))
                kinds = [kind for kind in request.query.get("kinds", "").split(",") if kind]
                return Response(200, msgspec.json.encode(source.timeline(since, until, kinds)))
        except ValueError:
            return _problem(400, "since and until are epoch seconds")
        return _problem(404, f"no such path: {request.path}")

    def _step_status(self, action: OperatorAction, run_id: str) -> str:
        number = getattr(action, "step", 0)
        if not run_id or not number:
            return ""
        run = read_run_book(self.store).get(run_id)
        step = run.step(number) if run is not None else None
        return str(step.status) if step is not None else ""


def _on_run(action: OperatorAction, run_id: str) -> OperatorAction:
    """`action` naming the full run id (a client may name a run by a part of its id)."""
    if hasattr(action, "run"):
        return msgspec.structs.replace(action, run=run_id)
    return action


def _program_version() -> str:
    try:
        return version("dutyroom")
    except PackageNotFoundError:
        return "unknown"


def _ok(message: msgspec.Struct) -> Response:
    return Response(200, encode(message))


def _problem(status: int, reason: str) -> Response:
    return Response(status, encode(Problem(error=reason)))
