"""A writer refuses, in one line that says what to change, a state directory it does not own alone."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from dutyroom.store.database import Store
from dutyroom.store.ownership import check_writer_owns, user_name
from dutyroom.store.records import StoreError

NOBODY = 65534
needs_root = pytest.mark.skipif(os.geteuid() != 0, reason="giving a file to another user needs root")


def test_a_directory_of_ones_own_at_0750_is_fine(tmp_path: Path) -> None:
    tmp_path.chmod(0o750)

    check_writer_owns(tmp_path)


@pytest.mark.parametrize(("mode", "whom"), [(0o2770, "its group"), (0o775, "its group"), (0o757, "others")])
def test_a_shared_writable_directory_says_chmod(tmp_path: Path, mode: int, whom: str) -> None:
    tmp_path.chmod(mode)

    with pytest.raises(StoreError) as raised:
        Store.open(tmp_path)

    message = str(raised.value)
    assert f"writable by {whom} (mode {mode:04o})" in message
    assert f"chmod g-w,o-w {tmp_path}" in message
    assert "\n" not in message


@needs_root
def test_a_directory_of_another_user_says_whom_to_run_as(tmp_path: Path) -> None:
    os.chown(tmp_path, NOBODY, -1)

    with pytest.raises(StoreError) as raised:
        Store.open(tmp_path)

    nobody = user_name(NOBODY)
    assert str(raised.value) == (
        f"{tmp_path}: the state directory belongs to {nobody}, not to {user_name(0)} who runs this: run it as "
        f"{nobody} (e.g. sudo -u {nobody} dutyroom ...), or chown -R {user_name(0)} {tmp_path}"
    )
    assert not (tmp_path / "dutyroom.db").exists()


@needs_root
def test_a_file_left_by_another_user_is_named(tmp_path: Path) -> None:
    Store.open(tmp_path).close()
    os.chown(tmp_path / "dutyroom.db", NOBODY, -1)

    with pytest.raises(StoreError, match=r"dutyroom.db belongs to .*: chown root .*/\*, or run as"):
        Store.open(tmp_path)
