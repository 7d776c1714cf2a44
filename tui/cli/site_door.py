"""The door for one command on one site: `ack|note|silence --site NAME=URL` acts on that site's service.

Without `--site` it is the room's own door (`tui.cli.service_door`). With it, the action goes to that site's
service (over SSH through the remote `dutyroom api-bridge`), which records it as the person the kernel names
there: the SSH login user for a remote site.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from tui.cli.common import CommandFailed
from tui.cli.service_door import service_or_none

if TYPE_CHECKING:
    from tui.service_client import ServiceClient


def add_site_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--site",
        action="append",
        metavar="NAME=URL",
        help="act on this site's service (a socket, a state directory or ssh://user@host[:port]/path/to/api.sock)",
    )


def service_of_site_or_room(args: argparse.Namespace) -> ServiceClient | None:
    """The given site's service (it must answer), else the room's own door."""
    sites: list[str] = getattr(args, "site", None) or []
    if not sites:
        return service_or_none(args)
    if len(sites) > 1:
        raise CommandFailed("dutyroom: an action goes to one site: give --site once")
    from tui.service_client import ServiceUnreachable
    from tui.site_links import SiteLinkInvalid, open_site, parse_site_link

    try:
        link = parse_site_link(sites[0])
        client = open_site(link)
    except SiteLinkInvalid as error:
        raise CommandFailed(f"dutyroom: --site {error}") from None
    except ServiceUnreachable as error:
        raise CommandFailed(f"dutyroom: SITE {sites[0].partition('=')[0]} UNREACHABLE ({error})") from None
    if client is None:
        raise CommandFailed(f"dutyroom: SITE {link.name} UNREACHABLE (no service answers on {link.url})")
    return client
