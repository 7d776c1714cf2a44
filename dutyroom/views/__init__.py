"""The read model the console and the command line share: alert views, snapshots, the store source."""
