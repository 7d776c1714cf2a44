"""The service API's document messages (docs/api.md, "Documents"): runs, handovers, reports and the audit log.

Apart from `dutyroom.views.wire` (the room and its actions) so that endpoints added for documents leave the
shared messages alone. A viewer who may not read the state directory gets these through the socket; the values
are the ones a standalone command reads from the store (`PlaybookRun`, `AuditRecord`, `AuditReport`), so a
command prints the same lines whichever way it got them.
"""

from __future__ import annotations

import msgspec

from dutyroom.playbooks.run_state import PlaybookRun
from dutyroom.store.audit_trail import AuditRecord
from dutyroom.store.audit_verify import AuditReport


class _Message(msgspec.Struct, frozen=True, forbid_unknown_fields=True, kw_only=True):
    """Immutable, keyword-built, unknown fields refused (as the room's messages)."""


class RunsAnswer(_Message, frozen=True):
    """GET /v1/runs: every playbook run the run book knows, open and closed (the client picks)."""

    runs: list[PlaybookRun]


class HandoverPost(_Message, frozen=True):
    """POST /v1/handover: write the handover as the caller. `shift_start` is a Unix time (None: the current
    shift); `keep` False writes no file in the service's handover directory (the text is in the answer)."""

    format: str = ""
    lang: str = ""
    shift_start: float | None = None
    keep: bool = True


class HandoverWritten(_Message, frozen=True):
    """The handover: `file` its bare name in the service's handover directory ("" when not kept), and its text."""

    file: str
    text: str


class ReportAnswer(_Message, frozen=True):
    """GET /v1/report?since=T&until=T&format=md|csv&lang=L: the period's operations report, rendered."""

    text: str


class AuditEntry(_Message, frozen=True):
    """One audit record with the target and rule it is about ("" when it names none)."""

    record: AuditRecord
    target: str = ""
    rule: str = ""


class AuditListed(_Message, frozen=True):
    """GET /v1/audit?since=T&until=T&user=U&kind=K...: the records `dutyroom audit list` prints."""

    entries: list[AuditEntry]


class AuditVerdict(_Message, frozen=True):
    """GET /v1/audit/verify[?seq=N&hash=H&source=S]: the chain checked with the key only the service reads."""

    report: AuditReport
