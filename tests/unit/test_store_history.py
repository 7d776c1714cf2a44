"""Metric history: raw samples (1 h), minute roll-ups (48 h), daily peaks (400 days), and pruning."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from dutyroom.model import Labels, Sample, make_labels
from dutyroom.store.database import Store
from dutyroom.store.history import DAILY_RETENTION_S, DAY_S, MINUTE_RETENTION_S, RAW_RETENTION_S

PORT_1 = make_labels({"ifname": "XGE1/0/1"})
PORT_2 = make_labels({"ifname": "XGE1/0/2"})
DAY_START = 1_767_225_600.0  # 2026-01-01 00:00:00 UTC


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store.open(tmp_path) as opened:
        yield opened


def bps(value: float | str, at: float, labels: Labels = PORT_1) -> Sample:
    return Sample("core-sw1", "if.in_bps", value, at, labels, unit="bit/s")


def test_raw_series_keeps_numeric_samples_of_one_series_in_time_order(store: Store) -> None:
    store.record_samples([bps(3.0, DAY_START + 20), bps(1.0, DAY_START), bps(2, DAY_START + 10)])
    store.record_samples(
        [bps(9.0, DAY_START + 10, PORT_2), bps("n/a", DAY_START + 30), bps(float("nan"), DAY_START + 40)]
    )

    assert store.raw_series("core-sw1", "if.in_bps", PORT_1, DAY_START) == [
        (DAY_START, 1.0),
        (DAY_START + 10, 2.0),
        (DAY_START + 20, 3.0),
    ]
    assert store.raw_series("core-sw1", "if.in_bps", PORT_1, DAY_START + 15) == [(DAY_START + 20, 3.0)]
    assert store.raw_series("core-sw1", "if.in_bps", PORT_2, 0) == [(DAY_START + 10, 9.0)]
    assert store.raw_series("core-sw1", "if.in_bps", (), 0) == []
    assert store.raw_series("nowhere", "if.in_bps", PORT_1, 0) == []


def test_a_second_store_reads_series_numbered_by_the_first(tmp_path: Path) -> None:
    with Store.open(tmp_path) as writer, Store.open(tmp_path) as reader:
        writer.record_samples([bps(1.0, DAY_START)])
        reader.record_samples([bps(2.0, DAY_START + 10)])
        writer.record_samples([bps(3.0, DAY_START + 20)])

        assert [value for _, value in reader.raw_series("core-sw1", "if.in_bps", PORT_1, 0)] == [
            1.0,
            2.0,
            3.0,
        ]


def test_minute_rollups_hold_min_max_avg_count_across_batches(store: Store) -> None:
    store.record_samples([bps(10.0, DAY_START + 5), bps(30.0, DAY_START + 15)])
    store.record_samples([bps(20.0, DAY_START + 25), bps(100.0, DAY_START + 65)])

    rollups = store.minute_series("core-sw1", "if.in_bps", PORT_1, DAY_START + 30)

    assert [(r.minute, r.min, r.max, r.avg, r.count) for r in rollups] == [
        (int(DAY_START), 10.0, 30.0, 20.0, 3),
        (int(DAY_START) + 60, 100.0, 100.0, 100.0, 1),
    ]
    assert store.minute_series("core-sw1", "if.in_bps", PORT_1, DAY_START + 60)[0].max == 100.0
    assert store.minute_series("core-sw1", "absent", PORT_1, 0) == []


def test_peak_since_spans_days_and_uses_minutes_for_a_recent_partial_day(store: Store) -> None:
    store.record_samples(
        [
            bps(500.0, DAY_START - DAY_S + 100),  # yesterday
            bps(900.0, DAY_START + 3_600),  # today, early
            bps(400.0, DAY_START + 7_200),  # today, later
        ]
    )

    assert store.peak_since("core-sw1", "if.in_bps", PORT_1, DAY_START - 2 * DAY_S) == 900.0
    assert store.peak_since("core-sw1", "if.in_bps", PORT_1, DAY_START + 5_000) == 400.0
    assert store.peak_since("core-sw1", "if.in_bps", PORT_1, DAY_START + 8_000) is None
    assert store.peak_since("core-sw1", "if.in_bps", PORT_2, 0) is None


def test_peak_since_counts_the_whole_first_day_once_its_minutes_are_pruned(store: Store) -> None:
    long_ago = DAY_START - 10 * DAY_S
    store.record_samples([bps(700.0, long_ago + 100), bps(50.0, long_ago + 50_000), bps(60.0, DAY_START)])
    store.prune(DAY_START + 60)  # minutes of `long_ago` are beyond 48 h: only its daily peak remains

    assert store.peak_since("core-sw1", "if.in_bps", PORT_1, long_ago + 40_000) == 700.0
    assert store.peak_since("core-sw1", "if.in_bps", PORT_1, long_ago + DAY_S) == 60.0


def test_prune_keeps_each_table_within_its_retention(store: Store) -> None:
    now = DAY_START + 100 * DAY_S
    store.record_samples(
        [
            bps(1.0, now - RAW_RETENTION_S - 10),  # raw gone; minute and day kept
            bps(2.0, now - 60),
            bps(3.0, now - MINUTE_RETENTION_S - 120),  # raw and minute gone; day kept
            bps(4.0, now - DAILY_RETENTION_S - 2 * DAY_S),  # everything gone
        ]
    )

    deleted = store.prune(now)

    assert deleted["samples_raw"] == 3
    assert deleted["samples_minute"] == 2
    assert deleted["samples_daily_peak"] == 1
    assert store.raw_series("core-sw1", "if.in_bps", PORT_1, 0) == [(now - 60, 2.0)]
    assert [r.max for r in store.minute_series("core-sw1", "if.in_bps", PORT_1, 0)] == [1.0, 2.0]
    assert store.peak_since("core-sw1", "if.in_bps", PORT_1, 0) == 3.0
    assert store.prune(now)["samples_raw"] == 0


def test_a_large_batch_is_stored_in_one_call(store: Store) -> None:
    samples = [
        Sample(f"host-{t}", "cpu.util_pct", float(i % 100), DAY_START + i, make_labels({"core": str(i % 4)}))
        for t in range(50)
        for i in range(40)
    ]

    store.record_samples(samples)

    assert len(store.raw_series("host-7", "cpu.util_pct", make_labels({"core": "1"}), 0)) == 10
    assert store.peak_since("host-7", "cpu.util_pct", make_labels({"core": "3"}), 0) == 39.0


def test_series_of_lists_metrics_labels_and_units_of_a_target(store: Store) -> None:
    store.record_samples(
        [
            bps(1.0, DAY_START, PORT_2),
            bps(2.0, DAY_START),
            Sample("core-sw1", "sys.descr", "Huawei S6720", DAY_START),
            Sample("ups-a", "ups.runtime_min", 42.0, DAY_START, unit="min"),
        ]
    )

    assert store.series_of("core-sw1") == [
        ("if.in_bps", PORT_1, "bit/s"),
        ("if.in_bps", PORT_2, "bit/s"),
        ("sys.descr", (), ""),
    ]
    assert store.series_of("nowhere") == []


def test_latest_sample_keeps_the_newest_value_number_or_text(store: Store) -> None:
    descr = Sample("core-sw1", "sys.descr", "42", DAY_START + 5)
    store.record_samples([bps(5.0, DAY_START + 10), bps(4.0, DAY_START + 20), descr])
    store.record_samples([bps(1.0, DAY_START + 15)])  # a late, older sample does not replace a newer one

    assert store.latest_sample("core-sw1", "if.in_bps", PORT_1) == (4.0, DAY_START + 20)
    assert store.latest_sample("core-sw1", "sys.descr", ()) == ("42", DAY_START + 5)
    assert store.raw_series("core-sw1", "sys.descr", (), 0) == []
    assert store.latest_sample("core-sw1", "if.in_bps", PORT_2) is None
