"""The polling service: it owns the engine and the store, reloads config and exports metrics."""
