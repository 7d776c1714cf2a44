"""The period operations report (after a holiday, a month, an incident): Markdown and CSV."""

REPORT_FORMATS = ("md", "csv")
"""What `dutyroom report --format` accepts; here so the command line can offer it without loading the report."""
