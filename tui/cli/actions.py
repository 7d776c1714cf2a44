"""`dutyroom alerts | ack | silence | note | audit verify|list`: the shared state from a shell.

Actions go through the same desk as the console's (`dutyroom.operators.desk.StoreDesk`): same checks, same log.
When `dutyroom serve` answers on its socket (`tui.cli.common.client_socket`), they go through its API instead
(`tui.service_client`): the service checks the roles for the user the kernel names; no store, no secret here.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from datetime import datetime, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING

from tui.cli import audit_list
from tui.cli.alert_document import alert_json, poller_json
from tui.cli.common import CommandFailed, load_or_fail, open_existing_store
from tui.cli.service_door import submit_to_service
from tui.cli.site_door import add_site_option, service_of_site_or_room

if TYPE_CHECKING:
    from dutyroom.operators.planning import Intent
    from dutyroom.store.liveness import PollerLiveness
    from dutyroom.views.alerts import AlertView

EXIT_POLLER_DOWN = 2
"""`alerts` lists what the store holds, but with no poller alive that is history: status 2, as `status` says."""


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser) -> None:
    alerts = commands.add_parser(
        "alerts",
        parents=[common],
        help="list active alerts (exit 2 when no poller is alive: the list is stale)",
        description="The active alerts of a state directory. When no poller is alive the alerts are printed as "
        "they were when it stopped, with a warning on standard error, and the exit status is 2.",
    )
    alerts.add_argument(
        "--json",
        action="store_true",
        help='one JSON object: {"poller": {"state": "alive|starting|down", ...}, "alerts": [...]}',
    )
    alerts.add_argument(
        "--site",
        action="append",
        metavar="NAME=URL",
        help="list this site's alerts too, with a site column/field (repeatable); URL is a socket, a state "
        "directory or ssh://user@host[:port]/path/to/api.sock",
    )
    alerts.add_argument(
        "--all-sites", action="store_true", help="every [[site_link]] of the seat's checks.toml, as the console"
    )
    alerts.set_defaults(handler=cmd_alerts)

    ack = commands.add_parser("ack", parents=[common], help="acknowledge an alert (a comment is required)")
    ack.add_argument("alert", help="fingerprint (or a unique prefix), or rule@target")
    ack.add_argument("-m", "--comment", required=True, help="why / what is being done")
    ack.add_argument("--expires", help="the ack lapses after this long, e.g. 2h")
    ack.add_argument(
        "--sticky",
        action="store_true",
        help="keep the ack if the alert's severity rises (a normal ack is then cleared and escalation resumes)",
    )
    add_site_option(ack)
    ack.set_defaults(handler=cmd_ack)

    silence = commands.add_parser("silence", parents=[common], help="silence matching alerts for a while")
    silence.add_argument("--rule", default="")
    silence.add_argument("--target", default="")
    silence.add_argument("--group", default="")
    silence.add_argument("--for", dest="duration", required=True, help="how long, e.g. 2h")
    silence.add_argument("-m", "--comment", required=True)
    add_site_option(silence)
    silence.set_defaults(handler=cmd_silence)

    note = commands.add_parser("note", parents=[common], help="attach a note to an alert")
    note.add_argument("alert")
    note.add_argument("-m", "--text", required=True)
    add_site_option(note)
    note.set_defaults(handler=cmd_note)

    audit = commands.add_parser("audit", parents=[common], help="the audit log: verify it, list it")
    audit_verbs = audit.add_subparsers(dest="audit_verb", metavar="VERB", required=True)
    verify = audit_verbs.add_parser("verify", parents=[common], help="check the hash chain; exit 1 if damaged")
    verify.add_argument(
        "--against",
        type=Path,
        metavar="HANDOVER",
        help="also check the audit head a signed handover file recorded (catches a rewrite after it)",
    )
    verify.set_defaults(handler=cmd_audit)
    audit_list.register(audit_verbs, common)


def _read_alerts(args: argparse.Namespace, now: float) -> tuple[list[AlertView], PollerLiveness, tzinfo]:
    """The active alerts and the poller's liveness: from the service when one answers, else from the store."""
    from zoneinfo import ZoneInfo

    from dutyroom.store.liveness import read_poller_liveness
    from dutyroom.views.snapshot import read_alerts
    from tui.service_client import ServiceRefused, ServiceUnreachable

    service = service_of_site_or_room(args)
    if service is not None:
        with service:
            try:
                snapshot = service.snapshot()
            except (ServiceRefused, ServiceUnreachable) as error:
                raise CommandFailed(f"dutyroom: {error}") from None
        return snapshot.alerts, snapshot.poller, ZoneInfo(snapshot.timezone)
    config = load_or_fail(args.config, args.state)
    with open_existing_store(args.state) as store:
        return read_alerts(store, config, now), read_poller_liveness(store, now), config.timezone


def cmd_alerts(args: argparse.Namespace) -> int:
    from tui.text_format import alert_line

    if getattr(args, "site", None) or getattr(args, "all_sites", False):
        from tui.cli.site_alerts import cmd_site_alerts

        return cmd_site_alerts(args)
    now = time.time()
    alerts, liveness, timezone = _read_alerts(args, now)
    status = EXIT_POLLER_DOWN if liveness.down else 0
    if liveness.down:
        since = _local_time(liveness.since, timezone) if liveness.since else "ever (no poller has run here)"
        print(
            f"dutyroom alerts: POLLER DOWN since {since} ({liveness.reason}): nothing is being watched; "
            "the alerts below are as they were then",
            file=sys.stderr,
            flush=True,
        )
    if args.json:
        document = {"poller": poller_json(liveness), "alerts": [alert_json(alert) for alert in alerts]}
        print(json.dumps(document, ensure_ascii=False, indent=1))
        return status
    if not alerts:
        print("no active alerts" if not liveness.down else "no active alerts when the poller stopped")
        return status
    for alert in alerts:
        print(alert_line(alert, now))
    return status


def _local_time(at: float, timezone: tzinfo) -> str:
    return datetime.fromtimestamp(at, timezone).strftime("%Y-%m-%d %H:%M:%S %z")


def _select(args: argparse.Namespace) -> tuple[AlertView, float]:
    from dutyroom.operators.actions import ActionRefused
    from dutyroom.views.alerts import find_alert

    now = time.time()
    alerts, _, _ = _read_alerts(args, now)
    try:
        return find_alert(alerts, args.alert), now
    except ActionRefused as refusal:
        raise CommandFailed(str(refusal)) from None


def _submit(args: argparse.Namespace, intent: Intent, alert: str, done: str) -> int:
    from dutyroom.operators.actions import ActionRefused
    from dutyroom.operators.desk import StoreDesk
    from dutyroom.operators.identity import current_identity

    service = service_of_site_or_room(args)
    if service is not None:
        print(f"{done} (action #{submit_to_service(service, intent, alert).id})", flush=True)
        return 0
    config = load_or_fail(args.config, args.state)
    with open_existing_store(args.state, read_only=False) as store:  # never a new, empty room by a typo
        try:
            stored = StoreDesk(store, config, current_identity()).submit(intent, alert, time.time())
        except ActionRefused as refusal:
            raise CommandFailed(f"refused: {refusal}") from None
    print(f"{done} (action #{stored.id})", flush=True)
    return 0


def cmd_ack(args: argparse.Namespace) -> int:
    from dutyroom.actions_model import Ack, acked_severity

    alert, now = _select(args)
    expires_at = now + _duration(args.expires) if args.expires else None
    severity = acked_severity(alert.shown_severity)
    ack = Ack(comment=args.comment, expires_at=expires_at, severity=severity, sticky=args.sticky)
    done = f"acknowledged {alert.fingerprint}" + (" (sticky)" if args.sticky else "")
    return _submit(args, ack, alert.fingerprint, done)


def cmd_silence(args: argparse.Namespace) -> int:
    from dutyroom.actions_model import Silence

    if not (args.rule or args.target or args.group):
        raise CommandFailed("a silence needs at least one of --rule, --target, --group")
    now = time.time()
    end = now + _duration(args.duration)
    silence = Silence(rule=args.rule, target=args.target, group=args.group, comment=args.comment, start=now, end=end)
    return _submit(args, silence, "", "silenced")


def cmd_note(args: argparse.Namespace) -> int:
    from dutyroom.actions_model import Note

    alert, _ = _select(args)
    return _submit(args, Note(text=args.text), alert.fingerprint, f"noted on {alert.fingerprint}")


def cmd_audit(args: argparse.Namespace) -> int:
    from tui.cli.audit_verify import read_recorded_head, verdict_lines
    from tui.cli.served_documents import verify_through_service

    recorded = None if args.against is None else read_recorded_head(args.against)
    served = verify_through_service(args, recorded)  # the service holds the audit key
    if served is not None:
        lines = verdict_lines(served, recorded)
    else:
        with open_existing_store(args.state) as store:
            lines = verdict_lines(store.verify_audit(recorded), recorded)
    for line in lines:
        print(line)
    return 0


def _duration(text: str) -> float:
    from dutyroom.config.durations import DurationError, parse_duration

    try:
        return parse_duration(text)
    except DurationError as error:
        raise CommandFailed(str(error)) from None
