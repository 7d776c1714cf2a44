"""The API socket appears at its path already open to its group (mode 0660), never before.

A client that finds the socket and is refused on connect takes itself for an outsider ("cannot reach ...:
Permission denied") and gives up; a client reading the state directory behind the service is no answer either.
So between `bind` and `chmod` the socket must not be at its path: a reader started while serve is starting finds
no socket (and reads the state directory) or the finished one, and, whatever the umask, nobody else may connect
to it meanwhile.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Any, cast

import pytest

from collectors.service.api import server
from collectors.service.api.routes import ServiceRoutes
from collectors.service.api.server import SOCKET_MODE, ApiServer, SocketPlace


@pytest.fixture
def wide_umask() -> Any:
    """The loosest umask a service could be started with: a socket bound with it is anyone's to connect to."""
    before = os.umask(0)
    yield
    os.umask(before)


@pytest.mark.usefixtures("wide_umask")
async def test_the_socket_is_at_its_path_only_with_its_final_mode(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "run" / "api.sock"
    seen_at_path: list[int] = []
    chmod = os.chmod

    def watching_chmod(target: Any, mode: int, *args: Any, **options: Any) -> None:
        if path.exists():
            seen_at_path.append(stat.S_IMODE(path.stat().st_mode))  # what a client could meet right now
        chmod(target, mode, *args, **options)

    monkeypatch.setattr(server.os, "chmod", watching_chmod)
    api = ApiServer(SocketPlace(path), cast(ServiceRoutes, None))  # start and close never route a request
    await api.start()
    try:
        assert seen_at_path == [], f"the socket was at {path} with mode {seen_at_path[0]:o} before its own"
        assert stat.S_ISSOCK(path.stat().st_mode)
        assert stat.S_IMODE(path.stat().st_mode) == SOCKET_MODE
        assert [entry.name for entry in path.parent.iterdir()] == ["api.sock"], "nothing left beside it"
    finally:
        await api.close()
    assert not path.exists()


async def test_a_socket_path_as_long_as_the_kernel_allows_still_opens(tmp_path: Path) -> None:
    """The private name is no longer than the socket's own: a path that fits is never refused for it."""
    longest = 107  # sun_path holds 108 bytes, the last a NUL
    room = longest - len(str(tmp_path / "api.sock")) - 1
    path = tmp_path / ("d" * room) / "api.sock"
    assert len(os.fsencode(path)) == longest
    api = ApiServer(SocketPlace(path), cast(ServiceRoutes, None))
    await api.start()
    try:
        assert stat.S_ISSOCK(path.stat().st_mode)
    finally:
        await api.close()
