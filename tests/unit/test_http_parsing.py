"""JSON field paths, the Prometheus selector (on a real node_exporter capture) and the HTTP target spec."""

from __future__ import annotations

from pathlib import Path

import pytest

from collectors.http import status_reason, summarize_problems
from collectors.http_fetch import describe_size
from collectors.http_json import InvalidJsonError, decode_json, extract_fields, parse_json_path
from collectors.http_spec import HttpTargetSpec
from collectors.prom import PromSelector, keep_wanted_lines, select_samples

NODE_EXPORTER_CAPTURE = (
    Path(__file__).resolve().parents[1] / "integration" / "fixtures" / "node_exporter_1.5.0_metrics.prom"
)


@pytest.mark.parametrize(
    ("path", "steps"),
    [
        ("throughput.orders", ("throughput", "orders")),
        ("queues[0].depth", ("queues", 0, "depth")),
        ("[1]", (1,)),
        ("a[0][2].b-c", ("a", 0, 2, "b-c")),
    ],
)
def test_json_paths_parse(path: str, steps: tuple[str | int, ...]) -> None:
    assert parse_json_path(path) == steps


@pytest.mark.parametrize("path", ["", ".a", "a.", "a..b", "a[x]", "a[0", "a]"])
def test_malformed_json_paths_are_refused(path: str) -> None:
    with pytest.raises(ValueError, match="malformed JSON path"):
        parse_json_path(path)


def test_fields_become_samples_and_problems_name_the_path() -> None:
    document = decode_json(
        b'{"throughput": {"orders": 1250, "ready": true}, "queues": [{"depth": 3.5}],'
        b' "session": "open\\u001b[31m", "gone": null, "nested": {"x": 1}}'
    )
    fields = {
        "orders_per_s": "throughput.orders",
        "ready": "throughput.ready",
        "queue": "queues[0].depth",
        "session": "session",
        "missing": "throughput.matched",
        "beyond": "queues[3].depth",
        "null": "gone",
        "object": "nested",
    }
    samples, problems = extract_fields(document, fields, "oms-gw1", 100.0)
    values = {sample.metric: sample.value for sample in samples}
    assert values == {"orders_per_s": 1250.0, "ready": 1.0, "queue": 3.5, "session": "open\\x1b[31m"}
    assert all(sample.target == "oms-gw1" and sample.at == 100.0 for sample in samples)
    assert problems == [
        "field throughput.matched missing",
        "field queues[3].depth missing",
        "field gone is null",
        "field nested is an object, not a value",
    ]


def test_huge_numbers_are_a_problem_not_a_crash() -> None:
    samples, problems = extract_fields(decode_json(b'{"a": 1e999, "b": NaN}'), {"a": "a", "b": "b"}, "t", 0)
    assert samples == []
    assert problems == ["field a is not a finite number", "field b is not a finite number"]


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b'{"a": tru}', "invalid JSON at line 1 col 7"),
        (b'{\n  "a": 1,\n}', "invalid JSON at line 3 col 1"),
        (b"", "invalid JSON at line 1 col 1"),
        (b'{"a": "\xff"}', "invalid JSON: not UTF-8 text"),
        (b"[" * 100_000, "invalid JSON: nested too deeply"),
        (b"1" * 5000, "invalid JSON: value out of range"),
    ],
)
def test_invalid_json_reasons(body: bytes, reason: str) -> None:
    with pytest.raises(InvalidJsonError) as caught:
        decode_json(body)
    assert str(caught.value) == reason


def test_prometheus_selectors_on_a_real_node_exporter_capture() -> None:
    text = NODE_EXPORTER_CAPTURE.read_text()
    selectors = [
        PromSelector.from_config("load1", "node_load1"),
        PromSelector.from_config("cpu0_idle_s", "node_cpu_seconds_total", {"cpu": "0", "mode": "idle"}),
        PromSelector.from_config("idle_s", "node_cpu_seconds_total", {"mode": "idle"}),
        PromSelector.from_config("root_size", "node_filesystem_size_bytes", {"mountpoint": "/"}),
        PromSelector.from_config("nope", "node_no_such_metric"),
    ]
    samples, problems = select_samples(text, selectors, "console", 5.0)
    by_metric: dict[str, list[tuple[tuple[tuple[str, str], ...], float | str]]] = {}
    for sample in samples:
        by_metric.setdefault(sample.metric, []).append((sample.labels, sample.value))
    assert by_metric["load1"] == [((), 0.17)]
    assert by_metric["cpu0_idle_s"] == [((), 689.95)]
    assert sorted(by_metric["idle_s"]) == [((("cpu", "0"),), 689.95), ((("cpu", "1"),), 644.41)]
    assert by_metric["root_size"] == [((("device", "/dev/vda"), ("fstype", "ext4")), 2.70553174016e11)]
    assert problems == ["series node_no_such_metric missing"]


def test_only_wanted_families_reach_the_parser() -> None:
    text = NODE_EXPORTER_CAPTURE.read_text()
    kept = keep_wanted_lines(text, {"node_load1", "node_cpu_seconds_total"})
    names = {line.split("{")[0].split()[0] for line in kept.splitlines() if not line.startswith("#")}
    assert names == {"node_load1", "node_cpu_seconds_total"}
    assert "# TYPE node_cpu_seconds_total counter" in kept
    assert len(kept) < len(text) // 10


def test_prometheus_label_pinning_and_nan() -> None:
    text = (
        "# TYPE gateway_orders_total counter\n"
        'gateway_orders_total{venue="sse"} 1500\n'
        'gateway_orders_total{venue="szse"} 900\n'
        "# TYPE latency summary\n"
        'latency{quantile="0.99"} NaN\n'
        "latency_count 0\n"
    )
    selectors = [
        PromSelector.from_config("orders_sse", "gateway_orders_total", {"venue": "sse"}),
        PromSelector.from_config("p99", "latency", {"quantile": "0.99"}),
        PromSelector.from_config("latency_count", "latency_count"),
    ]
    samples, problems = select_samples(text, selectors, "gw", 1.0)
    assert [(s.metric, s.labels, s.value) for s in samples] == [
        ("orders_sse", (), 1500.0),
        ("latency_count", (), 0.0),
    ]
    assert problems == ['series latency{quantile="0.99"} missing']


def test_broken_exposition_raises_a_clean_value_error() -> None:
    with pytest.raises(ValueError, match=r"^invalid Prometheus text") as caught:
        select_samples('up{job="a} 1\n', [PromSelector.from_config("up", "up")], "t", 0.0)
    assert "\x1b" not in str(caught.value)


def test_spec_hides_secrets_and_refuses_bad_shapes() -> None:
    spec = HttpTargetSpec(
        "gw", "https://10.1.2.10/health", bearer_token="s3cret-token", headers={"X-Api-Key": "k3y-value"}
    )
    assert "s3cret-token" not in repr(spec)
    assert "k3y-value" not in repr(spec)
    with pytest.raises(ValueError, match="not in the url") as caught:
        HttpTargetSpec("gw", "http://ops:hunter2@10.1.2.10/health")
    assert "hunter2" not in str(caught.value)
    with pytest.raises(ValueError, match="either JSON fields or Prometheus"):
        HttpTargetSpec("gw", "http://h/", fields={"a": "a"}, prometheus=(PromSelector.from_config("u", "up"),))
    with pytest.raises(ValueError, match="http:// or https://"):
        HttpTargetSpec("gw", "ftp://h/")
    with pytest.raises(ValueError, match="malformed JSON path"):
        HttpTargetSpec("gw", "http://h/", fields={"a": "a..b"})


def test_reason_helpers() -> None:
    assert status_reason(503, "whatever") == "HTTP 503 Service Unavailable"
    assert status_reason(599, "Custom") == "HTTP 599 Custom"
    assert describe_size(1 << 20) == "1 MiB"
    assert describe_size(1536) == "1.5 KiB"
    assert describe_size(10) == "10 bytes"
    assert summarize_problems(["a", "b", "c"]) == "a (and 2 more)"


def test_counter_declared_without_total_is_found_by_its_written_name() -> None:
    text = "# TYPE legacy_orders counter\nlegacy_orders 7\n"
    samples, problems = select_samples(text, [PromSelector.from_config("orders", "legacy_orders")], "gw", 0.0)
    assert [(s.metric, s.value) for s in samples] == [("orders", 7.0)]
    assert problems == []
