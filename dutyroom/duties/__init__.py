"""Duties: checklists the trading calendar starts by itself, steps the machine verifies, the readiness verdict.

Pure and headless: the calendar, the run book, the live state and the time are passed in.
"""
