"""TCP probe spec checks and connect-failure reasons."""

from __future__ import annotations

import errno
import socket

import pytest

from collectors.tcp import TcpTargetSpec, connect_failure_reason


@pytest.mark.parametrize(
    ("error", "reason"),
    [
        (ConnectionRefusedError(errno.ECONNREFUSED, "Connection refused"), "connection refused"),
        (OSError(errno.EHOSTUNREACH, "No route to host"), "no route to host"),
        (OSError(errno.EACCES, "Permission denied"), "permission denied"),
        (socket.gaierror(socket.EAI_NONAME, "Name or service not known"), "host name not resolved"),
        (OSError("no errno at all"), "connect failed"),
    ],
)
def test_connect_failure_reasons(error: OSError, reason: str) -> None:
    assert connect_failure_reason(error) == reason


@pytest.mark.parametrize(("port", "timeout"), [(0, 1.0), (70000, 1.0), (443, 0.0)])
def test_bad_specs_are_refused(port: int, timeout: float) -> None:
    with pytest.raises(ValueError, match="gw"):
        TcpTargetSpec("gw", "10.1.2.10", port, timeout_s=timeout)
