"""The handover's one-line verdict counts what is still open: alerts, playbook runs, missed deadlines and steps
awaiting a second operator. "All clear" only when nothing is open (it once said "all clear now" with seven runs
open and deadlines MISSED).

Runs are recorded the way the poller and the console record them (planned against the run book, submitted to a
real store); no alert is firing, so only the runs can keep the verdict from being clear.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from dutyroom.documents.model import Bullets
from dutyroom.handover.verdict import verdict
from dutyroom.handover.writer import build_handover
from dutyroom.model import Identity
from dutyroom.operators.actions import ActionRequest, submit
from dutyroom.playbooks.runs import AlertRef, RunAction, RunBook
from dutyroom.room import Room, load_room
from dutyroom.store.database import Store

TZ = ZoneInfo("Asia/Shanghai")
ENGINE = Identity("dutyroom-engine")
ALICE = Identity("alice")
BOB = Identity("bob")
CONFIG = """
[site]
name = "verdict room"
timezone = "Asia/Shanghai"
shifts = ["08:00", "20:00"]

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
id = "ups-on-battery"
metric = "ups.on_battery"
critical = "== 1"
playbook = "mains-failure"
"""
PLAYBOOK = """+++
id = "mains-failure"
lang = "en"
title = "Mains failure"
severity = "critical"
kind = "incident"
applies_to = { rules = ["ups-on-battery"] }

[[deadline]]
id = "call-power"
minutes = 10
from = "alert-start"
step = 1
what = "Call the building power duty room"
+++

# Mains failure

## Steps

1. Call the building power duty room.
2. [two-person] Shut down the non-trading servers.
3. Close the run when mains is back.
"""


def at(text: str) -> float:
    return datetime.fromisoformat(text).replace(tzinfo=TZ).timestamp()


class RunLog:
    """A real store and room; run actions planned against the book read back from the store, then submitted."""

    def __init__(self, root: Path) -> None:
        (root / "checks.toml").write_text(CONFIG, encoding="utf-8")
        (root / "playbooks" / "en").mkdir(parents=True)
        (root / "playbooks" / "en" / "mains-failure.md").write_text(PLAYBOOK, encoding="utf-8")
        self.room: Room = load_room(root / "checks.toml")
        self.store = Store.open(root / "state")

    def book(self) -> RunBook:
        return RunBook.replay(self.store.actions_after(0, 10_000))

    def record(self, planned: RunAction | None) -> None:
        assert planned is not None
        request = ActionRequest(planned.action, planned.alert, planned.drill)
        submit(self.store, self.room.config, planned.actor, request, planned.at)

    def start(self, key: str, when: float, target: str = "ups-a") -> str:
        playbook = self.room.playbooks.get("mains-failure", "en")
        assert playbook is not None
        planned = self.book().plan_alert(playbook, AlertRef(key, "ups-on-battery", target, when), ENGINE, when)
        self.record(planned)
        assert planned is not None
        return planned.action.run

    def verdict(self, now: float, lang: str = "en") -> str:
        _, ctx = build_handover(self.room, self.store, now, actor=ALICE, lang=lang)
        return verdict(ctx)


@pytest.fixture
def log(tmp_path: Path) -> RunLog:
    return RunLog(tmp_path)


def test_a_quiet_shift_without_runs_is_quiet(log: RunLog) -> None:
    assert log.verdict(at("2026-03-02T10:15")) == "quiet shift"


def test_open_runs_missed_deadlines_and_steps_awaiting_a_second_operator_are_not_all_clear(log: RunLog) -> None:
    run = log.start("f1", at("2026-03-02T09:00"))
    log.start("f2", at("2026-03-02T09:30"), "ups-b")
    log.record(log.book().plan_tick(run, 2, ALICE, at("2026-03-02T09:40")))
    text = log.verdict(at("2026-03-02T10:15"))
    assert "all clear" not in text
    assert text == "no alerts open; 2 playbook runs still open; 2 deadlines MISSED; 1 step awaiting a second operator"
    assert (
        log.verdict(at("2026-03-02T10:15"), "zh")
        == "当前无告警；2 个预案执行仍未结束；2 项时限已超时；1 个步骤等待第二人确认"
    )


def test_closing_every_run_makes_it_all_clear_and_keeps_the_missed_deadline(log: RunLog) -> None:
    run = log.start("f1", at("2026-03-02T09:00"))
    log.record(log.book().plan_tick(run, 1, ALICE, at("2026-03-02T09:05")))
    log.record(log.book().plan_tick(run, 2, ALICE, at("2026-03-02T09:06")))
    assert log.verdict(at("2026-03-02T09:10")) == (
        "no alerts open; 1 playbook run still open; 1 step awaiting a second operator"
    )
    log.record(log.book().plan_confirm(run, 2, BOB, at("2026-03-02T09:07")))
    log.record(log.book().plan_close(run, BOB, at("2026-03-02T09:08"), reason="mains back"))
    assert log.verdict(at("2026-03-02T10:15")) == "all clear now"
    late = log.start("f2", at("2026-03-02T09:30"))
    log.record(log.book().plan_close(late, BOB, at("2026-03-02T09:50"), reason="false alarm"))
    assert log.verdict(at("2026-03-02T10:15")) == "all clear now; 1 deadline MISSED"


def test_the_verdict_line_is_in_the_handover_header(log: RunLog) -> None:
    log.start("f1", at("2026-03-02T09:00"))
    doc, _ = build_handover(log.room, log.store, at("2026-03-02T10:15"), actor=ALICE)
    header = doc.blocks[0]
    assert isinstance(header, Bullets)
    assert header.items[-1].text == "Verdict: no alerts open; 1 playbook run still open; 1 deadline MISSED"


def test_a_poller_silent_for_longer_than_the_consoles_bound_is_said_so(log: RunLog) -> None:
    """The handover judges the poller with the bound every console, `status` and `alerts` use (10 s): a heartbeat
    30 s old is POLLER SILENT, not 'poller alive' (it once waited 60 s)."""
    from dutyroom.documents.render import render
    from dutyroom.store.liveness import POLLER_DOWN_AFTER_S

    now = at("2026-03-02T10:15")
    log.store.write_heartbeat(now - 3 * POLLER_DOWN_AFTER_S, pid=4242)
    doc, _ = build_handover(log.room, log.store, now, actor=ALICE, lang="en")
    assert "POLLER SILENT for 30s (pid 4242)" in render(doc, "txt")
    log.store.write_heartbeat(now - 1, pid=4242)
    doc, _ = build_handover(log.room, log.store, now, actor=ALICE, lang="en")
    assert "POLLER SILENT" not in render(doc, "txt")
