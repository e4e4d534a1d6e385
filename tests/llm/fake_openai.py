"""A fake OpenAI chat-completions server on 127.0.0.1, for tests and the benchmark.

Stdlib only (ThreadingHTTPServer). Every request body is recorded; answers come from a
scripted queue of `Scripted(status, delay, body)`, or from a `responder` callable when the
queue is empty. Only loopback traffic: the server binds 127.0.0.1 and a random port.
"""

from __future__ import annotations

import json
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

__all__ = ["NO_PROBLEM", "FakeOpenAI", "Scripted", "chat_body", "default_answer", "error_body"]

NO_PROBLEM = '{"summary": "No problem found.", "findings": []}'


@dataclass(frozen=True)
class Scripted:
    """One scripted HTTP answer: status code, delay before answering (s), JSON body or raw text."""

    status: int = 200
    delay: float = 0.0
    body: dict[str, Any] | str = field(default_factory=dict)


def chat_body(
    content: str, *, model: str = "test", prompt_tokens: int = 120, completion_tokens: int = 30
) -> dict[str, Any]:
    """A chat.completion response whose message content is `content`."""
    return {
        "id": "chatcmpl-fake",
        "object": "chat.completion",
        "created": 1_790_000_000,
        "model": model,
        "choices": [{"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": content}}],
        "usage": {
            "prompt_tokens": prompt_tokens,
            "completion_tokens": completion_tokens,
            "total_tokens": prompt_tokens + completion_tokens,
        },
    }


def default_answer(request: dict[str, Any], delay: float = 0.0) -> Scripted:
    """`{"ok": true}` to `kafkapilot llm check`, the "no problem" answer to anything else."""
    form = request.get("response_format") or {}
    schema = (form.get("json_schema") or {}).get("schema") or form.get("schema") or {}
    is_check = set(schema.get("properties") or {}) == {"ok"}
    return Scripted(delay=delay, body=chat_body('{"ok": true}' if is_check else NO_PROBLEM))


def error_body(message: str, kind: str = "server_error") -> dict[str, Any]:
    """An OpenAI-style error body."""
    return {"error": {"message": message, "type": kind, "code": None}}


Responder = Callable[[dict[str, Any]], Scripted]


class FakeOpenAI:
    """The server: `url` is the api_base, `requests` what it received, `script` what it answers."""

    def __init__(self, responder: Responder | None = None, *, port: int = 0) -> None:
        self.requests: list[dict[str, Any]] = []
        self.headers: list[dict[str, str]] = []
        self.script: deque[Scripted] = deque()
        self.responder = responder
        self.in_flight = 0
        self.max_in_flight = 0
        self.props: dict[str, Any] | None = None  # served at GET /props as llama.cpp's server does, when set
        # served at POST /extras/tokenize/count as llama-cpp-python's server does, when set (text -> tokens)
        self.tokenizer: Callable[[str], int] | None = None
        self.tokenized: list[str] = []
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", port), self._handler())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    @property
    def url(self) -> str:
        """The api_base to give litellm (OpenAI-style, with /v1)."""
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}/v1"

    def start(self) -> FakeOpenAI:
        """Serve in a background thread."""
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and close the socket."""
        self._server.shutdown()
        self._server.server_close()

    def push(self, *answers: Scripted) -> None:
        """Queue answers, served in order."""
        with self._lock:
            self.script.extend(answers)

    def contents(self) -> list[str]:
        """All message contents of every request received, joined per request."""
        return ["\n".join(str(m.get("content", "")) for m in r.get("messages", [])) for r in self.requests]

    def _next(self, request: dict[str, Any]) -> Scripted:
        with self._lock:
            self.requests.append(request)
            if self.script:
                return self.script.popleft()
        if self.responder is not None:
            return self.responder(request)
        return default_answer(request)

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self) -> None:  # http.server's name
                length = int(self.headers.get("Content-Length", "0"))
                raw = self.rfile.read(length)
                if self.path in ("/extras/tokenize/count", "/tokenize"):  # not a chat request
                    self._tokenize(raw)
                    return
                try:
                    request = json.loads(raw or b"{}")
                except json.JSONDecodeError:
                    request = {"_raw": raw.decode("utf-8", "replace")}
                with fake._lock:
                    fake.headers.append(dict(self.headers.items()))
                    fake.in_flight += 1
                    fake.max_in_flight = max(fake.max_in_flight, fake.in_flight)
                try:
                    answer = fake._next(request)
                    if answer.delay:
                        time.sleep(answer.delay)
                finally:
                    with fake._lock:
                        fake.in_flight -= 1
                payload = answer.body if isinstance(answer.body, str) else json.dumps(answer.body)
                data = payload.encode("utf-8")
                try:
                    self.send_response(answer.status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (timeout test)

            def _tokenize(self, raw: bytes) -> None:
                text = json.loads(raw or b"{}").get("input")
                counted = fake.tokenizer is not None and self.path == "/extras/tokenize/count" and \
                    isinstance(text, str)
                if counted:
                    fake.tokenized.append(text)
                body = {"count": fake.tokenizer(text)} if counted else {"error": "not found"}  # type: ignore[misc]
                data = json.dumps(body).encode()
                self.send_response(200 if counted else 404)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self) -> None:  # http.server's name
                body = fake.props if self.path == "/props" and fake.props is not None else None
                data = json.dumps(body).encode() if body is not None else b'{"error": "not found"}'
                self.send_response(200 if body is not None else 404)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, _format: str, *_args: Any) -> None:  # no request log on stderr
                return

        return Handler


def main() -> None:
    """`python -m tests.llm.fake_openai [--port N] [--delay S]`: serve until interrupted (manual checks)."""
    import argparse  # noqa: PLC0415

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--delay", type=float, default=0.0, help="seconds before each answer")
    args = parser.parse_args()
    server = FakeOpenAI(lambda request: default_answer(request, args.delay), port=args.port)
    print(f"fake OpenAI server: --api-base {server.url}", flush=True)
    server._server.serve_forever()  # noqa: SLF001 - foreground


if __name__ == "__main__":
    main()
