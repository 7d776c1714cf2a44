"""Reading checks.toml and the trading calendar: strict types, every problem with file:line:col."""
