"""The ledger: every run recorded in SQLite, so a person can show later that they objected, and when.

Durability is the point of this module. A run killed at any moment (SIGKILL, a power cut) must lose no
earlier record and leave a database that opens cleanly. Hence: WAL with `synchronous=FULL`, so a commit is
on disk before `start_run`/`finish_run` return; autocommit, so every write is one statement and one
transaction; and migrations that each run in one transaction together with their version bump.

What a row may hold is fixed by the API: names, dates, the outcome, the form's (or setting's) and the
confirmation page's addresses (without their query, where tokens travel), the platform's confirmation text, a
setting's name and state ("on"/"off"), the account as the site named it, the values the person's form carried
when it was sent (only the fields the flow knows: optout_bot/walk/submitted.py) and the receipt's path. There is
no place for a password, a code, a cookie or a session token.

Two tables: `runs`, one row per run of `run` (a form: Meta's objection forms; a setting: LinkedIn's, X's
AI-training switch, with its state before and after), and `setting_checks`, one row per setting that
`verify` looked at again later.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from functools import cache
from pathlib import Path
from types import TracebackType
from typing import Self

from optout_bot.domains import without_query
from optout_bot.errors import ExitStatus, UsageError
from optout_bot.i18n import _
from optout_bot.paths import data_dir, private_dir

LEDGER_FILE = "ledger.sqlite3"
# Two optout-bot processes may touch the ledger at once (`status` while a `run` writes); writes are single
# rows, so waiting a few seconds for the other one is always enough.
BUSY_TIMEOUT_SECONDS = 10.0

OWN_FLOW = "own"  # a platform's own-information flow (flows/model.OWN_FLOW; not imported: that loads pydantic)
# A setting's state as recorded: "on" means the platform uses the person's data for AI training
# (optout_bot.walk.places.setting.ON/OFF, which loads Playwright).
SETTING_ON, SETTING_OFF = "on", "off"
SETTING_STATES = (SETTING_ON, SETTING_OFF)


class Outcome(StrEnum):
    """How a run ended, in the words of its exit code (see errors.ExitStatus)."""

    # 0: the person submitted and the platform's confirmation was seen; for a setting, it was seen off at the end
    CONFIRMED = "confirmed"
    DRY_RUN_READY = "dry_run_ready"  # 0 with --dry-run: the form was ready
    BUG = "bug"  # 1
    USAGE_ERROR = "usage_error"  # 2
    NOT_OFFERED = "not_offered"  # 3
    NOT_SUBMITTED = "not_submitted"  # 4
    # 4 too: the tool saw the person's form sent, but not the platform's confirmation (closed, timed out, Ctrl-C)
    UNCONFIRMED = "unconfirmed"
    NOT_RECOGNISED = "not_recognised"  # 5
    REFUSED = "refused"  # 6
    BROWSER_PROBLEM = "browser_problem"  # 7
    FORM_TAMPERED = "form_tampered"  # 9: the page tried to send or replace the form as it was filled
    NO_CONNECTION = "no_connection"  # 10
    # Killed, or still running: the row `start_run` commits says this until `finish_run` replaces it.
    INTERRUPTED = "interrupted"

    @property
    def exit_status(self) -> ExitStatus | None:
        """The exit code this outcome goes with; None for an interruption (Ctrl-C, a signal: any code)."""
        return _EXIT_STATUS.get(self)

    @classmethod
    def of(cls, status: ExitStatus, dry_run: bool) -> Outcome:
        """The outcome a run that exits with `status` records."""
        if status is ExitStatus.SUCCESS:
            return cls.DRY_RUN_READY if dry_run else cls.CONFIRMED
        if status is ExitStatus.INTERRUPTED:  # Ctrl-C (exit 130): what the row already says, whatever code
            return cls.INTERRUPTED
        found = next((outcome for outcome, code in _EXIT_STATUS.items() if code is status), None)
        if found is None:  # `verify`'s or `probe`'s own code: no run ends with it
            raise ValueError(f"no run ends with exit code {int(status)} ({status.name})")
        return found


_EXIT_STATUS: dict[Outcome, ExitStatus] = {
    Outcome.CONFIRMED: ExitStatus.SUCCESS,
    Outcome.DRY_RUN_READY: ExitStatus.SUCCESS,
    Outcome.BUG: ExitStatus.BUG,
    Outcome.USAGE_ERROR: ExitStatus.USAGE,
    Outcome.NOT_OFFERED: ExitStatus.NOT_OFFERED,
    Outcome.NOT_SUBMITTED: ExitStatus.NOT_SUBMITTED,  # before UNCONFIRMED: what `of` gives exit 4
    Outcome.UNCONFIRMED: ExitStatus.NOT_SUBMITTED,
    Outcome.NOT_RECOGNISED: ExitStatus.NOT_RECOGNISED,
    Outcome.REFUSED: ExitStatus.REFUSED,
    Outcome.BROWSER_PROBLEM: ExitStatus.BROWSER,
    Outcome.FORM_TAMPERED: ExitStatus.FORM_TAMPERED,
    Outcome.NO_CONNECTION: ExitStatus.NO_CONNECTION,
}


@dataclass(frozen=True)
class RunRecord:
    id: int
    account: str
    platform: str
    flow: str  # "own", or another of the platform's flows ("third-party")
    dry_run: bool
    started_at: datetime  # UTC, with its offset
    ended_at: datetime | None  # None: the run was killed, or is still running
    outcome: Outcome
    exit_code: int | None
    form_url: str | None
    route: str | None  # which of the flow's routes reached the form
    confirmation_text: str | None
    receipt_path: Path | None
    # A setting's state when the run reached it and when the run ended ("on"/"off"); None: not a setting, or
    # the run ended before it could read it.
    setting_before: str | None
    setting_after: str | None
    # Since ledger version 6 (None in older rows): the account as the site named it at the hand-over ("Jane Doe");
    # the values the form carried when the person sent it, as (the field's label on the page, the value), and when;
    # the address of the page that showed the confirmation; a setting's name as the page wrote it.
    account_shown: str | None = None
    submitted: tuple[tuple[str, str], ...] | None = None
    submitted_at: datetime | None = None
    confirmation_url: str | None = None
    setting_label: str | None = None

    @property
    def is_setting(self) -> bool:
        """A run that read a setting (LinkedIn's, X's) rather than filled a form."""
        return self.setting_before is not None or self.setting_after is not None


@dataclass(frozen=True)
class SettingCheck:
    """`optout-bot verify` looking at a setting again: what it saw, when, where."""

    id: int
    account: str
    platform: str
    checked_at: datetime  # UTC, with its offset
    state: str  # "on" or "off"
    url: str | None  # the setting page's address, without its query
    flow: str = OWN_FLOW  # which of the platform's settings (X's own is Grok's; `business-partners` another)


@dataclass(frozen=True)
class SettingState:
    """What the ledger knows of one account's setting on one platform, from its runs and its checks."""

    account: str
    platform: str
    state: str  # the latest state recorded, by a run or a check: "on" or "off"
    seen_at: datetime  # when that latest state was recorded
    last_off: datetime | None  # the last time it was seen off (a run that ended with it off, or a check)
    last_check: SettingCheck | None  # the latest `verify` check, if any
    flow: str = OWN_FLOW  # which of the platform's settings: a platform may have several (X)

    @property
    def back_on(self) -> bool:
        """Seen off once, and on since: the platform (or someone) switched it back on."""
        return self.state == SETTING_ON and self.last_off is not None


def default_path() -> Path:
    return data_dir() / LEDGER_FILE


# --- Schema ---------------------------------------------------------------------------------------------------
# One function per version step, applied in order, each in one transaction with its `user_version` bump.
# A released step is never edited: databases out there were made by it (tests/data/ledger-v1.sqlite3 is one).


def _migrate_0_to_1(conn: sqlite3.Connection) -> None:
    """The first schema: one row per run. A row is either started (no end, no exit code) or finished (both)."""
    conn.execute(
        """
        CREATE TABLE runs (
            id INTEGER PRIMARY KEY,
            account TEXT NOT NULL,
            platform TEXT NOT NULL,
            started_at TEXT NOT NULL,
            ended_at TEXT,
            outcome TEXT NOT NULL DEFAULT 'interrupted',
            exit_code INTEGER,
            form_url TEXT,
            confirmation_text TEXT,
            receipt_path TEXT,
            CHECK ((ended_at IS NULL) = (exit_code IS NULL))
        )
        """
    )


def _migrate_1_to_2(conn: sqlite3.Connection) -> None:
    """Which route reached the form, and whether the run was a dry run.

    `dry_run` lets `confirmed()` never count a rehearsal as an objection; a v1 row that ended
    'dry_run_ready' was one, the others were not. `route` tells which way to the form still works when Meta
    moves it. The index serves the per-account questions (`last_runs`, `confirmed`).
    """
    conn.execute("ALTER TABLE runs ADD COLUMN route TEXT")
    conn.execute("ALTER TABLE runs ADD COLUMN dry_run INTEGER NOT NULL DEFAULT 0 CHECK (dry_run IN (0, 1))")
    conn.execute("UPDATE runs SET dry_run = 1 WHERE outcome = 'dry_run_ready'")
    conn.execute("CREATE INDEX runs_by_account ON runs (account, platform, id)")


def _migrate_2_to_3(conn: sqlite3.Connection) -> None:
    """Other flows than the own-information one, settings' states, and `verify`'s checks.

    `flow` tells Meta's form for information others shared (`run --flow third-party`) from the own-information
    form every run before it used, so a v2 row is 'own'. `setting_before`/`setting_after` hold a setting's state
    (LinkedIn's, X's) as a run found it and left it; a form's run has neither. `setting_checks` holds what
    `verify` saw when it looked at a setting again; its index serves the per-account questions like runs'.
    """
    conn.execute("ALTER TABLE runs ADD COLUMN flow TEXT NOT NULL DEFAULT 'own' CHECK (flow <> '')")
    conn.execute("ALTER TABLE runs ADD COLUMN setting_before TEXT CHECK (setting_before IN ('on', 'off'))")
    conn.execute("ALTER TABLE runs ADD COLUMN setting_after TEXT CHECK (setting_after IN ('on', 'off'))")
    conn.execute(
        """
        CREATE TABLE setting_checks (
            id INTEGER PRIMARY KEY,
            account TEXT NOT NULL,
            platform TEXT NOT NULL,
            checked_at TEXT NOT NULL,
            state TEXT NOT NULL CHECK (state IN ('on', 'off')),
            url TEXT
        )
        """
    )
    conn.execute("CREATE INDEX setting_checks_by_account ON setting_checks (account, platform, id)")


def _migrate_3_to_4(conn: sqlite3.Connection) -> None:
    """The outcome 'unconfirmed' (the person's form was seen sent, the platform's confirmation was not), and a
    receipt attached after its run's outcome (`attach_receipt`): the tables do not change.

    The version does: an older optout-bot would read 'unconfirmed' as damage; at version 4 it says instead
    that the ledger is newer than it.
    """


def _migrate_4_to_5(conn: sqlite3.Connection) -> None:
    """Which of the platform's settings a `verify` check looked at: a platform may have several (X: Grok's, its
    own flow, and "Data sharing with business partners", `--flow business-partners`). Every check before it
    looked at the platform's own flow's setting, so a v4 row is 'own'."""
    conn.execute("ALTER TABLE setting_checks ADD COLUMN flow TEXT NOT NULL DEFAULT 'own' CHECK (flow <> '')")


def _migrate_5_to_6(conn: sqlite3.Connection) -> None:
    """What a data-protection authority asks of a proof (issue 17.3): the account as the site named it, the values
    the form carried when the person sent it (JSON: [[label, value], ...]) and when, the confirmation page's
    address, and a setting's name as its page wrote it. A v5 row knows none of them: all NULL."""
    for column in ("account_shown", "submitted", "submitted_at", "confirmation_url", "setting_label"):
        conn.execute(f"ALTER TABLE runs ADD COLUMN {column} TEXT")


_MIGRATIONS: list[Callable[[sqlite3.Connection], None]] = [
    _migrate_0_to_1,
    _migrate_1_to_2,
    _migrate_2_to_3,
    _migrate_3_to_4,
    _migrate_4_to_5,
    _migrate_5_to_6,
]
SCHEMA_VERSION = len(_MIGRATIONS)


def _user_version(conn: sqlite3.Connection) -> int:
    version: int = conn.execute("PRAGMA user_version").fetchone()[0]
    return version


def _migrate(conn: sqlite3.Connection, target: int = SCHEMA_VERSION) -> None:
    while True:
        # IMMEDIATE takes the write lock before reading the version: two processes opening a new ledger at
        # once must not both run the same step.
        conn.execute("BEGIN IMMEDIATE")
        try:
            version = _user_version(conn)
            if version >= target:
                conn.execute("COMMIT")
                return
            _MIGRATIONS[version](conn)
            conn.execute(f"PRAGMA user_version = {version + 1}")
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise


# --- Opening --------------------------------------------------------------------------------------------------


def _damaged(path: Path, detail: str) -> UsageError:
    message = _(
        "the ledger {path} is damaged or is not an optout-bot ledger ({detail}): move it aside "
        "(for example rename it to {name}.broken) and run again to start a new one"
    )
    return UsageError(message.format(path=path, detail=detail, name=path.name))


def _not_a_file(path: Path) -> UsageError:
    message = _(
        "the ledger {path} is not a file: move it aside (for example rename it to {name}.broken) "
        "and run again to start a new one"
    )
    return UsageError(message.format(path=path, name=path.name))


def _refuse_what_is_not_a_file(path: Path) -> None:
    """A folder (or a device, a pipe) where the ledger should be: SQLite would only say "unable to open"."""
    try:
        in_place = path.exists() and not path.is_file()
    except OSError:
        return  # a folder we may not look into: SQLite's own error says so
    if in_place:
        raise _not_a_file(path)


# SQLite's error names (exc.sqlite_errorname) for trouble with the file, as opposed to bugs in our SQL.
_DAMAGED = ("SQLITE_NOTADB", "SQLITE_CORRUPT")
_BUSY = ("SQLITE_BUSY", "SQLITE_LOCKED")
_UNUSABLE = ("SQLITE_CANTOPEN", "SQLITE_READONLY", "SQLITE_PERM", "SQLITE_IOERR", "SQLITE_FULL", "SQLITE_AUTH")


@contextmanager
def _file_errors(path: Path) -> Iterator[None]:
    """SQLite errors caused by the file or the disk become one line saying what to do; anything else is a bug."""
    try:
        yield
    except sqlite3.DatabaseError as exc:
        name = getattr(exc, "sqlite_errorname", "")
        if name.startswith(_DAMAGED):
            raise _damaged(path, str(exc)) from exc
        if name.startswith(_BUSY):
            raise UsageError(
                _("the ledger {path} is busy: another optout-bot is using it; try again").format(path=path)
            ) from exc
        if name.startswith(_UNUSABLE):
            message = _(
                "cannot use the ledger {path} ({problem}): check that its folder is yours and the disk is not full"
            )
            raise UsageError(message.format(path=path, problem=exc)) from exc
        raise


def _create_private(path: Path) -> None:
    """The file exists with mode 0600 before SQLite opens it: SQLite gives its -wal and -shm files that mode."""
    try:
        private_dir(path.parent)
        if not path.exists():
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600))
        _tighten(path)
    except OSError as exc:
        raise UsageError(
            _("cannot create the ledger {path}: {reason}").format(path=path, reason=exc.strerror or exc)
        ) from exc


def _tighten(path: Path) -> None:
    if path.is_file() and path.stat().st_mode & 0o077:
        path.chmod(0o600)


def _check(conn: sqlite3.Connection, path: Path) -> None:
    """Refuse what this version cannot safely write to, before writing anything to it."""
    version = _user_version(conn)
    if version > SCHEMA_VERSION:
        message = _(
            "the ledger {path} was made by a newer optout-bot (ledger version {version}; this one knows up to "
            "{known}): update optout-bot, or move the file aside to start a new ledger"
        )
        raise UsageError(message.format(path=path, version=version, known=SCHEMA_VERSION))
    problems = [row[0] for row in conn.execute("PRAGMA quick_check")]
    if problems != ["ok"]:
        # SQLite's report spans lines under a "*** in database main ***" heading; one finding is enough here.
        lines = [line for line in problems[0].splitlines() if line.strip() and not line.startswith("***")]
        raise _damaged(path, _("integrity check: {finding}").format(finding=(lines or problems)[0]))
    tables = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
    if version < 0 or (version == 0 and tables):
        raise _damaged(path, _("a SQLite database of something else"))


def _columns(conn: sqlite3.Connection) -> dict[str, frozenset[str]]:
    """Each table's column names: the shape this module's queries rely on."""
    tables = [row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    return {
        table: frozenset(row[0] for row in conn.execute("SELECT name FROM pragma_table_info(?)", (table,)))
        for table in tables
    }


@cache
def _expected_columns() -> dict[str, frozenset[str]]:
    """The tables and columns the migrations build, read from a fresh ledger in memory."""
    memory = sqlite3.connect(":memory:", isolation_level=None)
    try:
        _migrate(memory)
        return _columns(memory)
    finally:
        memory.close()


def _check_shape(conn: sqlite3.Connection, path: Path) -> None:
    """A file that claims the current version must have its tables and columns, or every query fails as a "bug"."""
    found = _columns(conn)
    for table, columns in _expected_columns().items():
        missing = sorted(columns - found.get(table, frozenset()))
        if table not in found or missing:
            what = ", ".join(missing) if table in found else _("the whole table")
            raise _damaged(path, _("table {table} lacks {what}").format(table=table, what=what))


def _migrate_checked(conn: sqlite3.Connection, path: Path) -> None:
    """Migrate, then check the shape. A step that fails on a plain SQL error met a file that only claims its version."""
    try:
        _migrate(conn)
    except sqlite3.OperationalError as exc:
        if getattr(exc, "sqlite_errorname", "") == "SQLITE_ERROR":
            raise _damaged(path, str(exc)) from exc
        raise
    _check_shape(conn, path)


def _connect(path: Path) -> sqlite3.Connection:
    # isolation_level=None: autocommit; the module opens no hidden transactions, migrations open their own.
    conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_SECONDS, isolation_level=None)
    try:
        conn.row_factory = sqlite3.Row
        conn.execute("PRAGMA foreign_keys = ON")
        _check(conn, path)
        conn.execute("PRAGMA journal_mode = WAL")
        # FULL: in WAL mode, NORMAL may lose the last commits on a power cut; a receipt must not vanish.
        conn.execute("PRAGMA synchronous = FULL")
        _migrate_checked(conn, path)
    except BaseException:
        conn.close()
        raise
    return conn


def _connect_read_only(path: Path) -> sqlite3.Connection:
    """For the commands that only read (`status`, `report`): nothing is written, so they work on a full disk.

    SQLite's read-only mode still makes the small -shm index a WAL ledger needs; where even that cannot be
    written (a full disk, a read-only folder), the file is read as it is on disk (immutable): everything a
    finished optout-bot wrote is there, since the last connection to close copies the WAL into the file.
    """
    try:
        return _read_only_connection(path, "mode=ro")
    except sqlite3.OperationalError as exc:
        if not getattr(exc, "sqlite_errorname", "").startswith(_UNUSABLE):
            raise
        return _read_only_connection(path, "mode=ro&immutable=1")


def _read_only_connection(path: Path, parameters: str) -> sqlite3.Connection:
    uri = f"{path.absolute().as_uri()}?{parameters}"
    conn = sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_SECONDS, isolation_level=None)
    try:
        _check(conn, path)
        if _user_version(conn) < SCHEMA_VERSION:
            # An older ledger is migrated in a copy in memory: the next `run` migrates the file itself.
            memory = sqlite3.connect(":memory:", isolation_level=None)
            conn.backup(memory)
            conn.close()
            conn = memory
        conn.row_factory = sqlite3.Row
        _migrate_checked(conn, path)
    except BaseException:
        conn.close()
        raise
    return conn


# --- The ledger -----------------------------------------------------------------------------------------------


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _form_address(url: str | None) -> str | None:
    return None if url is None else without_query(url)


def _check_outcome(outcome: Outcome, exit_code: int, dry_run: bool) -> None:
    """A record that contradicts itself would be worthless as proof: refuse it (a bug in the caller)."""
    expected = outcome.exit_status
    if expected is not None and exit_code != expected:
        raise ValueError(f"outcome {outcome} goes with exit code {int(expected)}, not {exit_code}")
    if outcome is Outcome.CONFIRMED and dry_run:
        raise ValueError("a dry run cannot end confirmed")
    if outcome is Outcome.DRY_RUN_READY and not dry_run:
        raise ValueError("only a dry run can end dry_run_ready")


def _check_state(state: str | None, what: str) -> None:
    """A setting's state is "on", "off", or unknown (None); the table's CHECK says so too."""
    if state is not None and state not in SETTING_STATES:
        raise ValueError(f"{what} is 'on', 'off' or None, not {state!r}")


def _moment(stamp: str, what: str, path: Path) -> datetime:
    try:
        return datetime.fromisoformat(stamp)
    except ValueError as exc:
        raise _damaged(path, f"{what}: {exc}") from exc


def _record(row: sqlite3.Row, path: Path) -> RunRecord:
    try:
        outcome = Outcome(row["outcome"])
        started_at = datetime.fromisoformat(row["started_at"])
        ended_at = datetime.fromisoformat(row["ended_at"]) if row["ended_at"] else None
    except ValueError as exc:
        raise _damaged(path, f"run {row['id']}: {exc}") from exc
    return RunRecord(
        id=row["id"],
        account=row["account"],
        platform=row["platform"],
        flow=row["flow"],
        dry_run=bool(row["dry_run"]),
        started_at=started_at,
        ended_at=ended_at,
        outcome=outcome,
        exit_code=row["exit_code"],
        form_url=row["form_url"],
        route=row["route"],
        confirmation_text=row["confirmation_text"],
        receipt_path=Path(row["receipt_path"]) if row["receipt_path"] else None,
        setting_before=row["setting_before"],
        setting_after=row["setting_after"],
        account_shown=row["account_shown"],
        submitted=_submitted(row, path),
        submitted_at=_moment(row["submitted_at"], f"run {row['id']}", path) if row["submitted_at"] else None,
        confirmation_url=row["confirmation_url"],
        setting_label=row["setting_label"],
    )


def _submitted(row: sqlite3.Row, path: Path) -> tuple[tuple[str, str], ...] | None:
    if row["submitted"] is None:
        return None
    try:
        pairs = json.loads(row["submitted"])
        return tuple((str(label), str(value)) for label, value in pairs)
    except (ValueError, TypeError) as exc:
        raise _damaged(path, f"run {row['id']}: submitted: {exc}") from exc


def _submitted_json(submitted: tuple[tuple[str, str], ...] | None) -> str | None:
    return None if submitted is None else json.dumps([list(pair) for pair in submitted], ensure_ascii=False)


def _setting_key(row: sqlite3.Row) -> tuple[str, str, str]:
    return (row["account"], row["platform"], row["flow"])


def _setting_order(row: sqlite3.Row) -> tuple[str, str, bool, str]:
    """By account, platform, then the platform's own setting before its others."""
    return (row["account"], row["platform"], row["flow"] != OWN_FLOW, row["flow"])


def _check_record(row: sqlite3.Row, path: Path) -> SettingCheck:
    return SettingCheck(
        id=row["id"],
        account=row["account"],
        platform=row["platform"],
        checked_at=_moment(row["checked_at"], f"check {row['id']}", path),
        state=row["state"],
        url=row["url"],
        flow=row["flow"],
    )


class Ledger:
    """`with Ledger.open() as ledger:` — every method's write is committed (and on disk) when it returns."""

    def __init__(self, conn: sqlite3.Connection, path: Path) -> None:
        self._conn = conn
        self.path = path

    @classmethod
    def open(cls, path: Path | None = None, *, read_only: bool = False) -> Ledger:
        """The ledger at `path` (default: in the data folder). `read_only`: for reading, never written to."""
        path = default_path() if path is None else path
        _refuse_what_is_not_a_file(path)
        if read_only:
            with _file_errors(path):
                return cls(_connect_read_only(path), path)
        _create_private(path)
        with _file_errors(path):
            conn = _connect(path)
        for suffix in ("-wal", "-shm"):
            _tighten(path.with_name(path.name + suffix))
        return cls(conn, path)

    def close(self) -> None:
        self._conn.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def start_run(self, account: str, platform: str, dry_run: bool, flow: str = OWN_FLOW) -> int:
        """Record a run as started, at once: if it is killed, this row says 'interrupted'."""
        with _file_errors(self.path):
            cursor = self._conn.execute(
                "INSERT INTO runs (account, platform, flow, dry_run, started_at, outcome) VALUES (?, ?, ?, ?, ?, ?)",
                (account, platform, flow, int(dry_run), _now(), Outcome.INTERRUPTED.value),
            )
        run_id = cursor.lastrowid
        assert run_id is not None  # an INSERT into a rowid table always sets it
        return run_id

    def finish_run(
        self,
        run_id: int,
        outcome: Outcome | str,
        exit_code: int,
        form_url: str | None,
        route: str | None,
        confirmation_text: str | None,
        receipt_path: Path | None,
        *,
        setting_before: str | None = None,
        setting_after: str | None = None,
        account_shown: str | None = None,
        submitted: tuple[tuple[str, str], ...] | None = None,
        confirmation_url: str | None = None,
        setting_label: str | None = None,
    ) -> None:
        """Record how the run ended, in one statement. `setting_before`/`after`: a setting's state ("on"/"off").

        `submitted` is kept only where `record_submission` wrote nothing (it could not): what was recorded at the
        moment of the submission stands."""
        outcome = Outcome(outcome)
        _check_state(setting_before, "setting_before")
        _check_state(setting_after, "setting_after")
        with _file_errors(self.path):
            row = self._conn.execute("SELECT dry_run, ended_at FROM runs WHERE id = ?", (run_id,)).fetchone()
            if row is None or row["ended_at"] is not None:
                raise ValueError(f"run {run_id} is not a started run in the ledger")
            _check_outcome(outcome, exit_code, bool(row["dry_run"]))
            self._conn.execute(
                """UPDATE runs SET ended_at = ?, outcome = ?, exit_code = ?, form_url = ?, route = ?,
                   confirmation_text = ?, receipt_path = ?, setting_before = ?, setting_after = ?,
                   account_shown = coalesce(?, account_shown), submitted = coalesce(submitted, ?),
                   confirmation_url = ?, setting_label = ?
                   WHERE id = ? AND ended_at IS NULL""",
                (
                    _now(),
                    outcome.value,
                    exit_code,
                    _form_address(form_url),
                    route,
                    confirmation_text,
                    str(receipt_path.absolute()) if receipt_path else None,
                    setting_before,
                    setting_after,
                    account_shown,
                    _submitted_json(submitted),
                    _form_address(confirmation_url),
                    setting_label,
                    run_id,
                ),
            )

    def record_submission(
        self, run_id: int, submitted: tuple[tuple[str, str], ...], account_shown: str | None = None
    ) -> None:
        """Record, the moment the person's form is seen sent, what it carried (the flow's fields only: label and
        value) and the account the site showed. Once: a second submission of the same run does not replace it."""
        with _file_errors(self.path):
            self._conn.execute(
                """UPDATE runs SET submitted = ?, submitted_at = ?, account_shown = coalesce(?, account_shown)
                   WHERE id = ? AND ended_at IS NULL AND submitted IS NULL""",
                (_submitted_json(submitted), _now(), account_shown, run_id),
            )

    def attach_receipt(self, run_id: int, receipt_path: Path) -> None:
        """Add the receipt to a run whose outcome is already recorded (it is saved after: see recording.py).

        Only once, and only to a finished run that has none: a receipt is never replaced.
        """
        with _file_errors(self.path):
            cursor = self._conn.execute(
                "UPDATE runs SET receipt_path = ? WHERE id = ? AND ended_at IS NOT NULL AND receipt_path IS NULL",
                (str(receipt_path.absolute()), run_id),
            )
        if cursor.rowcount != 1:
            raise ValueError(f"run {run_id} is not a finished run without a receipt in the ledger")

    def record_check(self, account: str, platform: str, state: str, url: str | None, flow: str = OWN_FLOW) -> int:
        """Record what `verify` saw of a setting (its state, "on" or "off", and its page), at once. `flow`: which
        of the platform's settings."""
        if state not in SETTING_STATES:
            raise ValueError(f"a check records the state it saw, 'on' or 'off', not {state!r}")
        with _file_errors(self.path):
            cursor = self._conn.execute(
                "INSERT INTO setting_checks (account, platform, flow, checked_at, state, url) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (account, platform, flow, _now(), state, _form_address(url)),
            )
        check_id = cursor.lastrowid
        assert check_id is not None
        return check_id

    def _select(self, clauses: str, params: tuple[str, ...] = ()) -> list[RunRecord]:
        with _file_errors(self.path):
            rows = self._conn.execute(f"SELECT * FROM runs {clauses}", params).fetchall()
        return [_record(row, self.path) for row in rows]

    def runs(self, account: str | None = None) -> list[RunRecord]:
        """Every run, oldest first (of one account if given)."""
        if account is None:
            return self._select("ORDER BY id")
        return self._select("WHERE account = ? ORDER BY id", (account,))

    def last_runs(self) -> list[RunRecord]:
        """The latest run of each account on each platform and flow (dry runs included), in that order."""
        return self._select(
            "WHERE id IN (SELECT max(id) FROM runs GROUP BY account, platform, flow) ORDER BY account, platform, flow"
        )

    def confirmed(self, account: str, platform: str, flow: str = OWN_FLOW) -> RunRecord | None:
        """The latest run of this flow that saw the platform's confirmation, if any (never a dry run).

        For a setting: the latest run that ended with the setting seen off.
        """
        found = self._select(
            "WHERE account = ? AND platform = ? AND flow = ? AND outcome = 'confirmed' AND dry_run = 0 "
            "ORDER BY id DESC LIMIT 1",
            (account, platform, flow),
        )
        return found[0] if found else None

    def checks(
        self, account: str | None = None, platform: str | None = None, flow: str | None = None
    ) -> list[SettingCheck]:
        """Every `verify` check, oldest first (of one account, one platform and one of its settings, if given)."""
        query = (
            "SELECT * FROM setting_checks WHERE (? IS NULL OR account = ?) AND (? IS NULL OR platform = ?) "
            "AND (? IS NULL OR flow = ?) "
        )
        params = (account, account, platform, platform, flow, flow)
        with _file_errors(self.path):
            rows = self._conn.execute(query + "ORDER BY id", params).fetchall()
        return [_check_record(row, self.path) for row in rows]

    def setting_states(self) -> list[SettingState]:
        """Every (account, platform, flow) whose setting a run or a check saw, by account, platform, then the
        platform's own setting before its others.

        The latest state is the one most recently recorded, by a run (the state it left, else the one it found)
        or by a check; `last_off` is the latest end of a run that left the setting off, or check that saw it off.
        Each of a platform's settings is its own: X's Grok setting (its own flow) and its business partners one
        (`--flow business-partners`) say nothing of each other.
        """
        query = """
            SELECT account, platform, flow, coalesce(setting_after, setting_before) AS state,
                   coalesce(ended_at, started_at) AS at, setting_after = 'off' AS off_at_end, id, 0 AS is_check
            FROM runs WHERE coalesce(setting_after, setting_before) IS NOT NULL
            UNION ALL
            SELECT account, platform, flow, state, checked_at, state = 'off', id, 1 FROM setting_checks
        """
        with _file_errors(self.path):
            rows = self._conn.execute(query).fetchall()
        seen = sorted(
            ((row, _moment(row["at"], f"run or check {row['id']}", self.path)) for row in rows),
            key=lambda item: (*_setting_order(item[0]), item[1], item[0]["is_check"], item[0]["id"]),
        )
        checks = {(c.account, c.platform, c.flow): c for c in self.checks()}  # the latest of each wins
        states: dict[tuple[str, str, str], SettingState] = {}
        for row, at in seen:
            key = _setting_key(row)
            earlier = states.get(key)
            last_off = at if row["off_at_end"] else earlier.last_off if earlier else None
            states[key] = SettingState(
                row["account"], row["platform"], row["state"], at, last_off, checks.get(key), row["flow"]
            )
        return list(states.values())
