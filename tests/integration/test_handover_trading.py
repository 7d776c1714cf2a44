"""The handover tells the next shift about trading: whether each incident fell in a session (and how long trading
was affected), the next open, and how far the pre-open check for it is; acknowledgement comments of resolved
alerts are kept; "unacknowledged" counts what the console's status line counts.

The real poller (engine -> store) runs on a clock the test moves, over the shipped 2026 A-share calendar
(Monday 16 March 2026 trades 09:15-11:30 and 13:00-15:30) and the shipped playbooks.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import re
import shutil
import unicodedata
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from collectors.service.poller import Poller
from dutyroom.actions_model import Ack
from dutyroom.documents.history import read_all_actions
from dutyroom.handover.verdict import verdict
from dutyroom.handover.writer import build_handover, write_handover
from dutyroom.model import Identity, PollResult, Sample
from dutyroom.operators.actions import ActionRequest, submit
from dutyroom.playbooks.runs import RunBook
from dutyroom.report.writer import build_report, render_report
from dutyroom.room import Room, load_room
from dutyroom.rules.alert import fingerprint
from dutyroom.store.database import Store

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]
TZ = ZoneInfo("Asia/Shanghai")
ALICE = Identity("alice")
BOB = Identity("bob")
CONFIG = """
[site]
name = "trading room"
timezone = "Asia/Shanghai"
shifts = ["08:00", "20:00"]
calendar = "{calendar}"

[[target]]
id = "ups-a"
group = "power"
kind = "trap"
trap_sources = ["127.0.0.2"]

[[target]]
id = "sse-line"
group = "links"
kind = "trap"
trap_sources = ["127.0.0.3"]

[[rule]]
id = "ups-on-battery"
metric = "ups.on_battery"
critical = "== 1"
playbook = "mains-failure"

[[rule]]
id = "ups-runtime-low"
metric = "ups.runtime_min"
critical = "< 10"

[[rule]]
id = "ups-output-off"
metric = "ups.output_off"
critical = "== 1"

[[rule]]
id = "line-down"
metric = "line.down"
critical = "== 1"
"""
ON_BATTERY = fingerprint("ups-on-battery", "ups-a", ())
LINE_DOWN = fingerprint("line-down", "sse-line", ())


def at(text: str) -> float:
    return datetime.fromisoformat(text).replace(tzinfo=TZ).timestamp()


class Shift:
    """A room on the shipped calendar and playbooks, its store, and the real poller fed by hand."""

    def __init__(self, root: Path) -> None:
        calendar = ROOT / "calendars" / "cn-a-share-2026.toml"
        (root / "checks.toml").write_text(CONFIG.format(calendar=calendar), encoding="utf-8")
        (root / "playbooks" / "en").mkdir(parents=True)
        for name in ("mains-failure.md", "pre-open-check.md"):
            shutil.copy(ROOT / "playbooks" / "en" / name, root / "playbooks" / "en" / name)
        self.room: Room = load_room(root / "checks.toml")
        self.store = Store.open(root / "state")
        self.now = at("2026-03-16T08:00")
        self.poller = Poller(self.room, self.store, clock=lambda: self.now, watch_files=False)
        self.root = root

    def sample(self, when: str, target: str, metric: str, value: float) -> None:
        self.now = at(when)
        self.poller.intake(PollResult(target, self.now, (Sample(target, metric, value, self.now),)))
        self.poller.step()

    def act(self, actor: Identity, request: ActionRequest, when: str) -> None:
        submit(self.store, self.room.config, actor, request, at(when))

    def book(self) -> RunBook:
        return RunBook.replay(read_all_actions(self.store))

    def handover(self, when: str, shift_start: str | None = None) -> str:
        start = at(shift_start) if shift_start else None
        out = self.root / "handover.txt"
        return write_handover(self.room, self.store, at(when), actor=ALICE, out=out, shift_start=start).text


@pytest.fixture
def room(tmp_path: Path) -> Shift:
    return Shift(tmp_path)


def flat(text: str) -> str:
    return " ".join(text.split())


def test_a_resolved_incident_says_it_hit_trading_for_how_long_with_its_ack_comment(room: Shift) -> None:
    room.sample("2026-03-16T10:00", "ups-a", "ups.on_battery", 1)
    room.act(
        ALICE,
        ActionRequest(Ack(comment="mains lost, generator starting, vendor called"), ON_BATTERY),
        "2026-03-16T10:05",
    )
    room.sample("2026-03-16T10:40", "ups-a", "ups.on_battery", 0)
    room.sample("2026-03-16T16:00", "sse-line", "line.down", 1)
    room.sample("2026-03-16T16:30", "sse-line", "line.down", 0)

    text = room.handover("2026-03-16T19:00")

    resolved = text.split("Opened and resolved during the shift")[1].split("Playbook runs")[0]
    rows = {line.split()[0]: line.split() for line in resolved.splitlines() if line.startswith(("ups-a", "sse-line"))}
    assert rows["ups-a"][-2:] == ["trading", "40m"]
    assert rows["sse-line"][-2:] == ["off-hours", "0s"]
    assert (
        "ups-a ups-on-battery: acknowledged by alice at 10:05: mains lost, generator starting, vendor called"
        in flat(resolved)
    )
    assert "Next open: 2026-03-17 09:15; pre-open check: not started" in flat(text)


def test_an_open_incident_counts_trading_time_from_the_open(room: Shift) -> None:
    room.sample("2026-03-17T09:00", "sse-line", "line.down", 1)

    text = flat(room.handover("2026-03-17T09:40", shift_start="2026-03-17T08:00"))

    line_alert = text.split("sse-line / line-down")[1].split("* ")[0]
    assert "in a trading session; trading affected 25m" in line_alert


def test_the_pre_open_check_reads_not_started_in_progress_then_done(room: Shift) -> None:
    playbook = room.room.playbooks.get("pre-open-check", "en")
    assert playbook is not None
    shift_start = "2026-03-17T08:00"
    assert "pre-open check: not started" in flat(room.handover("2026-03-17T08:10", shift_start))

    planned = room.book().plan_start(playbook, ALICE, at("2026-03-17T08:15"))
    room.act(ALICE, ActionRequest(planned.action, planned.alert, planned.drill), "2026-03-17T08:15")
    run = planned.action.run
    for step in range(1, 6):
        tick = room.book().plan_tick(run, step, ALICE, at("2026-03-17T08:20"))
        room.act(ALICE, ActionRequest(tick.action, tick.alert, tick.drill), "2026-03-17T08:20")
    in_progress = flat(room.handover("2026-03-17T08:30", shift_start))
    assert f"pre-open check: IN PROGRESS, 5 of 11 steps done (Pre-open readiness check [{run}])" in in_progress

    for step in range(6, 12):
        tick = room.book().plan_tick(run, step, BOB, at("2026-03-17T08:50"))
        room.act(BOB, ActionRequest(tick.action, tick.alert, tick.drill), "2026-03-17T08:50")
    done = flat(room.handover("2026-03-17T08:55", shift_start))
    assert re.search(r"Next open: 2026-03-17 09:15; pre-open check: done 08:50 \(Pre-open readiness check", done)


def test_silenced_and_suppressed_alerts_are_not_unacknowledged_as_on_the_console(room: Shift) -> None:
    room.sample("2026-03-17T09:00", "sse-line", "line.down", 1)
    room.sample("2026-03-17T09:01", "ups-a", "ups.on_battery", 1)
    _, ctx = build_handover(room.room, room.store, at("2026-03-17T09:30"), actor=ALICE)
    assert verdict(ctx).startswith("2 critical alerts open, 2 unacknowledged; 1 playbook run still open")

    line, ups = sorted(ctx.alerts, key=lambda alert: alert.target)[::-1]
    held = [dataclasses.replace(line, suppressed_by="core-sw"), dataclasses.replace(ups, silenced_by="s1")]
    ctx = dataclasses.replace(ctx, alerts=held)

    assert verdict(ctx).startswith("2 critical alerts open, 0 unacknowledged; 2 silenced or suppressed")
    assert sum(1 for alert in held if alert.needs_human and alert.severity == "critical") == 0


def test_the_report_says_per_incident_whether_trading_was_hit(room: Shift) -> None:
    room.sample("2026-03-16T10:00", "ups-a", "ups.on_battery", 1)
    room.sample("2026-03-16T10:40", "ups-a", "ups.on_battery", 0)
    room.sample("2026-03-16T16:00", "sse-line", "line.down", 1)
    room.sample("2026-03-16T16:30", "sse-line", "line.down", 0)
    report = build_report(room.room, room.store, at("2026-03-16T00:00"), at("2026-03-17T00:00"), at("2026-03-17T00:00"))

    markdown = flat(render_report(report, "md"))
    table = list(csv.DictReader(io.StringIO(render_report(report, "csv").removeprefix("\ufeff"))))

    assert "ups-a ups-on-battery [critical]" in markdown.replace("\\", "")
    assert "in a trading session; trading affected 40m" in markdown
    assert "off-hours; trading not affected" in markdown
    incidents = {row["target"]: row for row in table if row["section"] == "incident"}
    assert (incidents["ups-a"]["fell_in"], incidents["ups-a"]["trading_s"]) == ("trading", "2400")
    assert (incidents["sse-line"]["fell_in"], incidents["sse-line"]["trading_s"]) == ("off-hours", "0")


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("fmt", ["md", "txt"])
def test_the_trading_columns_keep_the_page_at_80_cells(room: Shift, lang: str, fmt: str) -> None:
    room.sample("2026-03-16T10:00", "ups-a", "ups.on_battery", 1)
    room.sample("2026-03-16T10:40", "ups-a", "ups.on_battery", 0)
    room.sample("2026-03-16T11:00", "sse-line", "line.down", 1)

    handover = write_handover(
        room.room, room.store, at("2026-03-16T19:00"), actor=ALICE, out=room.root / f"h.{fmt}", fmt=fmt, lang=lang
    ).text

    assert not [line for line in handover.splitlines() if cells(line) > 80]
    assert ("交易时段" if lang == "zh" else "trading") in handover


def cells(line: str) -> int:
    return sum(2 if unicodedata.east_asian_width(char) in ("W", "F") else 1 for char in line)
