"""The console through `dutyroom serve`'s API: a ConsoleSource and an ActionDesk over the Unix socket.

A console run by someone who may not read the store or the secrets (a viewer, or any operator on a shared
console host) gets the same snapshots the store would give, read by the service for the user the kernel names
(`/v1/console/...`), and records actions through `/v1/actions`, where the service applies the roles. Playbooks
are documents, read from the room's files as a standalone console does.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from urllib.parse import urlencode

from dutyroom.model import Identity
from dutyroom.operators.actions import ActionRefused
from dutyroom.operators.planning import Intent, StartDrill
from dutyroom.playbooks.model import Playbook
from dutyroom.room import Room
from dutyroom.store.liveness import PollerLiveness, PollerState
from dutyroom.store.records import StoredAction
from dutyroom.views.console_source import ConsoleSnapshot, TargetDetail, TimelineEntry
from dutyroom.views.wire_documents import HandoverPost
from tui.service_client import ServiceClient, ServiceRefused, ServiceUnreachable

CONSOLE_TIMEOUT_S = 1.0
"""A console's reads run on its UI loop: a service that does not answer within this is taken as down."""
QUIET_AFTER_FAILURE_S = 5.0
"""After a read the service did not answer, the console asks again only this much later (a hung service
must not freeze the screen at every tick)."""


class ServiceSource:
    """A ConsoleSource whose every read is one request to the service."""

    def __init__(self, client: ServiceClient, room: Room, language: str) -> None:
        self.client = client
        self.room = room
        self.language = "zh" if language == "zh" else "en"
        self._last_heartbeat: float | None = None
        self._last_snapshot: ConsoleSnapshot | None = None
        self._quiet_until = 0.0
        self._down: PollerLiveness | None = None

    def snapshot(self, now: float) -> ConsoleSnapshot:
        """The room from the service; while it does not answer, the last one again (without its transitions, so
        the bell does not ring twice), which the console greys as stale under the poller-down banner."""
        try:
            if now < self._quiet_until:
                raise ServiceUnreachable("the service did not answer a moment ago")
            snapshot = self.client.get(f"/v1/console/snapshot?lang={self.language}", ConsoleSnapshot)
        except ServiceUnreachable:
            self._quiet_until = (
                max(self._quiet_until, now + QUIET_AFTER_FAILURE_S) if now >= self._quiet_until else self._quiet_until
            )
            if self._last_snapshot is None:
                raise
            return replace(self._last_snapshot, status=replace(self._last_snapshot.status, now=now), transitions=())
        self._last_snapshot = snapshot
        return snapshot

    def playbook(self, playbook_id: str, language: str) -> Playbook | None:
        return self.room.playbooks.get(playbook_id, "zh" if language == "zh" else "en")

    def detail(self, target_id: str, now: float) -> TargetDetail | None:
        query = urlencode({"lang": self.language, "target": target_id})
        return self.client.get(f"/v1/console/detail?{query}", TargetDetail | None)  # type: ignore[arg-type]

    def timeline(self, since: float, until: float, kinds: Sequence[str] = ()) -> list[TimelineEntry]:
        query = urlencode({"lang": self.language, "since": since, "until": until, "kinds": ",".join(kinds)})
        return self.client.get(f"/v1/console/timeline?{query}", list[TimelineEntry])

    def poller_liveness(self, now: float) -> PollerLiveness:
        """For the console's poller banner: the service's reading of its own heartbeat; a service that does not
        answer is a poller down (since its last heartbeat seen here), so the banner and the bell come on."""
        if self._down is not None and now < self._quiet_until:
            return self._down
        try:
            liveness = self.client.status().poller
        except (ServiceRefused, ServiceUnreachable) as error:
            since = self._last_heartbeat or now
            reason = f"the service does not answer ({error})"
            self._down = PollerLiveness(PollerState.DOWN, reason, since, None, self._last_heartbeat)
            self._quiet_until = now + QUIET_AFTER_FAILURE_S
            return self._down
        self._down = None
        self._last_heartbeat = liveness.heartbeat_at or self._last_heartbeat
        return liveness


class ServiceDesk:
    """An ActionDesk that records through the service: its refusals come back as ActionRefused."""

    def __init__(self, client: ServiceClient, identity: Identity) -> None:
        self.client = client
        self.identity = identity

    def submit(self, intent: Intent, alert: str, now: float) -> StoredAction:
        try:
            if isinstance(intent, StartDrill):  # planned by the service, against its run book
                drill = self.client.start_drill(intent.playbook, alert)
                return StoredAction(drill.id, drill.action, self.identity, now, alert, drill=True)
            done = self.client.submit(intent, alert)
        except ServiceRefused as refusal:
            raise ActionRefused(str(refusal)) from None
        return StoredAction(done.id, intent, self.identity, now, alert)


def write_handover_through(client: ServiceClient) -> str:
    """`h` on a console of the service: the handover written by the service as the caller, in its handover
    directory (without the screen's picture: the API takes small bodies). What to tell the operator."""
    try:
        written = client.write_handover(HandoverPost())
    except (ServiceRefused, ServiceUnreachable) as error:
        return str(error)
    return f"handover written: {written.file}"
