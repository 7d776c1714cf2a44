"""The console under test: the real app on a fake source, frozen at FIXED_NOW, and what it shows the operator."""

from __future__ import annotations

from typing import Any

from tui.app import DutyroomApp, create_app

from .fakes import FIXED_NOW, FakeSource


def console_app(source: FakeSource | None = None, **options: Any) -> DutyroomApp:
    """The console on `source` (a fresh fake room by default, reading and acting), with a frozen clock and no
    remote guessing."""
    options.setdefault("remote", False)
    options.setdefault("sixteen_colors", False)
    room = source if source is not None else FakeSource()
    return create_app(room, room, clock=lambda: FIXED_NOW, **options)


def notification_messages(app: DutyroomApp) -> list[str]:
    """The notifications currently shown (Textual keeps them on the app)."""
    return [notification.message for notification in app._notifications]
