"""The bell over the real pipeline: poller -> engine -> SQLite store -> store source -> console.

Poll results go straight into the poller's intake (no agents needed: what is under test is how the console
learns of transitions from the store), with a clock the test moves.
"""

from __future__ import annotations

from pathlib import Path

from collectors.service.poller import Poller
from dutyroom.model import Identity, PollResult, Sample, State
from dutyroom.operators.desk import StoreDesk
from dutyroom.room import Room as LoadedRoom
from dutyroom.room import load_room
from dutyroom.store.database import Store
from dutyroom.views.store_source import StoreSource
from tui.app import create_app

START = 1772417700.0
CONFIG = """
[site]
name = "bell room"

[[target]]
id = "core-sw1"
group = "links"
kind = "tcp"
address = "tcp://127.0.0.1:9"

[[target]]
id = "oms-gw1"
group = "trading"
kind = "tcp"
address = "tcp://127.0.0.1:9"
depends_on = ["core-sw1"]

[[target]]
id = "ups-a"
group = "power"
kind = "trap"
trap_sources = ["127.0.0.2"]

[[target]]
id = "ups-b"
group = "power"
kind = "trap"
trap_sources = ["127.0.0.3"]

[[rule]]
id = "reachable"
kind = "reachability"
targets = ["core-sw1", "oms-gw1"]

[[rule]]
id = "ups-on-battery"
metric = "ups.on_battery"
critical = "== 1"

[[silence]]
id = "ups-b-works"
match = { target = "ups-b" }
start = "2020-01-01T00:00:00+08:00"
end = "2099-01-01T00:00:00+08:00"
comment = "battery replacement"
"""


class Room:
    """The poller fed by hand and a clock the test moves."""

    def __init__(self, room: LoadedRoom, store: Store) -> None:
        self.now = START
        self.poller = Poller(room, store, clock=lambda: self.now, watch_files=False)

    def on_battery(self, target: str, value: float) -> None:
        self.now += 1.0
        self.poller.intake(PollResult(target, self.now, (Sample(target, "ups.on_battery", value, self.now),)))
        self.poller.step()

    def unreachable(self, *targets: str) -> None:
        self.now += 1.0
        for target in targets:
            self.poller.intake(PollResult(target, self.now, failure=State.UNREACHABLE, reason="connection refused"))
        self.poller.step()


async def test_the_console_rings_for_each_new_firing_it_reads_from_the_store(tmp_path: Path) -> None:
    config = tmp_path / "checks.toml"
    config.write_text(CONFIG, encoding="utf-8")
    for language in ("en", "zh"):
        (tmp_path / "playbooks" / language).mkdir(parents=True)
    room = load_room(config)
    with Store.open(tmp_path / "state") as store:
        fed = Room(room, store)
        fed.on_battery("ups-a", 1.0)
        source = StoreSource(room, store, Identity("alice"), "viewer")
        desk = StoreDesk(store, room.config, Identity("alice"), room.playbooks)
        app = create_app(source, desk, clock=lambda: fed.now, remote=False, sixteen_colors=False)
        async with app.run_test(size=(100, 30)):
            app.refresh_snapshot()
            assert app.bells_rung == 0, "what fired before the console opened is on screen, not news"

            fed.on_battery("ups-a", 0.0)
            app.refresh_snapshot()
            assert app.bells_rung == 0, "resolving does not ring"
            fed.on_battery("ups-a", 1.0)
            app.refresh_snapshot()
            assert app.bells_rung == 1, "the same alert firing again rings again"

            fed.on_battery("ups-b", 1.0)
            app.refresh_snapshot()
            assert app.bells_rung == 1, "a silenced critical does not ring"

            for _ in range(3):  # attempts: the third failure in a row is a hard failure
                fed.unreachable("core-sw1", "oms-gw1")
            app.refresh_snapshot()
            assert app.bells_rung == 2, "a switch and the gateway behind it ring once"
            firing = {alert.target: alert for alert in app.main_screen.snapshot.alerts if alert.needs_human}
            assert set(firing) == {"ups-a", "core-sw1"}, "the gateway is explained by its switch"
