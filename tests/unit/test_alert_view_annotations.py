"""A view shows what the alert's source wrote about it: an Alertmanager alert's summary goes where a rule's
summary goes (the source's words name this alert, the rule's only its kind), and its description beside it."""

from __future__ import annotations

from pathlib import Path

import pytest

from dutyroom.config.load import LoadedConfig, load_config
from dutyroom.model import State
from dutyroom.operators.state import OperatorState
from dutyroom.rules.alert import AlertPhase, Check
from dutyroom.views.alerts import AlertView, alert_views
from tui.cli.alert_document import alert_json

CONFIG = """
[site]
name = "room"
language = "{language}"
[[target]]
id = "firm-am"
group = "monitoring"
kind = "alertmanager"
url = "http://127.0.0.1:9093"
[[rule]]
id = "disk-filling"
metric = "alertmanager.alert"
labels = {{ alertname = "DiskFilling" }}
warning = ">= 1"
summary = "A disk is filling"
summary_zh = "磁盘将满"
"""
WORDS = (("description", "free space falls by 2 GiB an hour"), ("summary", "Disk /var on db1 will fill in 4h"))


def config(tmp_path: Path, language: str = "en") -> LoadedConfig:
    path = tmp_path / "checks.toml"
    path.write_text(CONFIG.format(language=language))
    return load_config(path, require_env=False)


def view(config: LoadedConfig, annotations: tuple[tuple[str, str], ...]) -> AlertView:
    check = Check(
        fingerprint="f1",
        rule="disk-filling",
        target="firm-am",
        labels=(("alertname", "DiskFilling"),),
        phase=AlertPhase.FIRING,
        state=State.WARNING,
        severity="warning",
        value=1.0,
        value_at=100.0,
        annotations=annotations,
    )
    [shown] = alert_views(config, [check], OperatorState(), 100.0)
    return shown


@pytest.mark.parametrize("language", ["en", "zh"])
def test_the_sources_summary_comes_before_the_rules(tmp_path: Path, language: str) -> None:
    shown = view(config(tmp_path, language), WORDS)
    assert shown.summary == "Disk /var on db1 will fill in 4h"
    assert shown.description == "free space falls by 2 GiB an hour"


@pytest.mark.parametrize(("language", "summary"), [("en", "A disk is filling"), ("zh", "磁盘将满")])
def test_without_the_sources_words_the_rule_speaks(tmp_path: Path, language: str, summary: str) -> None:
    shown = view(config(tmp_path, language), ())
    assert (shown.summary, shown.description) == (summary, "")


def test_alerts_json_prints_both(tmp_path: Path) -> None:
    document = alert_json(view(config(tmp_path), WORDS))
    assert document["summary"] == "Disk /var on db1 will fill in 4h"
    assert document["description"] == "free space falls by 2 GiB an hour"
    assert alert_json(view(config(tmp_path), ()))["description"] is None
