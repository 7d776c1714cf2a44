"""`dutyroom alerts --site NAME=URL ...`: every site's alerts in one list, each with its `site`.

Each site is read through its service (`tui.site_links`: a socket, a state directory's socket, or SSH). A site
that cannot be read is loud: UNREACHABLE on standard error, `"reachable": false` with the reason in the JSON,
exit status 2, as for a poller that is down; the other sites are listed all the same.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from dutyroom.views.wire import RoomSnapshot
    from tui.site_links import SiteLink

EXIT_SITE_DOWN = 2
"""The same status as `alerts` with the poller down: what is listed is not the whole room as it is now."""


@dataclass(frozen=True)
class SiteReading:
    """One site's answer, or why there is none."""

    link: SiteLink
    snapshot: RoomSnapshot | None
    error: str = ""


def read_site(link: SiteLink) -> SiteReading:
    """The site's room from its service; an unreachable site is a reading with its reason, never an exception."""
    from tui.service_client import ServiceRefused, ServiceUnreachable
    from tui.site_links import open_site

    try:
        client = open_site(link)
    except ServiceUnreachable as error:
        return SiteReading(link, None, str(error))
    if client is None:
        return SiteReading(link, None, f"no service answers on {link.url}")
    with client:
        try:
            return SiteReading(link, client.snapshot())
        except (ServiceRefused, ServiceUnreachable) as error:
            return SiteReading(link, None, str(error))


def cmd_site_alerts(args: argparse.Namespace) -> int:
    from tui.cli.alert_document import alert_json, poller_json
    from tui.cli.seat import chosen_sites
    from tui.text_format import alert_line

    links = chosen_sites(args, "dutyroom alerts")
    now = time.time()
    readings = [read_site(link) for link in links]
    status = 0
    for reading in readings:
        name = reading.link.name
        if reading.snapshot is None:
            status = EXIT_SITE_DOWN
            print(f"dutyroom alerts: SITE {name} UNREACHABLE ({reading.error})", file=sys.stderr, flush=True)
        elif reading.snapshot.poller.down:
            status = EXIT_SITE_DOWN
            print(f"dutyroom alerts: SITE {name} POLLER DOWN ({reading.snapshot.poller.reason})", file=sys.stderr)
    if args.json:
        sites = [
            {
                "site": reading.link.name,
                "url": reading.link.url,
                "reachable": reading.snapshot is not None,
                "error": reading.error or None,
                "room": reading.snapshot.site if reading.snapshot else None,
                "poller": poller_json(reading.snapshot.poller) if reading.snapshot else None,
            }
            for reading in readings
        ]
        alerts = [
            {"site": reading.link.name, **alert_json(alert)}
            for reading in readings
            if reading.snapshot is not None
            for alert in reading.snapshot.alerts
        ]
        print(json.dumps({"sites": sites, "alerts": alerts}, ensure_ascii=False, indent=1))
        return status
    width = max(len(link.name) for link in links)
    listed = 0
    for reading in readings:
        for alert in reading.snapshot.alerts if reading.snapshot else []:
            print(f"{reading.link.name:<{width}}  {alert_line(alert, now)}")
            listed += 1
    if not listed:
        print("no active alerts" if status == 0 else "no active alerts on the sites that answered")
    return status
