"""A tick on an alert that joined another alert's run, through the real path: poller -> store -> console -> desk ->
store -> handover, with the shipped mains-failure and UPS-battery playbooks.

UPS A goes on battery (the mains-failure run starts), then its runtime drops (`ups-runtime-low`, whose own
playbook is "UPS battery low", joins the mains-failure run). The operator selects the runtime alert and ticks
step 3 in the pane. The same step text must come back from the screen, from the store (the recorded action's
run and step, looked up in that run's playbook), from `dutyroom run show` and from the written handover. Then
the operator closes the run from the pane, and the handover's verdict no longer counts it as open.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from textual.widgets import OptionList

from collectors.service.poller import Poller
from dutyroom.actions_model import RunClose, StepTick
from dutyroom.documents.history import read_all_actions
from dutyroom.handover.writer import write_handover
from dutyroom.model import Identity, PollResult, Sample
from dutyroom.operators.desk import StoreDesk
from dutyroom.playbooks.runs import RunBook
from dutyroom.room import Room, load_room
from dutyroom.rules.alert import fingerprint
from dutyroom.store.database import Store
from dutyroom.views.store_source import StoreSource
from tui.app import DutyroomApp, create_app
from tui.widgets.playbook_pane import PlaybookPane

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]
START = 1772416920.0
"""2026-03-02 10:02:00 in Asia/Shanghai."""
ALICE = Identity("alice")
CONFIG = """
[site]
name = "joined-run room"
timezone = "Asia/Shanghai"
shifts = ["08:00", "20:00"]

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


class FedRoom:
    """The real poller, fed poll results by hand, on a clock the test moves."""

    def __init__(self, room: Room, store: Store) -> None:
        self.now = START
        self.poller = Poller(room, store, clock=lambda: self.now, watch_files=False)

    def sample(self, metric: str, value: float, *, after_s: float) -> None:
        self.now += after_s
        self.poller.intake(PollResult("ups-a", self.now, (Sample("ups-a", metric, value, self.now),)))
        self.poller.step()


def write_room(root: Path) -> Path:
    config = root / "checks.toml"
    config.write_text(CONFIG, encoding="utf-8")
    for lang in ("en", "zh"):
        (root / "playbooks" / lang).mkdir(parents=True)
        for name in ("mains-failure.md", "ups-battery-low.md"):
            shutil.copy(ROOT / "playbooks" / lang / name, root / "playbooks" / lang / name)
    return config


def step_on_screen(app: DutyroomApp, number: int) -> str:
    """Step `number` as the pane draws it, wrapped lines joined."""
    steps = app.screen.query_one(PlaybookPane).query_one(OptionList)
    prompt = steps.get_option(f"step-{number}").prompt
    lines = app.console.render_lines(prompt, app.console.options.update_width(300))  # type: ignore[arg-type]
    return " ".join(" ".join("".join(segment.text for segment in line).split()) for line in lines)


def words(text: str) -> str:
    """Text with runs of white space (wrapping, indentation) made single spaces and Markdown escapes removed."""
    return " ".join(text.replace("\\", "").split())


def cli(config: Path, state: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tui.cli.main", *args, "--config", str(config), "--state", str(state)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        cwd=ROOT,
    )


async def test_a_tick_on_a_joined_alert_is_the_same_step_on_screen_in_the_store_and_in_the_handover(
    tmp_path: Path,
) -> None:
    config = write_room(tmp_path)
    room = load_room(config)
    runtime_alert = fingerprint("ups-runtime-low", "ups-a", ())
    with Store.open(tmp_path / "state") as store:
        fed = FedRoom(room, store)
        fed.sample("ups.on_battery", 1.0, after_s=0.0)
        fed.sample("ups.runtime_min", 8.0, after_s=180.0)
        book = RunBook.replay(read_all_actions(store))
        (run,) = book.runs.values()
        assert run.playbook_id == "mains-failure"
        assert runtime_alert in run.incident_keys, "the runtime alert joined the mains-failure run"

        source = StoreSource(room, store, ALICE, "viewer")
        desk = StoreDesk(store, room.config, ALICE, room.playbooks)
        app = create_app(source, desk, clock=lambda: fed.now, remote=False, sixteen_colors=False)
        async with app.run_test(size=(120, 40)) as pilot:
            screen = app.main_screen
            for _ in range(5):
                if screen.selected_alert is not None and screen.selected_alert.fingerprint == runtime_alert:
                    break
                await pilot.press("down")
            assert screen.selected_alert is not None
            assert screen.selected_alert.fingerprint == runtime_alert
            assert screen.selected_alert.playbook == "ups-battery-low", "its own playbook is another one"
            pane = app.screen.query_one(PlaybookPane)
            assert "Joined the mains-failure run started 10:02 by ups-a ups-on-battery" in str(
                pane.query_one("#playbook-note").render()
            )
            await pilot.press("tab", "down", "down")
            assert pane.highlighted_step == 3
            await pilot.press("space")
            await pilot.pause()
            on_screen = step_on_screen(app, 3)
            fed.now += 30
            await pilot.press("x", "y", *"mains back, UPS online", "enter")
            await pilot.pause()
            assert "Run closed 10:05 by alice: mains back, UPS online" in str(pane.query_one("#playbook-note").render())
            assert not pane.query_one("#playbook-keys").display

        tick, close = read_all_actions(store)[-2:]
        assert tick.action == StepTick(run=run.run_id, step=3)
        assert tick.alert == runtime_alert
        assert close.action == RunClose(run=run.run_id, reason="mains back, UPS online")
        playbook = room.playbooks.get(run.playbook_id, "en")
        assert playbook is not None
        step_text = playbook.steps[2].text
        assert step_text.startswith("Call the building power duty room")
        assert on_screen.startswith(f"[x] 3. {step_text}")
        assert "ticked by alice" in on_screen

        handover = write_handover(room, store, fed.now + 60, actor=ALICE, out=tmp_path / "handover.txt")
        text = words(handover.text)
        done = re.search(r"step 3 done by alice at \d\d:\d\d: (.+?) step 4", text)
        assert done is not None, text
        assert done.group(1) == words(step_text), "the step text is wrapped whole, never cut"
        assert "closed 10:05 by alice mains back, UPS online" in text
        assert "run still open" not in text.split("Open alerts")[0], "the verdict counts no open run"

    shown = cli(config, tmp_path / "state", "run", "show", run.run_id)
    assert shown.returncode == 0, shown.stderr
    assert step_text in words(shown.stdout)
    step_three = next(line for line in shown.stdout.splitlines() if " 3. " in line)
    assert "[x]" in step_three
