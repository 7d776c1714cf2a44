"""`dutyroom report` over a period holding the shift built through the engine and the command line: every
section in English and Chinese Markdown at 80 columns, and the single CSV with its section column.
"""

# ruff: noqa: F811 (the fixture imported from test_handover_history is a parameter here)
from __future__ import annotations

import csv
import io
import re
from datetime import datetime

import pytest
from test_handover_cli import cells, find, flat, sections
from test_handover_history import TZ, ShiftHistory, shift  # noqa: F401 (fixture)

pytestmark = pytest.mark.integration


def table_rows(section: str) -> list[list[str]]:
    """The body rows of the first Markdown table in `section`, as stripped cells."""
    lines = [line for line in section.splitlines() if line.startswith("|")][2:]
    return [[cell.strip() for cell in line.strip("|").split("|")] for line in lines]


def minutes(duration: str) -> int:
    """Minutes in a duration as the report writes it: 45s, 12m, 3h05m, 2d04h."""
    match = re.fullmatch(r"(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:\d+s)?", duration)
    assert match, duration
    days, hours, mins = (int(part or 0) for part in match.groups())
    return days * 1440 + hours * 60 + mins


def period(shift: ShiftHistory) -> list[str]:
    since = datetime.fromtimestamp(shift.shift_start - 3600, TZ).strftime("%Y-%m-%dT%H:%M")
    return ["--since", since]


@pytest.fixture(scope="module")
def reports(shift: ShiftHistory) -> dict[str, str]:
    written = {}
    for name, extra in (("en.md", ["--lang", "en"]), ("zh.md", ["--lang", "zh"]), ("en.csv", ["--format", "csv"])):
        out = shift.root / f"report-{name}"
        result = shift.cli("report", *period(shift), *extra, "--out", str(out))
        assert result.returncode == 0, result.stderr
        written[name] = out.read_text(encoding="utf-8")
    return written


def test_english_report_sections(reports: dict[str, str]) -> None:
    text = reports["en.md"]
    parts = sections(text, "md")
    head = flat(text.split("## ")[0].replace("\\", ""))
    assert re.search(r"\d+ incidents \(2 critical\); availability \d+\.\d\d%", head)

    by_group = find(parts, "Availability by group")
    for label in ("Power", "Network", "Trading systems", "Environment"):
        assert label in by_group
    by_target = find(parts, "Availability by target")
    rows = {cells[0]: cells[1:] for cells in table_rows(by_target)}
    group, available, critical, warning = rows["core-sw"]
    assert group == "Network"
    assert available != "100.00%"
    assert minutes(critical) >= 115  # down from minute 62 of the shift until the report
    assert minutes(warning) == 0
    assert rows["temp-1"][1:] == ["100.00%", "0s", rows["temp-1"][3]]  # stale is a warning, not downtime
    assert minutes(rows["temp-1"][3]) >= 50
    assert rows["ups-b"][1:] == ["100.00%", "0s", "0s"]  # the drill left no downtime

    incidents = flat(find(parts, "Incidents"))
    ups = incidents[incidents.index("ups-a ups-runtime-low [critical]") :]
    ups = ups[: ups.index("time to acknowledge")]
    order = [
        "first alert (pending), value 10",
        "firing, critical, value 10",
        "playbook UPS runtime low started by dutyroom-engine",
        "step 1 done by alice from 10.8.0.5",
        "step 2 ticked by alice from 10.8.0.5, awaiting confirmation: Shed non-trading load in the agreed order.",
        "step 2 confirmed by bob from 10.8.0.6, done",
        "note by alice from 10.8.0.5: runtime steady at 10 min",
        "acknowledged by",
        "on site, vendor called",
    ]
    positions = [ups.index(phrase) for phrase in order]
    assert positions == sorted(positions)
    assert "step 2 done" not in ups, "a two-person step is not done until confirmed"
    gateway = incidents[incidents.index("trade-gw gw-latency [warning]") :]
    assert "acknowledged by bob from 10.8.0.6" in gateway[:600]
    assert re.search(r"resolved, value 20 time to acknowledge 5m; time to resolve 30m", gateway)
    assert "temp-1 temp-high [warning]" in incidents  # the previous shift's, inside the report period
    assert "ups-b" not in incidents, "a drill was counted as an incident"

    deadlines = flat(find(parts, "Playbook deadlines"))
    assert "MISSED: Call the UPS vendor" in deadlines
    assert "met: Check the UPS panel" in deadlines
    assert "[DRILL] MISSED" in deadlines

    capacity = find(parts, "Capacity: peaks")
    assert re.search(r"oms +\| orders-capacity \| +1,100 \| +3,000 \| +2\.73x \| +3x \| BELOW", capacity)

    actions = flat(find(parts, "Operator actions"))
    for phrase in ("bob from 10.8.0.6: ack trade-gw gw-latency", "alice from 10.8.0.5: step ups-a", "handover-note"):
        assert phrase in actions
    assert "silence target=temp-1" in actions
    assert "dutyroom-engine" not in actions

    drills = flat(find(parts, "DRILLS"))
    assert "[DRILL] ups-b ups-runtime-low [critical]" in drills
    assert "drill: simulated battery test on UPS-B" in drills


def test_chinese_report_sections(reports: dict[str, str]) -> None:
    parts = sections(reports["zh.md"], "md")
    for prefix in ("分组可用率", "对象可用率", "事件", "预案时限", "容量：报告期峰值与容量", "操作记录", "演练"):
        find(parts, prefix)
    assert "供配电" in find(parts, "分组可用率")
    incidents = flat(find(parts, "事件"))
    assert "首次告警（待定）" in incidents
    assert "第 2 步 bob from 10.8.0.6 复核" in incidents
    assert "确认用时 5m；恢复用时 30m" in incidents
    assert "超时：致电 UPS 厂商" in flat(find(parts, "预案时限"))
    assert "不足" in find(parts, "容量")


@pytest.mark.parametrize("name", ["en.md", "zh.md"])
def test_report_fits_80_columns(reports: dict[str, str], name: str) -> None:
    assert not [line for line in reports[name].splitlines() if cells(line) > 80]


def test_one_csv_with_a_section_column_and_its_own_legend(reports: dict[str, str]) -> None:
    text = reports["en.csv"]
    assert text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"))))
    by_section: dict[str, list[dict[str, str]]] = {}
    for row in rows:
        by_section.setdefault(row["section"], []).append(row)
    assert set(by_section) == {
        "legend",
        "availability-group",
        "availability-target",
        "incident",
        "incident-event",
        "deadline",
        "capacity",
        "action",
    }
    header = list(rows[0])
    assert [row["kind"] for row in by_section["legend"]] == header, "every column is explained, in order"
    assert all(row["detail"] for row in by_section["legend"])
    assert rows[: len(header)] == by_section["legend"], "the legend comes first"
    core = {row["kind"]: row for row in by_section["availability-target"] if row["target"] == "core-sw"}
    assert float(core["critical"]["duration_s"]) > 3600
    assert abs(sum(float(core[kind]["share"]) for kind in ("ok", "warning", "critical")) - 1) < 1e-5
    ups = [row for row in by_section["incident"] if row["target"] == "ups-a"]
    assert len(ups) == 1
    assert ups[0]["severity"] == "critical"
    assert ups[0]["state"] == "open"
    assert float(ups[0]["ack_s"]) > 3600  # acknowledged from the command line, hours after it fired
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+08:00", ups[0]["start"])
    events = [row for row in by_section["incident-event"] if row["alert"] == ups[0]["alert"]]
    assert [row["kind"] for row in events[:3]] == ["pending", "firing", "run-start"]
    assert {"step", "step-confirm", "ack", "note"} <= {row["kind"] for row in events}
    two_person = [(row["kind"], row["state"]) for row in events if row["step"] == "2"]
    assert two_person == [("step", "awaiting-confirmation"), ("step-confirm", "done")]
    assert next(row["detail"] for row in events if row["step"] == "2").startswith("Shed non-trading load")
    drills = [row for row in by_section["incident"] if row["drill"] == "1"]
    assert [row["target"] for row in drills] == ["ups-b"]
    assert {row["state"] for row in by_section["deadline"]} == {"met", "missed"}
    capacity = {row["kind"]: row["amount"] for row in by_section["capacity"]}
    assert capacity == {"peak": "1100", "capacity": "3000", "headroom": "2.727273", "needed": "3"}
    bait = [row for row in by_section["action"] if "HYPERLINK" in row["detail"]]
    assert bait
    assert bait[0]["detail"].startswith("'=")  # a spreadsheet must not run it as a formula


def test_report_to_standard_output_and_bad_periods(shift: ShiftHistory) -> None:
    printed = shift.cli("report", *period(shift))
    assert printed.returncode == 0, printed.stderr
    assert printed.stdout.startswith("# Operations report: 张江主机房 Zhangjiang DC")
    backwards = shift.cli("report", "--since", "2030-01-02", "--until", "2030-01-01")
    assert backwards.returncode == 1
    assert "must end after it starts" in backwards.stderr
    garbage = shift.cli("report", "--since", "yesterday")
    assert garbage.returncode == 1
    assert "--since: bad time 'yesterday'" in garbage.stderr
    assert "Traceback" not in garbage.stderr + backwards.stderr
