"""The `dutyroom` command line: one module per family of commands, heavy imports inside the handlers."""
