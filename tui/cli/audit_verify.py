"""`dutyroom audit verify [--against HANDOVER]`: the audit log checked with the key, said in a few lines.

Intact: how many records, where keying began, the head (to compare with serve's log or a handover), and what
records from before keying prove. Damaged or not checkable: one line naming what was found, exit status 1.
"""

from __future__ import annotations

from pathlib import Path

from dutyroom.handover.audit_head import recorded_head
from dutyroom.store.audit_verify import AuditReport, RecordedHead
from dutyroom.store.database import Store
from tui.cli.common import CommandFailed


def verify_lines(store: Store, against: Path | None) -> list[str]:
    """What to print for an intact log; CommandFailed (one line) for anything else."""
    recorded = None if against is None else read_recorded_head(against)
    return verdict_lines(store.verify_audit(recorded), recorded)


def verdict_lines(report: AuditReport, recorded: RecordedHead | None) -> list[str]:
    """What to print for `report` (checked here or by the service); CommandFailed unless intact."""
    if not report.ok:
        verdict = "damaged" if report.checked else "not checked"
        raise CommandFailed(f"audit log {verdict}: {report.problem}")
    return intact_lines(report, recorded)


def read_recorded_head(path: Path) -> RecordedHead:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise CommandFailed(f"cannot read {path}: {getattr(error, 'strerror', None) or error}") from None
    head = recorded_head(text, path.name)
    if head is None:
        raise CommandFailed(f"{path} records no audit head (not signed yet, or signed before heads were printed)")
    return head


def intact_lines(report: AuditReport, recorded: RecordedHead | None) -> list[str]:
    lines = [f"audit log intact: {report.records} records; head: record {report.records} {report.head_hash}"]
    if report.legacy_records:
        lines.append(
            f"records 1 to {report.legacy_records} were written before the log was keyed (schema v3): they were "
            f"only hashed, so they show no change since record {report.legacy_records + 1} keyed them, not before"
        )
    if recorded is not None:
        lines.append(f"the head {recorded.source} recorded (record {recorded.seq}) is in the log unchanged")
    return lines
