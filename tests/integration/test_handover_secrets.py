"""Secrets never reach a handover, a report or the audit log.

checks.toml takes an SNMP community from the environment and an HTTP bearer token from a 0600 file. The
shift around them is full of hostile text (escape sequences, markup, HTML, formula bait) in device reasons,
acknowledgements and notes, and the core switch's failure reason even echoes the token as a device might.
Every file written, every command's output and every audit record is searched for both values.
"""

# ruff: noqa: F811 (the fixture imported from test_handover_history is a parameter here)
from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from test_handover_history import COMMUNITY, TOKEN, ShiftHistory, shift  # noqa: F401 (fixture)

pytestmark = pytest.mark.integration


def test_no_secret_in_handover_report_or_audit_log(shift: ShiftHistory) -> None:
    state = shift.copy_state("state-secrets")
    outputs: list[str] = []
    files: list[Path] = []

    def run(*args: str, **env: str) -> None:
        result = shift.cli(*args, state=state, **env)
        assert result.returncode == 0, result.stderr
        outputs.extend([result.stdout, result.stderr])

    for lang in ("en", "zh"):
        for fmt in ("md", "txt"):
            out = shift.root / f"secrets-handover-{lang}.{fmt}"
            run("handover", "--lang", lang, "--format", fmt, "--out", str(out))
            files.append(out)
    run("handover", "--note", "next shift: the token file moved to the vault")
    run("handover")
    run("handover", "--sign", SUDO_USER="alice")
    run("handover", "--sign", SUDO_USER="bob")
    files.extend((state / "handovers").iterdir())
    for fmt in ("md", "csv"):
        out = shift.root / f"secrets-report.{fmt}"
        run("report", "--since", "2000-01-01", "--format", fmt, "--out", str(out))
        files.append(out)
    run("report", "--since", "2000-01-01")
    run("audit", "verify")

    texts = {str(path): path.read_text(encoding="utf-8") for path in set(files)}
    assert len(texts) >= 6
    assert any("redacted" in text for text in texts.values()), "the echoed token should have been met and redacted"
    connection = sqlite3.connect(state / "dutyroom.db")
    try:
        audit = [" ".join(map(str, row)) for row in connection.execute("SELECT * FROM audit")]
        actions = [" ".join(map(str, row)) for row in connection.execute("SELECT * FROM actions")]
    finally:
        connection.close()
    assert any("handover-sign" in row for row in audit)
    for secret in (COMMUNITY, TOKEN):
        for name, text in texts.items():
            assert secret not in text, f"{name} holds a secret"
        assert not [row for row in audit + actions if secret in row], "the audit log holds a secret"
        assert not [text for text in outputs if secret in text], "a command printed a secret"
