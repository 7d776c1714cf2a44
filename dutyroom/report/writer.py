"""The period operations report (e.g. after a holiday, kept for the regulator): what ran, what broke, who did what.

`build_report(room, store, since, until, now, lang)` reads the period (see `dutyroom.report.data`);
`render_report` makes Markdown for reading (80 columns, English or Chinese, `dutyroom.report.markdown`) or one
CSV for spreadsheets (`dutyroom.report.csv_export` documents its columns); `tui/cli/papers.py` prints or writes either.
Config secrets never appear in either (`dutyroom.documents.scrub`).
"""

from __future__ import annotations

from dutyroom.report import REPORT_FORMATS
from dutyroom.report.csv_export import as_csv
from dutyroom.report.data import PeriodReport, ReportError, build_report
from dutyroom.report.markdown import as_markdown

__all__ = ["REPORT_FORMATS", "PeriodReport", "ReportError", "build_report", "render_report"]


def render_report(report: PeriodReport, fmt: str) -> str:
    if fmt == "md":
        return as_markdown(report)
    if fmt == "csv":
        return as_csv(report)
    raise ReportError(f"unknown report format {fmt!r} (use md or csv)")
