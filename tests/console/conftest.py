"""Fixtures of the console tests; the app factory and the fake room they use are in apps.py and fakes.py."""

from __future__ import annotations

import pytest

from .fakes import FakeSource


@pytest.fixture
def source() -> FakeSource:
    """A fresh fake machine room, frozen at FIXED_NOW."""
    return FakeSource()


@pytest.fixture(autouse=True)
def _symbols_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """The console tests run as on a terminal with symbols, whatever TERM the test runner was started on (on
    TERM=linux the console picks ASCII by itself; the tests that show it pass `ascii_only` or set TERM)."""
    from tui.screens.terminal_profile import terminal_needs_ascii

    if terminal_needs_ascii():
        monkeypatch.setenv("TERM", "xterm-256color")
