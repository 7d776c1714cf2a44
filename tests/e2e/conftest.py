"""Fixtures of the end-to-end tests: a private tmux server per test, so parallel runs never share a screen."""

from __future__ import annotations

import shutil
from collections.abc import Iterator

import pytest
from tmux import Tmux


@pytest.fixture
def tmux() -> Iterator[Tmux]:
    """A tmux server on its own socket, killed (with every session in it) when the test ends."""
    if shutil.which("tmux") is None:
        pytest.skip("tmux is not installed")
    driver = Tmux()
    try:
        yield driver
    finally:
        driver.close()
