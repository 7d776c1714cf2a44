"""A provisional calendar is said where people look: the alert (and `alerts --json`), the console's status
line and the handover. Times are passed in; the room's calendar is the 2026 file alone (tests/rules)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from dutyroom.config.load import LoadedConfig, load_config
from dutyroom.handover.writer import write_handover
from dutyroom.model import Identity, State
from dutyroom.operators.state import OperatorState
from dutyroom.playbooks.library import PlaybookLibrary
from dutyroom.room import Room
from dutyroom.rules.alert import AlertPhase, Check, fingerprint
from dutyroom.store.database import Store
from dutyroom.views.alerts import alert_views
from dutyroom.views.store_source import StoreSource
from tui.cli.actions import alert_json

ROOT = Path(__file__).resolve().parents[2]
RULE_ROOM = ROOT / "tests" / "rules" / "checks.toml"
SHANGHAI = ZoneInfo("Asia/Shanghai")
ALICE = Identity("alice")


def at(text: str) -> float:
    return datetime.fromisoformat(text).replace(tzinfo=SHANGHAI).timestamp()


@pytest.fixture(scope="module")
def config() -> LoadedConfig:
    return load_config(RULE_ROOM, environ={})


def firing(rule: str, target: str, when: float) -> Check:
    return Check(
        fingerprint=fingerprint(rule, target, ()),
        rule=rule,
        target=target,
        state=State.CRITICAL,
        value=0,
        value_at=when,
        phase=AlertPhase.FIRING,
        severity="critical",
        active_since=when,
        fired_at=when,
    )


def test_an_alert_decided_on_a_provisional_day_says_so(config: LoadedConfig) -> None:
    now = at("2027-01-04T10:00:00")
    (view,) = alert_views(config, [firing("exchange-line-down", "exch-sse", now)], OperatorState(), now)
    assert view.provisional_calendar
    assert alert_json(view)["provisional_calendar"] is True


def test_an_alert_decided_on_a_covered_day_does_not(config: LoadedConfig) -> None:
    now = at("2026-11-23T10:00:00")
    (view,) = alert_views(config, [firing("exchange-line-down", "exch-sse", now)], OperatorState(), now)
    assert not view.provisional_calendar
    assert alert_json(view)["provisional_calendar"] is False


def test_a_rule_that_ignores_the_calendar_is_never_provisional(config: LoadedConfig) -> None:
    now = at("2027-01-04T10:00:00")
    (view,) = alert_views(config, [firing("ups-on-battery", "ups-a", now)], OperatorState(), now)
    assert not view.provisional_calendar  # no `when`, no per-phase severity: the calendar changed nothing


def test_the_mark_follows_when_the_severity_was_decided_not_when_it_is_read(config: LoadedConfig) -> None:
    decided = at("2026-12-31T14:00:00")
    (view,) = alert_views(
        config, [firing("exchange-line-down", "exch-sse", decided)], OperatorState(), at("2027-01-04T10:00:00")
    )
    assert not view.provisional_calendar


@pytest.mark.parametrize(
    ("now", "lang", "mark", "warning"),
    [
        ("2026-11-23T10:00:00", "en", "", ""),
        ("2026-12-04T10:00:00", "en", "", "the confirmed trading calendar ends on 2026-12-31 (in 27 days)"),
        ("2027-01-04T10:00:00", "en", "provisional calendar", "no calendar file covers 2027-01-04"),
        ("2027-01-04T10:00:00", "zh", "临时日历", "没有日历文件覆盖 2027-01-04"),
    ],
)
def test_the_console_status_line_carries_the_mark_and_the_warning(
    config: LoadedConfig, tmp_path: Path, now: str, lang: str, mark: str, warning: str
) -> None:
    with Store.open(tmp_path / "state") as store:
        source = StoreSource(Room(config, PlaybookLibrary()), store, ALICE, "viewer", language=lang)
        status = source.snapshot(at(now)).status
    assert status.calendar_mark == mark
    assert status.calendar_warning.startswith(warning)
    assert bool(status.calendar_warning) == bool(warning)
    assert status.phase_kind == "trading"


@pytest.mark.parametrize(
    ("now", "lang", "line"),
    [
        ("2027-01-04T10:00:00", "en", "Trading calendar: no calendar file covers 2027-01-04"),
        ("2027-01-04T10:00:00", "zh", "交易日历：没有日历文件覆盖 2027-01-04"),
        ("2026-12-04T10:00:00", "en", "Trading calendar: the confirmed trading calendar ends on 2026-12-31"),
    ],
)
def test_the_handover_carries_the_calendar_warning(
    config: LoadedConfig, tmp_path: Path, now: str, lang: str, line: str
) -> None:
    with Store.open(tmp_path / "state") as store:
        written = write_handover(
            Room(config, PlaybookLibrary()), store, at(now), actor=ALICE, out=tmp_path / "h.txt", lang=lang
        )
    flat = " ".join(written.text.split())
    assert line in flat


def test_a_handover_far_from_the_calendars_end_says_nothing_of_it(config: LoadedConfig, tmp_path: Path) -> None:
    with Store.open(tmp_path / "state") as store:
        written = write_handover(
            Room(config, PlaybookLibrary()), store, at("2026-11-23T10:00:00"), actor=ALICE, out=tmp_path / "h.txt"
        )
    assert "calendar" not in written.text.lower()
