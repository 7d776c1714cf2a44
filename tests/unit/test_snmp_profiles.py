"""Profiles as data: loading and checking them, and decoding recorded varbinds without a network."""

from __future__ import annotations

from pathlib import Path

import pytest

from collectors.snmp.decode import decode
from collectors.snmp.decode_common import Fetched, Index
from collectors.snmp.expr import parse_expression
from collectors.snmp.oids import Oid, parse_oid
from collectors.snmp.profile_model import Profile
from collectors.snmp.profiles import ProfileError, installed_profile_names, load_profile, parse_profile
from collectors.snmp.values import Kind, SnmpValue

SNMPREC_DIR = Path(__file__).resolve().parents[2] / ".." / "shared" / "fixtures" / "snmprec"
REQUIRED = {
    "ups-mib", "apc-ups", "apc-rpdu2", "apc-cooling", "akcp-sensorprobe", "entity-sensor", "if-mib",
    "host-resources", "ucd",
}  # fmt: skip
TYPES = {"2": Kind.INTEGER, "4": Kind.OCTETS, "6": Kind.OID, "64": Kind.IP_ADDRESS, "65": Kind.COUNTER32}
TYPES |= {"66": Kind.GAUGE32, "67": Kind.TIMETICKS, "70": Kind.COUNTER64}


def read_recording(name: str) -> dict[Oid, SnmpValue]:
    if not SNMPREC_DIR.is_dir():
        pytest.skip("../shared/fixtures/snmprec is absent")
    values = {}
    for line in (SNMPREC_DIR / f"{name}.snmprec").read_text().splitlines():
        oid, tag, text = line.split("|", 2)
        kind = TYPES[tag.rstrip("x")]
        payload: int | bytes | str
        if kind == Kind.OCTETS:
            payload = bytes.fromhex(text) if tag.endswith("x") else text.encode()
        elif kind in (Kind.OID, Kind.IP_ADDRESS):
            payload = text
        else:
            payload = int(text)
        values[parse_oid(oid)] = SnmpValue(kind, payload)
    return values


def fetched_from(profile: Profile, recording: dict[Oid, SnmpValue]) -> Fetched:
    """What the client would fetch from an agent serving `recording` (GETs and column walks)."""
    absent = SnmpValue(Kind.NO_SUCH_OBJECT)
    scalars = {name: recording.get(oid, absent) for name, oid in profile.scalars.items()}
    tables: dict[str, dict[Index, dict[str, SnmpValue]]] = {}
    for table in profile.tables:
        rows: dict[Index, dict[str, SnmpValue]] = {}
        for column, prefix in table.columns.items():
            for oid, value in recording.items():
                if oid[: len(prefix)] == prefix and len(oid) > len(prefix):
                    rows.setdefault(oid[len(prefix) :], {})[column] = value
        tables[table.name] = rows
    return Fetched(scalars, tables)


def decoded(recording: str, profile_name: str) -> dict[str, dict[tuple[tuple[str, str], ...], float | str]]:
    profile = load_profile(profile_name)
    result = decode(profile, fetched_from(profile, read_recording(recording)), target="t", at=0.0)
    assert not result.problem
    by_metric: dict[str, dict[tuple[tuple[str, str], ...], float | str]] = {}
    for sample in result.samples:
        by_metric.setdefault(sample.metric, {})[sample.labels] = sample.value
    return by_metric


def test_every_required_profile_is_installed_and_loads() -> None:
    assert set(installed_profile_names()) >= REQUIRED
    for name in installed_profile_names():
        profile = load_profile(name)
        assert profile.name == name
        assert profile.metric_names
        assert profile.detect.oids or profile.detect.sys_object_ids


def test_recorded_apc_ups() -> None:
    metrics = decoded("apc_smt750x-nmc2", "apc-ups")
    assert metrics["ups.runtime_min"][()] == pytest.approx(10976200 / 6000)
    assert metrics["ups.output_source"][()] == "normal"
    assert metrics["ups.apc_output_status"][()] == "online"
    assert metrics["ups.battery_voltage_v"][()] == 54.7


def test_recorded_eaton_lines_and_netvision_sentinel() -> None:
    eaton = decoded("eaton-mgeups_93ps", "ups-mib")
    assert eaton["ups.load_pct"] == {(("line", "1"),): 7.0, (("line", "2"),): 19.0, (("line", "3"),): 29.0}
    netvision = decoded("netvision-rfc", "ups-mib")
    assert "ups.runtime_min" not in netvision
    assert netvision["ups.input_voltage_v"] == {(("line", "1"),): 234.0}


def test_recorded_hex_sysdescr_and_interfaces() -> None:
    metrics = decoded("iosxe_asr920", "if-mib")
    assert metrics["if.oper_status"][(("ifname", "Gi0/0/1"),)] == "up"
    assert metrics["if.admin_status"][(("ifname", "Gi0/0/3"),)] == "up"
    assert metrics["if.oper_status"][(("ifname", "Gi0/0/3"),)] == "down"


def test_required_metric_absent_is_a_problem() -> None:
    profile = load_profile("ups-mib")
    result = decode(profile, Fetched({}, {}), target="t", at=0.0)
    assert result.problem == "ups.output_source: output_source (1.3.6.1.2.1.33.1.4.1.0) missing"
    assert not result.samples


def test_scalar_of_the_wrong_type_is_a_problem() -> None:
    profile = load_profile("ups-mib")
    scalars = {"output_source": SnmpValue(Kind.INTEGER, 3), "minutes_remaining": SnmpValue(Kind.OCTETS, b"\x1b[31m")}
    result = decode(profile, Fetched(scalars, {}), target="t", at=0.0)
    assert result.problem == 'minutes_remaining: expected a number, got OctetString "\\x1b[31m"'


def test_unknown_enum_code_keeps_the_number() -> None:
    profile = load_profile("ups-mib")
    result = decode(profile, Fetched({"output_source": SnmpValue(Kind.INTEGER, 42)}, {}), target="t", at=0.0)
    assert [s.value for s in result.samples if s.metric == "ups.output_source"] == ["code-42"]
    assert [s.value for s in result.samples if s.metric == "ups.on_battery"] == [0.0]


def test_on_battery_and_hostile_labels() -> None:
    profile = load_profile("akcp-sensorprobe")
    row = {
        "description": SnmpValue(Kind.OCTETS, b"Water leak \x1b]0;x\x07 [bold]rack 3[/]"),
        "status": SnmpValue(Kind.INTEGER, 4),
        "online": SnmpValue(Kind.INTEGER, 1),
    }
    result = decode(profile, Fetched({}, {"switch": {(0,): row}}), target="t", at=0.0)
    leak = [s for s in result.samples if s.metric == "env.water_leak"]
    assert [s.value for s in leak] == [1.0]
    assert leak[0].labels == (("sensor", "Water leak \\x1b]0;x\\x07 [bold]rack 3[/]"),)


def write_profile(directory: Path, name: str, text: str) -> None:
    (directory / f"{name}.toml").write_text(text)


def test_site_profiles_come_first_and_are_checked(tmp_path: Path) -> None:
    write_profile(
        tmp_path,
        "ups-mib",
        'name = "ups-mib"\n[scalars]\nx = "1.3.6.1.4.1.1.0"\n[[metric]]\nname = "site.x"\nvalue = "x * 2"\n',
    )
    assert load_profile("ups-mib", [tmp_path]).metric_names == ("site.x",)
    assert load_profile("ups-mib").metric_names != ("site.x",)
    with pytest.raises(ProfileError, match="no profile named"):
        load_profile("nope", [tmp_path])


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ({"name": "p", "colour": "red"}, "unknown key"),
        ({"name": "p", "scalars": {"x": "1.3.6.x"}}, "not a numeric OID"),
        ({"name": "p", "metric": [{"name": "p.y", "value": "y"}]}, "unknown name"),
        (
            {"name": "p", "scalars": {"x": "1.3.6.1"}, "metric": [{"name": "p.x", "value": "__import__('os')"}]},
            "not allowed",
        ),
        (
            {"name": "p", "scalars": {"x": "1.3.6.1"}, "metric": [{"name": "p.x", "value": "x", "kind": "odd"}]},
            "not a valid",
        ),
        (
            {"name": "p", "scalars": {"x": "1.3.6.1"}, "metric": [{"name": "p.x", "value": "x", "kind": "enum"}]},
            "needs `enum`",
        ),
        ({"name": "p", "scalars": {"x": "1.3.6.1"}, "metric": [{"name": "P X", "value": "x"}]}, "name"),
        ({"name": "p", "table": [{"name": "t", "columns": {"a": "1.3.6.1"}, "labels": {"l": "b"}}]}, "unknown"),
        (
            {"name": "p", "table": [{"name": "t", "columns": {"a": "1.3.6.1"}, "where": {"a": {"match": "("}}}]},
            "regular expression",
        ),
    ],
)
def test_malformed_profiles_are_refused(document: dict[str, object], message: str) -> None:
    with pytest.raises(ProfileError, match=message):
        parse_profile(document)


def test_expressions_are_arithmetic_only() -> None:
    assert parse_expression("100 * used / size").evaluate({"used": 1.0, "size": 4.0}) == 25.0
    assert parse_expression("value * 10 ** (3 * (scale - 9) - precision)").evaluate(
        {"value": 415.0, "scale": 9.0, "precision": 1.0}
    ) == pytest.approx(41.5)
    assert parse_expression("a / b").evaluate({"a": 1.0, "b": 0.0}) is None
    assert parse_expression("a").evaluate({}) is None
    assert parse_expression("(-8) ** 0.5").evaluate({}) is None  # complex: not a number
    for hostile in ("a.b", "f(a)", "a[0]", "lambda: 1", "'x'", "a if b else c"):
        with pytest.raises(ValueError, match=r"not allowed|cannot parse"):
            parse_expression(hostile)


def phase_labels(phase: str) -> dict[str, object]:
    return {"ups": "index", "phase": {"text": phase}}


def test_a_label_can_be_fixed_text() -> None:
    """Phases kept in columns of one row (a DCS's UPS: input volts A, B, C) still become one labelled metric."""
    document: dict[str, object] = {
        "name": "phases",
        "detect": {"oids": ["1.3.6.1.4.1.99999.1"]},
        "table": [
            {
                "name": "ups",
                "labels": {"ups": "index"},
                "columns": {"a": "1.3.6.1.4.1.99999.1.2", "b": "1.3.6.1.4.1.99999.1.3"},
                "metric": [
                    {"name": "ups.input_voltage_v", "value": f"{phase.lower()} / 10", "labels": phase_labels(phase)}
                    for phase in "AB"
                ],
            }
        ],
    }
    profile = parse_profile(document)
    row = {"a": SnmpValue(Kind.INTEGER, 2392), "b": SnmpValue(Kind.INTEGER, 2401)}
    result = decode(profile, Fetched({}, {"ups": {(1,): row}}), target="t", at=0.0)
    assert {s.labels: s.value for s in result.samples} == {
        (("phase", "A"), ("ups", "1")): pytest.approx(239.2),
        (("phase", "B"), ("ups", "1")): pytest.approx(240.1),
    }
    with pytest.raises(ProfileError, match="text"):
        parse_profile(document | {"table": [{**document["table"][0], "labels": {"phase": {"text": 3}}}]})  # type: ignore[index]
