"""A dead Alertmanager costs one log line, not one per batch, and never the password (issue 16 item 1)."""

from __future__ import annotations

import logging
import socket
from pathlib import Path

import pytest
from test_alertmanager_outbox import FIRING, WORDING

from collectors.service.alertmanager.sender import AlertSender
from dutyroom.config.types import Alertmanager, Secret


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


async def test_a_refusing_alertmanager_is_logged_once(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AM_TEST_PASSWORD", "hunter2")
    section = Alertmanager(
        urls=[f"http://127.0.0.1:{closed_port()}"],
        resend_interval="1s",
        timeout="1s",
        username="dutyroom",
        password=Secret(env="AM_TEST_PASSWORD"),
    )
    sender = AlertSender()
    sender.configure(section, tmp_path, "SZ core")
    with caplog.at_level(logging.INFO):
        for now in (1000.0, 1001.0, 1002.0):
            sender.offer([FIRING], WORDING, now)
            await sender.flush()
    await sender.aclose()
    errors = [record.getMessage() for record in caplog.records if record.levelno >= logging.ERROR]
    assert len(errors) == 1
    assert errors[0].startswith(f"Alertmanager {section.urls[0]} refused alerts:")
    assert "hunter2" not in caplog.text
    assert sender.sent == 3
