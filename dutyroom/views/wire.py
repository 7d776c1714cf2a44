"""The service API's messages (docs/api.md): what `dutyroom serve` and its clients exchange over the socket.

One definition for both ends, so the server's encoder and the client's decoder cannot drift apart. The
snapshot carries the same `AlertView` and `PollerLiveness` values a standalone command reads from the store,
so a command prints the same lines whichever way it got them. JSON via msgspec: unknown fields are refused.
"""

from __future__ import annotations

from typing import Final, TypeVar

import msgspec

from dutyroom.actions_model import OperatorAction
from dutyroom.store.liveness import PollerLiveness
from dutyroom.views.alerts import AlertView, CollectorHealth

API_VERSION: Final = 1
"""The `/v1/` in every path; a change that breaks a client gets a new number (old paths keep working a release)."""

CONTEXT_HEADERS: Final = {"sudo_user": "x-dutyroom-sudo-user", "ssh_client": "x-dutyroom-ssh-client"}
"""Headers a client reports its environment in: recorded beside the verified user, never trusted."""


class _Message(msgspec.Struct, frozen=True, forbid_unknown_fields=True, kw_only=True):
    """The common configuration: immutable, keyword-built, unknown fields refused."""


class ServiceVersion(_Message, frozen=True):
    """GET /v1/version: the API's and the program's version (a health check that needs no role)."""

    api: int
    dutyroom: str


class Caller(_Message, frozen=True):
    """GET /v1/whoami: who the service takes the caller to be and what it may do."""

    user: str
    """The peer uid's name (SO_PEERCRED): the only identity that decides anything."""
    uid: int
    role: str
    groups: list[str]
    reported: dict[str, str]
    """What the client's environment said (SUDO_USER, SSH address): recorded as unverified context."""


class RoomSnapshot(_Message, frozen=True):
    """GET /v1/alerts: the active alerts and the poller's liveness, as `dutyroom alerts` shows them."""

    version: int
    """The change cursor at the time of the snapshot (see `Changes`)."""
    site: str
    timezone: str
    poller: PollerLiveness
    alerts: list[AlertView]


class ServiceStatus(_Message, frozen=True):
    """GET /v1/status: what `dutyroom status` judges (the poller, the last reload, collector health, problems)."""

    poller: PollerLiveness
    reload_status: str
    """"" when the configuration in force loaded cleanly, else why the last reload failed."""
    health: CollectorHealth
    store_problem: str = ""
    listener_problems: list[str] = []


class Changes(_Message, frozen=True):
    """GET /v1/changes?after=N&wait=S: answered when the cursor passes N (or after S seconds, unchanged)."""

    version: int


class ActionPost(_Message, frozen=True):
    """POST /v1/actions: one operator action, on an alert (fingerprint) or on a run named by `run`.

    `run` may be a run id or a part of one that picks one run; the service puts the full id into the action
    and records it on the run's alert, as `dutyroom step` does standalone.
    """

    action: OperatorAction
    alert: str = ""
    run: str = ""


class ActionDone(_Message, frozen=True):
    """The answer to an accepted action: its id in the action log, and for a step, the step's state after it."""

    id: int
    run: str = ""
    step_status: str = ""


class HandoverSignPost(_Message, frozen=True):
    """POST /v1/handover/sign: sign the newest handover file in the service's handover directory, or `file` there.

    Only a bare file name of that directory is accepted; the service writes the signed file itself.
    """

    file: str = ""


class HandoverSigned(_Message, frozen=True):
    """The signed file (its name), the signer's role in it, and the signature's action id (0: signed before)."""

    file: str
    role: str
    id: int = 0


class Problem(_Message, frozen=True):
    """Any refusal or error: a one-line reason (400 bad request, 403 a viewer, 404, 409 refused, 503 store)."""

    error: str


def encode(message: msgspec.Struct) -> bytes:
    return msgspec.json.encode(message)


T = TypeVar("T")


def decode(data: bytes, kind: type[T]) -> T:
    """`data` as a `kind`, or msgspec.ValidationError / DecodeError saying what is wrong with it."""
    return msgspec.json.decode(data, type=kind)
