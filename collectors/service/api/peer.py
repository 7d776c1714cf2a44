"""Who is on the other end of a Unix socket, in the kernel's words: SO_PEERCRED (pid, uid, gid).

The uid is the person (`dutyroom.operators.identity.identity_of_uid`); nothing the client sends can change it,
as PostgreSQL's peer authentication and Docker's socket rely on.
"""

from __future__ import annotations

import socket
import struct
from dataclasses import dataclass
from typing import Protocol

_UCRED = struct.Struct("3i")
"""struct ucred: pid_t pid, uid_t uid, gid_t gid (Linux)."""


class PeerSocket(Protocol):
    def getsockopt(self, level: int, option: int, buflen: int) -> bytes: ...


@dataclass(frozen=True, slots=True)
class PeerCredentials:
    pid: int
    uid: int
    gid: int


class NoPeerCredentials(Exception):  # noqa: N818 - the connection is refused, not the program
    """The kernel gave no credentials for the connection (not a Unix socket, or not Linux)."""


def peer_credentials(connection: PeerSocket | None) -> PeerCredentials:
    """The credentials the kernel recorded when the peer connected."""
    option = getattr(socket, "SO_PEERCRED", None)
    if connection is None or option is None:
        raise NoPeerCredentials("no SO_PEERCRED on this connection")
    try:
        pid, uid, gid = _UCRED.unpack(connection.getsockopt(socket.SOL_SOCKET, option, _UCRED.size))
    except (OSError, struct.error) as error:
        raise NoPeerCredentials(f"SO_PEERCRED failed: {error}") from None
    return PeerCredentials(pid, uid, gid)
