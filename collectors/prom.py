"""Pick selected series out of a Prometheus text exposition (node_exporter, gateway `/metrics`).

A selector names a series as PromQL would (`gateway_orders_total`, exact sample name) plus labels that
must match exactly; each matching series becomes one Sample under the selector's dutyroom metric name,
labelled with the series labels the selector did not pin. Lines of unwanted families are dropped before
`prometheus_client` parses the rest, because its parser costs ~35 us per sample (PERFORMANCE.md).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from prometheus_client.parser import text_string_to_metric_families

from dutyroom.model import Labels, Sample, make_labels
from dutyroom.textclean import clean_text

FAMILY_SUFFIXES = ("_total", "_created", "_count", "_sum", "_bucket", "_info")
"""Sample-name suffixes a family declared by `# TYPE name` may carry on its samples."""


@dataclass(frozen=True, slots=True)
class PromSelector:
    """`{ metric = "orders_per_s", family = "gateway_orders_total", labels = { venue = "sse" } }`."""

    metric: str
    """The dutyroom metric name the selected series are reported as."""
    family: str
    """The exposition's sample name, exactly as PromQL selects it (counters keep `_total`)."""
    labels: Labels = ()
    """Labels a series must carry with exactly these values."""

    @classmethod
    def from_config(cls, metric: str, family: str, labels: dict[str, str] | None = None) -> PromSelector:
        return cls(metric=metric, family=family, labels=make_labels(labels))

    def describe(self) -> str:
        if not self.labels:
            return self.family
        pairs = ",".join(f'{key}="{value}"' for key, value in self.labels)
        return f"{self.family}{{{pairs}}}"


def _line_name(line: str) -> str:
    """The metric name a sample line or a `# HELP`/`# TYPE` line is about ("" for other comments)."""
    if line.startswith("#"):
        parts = line.split(None, 3)
        if len(parts) >= 3 and parts[1] in ("HELP", "TYPE"):
            return parts[2]
        return ""
    end = len(line)
    for stop in ("{", " ", "\t"):
        position = line.find(stop)
        if position != -1:
            end = min(end, position)
    return line[:end]


def keep_wanted_lines(text: str, sample_names: Iterable[str]) -> str:
    """Only the lines that can matter to the wanted sample names (their family's HELP/TYPE included)."""
    wanted = set(sample_names)
    declared = set(wanted)
    for name in wanted:
        for suffix in FAMILY_SUFFIXES:
            if name.endswith(suffix):
                declared.add(name.removesuffix(suffix))
    kept: list[str] = []
    for raw_line in text.splitlines():
        line = raw_line.strip()
        if not line:
            continue
        if line.startswith("{"):
            kept.append(line)  # a quoted UTF-8 name: let the parser decide
            continue
        name = _line_name(line)
        if (line.startswith("#") and name in declared) or (not line.startswith("#") and name in wanted):
            kept.append(line)
    return "\n".join(kept) + "\n"


def select_samples(
    text: str, selectors: Sequence[PromSelector], target: str, at: float
) -> tuple[list[Sample], list[str]]:
    """Samples for every selector, and a problem line for each selector that matched no number.

    Raises ValueError (with a clean message) when the wanted part of the exposition does not parse.
    """
    filtered = keep_wanted_lines(text, {selector.family for selector in selectors})
    series: dict[str, list[tuple[dict[str, str], float]]] = {}
    try:
        for family in text_string_to_metric_families(filtered):
            for sample in family.samples:
                series.setdefault(sample.name, []).append((dict(sample.labels), float(sample.value)))
    except (ValueError, TypeError, IndexError) as exc:
        detail = clean_text(str(exc), limit=80)
        raise ValueError(f"invalid Prometheus text{': ' + detail if detail else ''}") from None
    samples: list[Sample] = []
    problems: list[str] = []
    for selector in selectors:
        pinned = dict(selector.labels)
        matched = 0
        # prometheus_client renames the samples of a counter declared without `_total` (`foo` -> `foo_total`)
        candidates = series.get(selector.family) or series.get(selector.family + "_total", [])
        for labels, value in candidates:
            if any(labels.get(key) != wanted for key, wanted in pinned.items()) or math.isnan(value):
                continue
            rest = {clean_text(k, 60): clean_text(v, 120) for k, v in labels.items() if k not in pinned}
            samples.append(Sample(target, selector.metric, value, at, make_labels(rest)))
            matched += 1
        if not matched:
            problems.append(f"series {clean_text(selector.describe())} missing")
    return samples, problems
