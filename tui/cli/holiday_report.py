"""`dutyroom report --holiday [DATE]`: the period report over a holiday closure the calendar names, with its duties.

Registered with `dutyroom report` (tui/cli/handover.py); here so that command stays about periods.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from tui.cli.common import CommandFailed, load_or_fail, open_existing_store


def cmd_holiday_report(args: argparse.Namespace) -> int:
    from datetime import date

    from dutyroom.atomic import document_mode, write_atomically
    from dutyroom.playbooks.library import read_playbooks
    from dutyroom.report.data import ReportError
    from dutyroom.report.holiday import build_holiday_report, holiday_csv, holiday_markdown
    from dutyroom.room import Room, playbooks_dir_for

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
    to_file = args.out is not None and args.out != Path("-")
    fmt = args.format or ("csv" if to_file and args.out.suffix == ".csv" else "md")
    with open_existing_store(args.state) as store:
        try:
            report = build_holiday_report(room, store, day, time.time(), args.lang)
            text = holiday_csv(report) if fmt == "csv" else holiday_markdown(report)
            if to_file:
                write_atomically(args.out, text, mode=document_mode(args.out.parent))
        except (ReportError, OSError) as error:
            raise CommandFailed(f"report: {error}") from None
    if not to_file:
        sys.stdout.write(text)
    else:
        print(f"report written: {args.out}")
    return 0
