"""The redaction corpus (tests/fixtures/secrets/): every planted secret gone, everything else kept.

Each case goes through the real store (plugins/plugin_utils/store.py) under its artifact name, so
the registry picks the pass; the written file must be the template with a `[REDACTED:<kind>]`
placeholder for each marked secret, byte for byte, and the manifest entry must count each one.
The near misses must come out unchanged with no redaction counted. The property-based test puts
random secrets of each marker's kind into the same templates.
"""

from __future__ import annotations

import base64
import gzip
import re
import string
from collections import Counter
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.collection.collection_path import plugin_utils

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "secrets"
CASES: list[dict[str, Any]] = yaml.safe_load((FIXTURES / "corpus.yaml").read_text())["cases"]
NEAR_MISSES: list[dict[str, Any]] = yaml.safe_load((FIXTURES / "near_misses.yaml").read_text())["near_misses"]
MARKER = re.compile(r"\{\{([a-z-]+):(.*?)\}\}", re.DOTALL)
store_module, redact = plugin_utils("store"), plugin_utils("redact")


def _render(text: str, values: list[str] | None = None) -> tuple[str, str, Counter[str], list[str]]:
    """(text with the secrets, text expected after redaction, markers by kind, the secrets)."""
    rendered, expected, kinds, secrets, last = [], [], Counter(), [], 0
    for index, match in enumerate(MARKER.finditer(text)):
        kind, value = match.group(1), values[index] if values else match.group(2)
        rendered += [text[last:match.start()], value]
        expected += [text[last:match.start()], "" if kind == "dropped" else redact.placeholder(kind)]
        kinds[kind] += 1
        secrets.append(value)
        last = match.end()
    rendered.append(text[last:])
    expected.append(text[last:])
    return "".join(rendered), "".join(expected), kinds, secrets


def _store(tmp: Path, case: dict[str, Any], content: str, module: ModuleType) -> tuple[dict[str, Any], str]:
    """Store `content` as the case's artifact; return its manifest entry and the text written."""
    if case.get("gzip"):  # a rotated log: the module inflates it on the host, as it does there
        path = tmp / Path(case["key"]).name
        path.write_bytes(gzip.compress(content.encode()))
        result = module.op_read({"path": str(path), "max_bytes": 1 << 20})
        assert result["status"] == "ok", result
        content = result["content"]
    store = store_module.ArtifactStore(tmp, "cluster" if case.get("scope") == "cluster" else "hosts/kafka-1")
    store.add(case["artifact"], content=content, source=case.get("source", ""), instance=case.get("instance"),
              key=case.get("key"), source_type=case.get("source_type"))
    (entry,) = store.finish()
    return entry, (tmp / entry["path"]).read_text()


def _expected_counts(case: dict[str, Any], kinds: Counter[str]) -> dict[str, int]:
    counts = Counter({k: n for k, n in kinds.items() if k != "dropped"})
    counts.update(case.get("dropped") or {})
    return dict(counts)


def test_the_corpus_is_large_enough() -> None:
    kinds = Counter()
    for case in CASES:
        kinds.update(_render(case["text"])[2])
    assert sum(kinds.values()) >= 60, kinds
    assert len(NEAR_MISSES) >= 30
    # every shape of docs/redaction.md is planted at least once
    assert set(plugin_utils("redact_shapes").SHAPE_KINDS) - {"authorization"} <= set(kinds), kinds


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_every_planted_secret_is_gone_and_the_rest_kept(case: dict[str, Any], tmp_path: Path,
                                                        host_module: ModuleType) -> None:
    rendered, expected, kinds, secrets = _render(case["text"])
    entry, written = _store(tmp_path, case, rendered, host_module)
    assert [s for s in secrets if s.strip() in written] == []
    assert written == expected
    assert entry.get("redactions_by_kind", {}) == _expected_counts(case, kinds)
    assert entry.get("redactions", 0) == sum(_expected_counts(case, kinds).values())


@pytest.mark.parametrize("miss", NEAR_MISSES, ids=[m["name"] for m in NEAR_MISSES])
def test_near_misses_stay_readable_byte_for_byte(miss: dict[str, Any], tmp_path: Path,
                                                 host_module: ModuleType) -> None:
    entry, written = _store(tmp_path, miss, miss["text"], host_module)
    assert written == miss["text"]
    assert "redactions" not in entry


# ------------------------------------------------------------------------------ property-based
_B64 = string.ascii_letters + string.digits + "+/"
_B64URL = string.ascii_letters + string.digits + "-_"
_WORD = string.ascii_letters + string.digits
_PUNCT = "_.+!%^~@-"


def _text(alphabet: str, low: int, high: int) -> st.SearchStrategy[str]:
    return st.text(alphabet=alphabet, min_size=low, max_size=high)


_password = st.builds(lambda head, rest, digit: head + rest + digit,
                      _text(_WORD, 1, 1), _text(_WORD + _PUNCT, 7, 30), _text(string.digits, 1, 1))
_pem_body = st.lists(_text(_B64, 16, 64), min_size=1, max_size=4)
STRATEGIES: dict[str, st.SearchStrategy[str]] = {
    "jwt": st.builds(lambda a, b, c: f"eyJ{a}.eyJ{b}.{c}", _text(_B64URL, 8, 40), _text(_B64URL, 8, 80),
                     _text(_B64URL, 0, 60)),
    "aws-key-id": st.builds(lambda p, r: p + r, st.sampled_from(["AKIA", "ASIA"]),
                            _text(string.ascii_uppercase + string.digits, 16, 16)),
    "aws-secret": _text(_B64, 40, 40),
    "azure-key": st.builds(lambda b: b + "==", _text(_B64, 42, 42)),
    "zk-digest": st.builds(lambda b: b + "=", _text(_B64, 27, 27)),
    "basic-auth": st.builds(lambda u, p: base64.b64encode(f"{u}:{p}".encode()).decode(), _text(_WORD, 3, 12),
                            _password),
    "bearer": st.builds(lambda a, d: a + d, _text(_WORD + "-._~", 8, 40), _text(string.digits, 1, 3)),
    "url-password": _password,
}


def _strategy(kind: str, original: str) -> st.SearchStrategy[str]:
    if kind in ("private-key", "dropped"):  # a block of the same label, new lines as the original writes them
        head, label, tail = re.fullmatch(r"(\s*)-----BEGIN ((?:[A-Z]+ )*)PRIVATE KEY-----.*?(\s*)", original,
                                         re.DOTALL).groups()
        newline = "\\n" if "\\n" in original else "\n"
        return st.builds(lambda lines: head + newline.join(
            [f"-----BEGIN {label}PRIVATE KEY-----", *lines, f"-----END {label}PRIVATE KEY-----"]) + tail, _pem_body)
    if kind == "user-info":
        return st.builds(lambda u, p: f"{u}:{p}", _text(_WORD, 2, 10), _password)
    return STRATEGIES.get(kind, _password)


@st.composite
def _planted(draw: st.DrawFn) -> tuple[dict[str, Any], list[str]]:
    case = draw(st.sampled_from(CASES))
    values = [draw(_strategy(m.group(1), m.group(2))) for m in MARKER.finditer(case["text"])]
    return case, values


# bounded and derandomized: the same 150 examples on every run, no example database written into the checkout
# (the fixtures are not reset between examples: each
# example overwrites the artifact the last one wrote)
@settings(max_examples=150, derandomize=True, deadline=None, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(planted=_planted())
def test_random_secrets_in_the_templates_never_survive(planted: tuple[dict[str, Any], list[str]], tmp_path: Path,
                                                       host_module: ModuleType) -> None:
    case, values = planted
    rendered, expected, kinds, secrets = _render(case["text"], values)
    entry, written = _store(tmp_path, case, rendered, host_module)  # each example overwrites the last
    assert [s for s in secrets if s.strip() in written] == []
    assert written == expected
    assert entry.get("redactions_by_kind", {}) == _expected_counts(case, kinds)
