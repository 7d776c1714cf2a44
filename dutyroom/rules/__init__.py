"""The rule engine: samples in, alert transitions out; pure, time always passed in."""
