"""The document commands' reads through `dutyroom serve`'s socket: `handover` (writing one), `report`, `audit`.

When a serve answers, these ask it for what it reads on the caller's behalf (docs/api.md, "Documents"), so a
viewer with no access to the state directory (nor to the audit key, nor to the secrets a report scrubs) still
gets them. Each returns None when no serve answers, and the command reads the state directory as before; the
command prints (or writes to `--out`, as the caller) the same either way.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from dutyroom.store.audit_trail import AuditFilter, AuditRecord
    from dutyroom.store.audit_verify import AuditReport, RecordedHead
    from dutyroom.store.timeline import ActionSubject
    from dutyroom.views.wire_documents import HandoverPost, HandoverWritten


def handover_through_service(args: argparse.Namespace, asked: HandoverPost) -> HandoverWritten | None:
    """The handover written by the service as the caller (kept in its directory when `asked.keep`)."""
    from tui.cli.service_door import service_failure, service_or_none

    service = service_or_none(args)
    if service is None:
        return None
    with service, service_failure("handover"):
        return service.write_handover(asked)


def report_through_service(args: argparse.Namespace, since: float, until: float, fmt: str) -> str | None:
    """The period's report as rendered by the service (it scrubs with the secrets only it reads)."""
    from tui.cli.service_door import service_failure, service_or_none

    service = service_or_none(args)
    if service is None:
        return None
    with service, service_failure("report"):
        return service.report(since, until, fmt, args.lang or "")


def audit_through_service(
    args: argparse.Namespace, chosen: AuditFilter
) -> list[tuple[AuditRecord, ActionSubject | None]] | None:
    """The audit records `chosen` picks, each with what it is about, from the service's log."""
    from dutyroom.store.timeline import ActionSubject
    from tui.cli.service_door import service_failure, service_or_none

    service = service_or_none(args)
    if service is None:
        return None
    since = chosen.since if chosen.since != float("-inf") else None
    until = chosen.until if chosen.until != float("inf") else None
    with service, service_failure("audit list"):
        entries = service.audit(since, until, chosen.user, list(chosen.kinds)).entries
    return [(entry.record, ActionSubject(entry.target, entry.rule)) for entry in entries]


def verify_through_service(args: argparse.Namespace, recorded: RecordedHead | None) -> AuditReport | None:
    """The audit chain checked by the service with the key only it reads (and against `recorded`)."""
    from tui.cli.service_door import service_failure, service_or_none

    service = service_or_none(args)
    if service is None:
        return None
    with service, service_failure("audit verify"):
        return service.verify_audit(recorded)
