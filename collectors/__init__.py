"""I/O adapters that turn devices and endpoints into `dutyroom.model.PollResult` batches."""
