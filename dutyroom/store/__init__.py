"""The SQLite state directory: samples, transitions, operator actions and the audit chain."""
