"""`dutyroom api-bridge`: the service's API over standard input/output, for a console's site over SSH.

A console at another room runs `ssh user@host dutyroom api-bridge --socket PATH` (`tui.site_links`); this
process, the SSH login user's, connects to the local socket and relays bytes both ways until either side ends.
The service names the caller from the kernel as for any local client, so the remote person acts as themself
and the bastion's records of the SSH session and the service's audit log name the same person.
"""

from __future__ import annotations

import argparse
import os
import selectors
import socket
import sys

from tui.cli.common import CommandFailed, client_socket

CHUNK = 65536


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser) -> None:
    bridge = commands.add_parser(
        "api-bridge",
        parents=[common],
        help="relay the service's API between standard input/output and its socket (a remote console's site)",
        description="Connects to the service's socket as the calling user and relays its HTTP API over standard "
        "input and output until either side closes. Run by `ssh host dutyroom api-bridge` from a console's "
        "ssh:// site; nothing to run by hand.",
    )
    bridge.set_defaults(handler=cmd_api_bridge)


def cmd_api_bridge(args: argparse.Namespace) -> int:
    path = client_socket(args)
    service = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        service.connect(str(path))
    except OSError as error:
        service.close()
        raise CommandFailed(f"dutyroom api-bridge: cannot connect to {path}: {error.strerror or error}") from None
    with service:
        relay(sys.stdin.fileno(), sys.stdout.fileno(), service)
    return 0


def relay(incoming: int, outgoing: int, service: socket.socket) -> None:
    """Bytes from `incoming` to the service and from the service to `outgoing`, until the service closes (the
    end of our input is passed on as a half-close, so a last answer still comes back)."""
    with selectors.DefaultSelector() as selector:
        selector.register(incoming, selectors.EVENT_READ, "in")
        selector.register(service, selectors.EVENT_READ, "service")
        while selector.get_map():
            for key, _ in selector.select():
                if key.data == "in":
                    data = os.read(incoming, CHUNK)
                    if data:
                        service.sendall(data)
                        continue
                    selector.unregister(incoming)
                    service.shutdown(socket.SHUT_WR)
                else:
                    data = service.recv(CHUNK)
                    if not data:
                        return
                    _write_all(outgoing, data)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]
