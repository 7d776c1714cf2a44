"""The document endpoints on a real store: runs, the handover, the report and the audit log, for the peer uid.

What a viewer without access to the state directory reads through the socket; the answers decode into the
same values a standalone command reads from the store.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from test_service_api import ME, T0, ask, routes_for

from dutyroom.store.audit_trail import AuditFilter
from dutyroom.store.database import Store
from dutyroom.views.wire import decode
from dutyroom.views.wire_documents import AuditListed, AuditVerdict, HandoverWritten, RunsAnswer


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store.open(tmp_path / "state") as opened:
        yield opened


def test_runs_are_the_run_book_values(tmp_path: Path, store: Store) -> None:
    status, answer = ask(routes_for(tmp_path, store), "GET", "/v1/runs")

    assert status == 200, answer
    assert decode(json.dumps(answer).encode(), RunsAnswer).runs == []


def test_a_handover_is_written_in_the_services_directory_as_the_peer(tmp_path: Path, store: Store) -> None:
    routes = routes_for(tmp_path, store)

    status, answer = ask(routes, "POST", "/v1/handover", {"format": "txt"})

    assert status == 200, answer
    written = decode(json.dumps(answer).encode(), HandoverWritten)
    path = store.db_path.parent / "handovers" / written.file
    assert written.file.endswith(".txt")
    assert path.read_text(encoding="utf-8") == written.text
    [record] = [record for record in store.audit_records(AuditFilter()) if record.kind == "handover"]
    assert record.actor.user == ME


def test_a_handover_not_kept_leaves_no_file(tmp_path: Path, store: Store) -> None:
    status, answer = ask(routes_for(tmp_path, store), "POST", "/v1/handover", {"keep": False})

    assert status == 200, answer
    assert answer["file"] == ""
    assert "room" in answer["text"]
    assert not (store.db_path.parent / "handovers").exists()


def test_bad_handover_requests_are_one_line_400s(tmp_path: Path, store: Store) -> None:
    routes = routes_for(tmp_path, store)

    assert ask(routes, "POST", "/v1/handover", {"format": "pdf"})[0] == 400
    assert ask(routes, "POST", "/v1/handover", {"out": "/etc/passwd"})[0] == 400
    assert ask(routes, "GET", "/v1/handover")[0] == 405


def test_the_report_is_rendered_by_the_service(tmp_path: Path, store: Store) -> None:
    routes = routes_for(tmp_path, store)

    status, answer = ask(routes, "GET", f"/v1/report?since={T0 - 86_400}&until={T0}&format=csv")
    assert status == 200, answer
    assert answer["text"].startswith("\ufeffsection,")

    assert ask(routes, "GET", "/v1/report?since=yesterday")[0] == 400
    assert ask(routes, "GET", f"/v1/report?since={T0}&format=pdf")[0] == 400
    status, answer = ask(routes, "GET", f"/v1/report?since={T0}&until={T0 - 1}")
    assert (status, answer["error"]) == (409, "the period must end after it starts (--until after --since)")


def test_the_audit_log_is_listed_and_verified_with_the_services_key(tmp_path: Path, store: Store) -> None:
    routes = routes_for(tmp_path, store)
    assert ask(routes, "POST", "/v1/actions", {"action": {"kind": "ack", "comment": "on it"}})[0] == 200
    assert ask(routes, "POST", "/v1/actions", {"action": {"kind": "note", "text": "looked"}})[0] == 200

    status, answer = ask(routes, "GET", "/v1/audit?kind=note")
    assert status == 200, answer
    [entry] = decode(json.dumps(answer).encode(), AuditListed).entries
    assert (entry.record.kind, entry.record.actor.user) == ("note", ME)
    assert entry.record.detail["payload"] == {"text": "looked"}

    status, answer = ask(routes, "GET", "/v1/audit/verify")
    verdict = decode(json.dumps(answer).encode(), AuditVerdict).report
    assert (status, verdict.ok, verdict.records) == (200, True, 2)
    status, answer = ask(routes, "GET", "/v1/audit/verify?seq=1&hash=00&source=handover-x.md")
    assert status == 200
    assert not answer["report"]["ok"]
    assert "handover-x.md" in answer["report"]["problem"]
    assert ask(routes, "GET", "/v1/audit/verify?seq=one&hash=00")[0] == 400
