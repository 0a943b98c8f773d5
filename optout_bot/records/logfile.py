"""Where the tool's log lines go: a private, rotating file in the user state folder, and stderr with --debug.

The file is what a person attaches to a bug report, and it stays on their disk for weeks, so:
- it lives in a folder only they can open (0700) and every file of it, rotated ones too, is 0600;
- every record is scrubbed (`scrub_log_text`) before any sink sees it: no token, cookie, password, code,
  email address or user ID, whatever the code that logged it passed in;
- tracebacks are formatted and scrubbed here, never by loguru, whose `diagnose` mode would print the values
  of local variables (a form value, a page's HTML) into the file.

Imported only by the commands that walk (and by `cli.main` after a failure): loguru costs ~100 ms, which
`--help` must not pay.
"""

from __future__ import annotations

import contextlib
import os
import platform
import stat
import sys
import traceback
from datetime import datetime
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from loguru import logger

from optout_bot import __version__
from optout_bot.i18n import _
from optout_bot.paths import data_dir, in_demo_home, private_dir, state_dir
from optout_bot.promises.scrub import scrub_log_text

if TYPE_CHECKING:
    from loguru import Record

LOG_NAME = "optout-bot.log"
FILE_FORMAT = "{time:YYYY-MM-DD HH:mm:ss.SSS ZZ} | {level: <7} | {message}"
STDERR_FORMAT = "{time:HH:mm:ss.SSS} {level} {message}"
# Records bound with this flag go to the file only: cli.main has already told the person on the terminal.
FILE_ONLY = "file_only"

_configured = False
_home = ""  # the person's home folder, written "~" in the log: its name is often theirs
_current: Path | None = None  # the file this process logs to, if it could be opened


def log_dir() -> Path:
    if in_demo_home():  # a demo's log stays in the demo's home (paths.demo_home)
        return data_dir() / "logs"
    return state_dir() / "logs"


def configure_logging(debug: bool, *, rotation: int = 1_000_000, retention: int = 5) -> Path | None:
    """Send log records to the log file (always) and to stderr (with --debug). Returns the file, or None.

    A log is never worth failing the person's objection for: when the file cannot be opened (a read-only
    home, a full disk) the tool says so once and carries on without it. `rotation` (bytes) and
    `retention` (how many old files to keep) are parameters so that tests can rotate quickly.
    """
    global _configured, _current, _home
    logger.remove()  # loguru's default handler would print every debug line
    _home = _home_prefix()
    logger.configure(patcher=_scrub_record)
    if debug:
        logger.add(sys.stderr, level="DEBUG", format=STDERR_FORMAT, filter=_not_file_only, diagnose=False)
    _current = _add_file_sink(rotation, retention)
    _configured = True
    if _current is not None:
        logger.info("optout-bot {} on Python {} ({})", __version__, platform.python_version(), sys.platform)
    return _current


def current_log() -> Path | None:
    """The file this process writes to, if logging was configured and the file could be opened."""
    return _current


def stop_logging() -> None:
    """Close every sink and forget the file (the tests start each case afresh with it)."""
    global _configured, _current
    logger.remove()
    _configured, _current = False, None


def record_failure(status: int, message: str, exc: BaseException) -> Path | None:
    """Write why the run ended (exit code, message, scrubbed traceback) to the log file only.

    Called by `cli.main`, which prints the one line the person sees; configures the file first if the run
    failed before the command did (an import error, say). Returns the log file, or None if there is none.
    """
    if not _configured:
        configure_logging(debug=False)
    if _current is None:
        return None
    details = "".join(traceback.format_exception(exc)).rstrip()
    logger.bind(**{FILE_ONLY: True}).error("exit {}: {}\n{}", status, message, details)
    return _current


def _add_file_sink(rotation: int, retention: int) -> Path | None:
    path = log_dir() / LOG_NAME
    try:
        private_dir(log_dir().parent)  # created one by one: mkdir(parents=True) ignores the mode of parents
        private_dir(log_dir())
        sink = _LogFile(path, rotation, retention)
    except OSError as exc:
        _say_unwritable(path, exc)
        return None
    logger.add(sink, level="DEBUG", format=FILE_FORMAT, diagnose=False, backtrace=False)
    return path


class _LogFile:
    """The log file as loguru's sink: rotated past `max_bytes`, the `keep` newest old files kept, every file
    private. The first write that fails (a full disk) ends it with one line on stderr, so the run goes on
    without a traceback per record (loguru's own file sink prints one for every line it cannot write)."""

    def __init__(self, path: Path, max_bytes: int, keep: int) -> None:
        self.path, self.max_bytes, self.keep = path, max_bytes, keep
        self._file: IO[str] | None = self._open()

    def _open(self) -> IO[str]:
        return open(self.path, "a", encoding="utf-8", opener=_private_opener)  # closed by _close

    def write(self, message: str) -> None:
        if self._file is None:
            return  # given up: already said once
        try:
            if os.fstat(self._file.fileno()).st_size + len(message.encode("utf-8")) > self.max_bytes:
                self._rotate()
            self._file.write(message)
            self._file.flush()
        except OSError as exc:
            self._give_up(exc)

    def _rotate(self) -> None:
        if not self.path.is_file() or self.path.stat().st_size == 0:
            return  # a device or an empty file: nothing to rotate
        self._close()
        stamp = datetime.now().strftime("%Y-%m-%d_%H-%M-%S_%f")
        self.path.rename(self.path.with_name(f"{self.path.stem}.{stamp}{self.path.suffix}"))
        old = sorted(self.path.parent.glob(f"{self.path.stem}.*{self.path.suffix}"))
        for file in old[: max(len(old) - self.keep, 0)]:
            file.unlink(missing_ok=True)
        self._file = self._open()

    def _give_up(self, exc: OSError) -> None:
        global _current
        self._close()
        _current = None  # no "details in <log>" for a file that did not get them
        _say_unwritable(self.path, exc)

    def _close(self) -> None:
        file, self._file = self._file, None
        if file is not None:
            with contextlib.suppress(OSError):  # closing flushes what could not be written
                file.close()


def _say_unwritable(path: Path, exc: OSError) -> None:
    reason = exc.strerror or type(exc).__name__
    message = _("the log file {path} could not be written ({reason}); optout-bot carries on without it.")
    with contextlib.suppress(OSError, ValueError):  # a closed or broken stderr: nothing more to do
        sys.stderr.write("optout-bot: " + message.format(path=path, reason=reason) + "\n")
        sys.stderr.flush()


def _private_opener(path: str, flags: int) -> int:
    # os.open's mode applies only to a new file; fchmod also tightens a file an older version left readable.
    fd = os.open(path, flags, 0o600)
    if stat.S_ISREG(os.fstat(fd).st_mode):  # never a device or FIFO the path leads to (/dev/full, say)
        os.fchmod(fd, 0o600)
    return fd


def _scrub_record(record: Record) -> None:
    """The patcher every record goes through before any sink: message, traceback and extra values scrubbed."""
    message = record["message"]
    if record["exception"] is not None:  # someone called logger.exception(): format it here, scrubbed
        kind, value, tb = record["exception"]
        message += "\n" + "".join(traceback.format_exception(kind, value, tb)).rstrip()
        record["exception"] = None
    record["message"] = scrub_log_text(_without_home(message))
    # Keyword arguments of a logging call are also kept in `extra` (the engine passes the page URL).
    extra: dict[str, Any] = record["extra"]
    for key, item in extra.items():
        if isinstance(item, str):
            extra[key] = scrub_log_text(_without_home(item))


def _home_prefix() -> str:
    try:
        home = str(Path.home())
    except RuntimeError:  # no home folder known: nothing to hide
        return ""
    return home.rstrip(os.sep) + os.sep if home.strip(os.sep) else ""


def _without_home(text: str) -> str:
    return text.replace(_home, "~" + os.sep) if _home else text


def _not_file_only(record: Record) -> bool:
    return not record["extra"].get(FILE_ONLY, False)
