"""`dutyroom handover|report --site A=... --site B=...` (or `--all-sites`): one document for several rooms.

Each site's service writes its own handover (kept in its own handover directory and audit log, as the SSH or
local user) or renders its own report for the period in its own timezone; the seat binds them with a header
naming every site (`dutyroom.documents.site_bundle`). A site that cannot be reached is a loud line in the
document, SITE X UNREACHABLE on standard error and exit status 2, as `alerts --site`; the others are written.
The document goes to standard output, or to `--out` (`tui.cli.papers`).
"""

from __future__ import annotations

import argparse
import sys
from datetime import datetime
from typing import TYPE_CHECKING

from tui.cli.common import CommandFailed

if TYPE_CHECKING:
    from collections.abc import Callable
    from zoneinfo import ZoneInfo

    from dutyroom.documents.site_bundle import PaperKind, SiteSection
    from tui.service_client import ServiceClient
    from tui.site_links import SiteLink

EXIT_SITE_DOWN = 2
"""As `alerts --site`: the document does not cover every site it names."""


def add_sites_options(parser: argparse.ArgumentParser) -> None:
    sites = parser.add_mutually_exclusive_group()
    sites.add_argument(
        "--site",
        action="append",
        metavar="NAME=URL",
        help="one section for this site, written by its service (repeatable; a socket, a state directory or "
        "ssh://user@host[:port]/path/to/api.sock)",
    )
    sites.add_argument(
        "--all-sites", action="store_true", help="one section for each [[site_link]] of the seat's checks.toml"
    )


def sites_asked(args: argparse.Namespace) -> bool:
    return bool(getattr(args, "site", None) or getattr(args, "all_sites", False))


def cmd_sites_handover(args: argparse.Namespace) -> int:
    from dutyroom.views.wire_documents import HandoverPost
    from tui.cli.local_time import parse_time

    if args.sign or args.note is not None:
        raise CommandFailed("handover: --sign and --note act on one room: run them there (without --site)")
    fmt = args.format or ("txt" if args.out is not None and args.out.suffix == ".txt" else "md")

    if args.shift_start:
        parse_time(args.shift_start, _utc(), "--shift-start")  # a bad time is the command's error, not a site's

    def fetch(client: ServiceClient, zone: ZoneInfo, lang: str) -> tuple[str, str]:
        start = parse_time(args.shift_start, zone, "--shift-start") if args.shift_start else None
        written = client.write_handover(HandoverPost(format=fmt, lang=lang, shift_start=start, keep=True))
        return written.text, written.file

    return _bind(args, "handover", fmt, fetch)


def cmd_sites_report(args: argparse.Namespace) -> int:
    from tui.cli.local_time import parse_time
    from tui.cli.papers import report_format

    if args.holiday is not None:
        raise CommandFailed("report: --holiday covers one room's calendar: run it there (without --site)")
    if args.since is None:
        raise CommandFailed("report: give the period with --since (and --until)")
    fmt = report_format(args.format, args.out)
    parse_time(args.since, _utc(), "--since")  # a bad time is the command's error, not a site's
    if args.until:
        parse_time(args.until, _utc(), "--until")

    def fetch(client: ServiceClient, zone: ZoneInfo, lang: str) -> tuple[str, str]:
        # each room's period in its own local time, as `report` on that room reads it
        since = parse_time(args.since, zone, "--since")
        until = parse_time(args.until, zone, "--until") if args.until else None
        return client.report(since, until, fmt, lang), ""

    period = f"{args.since} .. {args.until or 'now'}"
    return _bind(args, "report", fmt, fetch, period)


def _bind(
    args: argparse.Namespace,
    kind: PaperKind,
    fmt: str,
    fetch: Callable[[ServiceClient, ZoneInfo, str], tuple[str, str]],
    period: str = "",
) -> int:
    """Every site's paper, bound into one document and delivered; the exit status says whether all were reached."""
    from dutyroom.documents.site_bundle import bundle
    from dutyroom.operators.identity import current_identity
    from tui.cli.papers import deliver
    from tui.cli.seat import seat_config, seat_language, seat_sites

    config = seat_config(args.config)
    links = seat_sites(args.site, config, kind)
    if not links:
        raise CommandFailed(f"{kind}: --all-sites: {args.config} has no [[site_link]]")
    lang = seat_language(args.lang, config)
    sections = [_section_of(link, fetch, lang) for link in links]
    status = 0
    for section in sections:
        if not section.reached:
            status = EXIT_SITE_DOWN
            what = "REFUSED" if section.refused else "UNREACHABLE"
            print(f"dutyroom {kind}: SITE {section.site} {what} ({section.error})", file=sys.stderr, flush=True)
    when = datetime.now().astimezone().isoformat(timespec="seconds")
    text = bundle(kind, sections, fmt, lang=lang, when=when, who=current_identity().user, period=period)
    deliver(kind, text, args.out)
    return status


def _section_of(
    link: SiteLink, fetch: Callable[[ServiceClient, ZoneInfo, str], tuple[str, str]], lang: str
) -> SiteSection:
    """One site's paper from its service, or why there is none (unreachable, or refused: a 409 such as an
    unwritable handover directory, said as the site's own words): never an exception."""
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    from dutyroom.documents.site_bundle import SiteSection
    from dutyroom.textclean import clean_text
    from tui.service_client import ServiceRefused, ServiceUnreachable
    from tui.site_links import open_site

    try:
        client = open_site(link)
    except ServiceUnreachable as error:
        return _lost(link, str(error))
    if client is None:
        return _lost(link, f"no service answers on {link.url}")
    with client:
        try:
            room = client.snapshot()
        except (ServiceRefused, ServiceUnreachable) as error:
            return _lost(link, str(error))
        try:
            text, kept = fetch(client, ZoneInfo(room.timezone), lang)
        except (ZoneInfoNotFoundError, ValueError):
            return _lost(link, f"its service names no known timezone: {room.timezone!r}", room.site, refused=True)
        except ServiceRefused as error:
            return _lost(link, str(error), room.site, refused=True)
        except ServiceUnreachable as error:
            return _lost(link, str(error), room.site)
    return SiteSection(link.name, clean_text(room.site, 80), text, kept=clean_text(kept, 200))


def _lost(link: SiteLink, why: str, room: str = "", *, refused: bool = False) -> SiteSection:
    from dutyroom.documents.site_bundle import SiteSection
    from dutyroom.textclean import clean_text

    return SiteSection(link.name, clean_text(room, 80), error=clean_text(why, 300), refused=refused)


def _utc() -> ZoneInfo:
    from zoneinfo import ZoneInfo

    return ZoneInfo("UTC")
