"""Shared pytest configuration for the whole suite."""
# The real multi-host Kafka lab (tests/lab) as a session fixture usable from any test folder.
pytest_plugins = ["tests.lab.pytest_lab"]
