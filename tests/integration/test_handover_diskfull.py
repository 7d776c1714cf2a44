"""R9 with a real full disk: the handover directory is a tiny tmpfs (mounted in a user and mount namespace with
`unshare -rm`, so no root is needed), filled up with `dd`. Through the command line: the previous handover
stays intact, no partial file is left, and the operator sees the error with the path and exit status 1.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from dutyroom.store.database import Store

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]
CONFIG = '[site]\nname = "tmpfs room"\nshifts = ["08:00", "20:00"]\n'
SCRIPT = r"""
set -u
cli() { "$PY" -m tui.cli.main "$@" --config "$CONFIG" --state "$STATE"; }
mkdir -p "$STATE/handovers"
mount -t tmpfs -o size=128k,mode=0700 tmpfs "$STATE/handovers" || exit 97
cli handover >"$OUT/first.out" 2>"$OUT/first.err"; echo $? >"$OUT/first.rc"
previous=$(ls "$STATE/handovers"/handover-*.md)
cp "$previous" "$OUT/previous.md"
dd if=/dev/zero of="$STATE/handovers/.fill" bs=4k >/dev/null 2>&1
sleep 1
cli handover >"$OUT/new.out" 2>"$OUT/new.err"; echo $? >"$OUT/new.rc"
cli handover --out "$previous" >"$OUT/over.out" 2>"$OUT/over.err"; echo $? >"$OUT/over.rc"
cli handover --sign >"$OUT/sign.out" 2>"$OUT/sign.err"; echo $? >"$OUT/sign.rc"
ls -A "$STATE/handovers" >"$OUT/listing"
cp "$previous" "$OUT/after.md"
echo "$previous" >"$OUT/previous.path"
"""


def test_full_tmpfs_keeps_the_previous_handover(tmp_path: Path) -> None:
    if shutil.which("unshare") is None:
        pytest.skip("unshare (util-linux) is not installed")
    probe = subprocess.run(["unshare", "-rm", "true"], capture_output=True, timeout=30, check=False)
    if probe.returncode != 0:
        pytest.skip(f"user namespaces are not available here: {probe.stderr.decode(errors='replace').strip()}")
    config = tmp_path / "checks.toml"
    config.write_text(CONFIG)
    Store.open(tmp_path / "state").close()  # the room exists: handover never creates a state directory
    out = tmp_path / "out"
    out.mkdir()
    environment = {
        "PATH": "/usr/bin:/bin:/usr/sbin:/sbin",
        "PY": sys.executable,
        "CONFIG": str(config),
        "STATE": str(tmp_path / "state"),
        "OUT": str(out),
        "PYTHONPATH": str(ROOT),
        "HOME": str(tmp_path),
    }
    run = subprocess.run(
        ["unshare", "-rm", "sh", "-c", SCRIPT], env=environment, cwd=ROOT, capture_output=True, timeout=240, check=False
    )
    if run.returncode == 97:
        pytest.skip("cannot mount a tmpfs in a user namespace here")
    assert run.returncode == 0, run.stderr.decode(errors="replace")

    def read(name: str) -> str:
        return (out / name).read_text(encoding="utf-8").strip()

    assert read("first.rc") == "0", read("first.err")
    previous = Path(read("previous.path"))
    for attempt in ("new", "over", "sign"):
        assert read(f"{attempt}.rc") == "1", f"{attempt}: {read(attempt + '.out')}"
        assert "No space left on device" in read(f"{attempt}.err")
        assert "Traceback" not in read(f"{attempt}.err")
    assert str(previous.parent / "handover-") in read("new.err")
    assert f"cannot write {previous}" in read("over.err")
    assert f"cannot write {previous}" in read("sign.err")
    assert (out / "after.md").read_bytes() == (out / "previous.md").read_bytes()
    assert sorted(read("listing").split()) == sorted([".fill", previous.name])
