"""The door to a running serve for the commands: a client of its socket, or None to read the state directory.

Here, apart from any one command, so that every command that may act through the service (actions, runs,
handover, status) imports it without importing the others.
"""

from __future__ import annotations

import argparse
import contextlib
from collections.abc import Iterator
from typing import TYPE_CHECKING

from tui.cli.common import CommandFailed, client_socket

if TYPE_CHECKING:
    from dutyroom.operators.planning import Intent
    from dutyroom.views.wire import ActionDone
    from tui.service_client import ServiceClient


def service_or_none(args: argparse.Namespace) -> ServiceClient | None:
    """A client of the serve that owns this room, or None to read the state directory (standalone)."""
    from tui.service_client import ServiceUnreachable, connect

    try:
        return connect(client_socket(args, configured=_configured_socket(args)))
    except ServiceUnreachable as error:
        raise CommandFailed(f"dutyroom: {error}") from None


def submit_to_service(service: ServiceClient, action: Intent, alert: str = "", run: str = "") -> ActionDone:
    """Submit through the service; its refusal becomes the command's one-line error."""
    from dutyroom.operators.planning import StartDrill
    from tui.service_client import ServiceRefused, ServiceUnreachable

    if isinstance(action, StartDrill):
        raise CommandFailed("a drill is started from the console")
    with service:
        try:
            return service.submit(action, alert, run)
        except ServiceRefused as refusal:
            raise CommandFailed(f"refused: {refusal}") from None
        except ServiceUnreachable as error:
            raise CommandFailed(f"dutyroom: {error}") from None


@contextlib.contextmanager
def service_failure(command: str) -> Iterator[None]:
    """A refusal or a service that stops answering, as `command`'s one-line error (never a traceback)."""
    from tui.service_client import ServiceRefused, ServiceUnreachable

    try:
        yield
    except (ServiceRefused, ServiceUnreachable) as error:
        raise CommandFailed(f"{command}: {error}") from None


def _configured_socket(args: argparse.Namespace) -> str:
    """checks.toml's `[service] socket` ("" when it names none or does not load: the other places still count)."""
    import os

    from tui.cli.common import load_or_fail

    if getattr(args, "socket", None) or os.environ.get("DUTYROOM_SOCKET"):
        return ""
    try:
        return load_or_fail(args.config).parsed.service.socket
    except CommandFailed:
        return ""
