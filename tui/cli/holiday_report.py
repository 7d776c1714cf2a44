"""`dutyroom report --holiday [DATE]`: the period report over a holiday closure the calendar names, with its duties.

Registered with `dutyroom report` (tui/cli/handover.py); here so that command stays about periods.
"""

from __future__ import annotations

import argparse
import time

from tui.cli.common import CommandFailed, load_or_fail, open_existing_store


def cmd_holiday_report(args: argparse.Namespace) -> int:
    from datetime import date

    from dutyroom.playbooks.library import read_playbooks
    from dutyroom.report.data import ReportError
    from dutyroom.report.holiday import build_holiday_report, holiday_csv, holiday_markdown
    from dutyroom.room import Room, playbooks_dir_for
    from tui.cli.papers import deliver, report_format

    if args.since is not None or args.until is not None:
        raise CommandFailed("report: --holiday takes its period from the calendar: leave out --since and --until")
    day = None
    if args.holiday:
        try:
            day = date.fromisoformat(args.holiday)
        except ValueError:
            raise CommandFailed(f"--holiday: bad date '{args.holiday}' (use e.g. 2026-10-01)") from None
    config = load_or_fail(args.config, args.state)
    library, _problems = read_playbooks(playbooks_dir_for(config.path, args.playbooks))
    room = Room(config, library)  # as `report` does: playbooks that do not load are left out, the report is made
    fmt = report_format(args.format, args.out)
    with open_existing_store(args.state) as store:
        try:
            report = build_holiday_report(room, store, day, time.time(), args.lang)
        except (ReportError, OSError) as error:
            raise CommandFailed(f"report: {error}") from None
    deliver("report", holiday_csv(report) if fmt == "csv" else holiday_markdown(report), args.out)
    return 0
