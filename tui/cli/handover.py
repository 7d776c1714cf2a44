"""`dutyroom handover` (write, note, sign) and `dutyroom report` (a period's operations report).

    dutyroom handover [--out FILE|-] [--format md|txt] [--shift-start ISO] [--lang en|zh]
    dutyroom handover --note TEXT          # a note for the next shift, listed in the next handover
    dutyroom handover --sign [--out FILE]  # outgoing signs first, then incoming; default: the newest file
    dutyroom report --since ISO [--until ISO] [--format md|csv] [--out FILE|-]
    dutyroom handover|report --site NAME=URL ... | --all-sites   # one document, a section per site

Times without an offset are the site's local time; `--out -` is standard output. Files are 0600, or 0640 in a
setgid team directory. Errors (disk full, unsafe place, refused action) are one line with the path, exit 1.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

from dutyroom.report import REPORT_FORMATS
from tui.cli.common import CommandFailed, load_or_fail, open_existing_store
from tui.cli.local_time import parse_time as parse_time  # audit list reads it here
from tui.cli.site_papers import add_sites_options, sites_asked

if TYPE_CHECKING:
    from dutyroom.room import Room


def _failures() -> tuple[type[Exception], ...]:
    """The expected failures of both commands: each is printed as one line, never a traceback."""
    from dutyroom.handover.shifts import ShiftError
    from dutyroom.handover.writer import HandoverError
    from dutyroom.operators.actions import ActionRefused
    from dutyroom.report.writer import ReportError
    from dutyroom.store.records import StoreError

    return (HandoverError, ShiftError, ReportError, ActionRefused, StoreError, OSError)


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser) -> None:
    handover = commands.add_parser("handover", parents=[common], help="write, note or sign the shift handover")
    handover.add_argument(
        "--out", type=Path, help="file to write, - for standard output (default: site.handover_dir/handover-...)"
    )
    handover.add_argument("--format", choices=["md", "txt"], help="Markdown or plain text (default: md)")
    handover.add_argument("--shift-start", help="hand over the shift starting at this time (ISO, local)")
    handover.add_argument("--lang", choices=["en", "zh"], help="language (default: site.language)")
    handover.add_argument("--playbooks", type=Path, help="playbooks directory (default: beside checks.toml)")
    action = handover.add_mutually_exclusive_group()
    action.add_argument("--sign", action="store_true", help="sign the newest handover (or --out FILE)")
    action.add_argument("--note", help="record a note for the next shift instead of writing the file")
    add_sites_options(handover)
    handover.set_defaults(handler=cmd_handover)

    report = commands.add_parser("report", parents=[common], help="operations report for a period")
    report.add_argument("--since", help="period start (ISO date or date-time, local); or --holiday")
    report.add_argument(
        "--holiday",
        nargs="?",
        const="",
        metavar="DATE",
        help="the holiday closure around DATE (default: the latest), from the calendar, with its duties",
    )
    report.add_argument("--until", help="period end (default: now)")
    report.add_argument(
        "--format",
        choices=list(REPORT_FORMATS),
        help="md to read, or csv: one file whose first column names the section (default: from --out, else md)",
    )
    report.add_argument("--out", type=Path, help="file to write, - for standard output (default: -)")
    report.add_argument("--lang", choices=["en", "zh"], help="language (default: site.language)")
    report.add_argument("--playbooks", type=Path, help="playbooks directory (default: beside checks.toml)")
    add_sites_options(report)
    report.set_defaults(handler=cmd_report)


def load_room_leniently(config_path: Path, playbooks: Path | None, state: Path | None = None) -> Room:
    """checks.toml must be valid; playbooks that do not load are left out (a handover must still be written)."""
    from dutyroom.playbooks.library import read_playbooks
    from dutyroom.room import Room, playbooks_dir_for

    config = load_or_fail(config_path, state)
    library, _problems = read_playbooks(playbooks_dir_for(config.path, playbooks))
    return Room(config, library)


def cmd_handover(args: argparse.Namespace) -> int:
    from dutyroom.handover.shifts import latest_handover
    from dutyroom.handover.writer import (
        STANDARD_OUTPUT,
        HandoverError,
        handover_directory,
        record_handover_note,
        sign_handover,
        write_handover,
    )
    from dutyroom.operators.identity import current_identity

    if sites_asked(args):
        from tui.cli.site_papers import cmd_sites_handover

        return cmd_sites_handover(args)
    if (args.sign or args.note is not None) and (signed_or_noted := _through_service(args)) is not None:
        return signed_or_noted
    room = load_room_leniently(args.config, args.playbooks, args.state)
    actor = current_identity()
    now = time.time()
    shift_start = parse_time(args.shift_start, room.config.timezone, "--shift-start") if args.shift_start else None
    if not args.sign and args.note is None and (written := _write_through_service(args, room, shift_start)) is not None:
        return written
    with open_existing_store(args.state, read_only=False) as store:
        try:
            if args.note is not None:
                stored = record_handover_note(room, store, now, actor=actor, text=args.note)
                print(f"noted for the next shift (action #{stored.id})")
                return 0
            if args.sign:
                if args.out == STANDARD_OUTPUT:
                    raise HandoverError("--sign needs a file (--out FILE), not standard output")
                path = args.out or latest_handover(handover_directory(room, store))
                if path is None:
                    raise HandoverError(f"no handover file to sign in {handover_directory(room, store)}")
                signed = sign_handover(room, store, now, actor=actor, path=path)
                done = f"action #{signed.action.id}" if signed.action else "signed before; file refreshed"
                print(f"signed {signed.path} as {signed.role} ({done})")
                return 0
            result = write_handover(
                room,
                store,
                now,
                actor=actor,
                out=args.out,
                fmt=args.format,
                lang=args.lang,
                shift_start=shift_start,
            )
        except _failures() as error:
            raise CommandFailed(f"handover: {error}") from None
    if result.path == STANDARD_OUTPUT:
        sys.stdout.write(result.text)
    else:
        print(f"handover written: {result.path}")
    return 0


def _write_through_service(args: argparse.Namespace, room: Room, shift_start: float | None) -> int | None:
    """The handover written by `dutyroom serve` as the caller when it answers; None: standalone."""
    from dutyroom.views.wire_documents import HandoverPost
    from tui.cli.papers import deliver
    from tui.cli.served_documents import handover_through_service

    out: Path | None = args.out
    fmt = args.format or ("txt" if out is not None and out.suffix == ".txt" else "md")
    asked = HandoverPost(format=fmt, lang=args.lang or "", shift_start=shift_start, keep=out is None)
    written = handover_through_service(args, asked)
    if written is None:
        return None
    if out is None:  # kept by the service, in its handover directory under the state directory
        print(f"handover written: {args.state / room.config.parsed.site.handover_dir / written.file}")
    else:
        deliver("handover", written.text, out)
    return 0


def _through_service(args: argparse.Namespace) -> int | None:
    """`--sign` and `--note` through `dutyroom serve`'s API when it answers (it writes the file); None: standalone."""
    from dutyroom.actions_model import HandoverNote
    from tui.cli.service_door import service_or_none, submit_to_service
    from tui.service_client import ServiceRefused, ServiceUnreachable

    service = service_or_none(args)
    if service is None:
        return None
    if args.note is not None:
        print(f"noted for the next shift (action #{submit_to_service(service, HandoverNote(text=args.note)).id})")
        return 0
    with service:
        try:
            signed = service.sign_handover(args.out.name if args.out else "")
        except (ServiceRefused, ServiceUnreachable) as error:
            raise CommandFailed(f"handover: {error}") from None
    done = f"action #{signed.id}" if signed.id else "signed before; file refreshed"
    print(f"signed {signed.file} as {signed.role} ({done})")
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    if sites_asked(args):
        from tui.cli.site_papers import cmd_sites_report

        return cmd_sites_report(args)
    if args.holiday is not None:
        from tui.cli.holiday_report import cmd_holiday_report

        return cmd_holiday_report(args)
    if args.since is None:
        raise CommandFailed("report: give the period with --since (and --until), or --holiday [DATE]")
    from dutyroom.report.writer import build_report, render_report
    from tui.cli.papers import deliver, report_format
    from tui.cli.served_documents import report_through_service

    room = load_room_leniently(args.config, args.playbooks, args.state)
    timezone = room.config.timezone
    now = time.time()
    since = parse_time(args.since, timezone, "--since")
    until = parse_time(args.until, timezone, "--until") if args.until else now
    fmt = report_format(args.format, args.out)
    text = report_through_service(args, since, until, fmt)  # rendered by `dutyroom serve` when it answers
    if text is None:
        with open_existing_store(args.state) as store:
            try:
                text = render_report(build_report(room, store, since, until, now, args.lang), fmt)
            except _failures() as error:
                raise CommandFailed(f"report: {error}") from None
    deliver("report", text, args.out)
    return 0
