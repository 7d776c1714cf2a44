"""`dutyroom report --holiday 2026-10-01` over a state the real poller wrote across National Day: the window
comes from the calendar, and the holiday duties show with their outcomes (done by a person, or missed)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from collectors.service.duty_runs import LOOK_EVERY_S
from collectors.service.poller import Poller
from dutyroom.actions_model import StepTick
from dutyroom.model import Identity
from dutyroom.operators.desk import StoreDesk
from dutyroom.room import load_room
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

[[duty]]
id = "holiday-start"
playbook = "holiday-duty-start"
days = "before-holiday"
start = "14:00"
due = "17:00"

[[duty]]
id = "holiday-end"
playbook = "holiday-duty-end"
days = "after-holiday"
start = "07:30"
due = "08:30"
"""
CHECKLISTS = ("holiday-duty-start", "holiday-duty-end")


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def at(text: str) -> float:
    return datetime.fromisoformat(text).replace(tzinfo=SHANGHAI).timestamp()


@pytest.fixture
def room_dir(tmp_path: Path) -> Path:
    (tmp_path / "checks.toml").write_text(CONFIG.format(calendars=ROOT / "calendars"), encoding="utf-8")
    for lang in ("en", "zh"):
        (tmp_path / "playbooks" / lang).mkdir(parents=True)
        for name in CHECKLISTS:
            shutil.copy(ROOT / "playbooks" / lang / f"{name}.md", tmp_path / "playbooks" / lang)
    return tmp_path


def report(room_dir: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tui.cli.main", "report", *extra, "--state", "state"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        cwd=room_dir,
    )


def test_the_national_day_report_lists_the_holiday_duties_and_their_outcomes(room_dir: Path) -> None:
    clock = Clock()
    room = load_room(room_dir / "checks.toml")
    person = Identity(user="zhangwei")
    with Store.open(room_dir / "state") as store:
        poller = Poller(room, store, clock=clock, watch_files=False)
        for moment in ("2026-09-30T13:59:58", "2026-09-30T14:00:05", "2026-10-08T07:30:05"):
            clock.now = at(moment)
            poller.step()
        start_run, end_run = poller.runs.runs.values()
        desk = StoreDesk(store, room.config, person, room.playbooks)
        for number in range(1, len(start_run.steps) + 1):
            desk.submit(StepTick(run=start_run.run_id, step=number), "", at("2026-09-30T15:00") + number)
        clock.now = at("2026-10-08T08:30") + LOOK_EVERY_S
        poller.step()

    english = report(room_dir, "--holiday", "2026-10-01")
    assert english.returncode == 0, english.stderr
    text = english.stdout
    assert text.startswith("# Holiday report: National Day, duty room\n")
    assert "Closed 2026-10-01 to 2026-10-07 (7 days); trading reopened 2026-10-08 09:15." in text
    assert "- Period: 2026-10-01 00:00 to 2026-10-08 09:15 (Asia/Shanghai)" in text
    rows = [" ".join(line.split()) for line in text.splitlines() if line.startswith("| holiday-")]
    assert rows == [
        "| holiday-start | 2026-09-30 | 14:00-17:00 | done | 10/10 | dutyroom |",
        "| holiday-end | 2026-10-08 | 07:30-08:30 | MISSED | 0/8 | dutyroom |",
    ]
    assert end_run.started_by.user == "dutyroom"

    chinese = report(room_dir, "--holiday", "2026-10-05", "--lang", "zh")
    assert chinese.returncode == 0, chinese.stderr
    assert chinese.stdout.startswith("# 节假日报告：国庆节，duty room\n")
    assert "未按时完成" in chinese.stdout


@pytest.mark.parametrize(
    ("day", "message"),
    [
        ("2026-10-09", "report: 2026-10-09 is a trading day: give a day of the holiday closure, e.g. its first day"),
        ("2026-12-06", "report: 2026-12-06 is a weekend, not a holiday closure: use --since and --until for it"),
        ("10/01", "--holiday: bad date '10/01' (use e.g. 2026-10-01)"),
    ],
)
def test_a_day_outside_a_holiday_is_one_line(room_dir: Path, day: str, message: str) -> None:
    Store.open(room_dir / "state").close()
    result = report(room_dir, "--holiday", day)
    assert (result.returncode, result.stderr.strip()) == (1, message)
