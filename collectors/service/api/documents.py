"""The `/v1/` document endpoints (docs/api.md, "Documents"): runs, the handover, the report and the audit log.

What a viewer reads without access to the state directory: the service reads its own store (and, for the
report and the audit chain, what only it may read: the secrets the report scrubs, the audit key) and answers
for the peer the kernel named. Writing a handover records that peer as its author in the audit log. Kept apart
from `routes` (the room and its actions) so new document endpoints leave the shared module alone.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable

import msgspec

from collectors.service.api.http_connection import Request, Response
from dutyroom.handover.shifts import ShiftError
from dutyroom.handover.writer import STANDARD_OUTPUT, HandoverError, write_handover
from dutyroom.model import Identity
from dutyroom.report.writer import REPORT_FORMATS, ReportError, build_report, render_report
from dutyroom.room import Room
from dutyroom.store.audit_trail import AuditFilter
from dutyroom.store.audit_verify import RecordedHead
from dutyroom.store.database import Store
from dutyroom.views.audit_subjects import audit_subjects
from dutyroom.views.runs import read_run_book
from dutyroom.views.wire import Problem, decode, encode
from dutyroom.views.wire_documents import (
    AuditEntry,
    AuditListed,
    AuditVerdict,
    HandoverPost,
    HandoverWritten,
    ReportAnswer,
    RunsAnswer,
)

log = logging.getLogger(__name__)

DOCUMENT_PATHS = {
    "/v1/runs": "GET",
    "/v1/handover": "POST",
    "/v1/report": "GET",
    "/v1/audit": "GET",
    "/v1/audit/verify": "GET",
}
"""Each document path and the one method it answers."""


class _BadQueryError(Exception):
    """A query value that is not what the path takes: a 400 saying which."""


class DocumentRoutes:
    """Answers the document paths against the service's room (asked each time: reloads apply) and store."""

    def __init__(self, room: Callable[[], Room], store: Store, clock: Callable[[], float]) -> None:
        self.room = room
        self.store = store
        self.clock = clock

    def answer(self, request: Request, caller: Identity) -> Response:
        """The answer to a request on one of DOCUMENT_PATHS (StoreError is the caller's: a 503)."""
        wanted = DOCUMENT_PATHS[request.path]
        if request.method != wanted:
            return _problem(405, f"{request.method} is not allowed on {request.path}")
        try:
            match request.path:
                case "/v1/runs":
                    return _ok(RunsAnswer(runs=list(read_run_book(self.store).runs.values())))
                case "/v1/handover":
                    return self._handover(request, caller)
                case "/v1/report":
                    return self._report(request)
                case "/v1/audit":
                    return self._audit(request)
                case _:
                    return self._verify(request)
        except _BadQueryError as error:
            return _problem(400, f"bad query: {error}")
        except (HandoverError, ShiftError, ReportError) as error:
            return _problem(409, str(error))

    def _handover(self, request: Request, caller: Identity) -> Response:
        try:
            post = decode(request.body or b"{}", HandoverPost)
        except (msgspec.ValidationError, msgspec.DecodeError) as error:
            return _problem(400, f"not a handover request: {error}")
        if post.format not in ("", "md", "txt"):
            return _problem(400, f"unknown handover format {post.format!r} (use md or txt)")
        result = write_handover(
            self.room(),
            self.store,
            self.clock(),
            actor=caller,
            out=None if post.keep else STANDARD_OUTPUT,
            fmt=post.format or None,
            lang=post.lang or None,
            shift_start=post.shift_start,
        )
        kept = result.path != STANDARD_OUTPUT
        log.info("API: handover %s written by %s", result.path.name if kept else "(text only)", caller.describe())
        return _ok(HandoverWritten(file=result.path.name if kept else "", text=result.text))

    def _report(self, request: Request) -> Response:
        query = request.query
        now = self.clock()
        since = _moment(query.get("since", ""), "since")
        until = _moment(query["until"], "until") if query.get("until") else now
        fmt = query.get("format") or "md"
        if fmt not in REPORT_FORMATS:
            return _problem(400, f"unknown report format {fmt!r} (use {' or '.join(REPORT_FORMATS)})")
        report = build_report(self.room(), self.store, since, until, now, query.get("lang") or None)
        return _ok(ReportAnswer(text=render_report(report, fmt)))

    def _audit(self, request: Request) -> Response:
        query = request.query
        chosen = AuditFilter(
            since=_moment(query["since"], "since") if query.get("since") else float("-inf"),
            until=_moment(query["until"], "until") if query.get("until") else float("inf"),
            user=query.get("user", ""),
            kinds=tuple(kind for kind in query.get("kind", "").split(",") if kind),
        )
        records = self.store.audit_records(chosen)
        subjects = audit_subjects(self.store, records)
        entries = []
        for record in records:
            subject = subjects.get(record.seq)
            about = {"target": subject.target, "rule": subject.rule} if subject else {}
            entries.append(AuditEntry(record=record, **about))
        return _ok(AuditListed(entries=entries))

    def _verify(self, request: Request) -> Response:
        query = request.query
        recorded = None
        if query.get("seq") or query.get("hash"):
            seq = query.get("seq", "")
            if not seq.isdigit():
                raise _BadQueryError(f"seq must be a record number, not {seq!r}")
            recorded = RecordedHead(int(seq), query.get("hash", ""), query.get("source", "a handover"))
        return _ok(AuditVerdict(report=self.store.verify_audit(recorded)))


def _moment(text: str, name: str) -> float:
    """A Unix time from the query (the client turns the site's local times into Unix times)."""
    try:
        value = float(text)
    except ValueError:
        raise _BadQueryError(f"{name} must be a Unix time in seconds, not {text!r}") from None
    if not math.isfinite(value):
        raise _BadQueryError(f"{name} must be a finite Unix time")
    return value


def _ok(message: msgspec.Struct) -> Response:
    return Response(200, encode(message))


def _problem(status: int, reason: str) -> Response:
    return Response(status, encode(Problem(error=reason)))
