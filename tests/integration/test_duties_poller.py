"""Duties through the real poller and store: the pre-open run starts by itself at 08:15 on a trading day,
a verified step ticks itself and unticks when its target fails, a missed duty is an alert at the due time, and
`dutyroom duties --json` (a separate process) reads it all back from the state directory."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from collectors.service.duty_runs import LOOK_EVERY_S
from collectors.service.poller import Poller
from dutyroom.actions_model import StepTick
from dutyroom.model import Identity, PollResult, Sample
from dutyroom.operators.desk import StoreDesk
from dutyroom.playbooks.runs import StepStatus
from dutyroom.room import load_room
from dutyroom.rules.alert import Check
from dutyroom.store.database import Store

pytestmark = pytest.mark.integration
ROOT = Path(__file__).resolve().parents[2]
SHANGHAI = ZoneInfo("Asia/Shanghai")
CONFIG = """
[site]
name = "duty room"
calendar = "{calendars}"

[[target]]
id = "exch-sse"
group = "links"
kind = "tcp"
address = "tcp://127.0.0.1:9"

[[rule]]
id = "exchange-line-down"
metric = "tcp.up"
critical = "== 0"

[[duty]]
id = "pre-open"
playbook = "pre-open-check"
start = "08:15"
due = "09:00"
severity = "critical"

[[duty.check]]
step = 4
what = "every exchange line up"
targets = ["exch-sse"]
rules = ["exchange-line-down"]
"""


class Clock:
    def __init__(self, start: datetime) -> None:
        self.now = start.timestamp()

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def room_dir(tmp_path: Path) -> Path:
    (tmp_path / "checks.toml").write_text(CONFIG.format(calendars=ROOT / "calendars"), encoding="utf-8")
    (tmp_path / "playbooks" / "en").mkdir(parents=True)
    shutil.copy(ROOT / "playbooks" / "en" / "pre-open-check.md", tmp_path / "playbooks" / "en")
    return tmp_path


@pytest.fixture
def poller_on(room_dir: Path) -> Iterator[tuple[Poller, Clock]]:
    clock = Clock(datetime(2026, 12, 7, 8, 14, 50, tzinfo=SHANGHAI))
    room = load_room(room_dir / "checks.toml")
    with Store.open(room_dir / "state") as store:
        yield Poller(room, store, clock=clock, watch_files=False), clock


def line(poller: Poller, clock: Clock, up: int) -> None:
    """The exchange line answers (1) or not (0), then a batch is evaluated a look later."""
    clock.now += LOOK_EVERY_S
    sample = Sample("exch-sse", "tcp.up", float(up), clock.now)
    poller.intake(PollResult("exch-sse", clock.now, samples=(sample,)))
    poller.step()


def duties_json(room_dir: Path, at: str) -> dict[str, object]:
    result = subprocess.run(
        [sys.executable, "-m", "tui.cli.main", "duties", "--at", at, "--json", "--state", "state"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        cwd=room_dir,
    )
    assert result.returncode == 0, result.stderr
    report: dict[str, object] = json.loads(result.stdout)
    return report


def test_the_run_starts_at_0815_and_a_verified_step_ticks_and_unticks(
    poller_on: tuple[Poller, Clock], room_dir: Path
) -> None:
    poller, clock = poller_on
    line(poller, clock, up=1)  # 08:14:55
    assert poller.runs.open_runs() == ()
    for _ in range(2):  # 08:15:00, 08:15:05
        line(poller, clock, up=1)
    [run] = poller.runs.open_runs()
    assert run.playbook_id == "pre-open-check"
    assert run.started_by.user == "dutyroom"
    assert run.step(4).status is StepStatus.DONE  # type: ignore[union-attr]
    assert run.notes_for(4)[0].text == "verified by dutyroom at 08:15: exch-sse up; exchange-line-down not firing"

    for _ in range(3):  # the line goes down and the rule fires
        line(poller, clock, up=0)
    [run] = poller.runs.open_runs()
    assert run.step(4).status is StepStatus.OPEN  # type: ignore[union-attr]
    assert run.notes_for(4)[-1].text.startswith("no longer verified at 08:15: ")

    report = duties_json(room_dir, "2026-12-07T08:20:00+08:00")
    [duty] = report["duties"]  # type: ignore[misc]
    assert duty["state"] == "running"
    assert duty["run"] == run.run_id
    assert duty["started_by"] == "dutyroom"
    assert duty["verdict"]["text"] == "NOT READY: 1 automated check failing, 10 steps open, due 09:00"
    assert duties_json(room_dir, "2026-12-06T08:20:00+08:00")["duties"] == []


def test_an_unfinished_run_raises_its_alert_at_the_due_time_until_it_is_finished(
    poller_on: tuple[Poller, Clock], room_dir: Path
) -> None:
    poller, clock = poller_on
    clock.now = datetime(2026, 12, 7, 8, 15, tzinfo=SHANGHAI).timestamp()
    line(poller, clock, up=1)
    clock.now = datetime(2026, 12, 7, 8, 59, 50, tzinfo=SHANGHAI).timestamp()
    line(poller, clock, up=1)  # 08:59:55: not due yet
    line(poller, clock, up=1)  # 09:00:00: due, the miss is fed to the engine
    assert missed_alerts(poller) == []
    line(poller, clock, up=1)  # evaluated with the next batch
    [alert] = missed_alerts(poller)
    assert (alert.rule, alert.target, alert.severity) == ("pre-open-missed", "dutyroom", "critical")
    assert alert.labels == (("duty", "pre-open"),)
    fired = [t for t in poller.store.transitions_after(0) if t[1].rule == "pre-open-missed"]
    assert [(t.before, t.after, t.severity) for _, t in fired] == [("inactive", "firing", "critical")]

    [run] = poller.runs.open_runs()
    desk = StoreDesk(poller.store, poller.room.config, Identity("zhangwei"), poller.room.playbooks)
    for step in run.steps:
        if step.status is StepStatus.OPEN:
            desk.submit(StepTick(run=run.run_id, step=step.number), "", clock.now)
    for _ in range(2):
        line(poller, clock, up=1)
    assert missed_alerts(poller) == []
    [duty] = duties_json(room_dir, "2026-12-07T09:05:00+08:00")["duties"]  # type: ignore[misc]
    assert duty["state"] == "missed"  # finished late is still missed, for the handover and the report


def missed_alerts(poller: Poller) -> list[Check]:
    return [check for check in poller.engine.checks.values() if check.rule.endswith("-missed") and check.firing]


def test_status_includes_the_verdict_of_the_running_duty(poller_on: tuple[Poller, Clock], room_dir: Path) -> None:
    from tui.cli.status import _duties

    poller, clock = poller_on
    for _ in range(3):
        line(poller, clock, up=1)
    assert _duties(poller.room.config, room_dir / "state", clock.now) == [
        "pre-open 08:15-09:00 running NOT READY: 10 steps open, due 09:00"
    ]
