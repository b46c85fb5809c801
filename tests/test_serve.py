"""`handbook serve`: the program's home page on localhost, rebuilt when content changes."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request

from tests.conftest import REPO


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch_until(url: str, expected: str, timeout: float) -> str:
    deadline = time.monotonic() + timeout
    last = ""
    while time.monotonic() < deadline:
        try:
            last = urllib.request.urlopen(url, timeout=5).read().decode()
            if expected in last:
                return last
        except OSError:
            pass
        time.sleep(0.5)
    raise AssertionError(f"{url} never showed {expected!r}; last response: {last[:200]!r}")


def test_serve_shows_the_home_page_and_rebuilds_on_change(project):
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    server = subprocess.Popen([sys.executable, "-m", "generator", "--project", str(project), "serve", "example",
                               "--port", str(port)], env=env, start_new_session=True,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        home = fetch_until(f"http://127.0.0.1:{port}/", "Example Mentoring", 90)
        assert "<title>Home - Example Mentoring</title>" in home
        section = project / "content" / "sections" / "guide" / "meetings.md"
        section.write_text(section.read_text() + "\nBring your journal.\n")
        fetch_until(f"http://127.0.0.1:{port}/guide/meetings.html", "Bring your journal.", 60)
        assert not (project / "site").exists()  # nothing generated inside the watched project
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
