"""A client of `dutyroom serve`'s API (docs/api.md) over its Unix socket, with the standard library's http.client.

Commands and consoles use it when a serve answers on the socket, so they need no secret and no write access to
the store; with no socket there they read the state directory as before (`connect` returns None). httpx stays
out of the one-liners: http.client over AF_UNIX costs a few milliseconds to import.

The client reports its environment (SUDO_USER, the SSH client address) in headers; the service records them
as unverified context beside the user the kernel names, and they never decide anything.
"""

from __future__ import annotations

import http.client
import os
import socket
import threading
from collections.abc import Mapping
from dataclasses import asdict
from pathlib import Path
from typing import TypeVar
from urllib.parse import urlencode

import msgspec

from dutyroom.actions_model import OperatorAction
from dutyroom.operators.identity import reported_context
from dutyroom.store.audit_verify import AuditReport, RecordedHead
from dutyroom.views.wire import (
    CONTEXT_HEADERS,
    ActionDone,
    ActionPost,
    Caller,
    Changes,
    HandoverSigned,
    HandoverSignPost,
    Problem,
    RoomSnapshot,
    ServiceStatus,
    ServiceVersion,
    decode,
    encode,
)
from dutyroom.views.wire_documents import (
    AuditListed,
    AuditVerdict,
    HandoverPost,
    HandoverWritten,
    ReportAnswer,
    RunsAnswer,
)
from dutyroom.views.wire_drills import DrillPost, DrillStarted
from dutyroom.views.wire_playbooks import PlaybookAnswer

T = TypeVar("T")
TIMEOUT_S = 10.0
"""How long one request may take (a long poll adds its own wait)."""
DOCUMENT_S = 50.0
"""What a document (a handover, a period's report, the audit chain checked) may add: it reads much history."""


class ServiceUnreachable(Exception):  # noqa: N818 - a state of the world, reported in one line
    """A socket is there but the service cannot be used through it (permission, a dead service, garbage)."""


class ServiceRefused(Exception):  # noqa: N818 - the service's answer, reported in one line
    """The service answered with a refusal: `status` (403 viewer, 404, 409 refused) and its reason."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status


class _UnixConnection(http.client.HTTPConnection):
    def __init__(self, path: Path, timeout: float) -> None:
        super().__init__("localhost", timeout=timeout)
        self.socket_path = path

    def connect(self) -> None:
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.settimeout(self.timeout)
        try:
            sock.connect(str(self.socket_path))
        except OSError:
            sock.close()
            raise
        self.sock = sock


class ServiceClient:
    """One connection to the service, kept open between requests."""

    def __init__(
        self,
        path: Path,
        environ: Mapping[str, str] | None = None,
        *,
        timeout_s: float = TIMEOUT_S,
        connection: http.client.HTTPConnection | None = None,
    ) -> None:
        """`connection` replaces the Unix socket with another byte stream to the same API (a site over SSH:
        `tui.site_links`); `path` is then the socket at the other end, for messages."""
        self.path = path
        self.timeout_s = timeout_s
        context = reported_context(os.environ if environ is None else environ)
        self._headers = {header: context[name] for name, header in CONTEXT_HEADERS.items() if context.get(name)}
        self._connection: http.client.HTTPConnection = connection or _UnixConnection(path, timeout_s)
        self._lock = threading.Lock()
        """One request at a time on the connection (a console may ask from a worker thread)."""

    def close(self) -> None:
        self._connection.close()

    def __enter__(self) -> ServiceClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def version(self) -> ServiceVersion:
        return self._call("GET", "/v1/version", ServiceVersion)

    def whoami(self) -> Caller:
        return self._call("GET", "/v1/whoami", Caller)

    def snapshot(self) -> RoomSnapshot:
        return self._call("GET", "/v1/alerts", RoomSnapshot)

    def status(self) -> ServiceStatus:
        return self._call("GET", "/v1/status", ServiceStatus)

    def changes(self, after: int, wait_s: float) -> int:
        """The change cursor once past `after`, or unchanged after `wait_s` (the service caps the wait)."""
        query = urlencode({"after": after, "wait": wait_s})
        return self._call("GET", f"/v1/changes?{query}", Changes, extra_s=wait_s).version

    def submit(self, action: OperatorAction, alert: str = "", run: str = "") -> ActionDone:
        """Record `action` as the caller; ServiceRefused says why not."""
        return self._call("POST", "/v1/actions", ActionDone, ActionPost(action=action, alert=alert, run=run))

    def sign_handover(self, file: str = "") -> HandoverSigned:
        """Sign the service's newest handover (or `file`, a bare name) as the caller."""
        return self._call("POST", "/v1/handover/sign", HandoverSigned, HandoverSignPost(file=file))

    def start_drill(self, playbook: str, alert: str = "") -> DrillStarted:
        """A drill of `playbook` started as the caller (on `alert`, the console's selection); ServiceRefused says
        why not."""
        return self._call("POST", "/v1/drills", DrillStarted, DrillPost(playbook=playbook, alert=alert))

    def runs(self) -> RunsAnswer:
        """Every playbook run, open and closed (`dutyroom run list|show`)."""
        return self._call("GET", "/v1/runs", RunsAnswer)

    def write_handover(self, request: HandoverPost) -> HandoverWritten:
        """The handover written by the service as the caller (kept in its handover directory unless asked not to)."""
        return self._call("POST", "/v1/handover", HandoverWritten, request, extra_s=DOCUMENT_S)

    def playbook(self, playbook_id: str, lang: str) -> PlaybookAnswer:
        """One of the room's playbooks as its file's text (ServiceRefused 404 when the room has none)."""
        return self._call("GET", f"/v1/playbook?{urlencode({'id': playbook_id, 'lang': lang})}", PlaybookAnswer)

    def report(self, since: float, until: float | None, fmt: str, lang: str = "") -> str:
        """The period's operations report, rendered by the service (it scrubs the secrets it alone reads)."""
        query = {"since": since, "format": fmt} | ({"until": until} if until is not None else {})
        query |= {"lang": lang} if lang else {}
        return self._call("GET", f"/v1/report?{urlencode(query)}", ReportAnswer, extra_s=DOCUMENT_S).text

    def audit(self, since: float | None, until: float | None, user: str, kinds: list[str]) -> AuditListed:
        """The audit records `dutyroom audit list` prints, with what each is about."""
        query: dict[str, object] = {"user": user, "kind": ",".join(kinds)}
        query |= {"since": since} if since is not None else {}
        query |= {"until": until} if until is not None else {}
        return self._call("GET", f"/v1/audit?{urlencode(query)}", AuditListed, extra_s=DOCUMENT_S)

    def verify_audit(self, recorded: RecordedHead | None = None) -> AuditReport:
        """The audit chain checked by the service with its key (and against a head a handover recorded)."""
        query = "" if recorded is None else "?" + urlencode(asdict(recorded))
        return self._call("GET", f"/v1/audit/verify{query}", AuditVerdict, extra_s=DOCUMENT_S).report

    def get(self, path: str, kind: type[T]) -> T:
        """Any GET of the API, decoded as `kind` (the console's reads: `tui.service_source`)."""
        return self._call("GET", path, kind)

    def _call(
        self, method: str, path: str, kind: type[T], body: msgspec.Struct | None = None, *, extra_s: float = 0.0
    ) -> T:
        with self._lock:
            return self._call_locked(method, path, kind, body, extra_s=extra_s)

    def _call_locked(self, method: str, path: str, kind: type[T], body: msgspec.Struct | None, *, extra_s: float) -> T:
        data = encode(body) if body is not None else None
        headers = {**self._headers, **({"content-type": "application/json"} if data is not None else {})}
        self._connection.timeout = self.timeout_s + extra_s
        if self._connection.sock is not None:
            self._connection.sock.settimeout(self._connection.timeout)
        try:
            self._connection.request(method, path, body=data, headers=headers)
            response = self._connection.getresponse()
            payload = response.read()
        except (OSError, http.client.HTTPException) as error:
            self._connection.close()
            raise ServiceUnreachable(f"the service on {self.path} did not answer: {error}") from None
        try:
            if response.status != 200:
                raise ServiceRefused(response.status, decode(payload, Problem).error)
            return decode(payload, kind)
        except (msgspec.ValidationError, msgspec.DecodeError) as error:
            raise ServiceUnreachable(f"the service on {self.path} answered something else: {error}") from None


def connect(path: Path, environ: Mapping[str, str] | None = None) -> ServiceClient | None:
    """A client of the service on `path`; None when no service is there (no socket, or nobody listening on it).

    A socket the caller may not use (permission) is ServiceUnreachable: the caller is not of the duty group,
    and reading the state directory behind the service's back is not the answer.
    """
    try:
        if not path.is_socket():
            return None
    except OSError as error:  # a directory on the way the caller may not enter
        raise ServiceUnreachable(f"cannot reach {path}: {error.strerror}") from None
    client = ServiceClient(path, environ)
    try:
        client._connection.connect()
    except (ConnectionRefusedError, FileNotFoundError):
        client.close()
        return None  # left by a serve that stopped: the state directory says the poller is down
    except PermissionError:
        client.close()
        raise ServiceUnreachable(
            f"permission denied on {path}: ask for the service's group (the socket is mode 0660)"
        ) from None
    except OSError as error:
        client.close()
        raise ServiceUnreachable(f"cannot connect to {path}: {error.strerror or error}") from None
    return client
