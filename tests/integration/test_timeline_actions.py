"""The timeline through the real path: poller -> store -> console -> desk -> store -> timeline screen.

UPS A goes on battery (a mains-failure run starts), its runtime drops (the runtime alert joins that run), and the
operator acknowledges and ticks a step from the console. Filtering the timeline by `ups-a` must then find the
run's start and join, the ack and the tick, with the rule each is about (the store keeps only the alert's
fingerprint on an action), in English and in Chinese.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from collectors.service.poller import Poller
from dutyroom.model import Identity, PollResult, Sample
from dutyroom.operators.desk import StoreDesk
from dutyroom.room import Room, load_room
from dutyroom.rules.alert import fingerprint
from dutyroom.store.database import Store
from dutyroom.views.store_source import StoreSource
from tui.app import DutyroomApp, create_app
from tui.screens.timeline import TimelineScreen
from tui.widgets.line_table import LineTable

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]
START = 1772416920.0
"""2026-03-02 10:02:00 in Asia/Shanghai."""
ALICE = Identity("alice")
CONFIG = """
[site]
name = "timeline room"
timezone = "Asia/Shanghai"

[[target]]
id = "ups-a"
name = "UPS A"
group = "power"
kind = "trap"
trap_sources = ["127.0.0.2"]

[[rule]]
id = "ups-on-battery"
metric = "ups.on_battery"
critical = "== 1"
playbook = "mains-failure"

[[rule]]
id = "ups-runtime-low"
metric = "ups.runtime_min"
critical = "< 10"
playbook = "ups-battery-low"

[[rule]]
id = "ups-output-off"
metric = "ups.output_off"
critical = "== 1"
playbook = "mains-failure"

[[rule]]
id = "ups-battery-fault"
metric = "ups.battery_fault"
critical = "== 1"
playbook = "ups-battery-low"
"""
RUNTIME_ALERT = fingerprint("ups-runtime-low", "ups-a", ())


def write_room(root: Path) -> Path:
    config = root / "checks.toml"
    config.write_text(CONFIG, encoding="utf-8")
    for lang in ("en", "zh"):
        (root / "playbooks" / lang).mkdir(parents=True)
        for name in ("mains-failure.md", "ups-battery-low.md"):
            shutil.copy(ROOT / "playbooks" / lang / name, root / "playbooks" / lang / name)
    return config


def feed(poller: Poller, at: float, metric: str, value: float) -> None:
    poller.intake(PollResult("ups-a", at, (Sample("ups-a", metric, value, at),)))
    poller.step()


def console(room: Room, store: Store, now: float, language: str) -> DutyroomApp:
    source = StoreSource(room, store, ALICE, "viewer", language=language)
    desk = StoreDesk(store, room.config, ALICE, room.playbooks, language=language)
    return create_app(source, desk, language=language, clock=lambda: now, remote=False, sixteen_colors=False)


def what_column(app: DutyroomApp) -> list[str]:
    return [row.cells[4].plain for row in app.screen.query_one(LineTable).rows]


async def test_filtering_the_timeline_by_a_target_finds_every_operator_action_on_it(tmp_path: Path) -> None:
    room = load_room(write_room(tmp_path))
    now = START + 240
    with Store.open(tmp_path / "state") as store:
        poller = Poller(room, store, clock=lambda: now, watch_files=False)
        feed(poller, START, "ups.on_battery", 1.0)
        feed(poller, START + 180, "ups.runtime_min", 8.0)

        app = console(room, store, now, "en")
        async with app.run_test(size=(120, 40)) as pilot:
            screen = app.main_screen
            for _ in range(5):
                if screen.selected_alert is not None and screen.selected_alert.fingerprint == RUNTIME_ALERT:
                    break
                await pilot.press("down")
            await pilot.press("a", *"vendor called", "enter")
            await pilot.press("tab", "space")
            await pilot.pause()
            await pilot.press("t", "slash", *"ups-a", "enter")
            assert isinstance(app.screen, TimelineScreen)
            shown = what_column(app)
            assert {row.cells[2].plain for row in app.screen.query_one(LineTable).rows} == {"ups-a"}
            for expected in (
                "acknowledged: vendor called (ups-runtime-low)",
                "ticked step 1 (ups-runtime-low)",
                "joined a playbook run (ups-runtime-low)",
                "playbook run started (ups-on-battery)",
                "ups-runtime-low inactive -> firing crit: 8",
            ):
                assert expected in shown, (expected, shown)

        app = console(room, store, now, "zh")
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.press("t", "slash", *"ups-runtime-low", "enter")
            shown = what_column(app)
            assert "确认告警：vendor called（ups-runtime-low）" in shown
            assert "并入预案执行（ups-runtime-low）" in shown
            assert not any("run-join" in text or "firing" in text for text in shown)
