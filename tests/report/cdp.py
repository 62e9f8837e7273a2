"""A minimal Chrome DevTools Protocol client over ``--remote-debugging-pipe`` (stdlib only).

Chromium reads NUL-terminated JSON commands on fd 3 and writes replies and events on fd 4.
:func:`load_page` opens a file, waits for the page (and a body data attribute) and returns
what a test checks: console errors, uncaught exceptions, network requests and the results
of JavaScript expressions.
"""

from __future__ import annotations

import json
import os
import select
import shutil
import subprocess
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

CHROMIUM = "/usr/bin/chromium"
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--remote-debugging-pipe",
)


def chromium() -> str | None:
    """The Chromium binary, or None when it is not installed."""
    return CHROMIUM if os.access(CHROMIUM, os.X_OK) else shutil.which("chromium")


@dataclass
class PageLog:
    """What happened while a page loaded, and the values of the expressions asked for."""

    console_errors: list[str] = field(default_factory=list)
    exceptions: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    values: dict[str, Any] = field(default_factory=dict)
    ready_seconds: float | None = None  # from Page.navigate until ``ready`` held (polled every 0.1 s)


class Pipe:
    """Send commands and collect events over the two pipes."""

    def __init__(self, write_fd: int, read_fd: int, log: PageLog) -> None:
        self.write_fd, self.read_fd, self.log = write_fd, read_fd, log
        self.next_id, self.buffer = 0, b""

    def send(
        self, method: str, params: dict[str, Any] | None = None, session: str | None = None
    ) -> dict[str, Any]:
        self.next_id += 1
        message: dict[str, Any] = {"id": self.next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self.write_fd, json.dumps(message).encode() + b"\0")
        while True:
            reply = self.receive(30.0)
            if reply is None:
                raise TimeoutError(f"no reply to {method}")
            if reply.get("id") == self.next_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})

    def receive(self, timeout: float) -> dict[str, Any] | None:
        deadline = time.monotonic() + timeout
        while b"\0" not in self.buffer:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([self.read_fd], [], [], left)[0]:
                return None
            chunk = os.read(self.read_fd, 1 << 16)
            if not chunk:
                return None
            self.buffer += chunk
        raw, self.buffer = self.buffer.split(b"\0", 1)
        message = json.loads(raw)
        self.record(message)
        return message

    def record(self, message: dict[str, Any]) -> None:
        method, params = message.get("method"), message.get("params", {})
        if method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
            self.log.console_errors.append(
                " ".join(str(a.get("value", a.get("description"))) for a in params["args"])
            )
        elif method == "Runtime.exceptionThrown":
            details = params["exceptionDetails"]
            self.log.exceptions.append(
                str(details.get("exception", {}).get("description", details.get("text")))
            )
        elif method == "Log.entryAdded" and params["entry"]["level"] == "error":
            self.log.console_errors.append(params["entry"]["text"])
        elif method == "Network.requestWillBeSent":
            self.log.requests.append(params["request"]["url"])

    def drain(self, seconds: float) -> None:
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            self.receive(max(0.0, end - time.monotonic()))


def _session(pipe: Pipe) -> str:
    targets = pipe.send("Target.getTargets")["targetInfos"]
    page = next(t for t in targets if t["type"] == "page")
    session = pipe.send("Target.attachToTarget", {"targetId": page["targetId"], "flatten": True})["sessionId"]
    for domain in ("Runtime", "Log", "Network", "Page"):
        pipe.send(f"{domain}.enable", session=session)
    return session


def _evaluate(pipe: Pipe, session: str, expression: str) -> Any:
    result = pipe.send("Runtime.evaluate", {"expression": expression, "returnByValue": True}, session=session)
    return result.get("result", {}).get("value")


def load_page(
    url: str,
    expressions: dict[str, str],
    ready: str = "document.body.dataset.networkReady",
    timeout: float = 10.0,
    steps: Sequence[tuple[str, dict[str, Any]]] = (),
    viewport: tuple[int, int] | None = None,
    before: str = "",
) -> PageLog:
    """Open ``url`` headless, wait until ``ready`` holds (``timeout`` s at most), evaluate ``expressions``.

    ``steps`` are DevTools commands sent once the page is ready, before the expressions are
    evaluated: a user's actions (``Input.dispatchKeyEvent`` gives trusted key presses).
    ``viewport`` is the window's (width, height) in CSS pixels, at one device pixel each (a
    phone's, below 600 wide: scrollbars hidden, as phones draw them); ``before`` is JavaScript
    run in the page before its own scripts (to watch what it draws).
    """
    binary = chromium()
    if binary is None:
        raise FileNotFoundError("chromium not installed")
    log = PageLog()
    to_browser, from_browser = os.pipe(), os.pipe()
    with tempfile.TemporaryDirectory() as profile:
        command = [binary, *FLAGS, f"--user-data-dir={profile}", "about:blank"]
        wrapped = ["bash", "-c", f'exec "$@" 3<&{to_browser[0]} 4>&{from_browser[1]}', "chromium", *command]
        process = subprocess.Popen(
            wrapped,
            pass_fds=(to_browser[0], from_browser[1]),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        os.close(to_browser[0])
        os.close(from_browser[1])
        pipe = Pipe(to_browser[1], from_browser[0], log)
        try:
            session = _session(pipe)
            if viewport is not None:
                width, height = viewport
                metrics = {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 600}
                pipe.send("Emulation.setDeviceMetricsOverride", metrics, session=session)
            if before:
                pipe.send("Page.addScriptToEvaluateOnNewDocument", {"source": before}, session=session)
            start = time.monotonic()
            pipe.send("Page.navigate", {"url": url}, session=session)
            deadline = start + timeout
            while time.monotonic() < deadline:
                if _evaluate(pipe, session, f"!!({ready})"):
                    log.ready_seconds = time.monotonic() - start
                    break
                pipe.drain(0.1)
            pipe.drain(0.3)
            for method, params in steps:
                pipe.send(method, params, session=session)
            pipe.drain(0.1 if steps else 0)
            log.values = {name: _evaluate(pipe, session, expr) for name, expr in expressions.items()}
            pipe.send("Browser.close")
        finally:
            os.close(to_browser[1])
            os.close(from_browser[0])
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
    return log


def file_url(path: Path) -> str:
    return path.resolve().as_uri()
