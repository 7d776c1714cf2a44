"""The API's parts without a serve: the change cursor, HTTP framing on a socket pair, the routes on a real store.

The person comes from the peer's uid (here this process's own); roles from the service's configuration.
"""

from __future__ import annotations

import asyncio
import json
import os
import pwd
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from collectors.service.api.changes import ChangeFeed
from collectors.service.api.http_connection import Request, Response, serve_connection
from collectors.service.api.peer import PeerCredentials, peer_credentials
from collectors.service.api.routes import ServiceRoutes
from dutyroom.config.load import load_config
from dutyroom.playbooks.library import PlaybookLibrary
from dutyroom.room import Room
from dutyroom.store.database import Store
from dutyroom.views.wire import CONTEXT_HEADERS

ME = pwd.getpwuid(os.geteuid()).pw_name
PEER = PeerCredentials(pid=os.getpid(), uid=os.geteuid(), gid=os.getegid())
T0 = 1_767_225_600.0
CONFIG = """
[site]
name = "room"
{roles}
[[target]]
id = "ups-a"
group = "power"
kind = "snmp"
address = "udp://127.0.0.1:161"
profile = "ups-mib"
[[rule]]
id = "on-battery"
metric = "ups.on_battery"
critical = "== 1"
"""


def routes_for(tmp_path: Path, store: Store, roles: str = "") -> ServiceRoutes:
    path = tmp_path / "checks.toml"
    path.write_text(CONFIG.format(roles=roles), encoding="utf-8")
    room = Room(load_config(path, resolve_secrets=False), PlaybookLibrary())
    return ServiceRoutes(lambda: room, store, ChangeFeed(), clock=lambda: T0)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store.open(tmp_path / "state") as opened:
        yield opened


def ask(routes: ServiceRoutes, method: str, path: str, body: object = None, **headers: str) -> tuple[int, object]:
    data = json.dumps(body).encode() if body is not None else b""
    query = dict(part.split("=", 1) for part in path.partition("?")[2].split("&") if part)
    request = Request(method, path.partition("?")[0], query, headers, data)
    response = asyncio.run(routes.answer(request, PEER))
    return response.status, json.loads(response.body)


def test_an_ack_is_recorded_as_the_peer_uid_with_the_reported_context_beside_it(tmp_path: Path, store: Store) -> None:
    routes = routes_for(tmp_path, store)
    headers = {CONTEXT_HEADERS["sudo_user"]: "alice", CONTEXT_HEADERS["ssh_client"]: "192.0.2.7"}

    status, answer = ask(routes, "POST", "/v1/actions", {"action": {"kind": "ack", "comment": "on it"}}, **headers)

    assert status == 200, answer
    [stored] = store.actions_after(0)
    assert (stored.kind, stored.actor.user, stored.actor.sudo_user, stored.actor.ssh_client) == (
        "ack",
        ME,
        "alice",
        "192.0.2.7",
    )
    assert routes.feed.version == 2, "an accepted action moves the change cursor"


def test_a_viewer_is_refused_with_403_and_nothing_is_recorded(tmp_path: Path, store: Store) -> None:
    routes = routes_for(tmp_path, store, roles=f'[roles]\nviewers = ["{ME}"]\noperators = ["alice"]')

    status, answer = ask(
        routes,
        "POST",
        "/v1/actions",
        {"action": {"kind": "note", "text": "x"}},
        **{CONTEXT_HEADERS["sudo_user"]: "alice"},
    )

    assert status == 403
    assert "is a viewer" in str(answer)
    assert store.actions_after(0) == []


@pytest.mark.parametrize(
    ("body", "status", "reason"),
    [
        ({"action": {"kind": "lapse", "ack": 1, "reason": "expired"}}, 409, "recorded by the service"),
        ({"action": {"kind": "handover-sign", "file": "f", "role": "incoming", "sha256": "0"}}, 409, "recorded by"),
        ({"action": {"kind": "ack", "comment": "x", "by": "root"}}, 400, "not an action"),
        ({"action": {"kind": "ack", "comment": "  "}}, 409, "needs a comment"),
        ({"action": {"kind": "step", "run": "nothing", "step": 1}, "run": "nothing"}, 404, "no playbook run"),
        ("not json at all", 400, "not an action"),
    ],
)
def test_bad_or_refused_actions_get_one_line_reasons(
    tmp_path: Path, store: Store, body: object, status: int, reason: str
) -> None:
    got, answer = ask(routes_for(tmp_path, store), "POST", "/v1/actions", body)

    assert (got, reason in str(answer)) == (status, True), answer


def test_paths_methods_and_whoami(tmp_path: Path, store: Store) -> None:
    routes = routes_for(tmp_path, store)

    assert ask(routes, "GET", "/v2/alerts")[0] == 404
    assert ask(routes, "DELETE", "/v1/alerts")[0] == 405
    assert ask(routes, "GET", "/v1/version")[1]["api"] == 1  # type: ignore[index]
    status, caller = ask(routes, "GET", "/v1/whoami", **{CONTEXT_HEADERS["sudo_user"]: "alice"})
    assert status == 200
    assert caller == {
        "user": ME,
        "uid": os.geteuid(),
        "role": "operator",
        "groups": caller["groups"],  # type: ignore[index]
        "reported": {"sudo_user": "alice", "ssh_client": ""},
    }


def test_the_room_snapshot_has_the_poller_and_no_alerts_yet(tmp_path: Path, store: Store) -> None:
    status, snapshot = ask(routes_for(tmp_path, store), "GET", "/v1/alerts")

    assert status == 200
    assert snapshot["alerts"] == []  # type: ignore[index]
    assert snapshot["poller"]["state"] == "down"  # type: ignore[index]


def test_the_change_cursor_answers_at_once_when_past_and_wakes_waiters() -> None:
    async def scenario() -> tuple[int, int, int]:
        feed = ChangeFeed()
        at_once = await feed.wait_past(0, 10.0)
        waiter = asyncio.create_task(feed.wait_past(feed.version, 10.0))
        await asyncio.sleep(0)
        feed.bump()
        woken = await waiter
        unchanged = await feed.wait_past(feed.version, 0.01)
        return at_once, woken, unchanged

    assert asyncio.run(scenario()) == (1, 2, 2)


def test_http_framing_keeps_the_connection_and_answers_nonsense_with_400() -> None:
    async def scenario() -> tuple[bytes, bytes]:
        seen: list[str] = []

        async def handler(request: Request) -> Response:
            seen.append(request.path)
            return Response(200, b'{"ok": true}')

        server_end, client_end = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        reader, writer = await asyncio.open_connection(sock=server_end)
        served = asyncio.create_task(serve_connection(reader, writer, handler))
        client_reader, client_writer = await asyncio.open_connection(sock=client_end)
        client_writer.write(b"GET /a HTTP/1.1\r\nHost: x\r\n\r\nGET /b HTTP/1.1\r\nHost: x\r\n\r\n")
        await client_writer.drain()
        two = b""
        while two.count(b"HTTP/1.1 200") < 2:
            chunk = await asyncio.wait_for(client_reader.read(4096), 10.0)
            assert chunk, two
            two += chunk
        client_writer.write(b"NONSENSE\r\n\r\n")
        await client_writer.drain()
        bad = await asyncio.wait_for(client_reader.read(4096), 10.0)
        await asyncio.wait_for(served, 10.0)
        client_writer.close()
        assert seen == ["/a", "/b"]
        return two, bad

    two, bad = asyncio.run(scenario())
    assert two.count(b'{"ok": true}') == 2
    assert bad.startswith(b"HTTP/1.1 400")


def test_peer_credentials_come_from_the_kernel() -> None:
    left, right = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
    with left, right:
        assert peer_credentials(left) == PeerCredentials(os.getpid(), os.geteuid(), os.getegid())
