"""`dutyroom audit list`: the audit trail, one record a line (or JSON), filtered by time, user and kind.

`audit verify` proves nobody changed the log; this reads it: who acknowledged, silenced, ticked or was refused,
when, on which target and rule (an action's alert is a fingerprint; the timeline's resolution names it). Text
typed by operators is cleaned like device text before it reaches the terminal.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Mapping
from datetime import datetime
from typing import TYPE_CHECKING

from tui.cli.common import load_or_fail, open_existing_store

if TYPE_CHECKING:
    from zoneinfo import ZoneInfo

    from dutyroom.store.audit_trail import AuditRecord
    from dutyroom.store.timeline import ActionSubject

DETAIL_LIMIT = 200
"""Characters of a record's text on its line; `--json` gives it whole."""
_FREE_TEXT_FIELDS = ("comment", "text", "reason", "title")


def register(audit_verbs: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser) -> None:
    listing = audit_verbs.add_parser(
        "list",
        parents=[common],
        help="the audit trail: who did what, when, on which target",
        description="Records of the audit log in the order written, one a line: seq, local time, who, kind, "
        "target and rule, and the comment or reason. Times are ISO dates or date-times, local to the site.",
    )
    listing.add_argument("--since", help="from this time (ISO date or date-time, local; default: the start)")
    listing.add_argument("--until", help="before this time (default: now)")
    listing.add_argument("--user", default="", help="only what this login user did (or did through sudo)")
    listing.add_argument(
        "--kind",
        action="append",
        default=[],
        help="only records of this kind (ack, silence, step, refused, ...); may be given more than once",
    )
    listing.add_argument("--json", action="store_true", help="one JSON array of records, every field whole")
    listing.set_defaults(handler=cmd_audit_list)


def cmd_audit_list(args: argparse.Namespace) -> int:
    from dutyroom.store.audit_trail import AuditFilter
    from dutyroom.views.audit_subjects import audit_subjects
    from tui.cli.handover import parse_time
    from tui.cli.served_documents import audit_through_service

    timezone = load_or_fail(args.config, args.state).timezone
    chosen = AuditFilter(
        since=parse_time(args.since, timezone, "--since") if args.since else float("-inf"),
        until=parse_time(args.until, timezone, "--until") if args.until else float("inf"),
        user=args.user,
        kinds=tuple(args.kind),
    )
    listed: list[tuple[AuditRecord, ActionSubject | None]] | None = audit_through_service(args, chosen)
    if listed is None:
        with open_existing_store(args.state) as store:
            records = store.audit_records(chosen)
            subjects = audit_subjects(store, records)
        listed = [(record, subjects.get(record.seq)) for record in records]
    if args.json:
        print(json.dumps([record_json(*pair, timezone) for pair in listed], ensure_ascii=False, indent=1))
    else:
        for record, subject in listed:
            print(record_line(record, subject, timezone))
    return 0


def record_line(record: AuditRecord, subject: ActionSubject | None, timezone: ZoneInfo) -> str:
    from dutyroom.textclean import clean_text

    who = clean_text(record.actor.describe(), 80)
    kind = record.kind
    if record.kind == "refused":
        kind = f"refused {record.detail.get('attempted', '')}".strip()
    about = " ".join(part for part in (subject.target, subject.rule) if part) if subject else ""
    text = clean_text(_record_text(record), DETAIL_LIMIT)
    columns = [f"#{record.seq}", _local(record.at, timezone), who, clean_text(kind, 40), clean_text(about, 120)]
    line = "  ".join(column for column in columns if column)
    return f"{line}: {text}" if text else line


def _record_text(record: AuditRecord) -> str:
    payload = record.detail.get("payload")
    fields: Mapping[str, object] = payload if isinstance(payload, dict) else record.detail
    parts = [str(fields[name]) for name in _FREE_TEXT_FIELDS if fields.get(name)]
    step = fields.get("step")
    if step:
        parts.insert(0, f"step {step}")
    if record.detail.get("drill") is True:
        parts.insert(0, "[drill]")
    return " ".join(parts)


def record_json(record: AuditRecord, subject: ActionSubject | None, timezone: ZoneInfo) -> dict[str, object]:
    return {
        "seq": record.seq,
        "at": record.at,
        "time": datetime.fromtimestamp(record.at, timezone).isoformat(timespec="seconds"),
        "user": record.actor.user,
        "sudo_user": record.actor.sudo_user,
        "ssh_client": record.actor.ssh_client,
        "kind": record.kind,
        "target": subject.target if subject else "",
        "rule": subject.rule if subject else "",
        "detail": dict(record.detail),
        "hash": record.hash,
    }


def _local(at: float, timezone: ZoneInfo) -> str:
    return datetime.fromtimestamp(at, timezone).strftime("%Y-%m-%d %H:%M:%S")
