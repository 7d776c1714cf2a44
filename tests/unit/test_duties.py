"""Duties with explicit times on the shipped room: which days start what, automated ticks, the verdict."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from dutyroom.config.load import LoadedConfig, load_config
from dutyroom.config.trading_calendar import TradingCalendar
from dutyroom.duties.live import LiveState
from dutyroom.duties.planner import DUTY_ACTOR, plan_duties
from dutyroom.duties.schedule import occasions_between, occasions_on
from dutyroom.duties.status import DutyState, day_status
from dutyroom.model import Identity, State
from dutyroom.playbooks.library import PlaybookLibrary, load_playbooks
from dutyroom.playbooks.model import Playbook
from dutyroom.playbooks.runs import RunBook, StepStatus
from dutyroom.rules.alert import AlertPhase, Check, TargetHealth

PROJECT = Path(__file__).resolve().parents[2]
SHANGHAI = ZoneInfo("Asia/Shanghai")
PERSON = Identity(user="zhangwei")


@pytest.fixture(scope="module")
def config() -> LoadedConfig:
    return load_config(PROJECT / "checks.toml", require_env=False)


@pytest.fixture(scope="module")
def calendar(config: LoadedConfig) -> TradingCalendar:
    assert config.calendar is not None
    return config.calendar


@pytest.fixture(scope="module")
def playbooks() -> PlaybookLibrary:
    return load_playbooks(PROJECT / "playbooks")


def local(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=SHANGHAI)


def lookup(playbooks: PlaybookLibrary):  # type: ignore[no-untyped-def]
    def find(playbook_id: str) -> Playbook | None:
        return playbooks.get(playbook_id, "en")

    return find


def healthy_room(config: LoadedConfig, now: float) -> LiveState:
    """Every target answered a second ago, every rule's series OK with comfortable values."""
    health = {
        target.id: TargetHealth(target=target.id, last_result_at=now - 1, last_ok_at=now - 1)
        for target in config.parsed.target
    }
    values = {"ups.runtime_min": 42.0, "md.tick_age_s": 0.8}
    checks = [
        Check(
            fingerprint=f"{rule.id}-{target.id}",
            rule=rule.id,
            target=target.id,
            value=values.get(getattr(rule.spec, "metric", ""), 0.0),
            value_at=now - 1,
        )
        for rule in config.rules
        for target in config.parsed.target
        if getattr(rule.spec, "metric", "") in values
        and target.group in (["power"] if "ups" in rule.id else ["links", "trading"])
    ]
    return LiveState.of(now, checks, health)


def firing(live: LiveState, rule: str, target: str, severity: str = "critical") -> LiveState:
    check = Check(
        fingerprint=f"{rule}-{target}-firing",
        rule=rule,
        target=target,
        state=State.CRITICAL,
        phase=AlertPhase.FIRING,
        severity=severity,
        value=1,
        value_at=live.now,
    )
    return LiveState.of(live.now, [*live.checks, check], live.health)


def recorded(book: RunBook, actions: list) -> RunBook:  # type: ignore[type-arg]
    for action in actions:
        book = book.apply(action)
    return book


def test_a_trading_day_has_the_pre_open_check_from_0815_due_0900(
    config: LoadedConfig, calendar: TradingCalendar
) -> None:
    monday = local("2026-12-07T00:00").date()
    [occasion] = occasions_on(config.duties, calendar, monday)
    assert occasion.duty_id == "pre-open"
    assert (occasion.starts_at, occasion.due_at) == (local("2026-12-07T08:15"), local("2026-12-07T09:00"))


@pytest.mark.parametrize(
    "day",
    ["2026-12-06", "2026-10-01", "2026-10-05", "2026-10-10", "2026-09-20"],
    ids=["sunday", "national-day", "inside-the-closure", "make-up-saturday", "make-up-sunday"],
)
def test_a_weekend_a_holiday_or_a_make_up_day_starts_nothing(
    config: LoadedConfig, calendar: TradingCalendar, playbooks: PlaybookLibrary, day: str
) -> None:
    at = local(f"{day}T08:20")
    assert occasions_on(config.duties, calendar, at.date()) == ()
    assert plan_duties(config, calendar, RunBook(), healthy_room(config, at.timestamp()), lookup(playbooks)) == []


def test_holiday_duties_fall_on_the_trading_days_around_national_day(
    config: LoadedConfig, calendar: TradingCalendar
) -> None:
    found = occasions_between(config.duties, calendar, local("2026-09-29T00:00").date(), local("2026-10-09").date())
    holiday = [(item.duty_id, item.day.isoformat()) for item in found if item.duty_id != "pre-open"]
    assert holiday == [("holiday-start", "2026-09-30"), ("holiday-end", "2026-10-08")]


def test_a_plain_weekend_is_no_holiday(config: LoadedConfig, calendar: TradingCalendar) -> None:
    friday, monday = local("2026-12-04T00:00").date(), local("2026-12-07T00:00").date()
    ids = [item.duty_id for day in (friday, monday) for item in occasions_on(config.duties, calendar, day)]
    assert ids == ["pre-open", "pre-open"]


def test_the_run_starts_at_its_time_and_not_before(
    config: LoadedConfig, calendar: TradingCalendar, playbooks: PlaybookLibrary
) -> None:
    before = local("2026-12-07T08:14:59").timestamp()
    assert plan_duties(config, calendar, RunBook(), LiveState.of(before, [], {}), lookup(playbooks)) == []
    at = local("2026-12-07T08:15").timestamp()
    [start] = plan_duties(config, calendar, RunBook(), LiveState.of(at, [], {}), lookup(playbooks))
    assert start.kind == "run-start"
    assert start.actor == DUTY_ACTOR
    assert start.action.playbook == "pre-open-check"  # type: ignore[union-attr]
    book = recorded(RunBook(), [start])
    later = LiveState.of(at + 60, [], {})
    assert plan_duties(config, calendar, book, later, lookup(playbooks)) == []


def test_automated_steps_tick_with_what_they_saw_and_a_person_is_still_needed(
    config: LoadedConfig, calendar: TradingCalendar, playbooks: PlaybookLibrary
) -> None:
    at = local("2026-12-07T08:16")
    live = healthy_room(config, at.timestamp())
    book = recorded(RunBook(), plan_duties(config, calendar, RunBook(), live, lookup(playbooks)))
    [run] = book.runs.values()
    ticked = [step.number for step in run.steps if step.status is StepStatus.DONE]
    assert ticked == [1, 2, 3, 4, 5, 6]
    assert all(step.ticked is not None and step.ticked.actor == DUTY_ACTOR for step in run.steps[:6])
    [note] = run.notes_for(2)
    assert note.text.startswith("verified by dutyroom at 08:16: ")
    assert "ups-a ups.runtime_min=42.0" in note.text
    [status] = day_status(config, calendar, book.runs, live, at, lookup(playbooks))
    assert status.state is DutyState.RUNNING
    assert status.readiness is not None
    assert status.readiness.describe() == "NOT READY: 5 steps open, due 09:00"


def test_an_automated_step_unticks_when_the_state_goes_bad_before_the_open(
    config: LoadedConfig, calendar: TradingCalendar, playbooks: PlaybookLibrary
) -> None:
    at = local("2026-12-07T08:16").timestamp()
    live = healthy_room(config, at)
    book = recorded(RunBook(), plan_duties(config, calendar, RunBook(), live, lookup(playbooks)))
    worse = firing(healthy_room(config, at + 60), "exchange-line-down", "exch-sse")
    book = recorded(book, plan_duties(config, calendar, book, worse, lookup(playbooks)))
    [run] = book.runs.values()
    assert run.step(4).status is StepStatus.OPEN  # type: ignore[union-attr]
    assert run.notes_for(4)[-1].text == "no longer verified at 08:17: exchange-line-down firing on exch-sse"
    [status] = day_status(config, calendar, book.runs, worse, local("2026-12-07T08:17"), lookup(playbooks))
    assert status.readiness is not None
    assert status.readiness.describe().startswith("NOT READY: 2 automated checks failing, 5 steps open")


def test_a_persons_tick_is_never_taken_back(
    config: LoadedConfig, calendar: TradingCalendar, playbooks: PlaybookLibrary
) -> None:
    at = local("2026-12-07T08:15").timestamp()
    quiet = LiveState.of(at, [], {})  # no data: nothing verifies
    book = recorded(RunBook(), plan_duties(config, calendar, RunBook(), quiet, lookup(playbooks)))
    [run] = book.runs.values()
    book = book.apply(book.plan_tick(run.run_id, 4, PERSON, at + 30))
    later = LiveState.of(at + 60, [], {})
    assert plan_duties(config, calendar, book, later, lookup(playbooks)) == []
    assert book.runs[run.run_id].step(4).ticked.actor == PERSON  # type: ignore[union-attr]


def test_every_step_settled_by_the_due_time_is_ready_then_done(
    config: LoadedConfig, calendar: TradingCalendar, playbooks: PlaybookLibrary
) -> None:
    at = local("2026-12-07T08:16").timestamp()
    live = healthy_room(config, at)
    book = recorded(RunBook(), plan_duties(config, calendar, RunBook(), live, lookup(playbooks)))
    [run] = book.runs.values()
    for number in range(7, 12):
        book = book.apply(book.plan_tick(run.run_id, number, PERSON, at + number))
    [status] = day_status(config, calendar, book.runs, live, local("2026-12-07T08:40"), lookup(playbooks))
    assert status.state is DutyState.DONE
    assert status.readiness is not None
    assert status.readiness.describe() == "READY for 09:15"


def test_an_unfinished_run_is_missed_at_its_due_time(
    config: LoadedConfig, calendar: TradingCalendar, playbooks: PlaybookLibrary
) -> None:
    at = local("2026-12-07T08:16").timestamp()
    live = healthy_room(config, at)
    book = recorded(RunBook(), plan_duties(config, calendar, RunBook(), live, lookup(playbooks)))
    [early] = day_status(config, calendar, book.runs, live, local("2026-12-07T08:59:59"), lookup(playbooks))
    [due] = day_status(config, calendar, book.runs, live, local("2026-12-07T09:00"), lookup(playbooks))
    assert (early.state, due.state) == (DutyState.RUNNING, DutyState.MISSED)


@pytest.mark.parametrize(
    ("duty", "moment", "severity"),
    [("pre-open", "2026-12-07T09:00:05", "critical"), ("holiday-start", "2026-09-30T17:00:05", "warning")],
)
def test_a_missed_duty_is_an_alert_critical_in_the_pre_open_phase(
    config: LoadedConfig, duty: str, moment: str, severity: str
) -> None:
    from dutyroom.config.duty_check import DUTY_TARGET, MISSED_METRIC
    from dutyroom.model import PollResult, Sample, make_labels
    from dutyroom.rules.engine import Engine

    engine = Engine(config)
    now = local(moment).timestamp()
    sample = Sample(DUTY_TARGET, MISSED_METRIC, 1.0, now, make_labels({"duty": duty}))
    [transition] = engine.evaluate([PollResult(DUTY_TARGET, now, samples=(sample,))], now).transitions
    assert (transition.rule, transition.after, transition.severity) == (f"{duty}-missed", AlertPhase.FIRING, severity)
    rule = next(rule.spec for rule in config.rules if rule.id == f"{duty}-missed")
    assert rule.playbook == "duty-missed"


def test_a_holiday_duty_start_has_a_verdict_until_its_due_time_only(
    config: LoadedConfig, calendar: TradingCalendar, playbooks: PlaybookLibrary
) -> None:
    live = LiveState.of(local("2026-09-30T14:30").timestamp(), [], {})
    [pre_open, start] = day_status(config, calendar, {}, live, local("2026-09-30T14:30"), lookup(playbooks))
    assert (pre_open.occasion.duty_id, pre_open.readiness) == ("pre-open", None)  # after the open: no verdict
    assert start.readiness is not None
    assert start.readiness.describe() == "NOT READY: 2 automated checks failing, 8 steps open, due 17:00"
    [_, evening] = day_status(config, calendar, {}, live, local("2026-09-30T17:00"), lookup(playbooks))
    assert (evening.state, evening.readiness) == (DutyState.MISSED, None)


def test_a_verifier_holds_only_on_fresh_evidence(config: LoadedConfig) -> None:
    from dutyroom.duties.verifiers import verify

    [duty] = [item for item in config.duties if item.id == "pre-open"]
    ups = next(check for check in duty.checks if check.spec.step == 2)
    now = local("2026-12-07T08:20").timestamp()
    good = healthy_room(config, now)
    assert verify(ups, config, good).holds
    low = [
        Check(fingerprint=c.fingerprint, rule=c.rule, target=c.target, value=12.0, value_at=now - 1)
        if c.target == "ups-b"
        else c
        for c in good.checks
    ]
    seen = verify(ups, config, LiveState.of(now, low, good.health))
    assert not seen.holds
    assert seen.seen == "ups-b ups.runtime_min=12.0"
    stale_health = dict(good.health)
    stale_health["ups-a"] = TargetHealth(target="ups-a", last_result_at=now - 600, last_ok_at=now - 600)
    stale = verify(ups, config, LiveState.of(now, good.checks, stale_health))
    assert stale.seen.startswith("ups-a stale 600s")


def test_between_the_due_time_and_the_open_a_bad_state_still_unticks(
    config: LoadedConfig, calendar: TradingCalendar, playbooks: PlaybookLibrary
) -> None:
    at = local("2026-12-07T08:16").timestamp()
    book = recorded(RunBook(), plan_duties(config, calendar, RunBook(), healthy_room(config, at), lookup(playbooks)))
    at_0910 = local("2026-12-07T09:10").timestamp()
    worse = firing(healthy_room(config, at_0910), "gateway-down", "oms-gw1")
    planned = plan_duties(config, calendar, book, worse, lookup(playbooks))
    assert [(action.kind, action.action.step) for action in planned] == [  # type: ignore[union-attr]
        ("step-undo", 1),
        ("step-note", 1),
        ("step-undo", 6),
        ("step-note", 6),
    ]
    assert planned[-1].action.text == "no longer verified at 09:10: gateway-down firing on oms-gw1"  # type: ignore[union-attr]
    after_open = firing(healthy_room(config, local("2026-12-07T09:15").timestamp()), "gateway-down", "oms-gw1")
    assert plan_duties(config, calendar, book, after_open, lookup(playbooks)) == []
