"""`dutyroom check` refuses a room that reads back the Alertmanager it sends to when its alerts cannot carry the
`dutyroom_site` mark (an empty site name: Alertmanager drops empty labels), so they would come back as new."""

from __future__ import annotations

from pathlib import Path

import pytest

from dutyroom.config.load import load_config
from dutyroom.config.problems import ConfigError

ROOM = """\
[site]
name = "{name}"

[alertmanager]
urls = ["http://127.0.0.1:9093/", "{destination}"]

[[target]]
id = "firm-am"
group = "monitoring"
kind = "alertmanager"
url = "{source}"
"""


def write(tmp_path: Path, name: str, source: str, destination: str = "https://am2.example:9093") -> Path:
    config = tmp_path / "checks.toml"
    config.write_text(ROOM.format(name=name, source=source, destination=destination))
    (tmp_path / "playbooks").mkdir()
    return config


@pytest.mark.parametrize("source", ["http://127.0.0.1:9093", "http://127.0.0.1:9093/", "https://AM2.example:9093/"])
def test_the_same_alertmanager_as_source_and_destination_without_a_site_name_is_refused_at_the_name(
    tmp_path: Path, source: str
) -> None:
    config = write(tmp_path, "", source)
    with pytest.raises(ConfigError) as raised:
        load_config(config)
    [problem] = raised.value.problems
    assert (problem.line, problem.col) == (2, 8)
    assert "target 'firm-am' reads the Alertmanager" in problem.message
    assert "dutyroom_site" in problem.message


def test_with_a_site_name_the_mark_is_there_and_the_room_loads(tmp_path: Path) -> None:
    assert load_config(write(tmp_path, "SZ core", "http://127.0.0.1:9093")).parsed.site.name == "SZ core"


def test_another_alertmanager_as_source_needs_no_name_here(tmp_path: Path) -> None:
    assert load_config(write(tmp_path, "", "http://127.0.0.1:9094")).parsed.site.name == ""
