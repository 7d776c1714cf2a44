"""Why an SNMP request failed, each with the state it maps to and a short reason fit for the screen."""

from __future__ import annotations

from dutyroom.model import State
from dutyroom.textclean import clean_text


class SnmpError(Exception):
    """A request failed; `reason` is short, clean and never contains a secret."""

    state = State.UNKNOWN

    def __init__(self, reason: str) -> None:
        super().__init__(clean_text(reason, 160))
        self.reason = clean_text(reason, 160)


class SnmpTimeoutError(SnmpError):
    """No (valid) reply within the timeout, on every attempt."""

    state = State.UNREACHABLE

    @classmethod
    def after(cls, timeout_s: float, attempts: int) -> SnmpTimeoutError:
        noun = "attempt" if attempts == 1 else "attempts"
        return cls(f"no reply after {timeout_s:g} s x {attempts} {noun}")


class SnmpUnreachableError(SnmpError):
    """The request could not be sent (unknown host, no route)."""

    state = State.UNREACHABLE


class SnmpAuthError(SnmpError):
    """An SNMPv3 agent answered with a REPORT: wrong key, unknown user, unsupported security level."""


class SnmpProtocolError(SnmpError):
    """The agent answered something that makes no sense (error status, OIDs not increasing, bad PDU)."""
