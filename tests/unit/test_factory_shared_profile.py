"""A profile is parsed once per file version, not once per target (bench/scale: a third of the first pass)."""

from __future__ import annotations

from pathlib import Path

from collectors.factory import _shared_profile
from collectors.snmp.profiles import INSTALLED_DIR


def test_targets_share_one_parse_until_the_file_changes(tmp_path: Path) -> None:
    (tmp_path / "if-mib.toml").write_text((INSTALLED_DIR / "if-mib.toml").read_text())
    first = _shared_profile("if-mib", [tmp_path])
    assert _shared_profile("if-mib", [tmp_path]) is first
    with (tmp_path / "if-mib.toml").open("a") as file:
        file.write("\n# edited\n")
    again = _shared_profile("if-mib", [tmp_path])
    assert again is not first
    assert again.name == first.name
