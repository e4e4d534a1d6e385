"""By value across the snapshot: a secret found on one host is replaced on every other host.

The hosts are collected by separate workers (processes); here each host has its own store, as
there, and the snapshot-wide pass of `snapshot state=finish` (redact_values.scrub_snapshot) gets
only what the workers hand over: keyed digests.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

from tests.collection.collection_path import plugin_utils

store_module, values = plugin_utils("store"), plugin_utils("redact_values")
SECRET = "Kp4ss-9c5c2ad7aec8f75a"


def _host(root: Path, name: str, artifacts: list[tuple[str, str, str]]) -> tuple[list[dict], list[list[str]]]:
    """One host's worker: store and finish its artifacts (name, source, content); (entries, handover)."""
    store = store_module.ArtifactStore(root, f"hosts/{name}")
    for artifact, source, content in artifacts:
        store.add(artifact, content=content, source=source, instance="kafka",
                  key=source if artifact in ("log_file", "environment_file") else None)
    return store.finish(), store.handover


def test_a_secret_found_on_one_host_is_replaced_on_the_others(tmp_path: Path) -> None:
    values.create_key(tmp_path)
    assert oct((tmp_path / values.KEY_FILE).stat().st_mode & 0o777) == "0o600"
    one, handed_one = _host(tmp_path, "kafka-1", [
        ("server_properties", "/etc/kafka/server.properties", f"ssl.keystore.password={SECRET}\nnum.io.threads=8\n"
                                                              "sasl.password=k4fk\nother.password=kafka\n")])
    two, handed_two = _host(tmp_path, "kafka-2", [
        ("log_file", "/var/log/kafka/server.log",
         f"[t] INFO loaded store with {SECRET} (oops)\n[t] INFO k4fk as a word, k4fka in one, kafka stays\n"
         f"[t] INFO {SECRET}x is another word\n")])
    assert handed_two == []
    # what crosses the process boundary (the task result) holds no value and no length: a keyed digest, a kind
    # and how the value is delimited; "kafka" is too common a word to be replaced anywhere else
    assert SECRET not in json.dumps(handed_one) and "k4fk" not in json.dumps(handed_one)
    assert len(handed_one) == 2
    assert all(re.fullmatch(r"[0-9a-f]{32}", d) and k == "password" and m == "f" for d, k, m in handed_one)
    log = tmp_path / two[0]["path"]
    assert SECRET in log.read_text()  # kafka-2's worker could not know it

    replaced = values.scrub_snapshot(tmp_path, [one, two], handed_one + handed_two)

    text = log.read_text()
    assert replaced == 2
    assert text == ("[t] INFO loaded store with [REDACTED:password] (oops)\n"
                    "[t] INFO [REDACTED:password] as a word, k4fka in one, kafka stays\n"
                    f"[t] INFO {SECRET}x is another word\n")  # a whole word only, not inside another
    entry = two[0]
    assert entry["redactions"] == 2 and entry["redactions_by_kind"] == {"password": 2}
    assert entry["size"] == len(text.encode()) and entry["sha256"] == hashlib.sha256(text.encode()).hexdigest()
    assert not (tmp_path / values.KEY_FILE).exists()  # removed before the manifest and the archive
    assert oct(log.stat().st_mode & 0o777) == "0o600"


def test_without_the_runs_key_nothing_is_handed_over(tmp_path: Path) -> None:
    one, handed = _host(tmp_path, "kafka-1", [
        ("server_properties", "/etc/kafka/server.properties", f"ssl.keystore.password={SECRET}\n")])
    assert handed == [] and one[0]["redactions"] == 1
    assert values.scrub_snapshot(tmp_path, [one], handed) == 0


def test_values_with_delimiters_are_matched_between_white_space(tmp_path: Path) -> None:
    values.create_key(tmp_path)
    key = values.read_key(tmp_path)
    found = {"p:a,ss=w0rd!": "password", "with space inside": "password", "kafka": "password", "1234": "password"}
    handed = values.handover(found, tmp_path)
    assert [kind for _digest, kind, _mode in handed] == ["password"]  # spaces: own host only; common words: never
    assert handed[0][2] == "c"
    scrubber = values.ValueScrubber(key, handed)
    text, counts = scrubber.scrub("pw p:a,ss=w0rd! and 'p:a,ss=w0rd!' but x=p:a,ss=w0rd! stays\n")
    assert text == "pw [REDACTED:password] and '[REDACTED:password]' but x=p:a,ss=w0rd! stays\n"
    assert counts == {"password": 2}
