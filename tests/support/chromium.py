"""A Chromium-family browser for the tests, and a running one with a debugging port to play the person's.

`playwright install` cannot download browsers on every machine the tests run on, so the tests use the
system's Chromium (Debian's /usr/bin/chromium, or Chrome/Edge found on PATH) rather than Playwright's own.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
import time
from contextlib import suppress
from pathlib import Path
from types import TracebackType
from typing import IO

# Without these Chromium keeps calling Google's hosts (updates, field trials, sync), which some networks refuse.
QUIET_ARGS = ("--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run")

COMMANDS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "microsoft-edge", "brave-browser")

START_TIMEOUT_S = 30.0


def system_chromium() -> str:
    """The path of an installed Chromium-family browser; fails with the fix if there is none."""
    if os.access("/usr/bin/chromium", os.X_OK):
        return "/usr/bin/chromium"
    for command in COMMANDS:
        found = shutil.which(command)
        if found:
            return found
    raise RuntimeError("No Chromium-family browser for the tests: run scripts/setup (it installs one).")


class CdpBrowser:
    """A headless Chromium started as a subprocess with a DevTools port, as a person's browser would be."""

    def __init__(self, user_data_dir: Path, extra_args: list[str] | tuple[str, ...] = ()) -> None:
        self.user_data_dir = user_data_dir
        user_data_dir.mkdir(parents=True, exist_ok=True)
        port_file = user_data_dir / "DevToolsActivePort"
        port_file.unlink(missing_ok=True)  # a leftover from an earlier run would name a dead port
        self._log: IO[bytes] = tempfile.TemporaryFile()  # noqa: SIM115  lives as long as the browser; stop() closes it
        self.process = subprocess.Popen(
            [
                system_chromium(),
                "--headless",
                "--no-sandbox",  # CI runs as root, where Chromium refuses to start sandboxed
                "--remote-debugging-port=0",  # Chromium picks a free port and writes it to DevToolsActivePort
                f"--user-data-dir={user_data_dir}",
                *QUIET_ARGS,
                *extra_args,
                "about:blank",  # the person's own tab, open before the tool arrives
            ],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=self._log,
            start_new_session=True,  # its own process group, so stop() reaches the renderers too
        )
        try:
            self.url = f"http://127.0.0.1:{self._wait_for_port(port_file)}"
        except BaseException:
            self.stop()
            raise

    def _wait_for_port(self, port_file: Path) -> int:
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline:
            port = _read_port(port_file)
            if port is not None:
                return port
            try:
                # Blocks for a moment on the process itself, and notices at once if it crashed on start.
                code = self.process.wait(timeout=0.05)
            except subprocess.TimeoutExpired:
                continue
            raise RuntimeError(f"Chromium exited ({code}) before opening its debugging port:\n{self._stderr()}")
        raise RuntimeError(f"Chromium wrote no {port_file} within {START_TIMEOUT_S:.0f} s:\n{self._stderr()}")

    def _stderr(self) -> str:
        self._log.seek(0)
        return self._log.read().decode(errors="replace")[-4000:]

    def running(self) -> bool:
        return self.process.poll() is None

    def stop(self) -> None:
        """Ask Chromium to quit (it removes its profile lock), then make sure its whole process group is gone."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        with suppress(ProcessLookupError, PermissionError):
            os.killpg(self.process.pid, signal.SIGKILL)  # stray helpers left in our child's process group
        self._log.close()

    def __enter__(self) -> CdpBrowser:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()


def _read_port(port_file: Path) -> int | None:
    """The port from DevToolsActivePort ("PORT\\n/devtools/browser/ID"), or None while it is not written yet."""
    try:
        first = port_file.read_text().split("\n", 1)[0].strip()
    except OSError:
        return None
    return int(first) if first.isdigit() and int(first) > 0 else None


def launch_cdp_chromium(user_data_dir: Path, extra_args: list[str] | tuple[str, ...] = ()) -> CdpBrowser:
    """Start a headless Chromium on `user_data_dir` with a debugging port; `.url` to attach, `.stop()` to end it."""
    return CdpBrowser(user_data_dir, extra_args)
