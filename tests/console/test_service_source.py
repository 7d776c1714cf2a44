"""The console's source and desk over the service's API, against a fake client (the real socket is in
tests/integration/test_service_api_users.py): the wire keeps a whole snapshot, a silent service is a poller
down with the last values kept (never a frozen screen), and a refusal keeps its reason.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

import msgspec
import pytest

from dutyroom.actions_model import Ack
from dutyroom.config.load import load_config
from dutyroom.model import Identity
from dutyroom.operators.actions import ActionRefused
from dutyroom.playbooks.library import PlaybookLibrary
from dutyroom.room import Room
from dutyroom.store.liveness import PollerLiveness, PollerState
from dutyroom.views.alerts import CollectorHealth
from dutyroom.views.console_source import ConsoleSnapshot
from dutyroom.views.wire import ActionDone, ServiceStatus
from tui.service_client import ServiceClient, ServiceRefused, ServiceUnreachable
from tui.service_source import QUIET_AFTER_FAILURE_S, ServiceDesk, ServiceSource

from .fakes import FIXED_NOW, joined_room


@dataclass
class FakeClient:
    """Answers like the service would: the wire's JSON decoded as the caller asks, or the failure it is given."""

    snapshot: ConsoleSnapshot
    failure: Exception | None = None
    asked: list[str] = field(default_factory=list)
    heartbeat_at: float = FIXED_NOW - 1

    def get(self, path: str, kind: type[Any]) -> Any:
        self.asked.append(path)
        if self.failure is not None:
            raise self.failure
        return msgspec.json.decode(msgspec.json.encode(self.snapshot), type=kind)

    def status(self) -> ServiceStatus:
        if self.failure is not None:
            raise self.failure
        liveness = PollerLiveness(PollerState.ALIVE, "heartbeat 1 s ago", 0.0, 42, self.heartbeat_at)
        return ServiceStatus(poller=liveness, reload_status="", health=CollectorHealth(1, 1, 0, 0))

    def submit(self, action: object, alert: str = "", run: str = "") -> ActionDone:
        if self.failure is not None:
            raise self.failure
        return ActionDone(id=7)


@pytest.fixture
def room(tmp_path: Path) -> Room:
    path = tmp_path / "checks.toml"
    path.write_text('[site]\nname = "room"\n', encoding="utf-8")
    return Room(load_config(path, resolve_secrets=False), PlaybookLibrary())


def source_over(client: FakeClient, room: Room) -> ServiceSource:
    return ServiceSource(cast(ServiceClient, client), room, "en")


def test_a_whole_console_snapshot_crosses_the_wire_unchanged(room: Room) -> None:
    original = joined_room().snapshot(FIXED_NOW)

    assert source_over(FakeClient(original), room).snapshot(FIXED_NOW) == original


def test_a_silent_service_keeps_the_last_room_without_news_and_is_not_asked_again_at_once(room: Room) -> None:
    original = joined_room().snapshot(FIXED_NOW)
    client = FakeClient(original)
    source = source_over(client, room)
    source.snapshot(FIXED_NOW)
    client.failure = ServiceUnreachable("the service on api.sock did not answer: timed out")

    kept = source.snapshot(FIXED_NOW + 5)
    asked = len(client.asked)
    again = source.snapshot(FIXED_NOW + 6)

    assert kept.alerts == original.alerts
    assert (kept.transitions, kept.status.now) == ((), FIXED_NOW + 5)
    assert again.alerts == original.alerts
    assert len(client.asked) == asked, "asked again within the quiet time"
    client.failure = None
    assert source.snapshot(FIXED_NOW + 5 + QUIET_AFTER_FAILURE_S).status.now == original.status.now


def test_a_silent_service_is_a_poller_down_since_its_last_heartbeat(room: Room) -> None:
    client = FakeClient(joined_room().snapshot(FIXED_NOW))
    source = source_over(client, room)
    assert source.poller_liveness(FIXED_NOW).state is PollerState.ALIVE
    client.failure = ServiceUnreachable("refused")

    down = source.poller_liveness(FIXED_NOW + 3)

    assert down.state is PollerState.DOWN
    assert down.since == client.heartbeat_at
    assert "does not answer" in down.reason


def test_the_desk_turns_the_services_refusal_into_an_action_refused(room: Room) -> None:
    client = FakeClient(joined_room().snapshot(FIXED_NOW))
    desk = ServiceDesk(cast(ServiceClient, client), Identity("alice"))
    assert desk.submit(Ack(comment="on it"), "a0", FIXED_NOW).id == 7
    client.failure = ServiceRefused(403, "alice is a viewer: viewers can look but not act")

    with pytest.raises(ActionRefused, match="is a viewer"):
        desk.submit(Ack(comment="on it"), "a0", FIXED_NOW)
