"""Opening the state directory, the schema, alert engine state, meta values and the poller heartbeat."""

from __future__ import annotations

import os
import sqlite3
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from dutyroom.store.database import DB_NAME, Store, StoreError
from dutyroom.store.schema import MIGRATIONS, SCHEMA_VERSION


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store.open(tmp_path / "state") as opened:
        yield opened


def test_open_creates_a_private_state_directory_with_a_wal_database(tmp_path: Path) -> None:
    state_dir = tmp_path / "deep" / "state"

    with Store.open(state_dir) as store:
        assert store.db_path == state_dir / DB_NAME

    assert stat.S_IMODE(state_dir.stat().st_mode) == 0o700
    with sqlite3.connect(state_dir / DB_NAME) as connection:
        assert connection.execute("PRAGMA journal_mode").fetchone() == ("wal",)
        assert connection.execute("PRAGMA user_version").fetchone() == (SCHEMA_VERSION,)


def test_open_keeps_an_existing_directory_mode_and_is_idempotent(tmp_path: Path) -> None:
    tmp_path.chmod(0o750)
    Store.open(tmp_path).close()
    with Store.open(tmp_path) as store:
        store.set_meta("k", "v")
    Store.open(tmp_path).close()

    assert stat.S_IMODE(tmp_path.stat().st_mode) == 0o750
    with Store.open(tmp_path) as store:
        assert store.get_meta("k") == "v"


def test_a_world_writable_state_directory_is_refused(tmp_path: Path) -> None:
    tmp_path.chmod(0o777)

    with pytest.raises(StoreError, match=f"{tmp_path}: .*writable by others"):
        Store.open(tmp_path)


def test_a_state_path_that_is_a_file_is_refused(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x")

    with pytest.raises(StoreError, match="not a directory"):
        Store.open(tmp_path / "file")


def test_a_version_1_database_is_migrated_keeping_its_data(tmp_path: Path) -> None:
    with sqlite3.connect(tmp_path / DB_NAME) as connection:
        connection.executescript(MIGRATIONS[0])
        connection.execute("INSERT INTO series(target, metric, labels) VALUES ('ups-a', 'ups.load_pct', '{}')")
        connection.execute("INSERT INTO samples_raw VALUES (1, 100.0, 55.0)")
        connection.execute("PRAGMA user_version = 1")

    with Store.open(tmp_path) as store:
        assert store.raw_series("ups-a", "ups.load_pct", (), 0) == [(100.0, 55.0)]
        assert store.series_of("ups-a") == [("ups.load_pct", (), "")]
        assert store.latest_sample("ups-a", "ups.load_pct", ()) is None

    with sqlite3.connect(tmp_path / DB_NAME) as connection:
        assert connection.execute("PRAGMA user_version").fetchone() == (SCHEMA_VERSION,)


def test_a_database_from_a_newer_dutyroom_is_refused(tmp_path: Path) -> None:
    Store.open(tmp_path).close()
    with sqlite3.connect(tmp_path / DB_NAME) as connection:
        connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")

    with pytest.raises(StoreError, match="newer"):
        Store.open(tmp_path)


def test_a_file_that_is_not_a_database_is_refused_with_its_path(tmp_path: Path) -> None:
    (tmp_path / DB_NAME).write_bytes(b"not a database at all" * 100)

    with pytest.raises(StoreError, match=str(tmp_path / DB_NAME)):
        Store.open(tmp_path)


def test_alert_states_are_upserted_and_deleted_together(store: Store) -> None:
    store.save_alert_states({"fp-a": '{"state":"pending"}', "fp-b": '{"state":"firing"}'}, [])
    store.save_alert_states({"fp-a": '{"state":"firing"}', "fp-c": "{}"}, deletes=["fp-b", "fp-unknown"])

    assert store.load_alert_states() == {"fp-a": '{"state":"firing"}', "fp-c": "{}"}


def test_alert_states_survive_reopening(tmp_path: Path) -> None:
    with Store.open(tmp_path) as store:
        store.save_alert_states({"fp": "blob"}, ())

    with Store.open(tmp_path) as store:
        assert store.load_alert_states() == {"fp": "blob"}


def test_meta_values_are_set_replaced_and_missing_is_none(store: Store) -> None:
    store.set_meta("config.reload", "failed: checks.toml:3:1: unknown key")
    store.set_meta("config.reload", "ok")

    assert store.get_meta("config.reload") == "ok"
    assert store.get_meta("absent") is None


def test_heartbeat_tells_a_console_whether_the_poller_is_alive(store: Store) -> None:
    assert store.read_heartbeat() is None

    store.write_heartbeat(1_000.0, pid=4242)
    beat = store.read_heartbeat()

    assert beat is not None
    assert (beat.at, beat.pid) == (1_000.0, 4242)
    assert beat.is_fresh(now=1_004.0, max_age_s=5.0)
    assert not beat.is_fresh(now=1_006.0, max_age_s=5.0)
    assert beat.age(1_010.0) == 10.0


def test_heartbeat_defaults_to_this_process_and_ignores_garbage(store: Store) -> None:
    store.write_heartbeat(1.0)
    beat = store.read_heartbeat()
    assert beat is not None
    assert beat.pid == os.getpid()

    store.set_meta("poller.heartbeat", "garbage")
    assert store.read_heartbeat() is None
