"""`dutyroom status --site NAME=URL ...`: one status line per site (phase, poller, collector health).

Each site's service judges itself (`/v1/status`, `/v1/console/snapshot` for the trading phase) and this
command applies `status`'s own verdict to each; a site that does not answer is DOWN (`UNREACHABLE`): from
here nothing says it is watched. The exit status is the worst site's, in `status`'s Nagios convention.
"""

from __future__ import annotations

import argparse
import json
from dataclasses import dataclass
from typing import TYPE_CHECKING

from tui.cli import status as room_status

if TYPE_CHECKING:
    from tui.site_links import SiteLink


@dataclass(frozen=True)
class SiteStatus:
    """One site's line: its verdict and what it rests on."""

    link: SiteLink
    verdict: room_status.Verdict
    phase: str = ""
    poller: str = ""
    targets: int | None = None
    on_time: int | None = None
    failing: int | None = None


def extend(status_parser: argparse.ArgumentParser) -> None:
    """Give `status` its `--site` option: with it, the sites' lines instead of the room's."""
    status_parser.add_argument(
        "--all-sites", action="store_true", help="every [[site_link]] of the seat's checks.toml, as the console"
    )
    status_parser.add_argument(
        "--site",
        action="append",
        metavar="NAME=URL",
        help="one line per site instead (repeatable): a socket, a state directory or ssh://user@host/path/api.sock",
    )
    status_parser.set_defaults(handler=cmd_status_of_sites_or_room)


def cmd_status_of_sites_or_room(args: argparse.Namespace) -> int:
    if not getattr(args, "site", None) and not getattr(args, "all_sites", False):
        return room_status.cmd_status(args)
    from tui.cli.seat import chosen_sites

    links = chosen_sites(args, "dutyroom status")
    lines = [read_site_status(link) for link in links]
    worst = max(line.verdict.code for line in lines)
    if args.json:
        sites = [
            {
                "site": line.link.name,
                "url": line.link.url,
                "status": line.verdict.word,
                "problems": list(line.verdict.problems),
                "phase": line.phase or None,
                "poller": line.poller or None,
                "targets": line.targets,
                "on_time": line.on_time,
                "failing": line.failing,
            }
            for line in lines
        ]
        print(json.dumps({"status": room_status.VERDICTS[worst], "sites": sites}, ensure_ascii=False))
        return worst
    troubled = [f"{line.link.name} {line.verdict.word}" for line in lines if line.verdict.code]
    print(f"DUTYROOM SITES {room_status.VERDICTS[worst].upper()} - " + ("; ".join(troubled) or "every site ok"))
    width = max(len(link.name) for link in links)
    for line in lines:
        print(f"{line.link.name:<{width}}  {line.verdict.word:<8}  {site_summary(line)}")
    return worst


def read_site_status(link: SiteLink) -> SiteStatus:
    """The site's verdict from its own service; UNREACHABLE (down) when it does not answer."""
    from dutyroom.views.console_source import ConsoleSnapshot
    from tui.service_client import ServiceRefused, ServiceUnreachable
    from tui.site_links import open_site

    try:
        client = open_site(link)
        if client is None:
            raise ServiceUnreachable(f"no service answers on {link.url}")
        with client:
            served = client.status()
            phase = client.get("/v1/console/snapshot?lang=en", ConsoleSnapshot).status.phase_text
    except (ServiceRefused, ServiceUnreachable) as error:
        return SiteStatus(link, room_status.Verdict(room_status.EXIT_DOWN, (f"UNREACHABLE ({error})",)))
    store_problems = (served.store_problem, *served.listener_problems)
    verdict = room_status.judge(served.poller, served.reload_status, "", served.health, store_problems)
    health = served.health
    return SiteStatus(link, verdict, phase, str(served.poller.state), health.targets, health.on_time, health.failing)


def site_summary(line: SiteStatus) -> str:
    if line.targets is None:
        return "; ".join(line.verdict.problems)
    summary = f"{line.phase}, poller {line.poller}, {line.on_time} of {line.targets} on time, {line.failing} failing"
    return "; ".join((summary, *line.verdict.problems))
