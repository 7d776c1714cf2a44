"""The period operations report (e.g. after a holiday, kept for the regulator): what ran, what broke, who did what.

`build_report(room, store, since, until, now, lang)` reads the period (see `dutyroom.report_data`);
`render_report` makes Markdown for reading (80 columns, English or Chinese, `dutyroom.report_build`) or one
CSV for spreadsheets (`dutyroom.report_csv` documents its columns); `write_report` writes either atomically.
Config secrets never appear in either (`dutyroom.report_secrets`).
"""

from __future__ import annotations

from pathlib import Path

from dutyroom.atomic import write_atomically
from dutyroom.report_build import report_markdown
from dutyroom.report_csv import report_csv
from dutyroom.report_data import PeriodReport, ReportError, build_report

__all__ = ["REPORT_FORMATS", "PeriodReport", "ReportError", "build_report", "render_report", "write_report"]

REPORT_FORMATS = ("md", "csv")


def render_report(report: PeriodReport, fmt: str) -> str:
    if fmt == "md":
        return report_markdown(report)
    if fmt == "csv":
        return report_csv(report)
    raise ReportError(f"unknown report format {fmt!r} (use md or csv)")


def write_report(report: PeriodReport, fmt: str, out: Path) -> str:
    """Render `report` as `fmt` and write it to `out` atomically; returns the text written."""
    text = render_report(report, fmt)
    write_atomically(out, text)
    return text
