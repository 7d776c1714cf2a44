"""Closing the API while consoles are attached: each open connection ends quietly, with no traceback logged.

Python 3.11's stream server asks a cancelled connection handler for its exception and logs the
CancelledError as "Exception in callback" (fixed in 3.12), so every console attached when `serve` stopped
left a traceback in the service's log.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from collectors.service.api.changes import ChangeFeed
from collectors.service.api.routes import ServiceRoutes
from collectors.service.api.server import ApiServer, SocketPlace
from dutyroom.config.load import load_config
from dutyroom.playbooks.library import PlaybookLibrary
from dutyroom.room import Room
from dutyroom.store.database import Store

CONFIG = """
[site]
name = "room"
[[target]]
id = "ups-a"
group = "power"
kind = "snmp"
address = "udp://127.0.0.1:161"
profile = "ups-mib"
"""


async def test_closing_the_api_with_an_idle_console_attached_logs_no_traceback(tmp_path: Path) -> None:
    (tmp_path / "checks.toml").write_text(CONFIG, encoding="utf-8")
    room = Room(load_config(tmp_path / "checks.toml", resolve_secrets=False), PlaybookLibrary())
    loop = asyncio.get_running_loop()
    reported: list[dict[str, Any]] = []
    loop.set_exception_handler(lambda _loop, context: reported.append(context))
    with Store.open(tmp_path / "state") as store:
        server = ApiServer(SocketPlace(tmp_path / "api.sock"), ServiceRoutes(lambda: room, store, ChangeFeed()))
        await server.start()
        reader, writer = await asyncio.open_unix_connection(str(tmp_path / "api.sock"))
        writer.write(b"GET /v1/version HTTP/1.1\r\nHost: serve\r\n\r\n")
        head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 10)
        assert head.startswith(b"HTTP/1.1 200"), head  # answered; the connection now waits for the next request
        await server.close()
        for _ in range(10):  # the stream's done-callback runs on a later turn of the loop
            await asyncio.sleep(0)
        writer.close()
    loop.set_exception_handler(None)
    assert [context.get("message", "") for context in reported] == []
