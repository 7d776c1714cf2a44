"""Opening dutyroom.db: the state directory, WAL mode, and the schema, versioned with `PRAGMA user_version`.

A new version appends its statements to MIGRATIONS; opening a store applies the missing ones in one
transaction, so several processes opening a fresh state directory at once still agree on one schema. A new
database is made whole under a private name and linked into place, so no reader ever sees it half made.
"""

from __future__ import annotations

import errno
import os
import secrets
import sqlite3
import stat
import time
from pathlib import Path

from dutyroom.atomic import fsync_directory
from dutyroom.store.ownership import check_writer_owns
from dutyroom.store.records import StoreError

DB_NAME = "dutyroom.db"
BUSY_TIMEOUT_S = 5.0
WAL_SWITCH_RETRY_S = 0.02

APPEND_ONLY_TRIGGERS = """
CREATE TRIGGER IF NOT EXISTS {table}_no_update BEFORE UPDATE ON {table}
BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END;
CREATE TRIGGER IF NOT EXISTS {table}_no_delete BEFORE DELETE ON {table}
BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END;
"""

SCHEMA_V1 = (
    """
CREATE TABLE IF NOT EXISTS audit (
    seq INTEGER PRIMARY KEY,
    at REAL NOT NULL,
    actor TEXT NOT NULL,
    kind TEXT NOT NULL,
    detail TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS audit_head (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    seq INTEGER NOT NULL,
    hash TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS actions (
    id INTEGER PRIMARY KEY,
    at REAL NOT NULL,
    kind TEXT NOT NULL,
    actor TEXT NOT NULL,
    alert TEXT NOT NULL,
    payload TEXT NOT NULL,
    drill INTEGER NOT NULL,
    audit_seq INTEGER NOT NULL REFERENCES audit(seq)
);
CREATE INDEX IF NOT EXISTS actions_by_time ON actions(at);
CREATE TABLE IF NOT EXISTS alert_states (
    fingerprint TEXT PRIMARY KEY,
    state TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS events (
    id INTEGER PRIMARY KEY,
    at REAL NOT NULL,
    kind TEXT NOT NULL,
    target TEXT NOT NULL,
    message TEXT NOT NULL,
    severity TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS events_by_time ON events(at);
CREATE TABLE IF NOT EXISTS transitions (
    id INTEGER PRIMARY KEY,
    at REAL NOT NULL,
    fingerprint TEXT NOT NULL,
    rule TEXT NOT NULL,
    target TEXT NOT NULL,
    labels TEXT NOT NULL,
    from_state TEXT NOT NULL,
    to_state TEXT NOT NULL,
    severity TEXT NOT NULL,
    value TEXT NOT NULL,
    drill INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS transitions_by_time ON transitions(at);
CREATE INDEX IF NOT EXISTS transitions_by_fingerprint ON transitions(fingerprint, at);
CREATE TABLE IF NOT EXISTS series (
    id INTEGER PRIMARY KEY,
    target TEXT NOT NULL,
    metric TEXT NOT NULL,
    labels TEXT NOT NULL,
    UNIQUE (target, metric, labels)
);
CREATE TABLE IF NOT EXISTS samples_raw (
    series INTEGER NOT NULL,
    at REAL NOT NULL,
    value REAL NOT NULL,
    PRIMARY KEY (series, at)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS samples_minute (
    series INTEGER NOT NULL,
    minute INTEGER NOT NULL,
    min_value REAL NOT NULL,
    max_value REAL NOT NULL,
    sum_value REAL NOT NULL,
    count INTEGER NOT NULL,
    PRIMARY KEY (series, minute)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS samples_daily_peak (
    series INTEGER NOT NULL,
    day INTEGER NOT NULL,
    max_value REAL NOT NULL,
    PRIMARY KEY (series, day)
) WITHOUT ROWID;
"""
    + APPEND_ONLY_TRIGGERS.format(table="audit")
    + APPEND_ONLY_TRIGGERS.format(table="actions")
)

SCHEMA_V2 = """
ALTER TABLE series ADD COLUMN unit TEXT NOT NULL DEFAULT '';
CREATE TABLE IF NOT EXISTS latest_samples (
    series INTEGER PRIMARY KEY,
    at REAL NOT NULL,
    value NOT NULL  -- no declared type: a number or text, kept exactly as given
);
"""
"""Units of series, and each series' latest value (numbers and text) for consoles that do not poll."""

SCHEMA_V3 = """
ALTER TABLE transitions ADD COLUMN state TEXT NOT NULL DEFAULT '';
ALTER TABLE transitions ADD COLUMN reason TEXT NOT NULL DEFAULT '';
ALTER TABLE transitions ADD COLUMN notify INTEGER NOT NULL DEFAULT 0;
ALTER TABLE transitions ADD COLUMN suppressed_by TEXT NOT NULL DEFAULT '';
ALTER TABLE transitions ADD COLUMN flapping INTEGER NOT NULL DEFAULT 0;
"""
"""The rest of the engine's `Transition`, so the store keeps it whole (rows from before read back with an
unknown state, no reason and no notification)."""

SCHEMA_V4 = """
ALTER TABLE audit ADD COLUMN key_id TEXT NOT NULL DEFAULT '';
ALTER TABLE audit_head ADD COLUMN mac TEXT NOT NULL DEFAULT '';
"""
"""The keyed audit chain (`dutyroom.store.audit`): records from before keep `key_id = ''` and their plain hashes;
the first writer that opens the store appends a keyed record after them."""

MIGRATIONS: tuple[str, ...] = (SCHEMA_V1, SCHEMA_V2, SCHEMA_V3, SCHEMA_V4)
"""MIGRATIONS[n] takes the schema from version n to n + 1."""

SCHEMA_VERSION = len(MIGRATIONS)


class SchemaTooNewError(Exception):
    """The database was written by a newer dutyroom; this one refuses to touch it."""


def open_database(state_dir: Path) -> tuple[sqlite3.Connection, Path]:
    """Connect to the state directory's database, creating directory (0700), file and schema if needed."""
    db_path = state_dir / DB_NAME
    created = _prepare_state_dir(state_dir)
    if not db_path.exists():
        created = _make_whole(db_path) or created
    try:
        connection = sqlite3.connect(db_path, timeout=BUSY_TIMEOUT_S, isolation_level=None, check_same_thread=False)
    except sqlite3.Error as exc:
        raise StoreError(f"{db_path}: cannot open: {exc}") from exc
    try:
        connection.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
        _switch_to_wal(connection, db_path)
        ensure_schema(connection)
        if created:
            fsync_directory(state_dir)
    except (sqlite3.Error, SchemaTooNewError, OSError) as exc:
        connection.close()
        raise StoreError(f"{db_path}: cannot open: {exc}") from exc
    except BaseException:
        connection.close()
        raise
    return connection, db_path


def open_existing_database(state_dir: Path, *, read_only: bool) -> tuple[sqlite3.Connection, Path]:
    """Connect to a database that must already exist; never creates the directory or the file.

    `read_only` opens it with `mode=ro` and refuses a schema other than this dutyroom's (it cannot upgrade one);
    otherwise an older schema is upgraded as `open_database` would. SQLite may add its `-wal`/`-shm` files beside
    the database, as every reader of a WAL database does.
    """
    db_path = state_dir / DB_NAME
    if not state_dir.is_dir():
        reason = "is not a directory" if state_dir.exists() else "does not exist"
        raise StoreError(f"state directory {state_dir} {reason}")
    if not db_path.is_file():
        raise StoreError(f"{state_dir} is not a dutyroom state directory (no {DB_NAME})")
    if not read_only:
        check_writer_owns(state_dir)
    mode = "ro" if read_only else "rw"
    try:
        connection = sqlite3.connect(
            f"{db_path.resolve().as_uri()}?mode={mode}",
            uri=True,
            timeout=BUSY_TIMEOUT_S,
            isolation_level=None,
            check_same_thread=False,
        )
    except sqlite3.Error as exc:
        raise StoreError(f"{db_path}: cannot open: {exc}") from exc
    try:
        connection.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
        if read_only:
            _require_current_schema(connection, db_path)
        else:
            _switch_to_wal(connection, db_path)
            ensure_schema(connection)
    except (sqlite3.Error, SchemaTooNewError, OSError) as exc:
        connection.close()
        raise StoreError(f"{db_path}: cannot open: {exc}") from exc
    except BaseException:
        connection.close()
        raise
    return connection, db_path


def _require_current_schema(connection: sqlite3.Connection, db_path: Path) -> None:
    """A read-only reader cannot migrate: it reads only the schema it was written for."""
    version = int(connection.execute("PRAGMA user_version").fetchone()[0])
    if version > SCHEMA_VERSION:
        problem = f"schema version {version} is newer than this dutyroom understands ({SCHEMA_VERSION})"
    elif version < SCHEMA_VERSION:
        problem = (
            f"schema version {version} is older than this dutyroom's ({SCHEMA_VERSION}); "
            "start `dutyroom serve` (or a console) once to upgrade it"
        )
    else:
        return
    raise StoreError(f"{db_path}: cannot open: {problem}")


def _make_whole(db_path: Path) -> bool:
    """Build a new database under a private name and link it into place only once its schema is in.

    A reader (`alerts`, `status`) looking while serve makes the room finds either no database or a whole one,
    never an empty file with schema version 0. Linking refuses to replace: when another process made the
    database first, this one's copy is dropped and theirs is used. True when this process put it in place.
    """
    making = db_path.with_name(f".{db_path.name}.making-{os.getpid()}-{secrets.token_hex(4)}")
    try:
        connection = sqlite3.connect(making, timeout=BUSY_TIMEOUT_S, isolation_level=None)
        try:
            _switch_to_wal(connection, making)
            ensure_schema(connection)
        finally:
            connection.close()  # the last connection checkpoints the WAL into the file and removes it
        with making.open("rb") as made:
            os.fsync(made.fileno())
        try:
            os.link(making, db_path)
        except FileExistsError:
            return False
        except OSError as exc:
            if exc.errno in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV):
                return False  # no hard links here: make it in place, as before
            raise
        return True
    except (sqlite3.Error, SchemaTooNewError, OSError) as exc:
        raise StoreError(f"{db_path}: cannot create: {getattr(exc, 'strerror', None) or exc}") from exc
    finally:
        for leftover in (making, Path(f"{making}-wal"), Path(f"{making}-shm")):
            leftover.unlink(missing_ok=True)


def ensure_schema(connection: sqlite3.Connection) -> int:
    """Bring the schema up to SCHEMA_VERSION (the connection must be in autocommit mode); returns it."""
    connection.execute("BEGIN IMMEDIATE")
    try:
        version = int(connection.execute("PRAGMA user_version").fetchone()[0])
        if version > SCHEMA_VERSION:
            raise SchemaTooNewError(
                f"schema version {version} is newer than this dutyroom understands ({SCHEMA_VERSION})"
            )
        for script in MIGRATIONS[version:]:
            for statement in _statements(script):
                connection.execute(statement)
        if version < SCHEMA_VERSION:
            connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        connection.execute("COMMIT")
    except BaseException:
        if connection.in_transaction:
            connection.execute("ROLLBACK")
        raise
    return SCHEMA_VERSION


def _statements(script: str) -> list[str]:
    """Split a DDL script into statements (executescript would commit the surrounding transaction)."""
    statements: list[str] = []
    pending = ""
    for line in script.splitlines(keepends=True):
        pending += line
        if sqlite3.complete_statement(pending):
            statements.append(pending.strip())
            pending = ""
    if pending.strip():
        statements.append(pending.strip())
    return statements


def _switch_to_wal(connection: sqlite3.Connection, db_path: Path) -> None:
    """Set WAL mode, retrying within the busy timeout: the switch answers "locked" without waiting."""
    deadline = time.monotonic() + BUSY_TIMEOUT_S
    while True:
        try:
            (journal_mode,) = connection.execute("PRAGMA journal_mode = WAL").fetchone()
            break
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() >= deadline:
                raise
            time.sleep(WAL_SWITCH_RETRY_S)
    if str(journal_mode).lower() != "wal":
        raise StoreError(f"{db_path}: cannot switch to WAL mode (got {journal_mode})")


def _prepare_state_dir(state_dir: Path) -> bool:
    """Create the state directory 0700 if missing (True when created); refuse one this user may not own alone."""
    created = False
    try:
        try:
            state_dir.mkdir(mode=0o700, parents=True)
            created = True
        except FileExistsError:
            pass  # an existing directory (perhaps created by a process opening it at the same moment)
        mode = state_dir.stat().st_mode
    except OSError as exc:
        raise StoreError(f"{state_dir}: cannot use as the state directory: {exc.strerror or exc}") from exc
    if not stat.S_ISDIR(mode):
        raise StoreError(f"{state_dir}: the state directory is not a directory")
    check_writer_owns(state_dir)
    return created
