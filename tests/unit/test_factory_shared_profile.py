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


BASE = """\
name = "site-base"
[scalars]
temp = "1.3.6.1.4.1.99999.1.1.0"
[[metric]]
name = "room.temperature"
value = "temp"
unit = "celsius"
"""

CHILD = """\
name = "site-child"
extends = "site-base"
[scalars]
humidity = "1.3.6.1.4.1.99999.1.2.0"
[[metric]]
name = "room.humidity"
value = "humidity"
unit = "percent"
"""


def test_an_edit_to_the_profile_a_profile_extends_is_picked_up_too(tmp_path: Path) -> None:
    """A reload after editing only the base must not keep polling with the old base (the cache key was the
    child file alone)."""
    (tmp_path / "site-base.toml").write_text(BASE)
    (tmp_path / "site-child.toml").write_text(CHILD)
    first = _shared_profile("site-child", [tmp_path])
    assert [metric.name for metric in first.metrics] == ["room.temperature", "room.humidity"]
    assert _shared_profile("site-child", [tmp_path]) is first
    (tmp_path / "site-base.toml").write_text(
        BASE + '[[metric]]\nname = "room.dewpoint"\nvalue = "temp"\nunit = "celsius"\n'
    )
    again = _shared_profile("site-child", [tmp_path])
    assert [metric.name for metric in again.metrics] == ["room.temperature", "room.dewpoint", "room.humidity"]
