"""`Store.open_existing`: the read commands' door into a state directory. It creates nothing, and read-only
means read-only."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from dutyroom.store.database import DB_NAME, Store, StoreError
from dutyroom.store.schema import SCHEMA_VERSION


def test_a_missing_state_directory_is_an_error_and_nothing_is_created(tmp_path: Path) -> None:
    missing = tmp_path / "typo" / "state"
    for read_only in (True, False):
        with pytest.raises(StoreError, match=f"state directory {missing} does not exist"):
            Store.open_existing(missing, read_only=read_only)
    assert list(tmp_path.iterdir()) == []


def test_a_directory_without_a_database_is_not_a_state_directory(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match=f"{tmp_path} is not a dutyroom state directory \\(no {DB_NAME}\\)"):
        Store.open_existing(tmp_path)
    assert list(tmp_path.iterdir()) == []
    a_file = tmp_path / "file"
    a_file.write_text("")
    with pytest.raises(StoreError, match="is not a directory"):
        Store.open_existing(a_file)


def test_read_only_reads_what_the_poller_wrote_and_refuses_to_write(tmp_path: Path) -> None:
    state = tmp_path / "state"
    with Store.open(state) as writer:
        writer.set_meta("reload_status", "")
        writer.write_heartbeat(123.0, pid=9)
        with Store.open_existing(state) as reader:
            beat = reader.read_heartbeat()
            assert beat is not None
            assert (beat.at, beat.pid) == (123.0, 9)
            writer.write_heartbeat(124.0, pid=9)
            beat = reader.read_heartbeat()
            assert beat is not None
            assert beat.at == 124.0, "a reader sees new commits"
            with pytest.raises(StoreError, match="readonly"):
                reader.set_meta("k", "v")


def test_read_only_refuses_a_schema_it_cannot_read_instead_of_upgrading_it(tmp_path: Path) -> None:
    state = tmp_path / "state"
    Store.open(state).close()
    with sqlite3.connect(state / DB_NAME) as connection:
        connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION - 1}")
    with pytest.raises(StoreError, match="older than this dutyroom's"):
        Store.open_existing(state)
    with sqlite3.connect(state / DB_NAME) as connection:
        assert connection.execute("PRAGMA user_version").fetchone() == (SCHEMA_VERSION - 1,)
        connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    with pytest.raises(StoreError, match="newer than this dutyroom understands"):
        Store.open_existing(state)


def test_read_write_opens_an_existing_room_for_commands_that_record(tmp_path: Path) -> None:
    state = tmp_path / "state"
    Store.open(state).close()
    with Store.open_existing(state, read_only=False) as store:
        store.set_meta("k", "v")
        assert store.get_meta("k") == "v"


def test_a_reader_never_sees_a_database_that_is_still_being_made(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """CI saw `alerts` read serve's dutyroom.db between its creation and its schema ("schema version 0 is older"):
    the database appears under its name only once whole, so a reader at that moment finds no database yet."""
    import dutyroom.store.schema as schema

    state = tmp_path / "state"
    seen: list[str] = []
    real_ensure = schema.ensure_schema

    def ensure_while_a_reader_looks(connection: sqlite3.Connection) -> int:
        if seen:  # only while the schema is first being made
            return real_ensure(connection)
        try:
            Store.open_existing(state).close()
            seen.append("opened")
        except StoreError as error:
            seen.append(str(error))
        return real_ensure(connection)

    monkeypatch.setattr(schema, "ensure_schema", ensure_while_a_reader_looks)
    with Store.open(state) as writer:
        writer.set_meta("made", "yes")
    assert seen == [f"{state} is not a dutyroom state directory (no {DB_NAME})"]
    assert sorted(p.name for p in state.iterdir() if p.name.startswith(DB_NAME)) == [DB_NAME]
    with Store.open_existing(state) as reader:
        assert reader.get_meta("made") == "yes"
    with Store.open(state) as again:  # an existing database opens in place
        assert again.get_meta("made") == "yes"
