"""dutyroom's headless domain: model, config, calendar, rules, alerts, store, playbooks, handover, report.

Nothing here imports Textual, Rich, httpx, pysnmp or psutil (enforced by import-linter and a test).
"""
