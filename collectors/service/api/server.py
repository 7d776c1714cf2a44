"""The API's Unix socket: bound by `dutyroom serve`, mode 0660, group of the duty team, removed at the end.

The kernel checks the socket's mode and group on connect, so only the service's user and the socket's group
reach the API at all; the roles then decide what each verified user may do. The socket is bound under a private
name and renamed into place once it has its group and mode and listens: never at its path before.
"""

from __future__ import annotations

import asyncio
import contextlib
import grp
import logging
import os
import secrets
import socket
import stat
from dataclasses import dataclass
from pathlib import Path

from collectors.service.api.changes import ChangeFeed
from collectors.service.api.http_connection import serve_connection
from collectors.service.api.peer import NoPeerCredentials, peer_credentials
from collectors.service.api.routes import ServiceRoutes
from collectors.service.poller import Poller
from dutyroom.rules.engine import Evaluation

log = logging.getLogger(__name__)

SOCKET_MODE = 0o660
LISTEN_BACKLOG = 100
"""asyncio's own default for a Unix server."""


class SocketSetupError(Exception):
    """The socket cannot be set up as asked (a non-socket in the way, an unknown group): one line saying why."""


@dataclass(frozen=True, slots=True)
class SocketPlace:
    path: Path
    group: str = ""
    """Unix group given the socket (e.g. the duty team's); "" keeps the service user's primary group."""


class ApiServer:
    def __init__(self, place: SocketPlace, routes: ServiceRoutes) -> None:
        self.place = place
        self.routes = routes
        self._server: asyncio.Server | None = None
        self._connections: set[asyncio.Task[None]] = set()
        self._closing = False

    async def start(self) -> None:
        path = self.place.path
        gid = _group_id(self.place.group)
        _clear_stale_socket(path)
        listening = _listening_socket(path, gid, self.place.group)
        self._server = await asyncio.start_unix_server(self._accept, sock=listening)
        group = self.place.group or "the service user's group"
        log.info("API listening on %s (mode 0660, group %s)", path, group)

    async def close(self) -> None:
        if self._server is None:
            return
        self._server.close()
        self._closing = True
        for task in list(self._connections):
            task.cancel()
        await asyncio.gather(*self._connections, return_exceptions=True)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._server.wait_closed(), 5.0)
        self._server = None
        with contextlib.suppress(FileNotFoundError):
            self.place.path.unlink()

    async def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        if task is not None:
            self._connections.add(task)
        try:
            try:
                peer = peer_credentials(writer.get_extra_info("socket"))
            except NoPeerCredentials as error:
                log.warning("API connection refused: %s", error)
                writer.close()
                return
            await serve_connection(reader, writer, self.routes.handler_for(peer))
        except asyncio.CancelledError:
            # Cancelled by `close`: end quietly. Python 3.11's stream server asks a cancelled handler for its
            # exception and logs a traceback for every console still attached (fixed in 3.12).
            writer.close()
            if not self._closing:
                raise
        finally:
            if task is not None:
                self._connections.discard(task)


def api_for(poller: Poller, place: SocketPlace) -> ApiServer:
    """The API of a running poller: its room (reloads included) and store; its batches move the change cursor."""
    feed = ChangeFeed()

    def changed(evaluation: Evaluation) -> None:
        if evaluation.transitions or evaluation.events:
            feed.bump()

    poller.on_evaluated = changed
    return ApiServer(place, ServiceRoutes(lambda: poller.room, poller.store, feed, clock=poller.clock))


def _listening_socket(path: Path, gid: int | None, group: str) -> socket.socket:
    """A socket listening at `path` that appeared there with its group and mode 0660, never before.

    It is bound under a private name beside `path`, no longer than `path`'s own (a Unix socket's path is
    limited to 107 bytes), given its group and mode, made to listen, and only then renamed into place: a client
    meets no socket (and reads the state directory) or this one, never one that refuses it while serve starts.
    Under its private name it accepts nobody until it listens, whatever the umask.
    """
    making = path.with_name("." + secrets.token_hex(8)[: max(3, len(path.name) - 1)])
    listening = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        listening.bind(str(making))
        if gid is not None:
            os.chown(making, -1, gid)
        os.chmod(making, SOCKET_MODE)
        listening.listen(LISTEN_BACKLOG)
        os.rename(making, path)
    except OSError as error:
        listening.close()
        with contextlib.suppress(OSError):
            making.unlink()
        member = f" (the service user must be a member of {group})" if gid is not None else ""
        reason = error.strerror or str(error)
        raise SocketSetupError(f"cannot give {path} group {group!r} and mode 0660: {reason}{member}") from None
    listening.setblocking(False)
    return listening


def _group_id(name: str) -> int | None:
    if not name:
        return None
    try:
        return grp.getgrnam(name).gr_gid
    except KeyError:
        raise SocketSetupError(
            f"socket group {name!r} does not exist (give an existing group to --socket-group)"
        ) from None


def _clear_stale_socket(path: Path) -> None:
    """Remove a socket left by a serve that died; refuse one another serve (of another room) still answers on."""
    try:
        mode = path.lstat().st_mode
    except FileNotFoundError:
        path.parent.mkdir(parents=True, exist_ok=True)
        return
    if not stat.S_ISSOCK(mode):
        raise SocketSetupError(f"{path} exists and is not a socket: move it away or give another --socket")
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as probe:
        probe.settimeout(1.0)
        try:
            probe.connect(str(path))
        except OSError:
            path.unlink()  # nobody answers: left by a serve that died
            return
    raise SocketSetupError(f"another service answers on {path}: give this one another --socket")
