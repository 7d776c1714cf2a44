"""Fixtures of the console tests; the app factory and the fake room they use are in apps.py and fakes.py."""

from __future__ import annotations

import pytest

from .fakes import FakeSource


@pytest.fixture
def source() -> FakeSource:
    """A fresh fake machine room, frozen at FIXED_NOW."""
    return FakeSource()
