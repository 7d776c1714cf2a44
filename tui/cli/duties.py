"""`dutyroom duties [--at TIME] [--json]`: today's duties (pre-open check, holiday duty) and where they stand.

Reads the state directory when there is one (runs, acks, the poller's last engine state); without one it
still lists the day's schedule, with nothing started and nothing verified.
"""

from __future__ import annotations

import argparse
import json
import time
from typing import TYPE_CHECKING

from tui.cli.common import CommandFailed, open_existing_store, room_or_fail

if TYPE_CHECKING:
    from datetime import datetime
    from zoneinfo import ZoneInfo


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser) -> None:
    duties = commands.add_parser(
        "duties",
        parents=[common],
        help="today's scheduled duties and the readiness verdict",
        description="The duties the trading calendar schedules today ([[duty]] in checks.toml): scheduled, "
        "running, done or missed, with the verdict of a running one and what its automated checks saw.",
    )
    duties.add_argument(
        "--at",
        metavar="TIME",
        help="look at another moment: ISO date-time, e.g. 2026-12-07T08:20:00+08:00 (site time if no offset)",
    )
    duties.add_argument("--json", action="store_true", help="one JSON object")
    duties.set_defaults(handler=cmd_duties)


def parse_moment(text: str | None, zone: ZoneInfo) -> datetime:
    """`--at` as an aware datetime; now when not given."""
    from datetime import datetime

    if text is None:
        return datetime.fromtimestamp(time.time(), zone)
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise CommandFailed(f"--at: bad date-time '{text}' (use e.g. 2026-12-07T08:20:00+08:00)") from None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=zone)


def cmd_duties(args: argparse.Namespace) -> int:
    from dutyroom.duties.export import duty_line, duty_record
    from dutyroom.duties.reading import read_day_status

    room = room_or_fail(args.config, args.state)
    config = room.config
    at = parse_moment(args.at, config.timezone)
    language = config.parsed.site.language

    def find(playbook_id: str):  # type: ignore[no-untyped-def]
        return room.playbooks.get(playbook_id, language)

    if args.state.exists():
        with open_existing_store(args.state) as store:
            statuses = read_day_status(config, store, at, find)
    else:
        statuses = read_day_status(config, None, at, find)
    day = at.astimezone(config.timezone)
    if args.json:
        report = {
            "at": day.isoformat(),
            "day": day.date().isoformat(),
            "day_kind": config.calendar.day_kind(day.date()).kind if config.calendar else None,
            "state_dir": str(args.state) if args.state.exists() else None,
            "duties": [duty_record(status) for status in statuses],
        }
        print(json.dumps(report, ensure_ascii=False))
        return 0
    if not statuses:
        print(f"no duties on {day:%Y-%m-%d} ({_day_word(config, day)})")
    for status in statuses:
        print(duty_line(status))
        for check in status.verifications:
            mark = "+" if check.holds else "x"
            print(f"  {mark} step {check.step}: {check.what or 'verified'}: {check.seen}")
    return 0


def _day_word(config: object, day: datetime) -> str:
    calendar = getattr(config, "calendar", None)
    return calendar.day_kind(day.date()).kind if calendar is not None else "no calendar"
