"""The `[alertmanager]` and `[exporter]` tables: every problem at its line and column, secrets never printed."""

from __future__ import annotations

from pathlib import Path

import pytest

from dutyroom.config.load import load_config
from dutyroom.config.problems import ConfigError

BAD = """\
[site]
name = "room"

[alertmanager]
urls = ["http://127.0.0.1:9093", "ftp://am"]
resend_interval = "soon"
ack_silence_for = "5m"
password = { env = "AM_PASSWORD" }
"""


def test_every_problem_of_the_table_is_reported_where_it_is(tmp_path: Path) -> None:
    config = tmp_path / "checks.toml"
    config.write_text(BAD)
    with pytest.raises(ConfigError) as raised:
        load_config(config, {"AM_PASSWORD": "hunter2"})
    text = str(raised.value)
    assert f"{config}:5:34: 'ftp://am' is not an http:// or https:// URL" in text
    assert f"{config}:6:19:" in text
    assert "'ack_silence_for' needs 'mirror_silences = true'" in text
    assert "basic auth needs both 'username' and 'password'" in text
    assert "hunter2" not in text


def test_a_good_table_loads(tmp_path: Path) -> None:
    config = tmp_path / "checks.toml"
    good = '[site]\nname = "room"\n\n[alertmanager]\nurls = ["https://am.example:9093"]\nmirror_silences = true\n'
    config.write_text(good + 'ack_silence_for = "30m"\nusername = "dutyroom"\npassword = { env = "AM_PASSWORD" }\n')
    section = load_config(config, {"AM_PASSWORD": "hunter2"}).parsed.alertmanager
    assert section is not None
    assert section.mirror_silences


def test_an_exporter_beyond_loopback_needs_tls_and_basic_auth(tmp_path: Path) -> None:
    config = tmp_path / "checks.toml"
    config.write_text('[site]\nname = "room"\n\n[exporter]\nlisten = "0.0.0.0:9745"\n')
    with pytest.raises(ConfigError) as raised:
        load_config(config)
    assert f"{config}:5:10: exporter address '0.0.0.0:9745' is not loopback" in str(raised.value)
    (tmp_path / "e.crt").write_text("x")
    (tmp_path / "e.key").write_text("x")
    tls = '[exporter.tls_server_config]\ncert_file = "e.crt"\nkey_file = "e.key"\n'
    users = '[exporter.basic_auth_users]\nprometheus = { env = "EXPORTER_PASSWORD" }\n'
    config.write_text(f'[site]\nname = "room"\n\n[exporter]\nlisten = "0.0.0.0:9745"\n{tls}{users}')
    assert load_config(config, {"EXPORTER_PASSWORD": "s3cret"}).parsed.exporter.basic_auth_users
