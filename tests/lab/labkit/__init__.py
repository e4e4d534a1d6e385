"""KafkaPilot lab: a real multi-host Kafka cluster on one machine (see tests/lab/README.md)."""
from __future__ import annotations
