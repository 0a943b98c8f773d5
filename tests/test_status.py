"""`optout-bot status`: what the person sees of their runs, read from a real ledger and a real settings file."""

from __future__ import annotations

import json
import re
import struct
import time
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from optout_bot.config import Account, Config, load_config, write_config
from optout_bot.errors import ExitStatus, UsageError
from optout_bot.ledger import Ledger, Outcome, RunRecord
from optout_bot.status import OUTCOME_WORDS, status_output

FORM_URL = "https://help.instagram.com/contact/767264225370182"
CONFIRMATION = "We've received your objection. We'll honour it from now on."

# --- Helpers, shared with test_report.py and e2e/test_records.py ------------------------------------------------


def png(width: int = 40, height: int = 24, rgb: tuple[int, int, int] = (30, 120, 200)) -> bytes:
    """A valid PNG of one colour: what a receipt screenshot is, small enough to read in a test."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)  # 8-bit RGB, no interlace
    rows = b"".join(b"\x00" + bytes(rgb) * width for _ in range(height))  # filter 0 on every row
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


def record(
    ledger: Ledger,
    account: str,
    platform: str,
    outcome: Outcome,
    receipt: Path | None = None,
    confirmation_text: str | None = None,
    dry_run: bool | None = None,
) -> RunRecord:
    """One run, started and finished as the runner records it; returns it as the ledger reads it back."""
    dry_run = outcome is Outcome.DRY_RUN_READY if dry_run is None else dry_run
    run_id = ledger.start_run(account, platform, dry_run)
    if outcome is not Outcome.INTERRUPTED:
        status = outcome.exit_status
        assert status is not None
        ledger.finish_run(run_id, outcome, int(status), FORM_URL, "settings-privacy-center", confirmation_text, receipt)
    return next(run for run in ledger.runs(account) if run.id == run_id)


def receipt_file(folder: Path, name: str = "receipt.png") -> Path:
    path = folder / name
    path.write_bytes(png())
    return path


def local_minute(run: RunRecord) -> str:
    moment = run.ended_at or run.started_at
    return moment.astimezone().strftime("%Y-%m-%d %H:%M")


def local_day(run: RunRecord) -> str:
    moment = run.ended_at or run.started_at
    return moment.astimezone().strftime("%Y-%m-%d")


# --- Fixtures ---------------------------------------------------------------------------------------------------


@pytest.fixture
def ledger_path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "ledger.sqlite3"


@pytest.fixture
def settings(tmp_path: Path) -> Config:
    """Two accounts in a settings file written and read back as the person's would be."""
    config = Config(
        email="jane@example.com",
        accounts=(Account(name="personal", platform="instagram"), Account(name="work", platform="facebook")),
    )
    return load_config(write_config(config, tmp_path / "config.toml"))


@contextmanager
def local_time_zone(rule: str) -> Iterator[None]:
    """This process's local time zone set to a POSIX rule (no time-zone database needed), then put back."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("TZ", rule)
        time.tzset()
        try:
            yield
        finally:
            patch.undo()
            time.tzset()


@pytest.fixture
def india_time() -> Iterator[None]:
    """Local time UTC+05:30: local must differ from UTC, by a fraction of an hour too."""
    with local_time_zone("IST-5:30"):
        yield


# --- No ledger yet ----------------------------------------------------------------------------------------------


def test_without_a_ledger_it_says_so_lists_the_settings_accounts_and_creates_nothing(
    settings: Config, ledger_path: Path
) -> None:
    text = status_output(settings, as_json=False, ledger_path=ledger_path)
    lines = text.splitlines()
    assert lines[0] == "No run recorded yet: run `optout-bot run --platform instagram` (or facebook) to object."
    assert re.fullmatch(r"personal\s+instagram\s+never run", lines[3])
    assert re.fullmatch(r"work\s+facebook\s+never run", lines[4])
    assert not ledger_path.exists() and not ledger_path.parent.exists()


def test_without_a_ledger_or_settings_it_prints_one_line(ledger_path: Path) -> None:
    assert status_output(Config(), as_json=False, ledger_path=ledger_path) == (
        "No run recorded yet: run `optout-bot run --platform instagram` (or facebook) to object.\n"
    )


def test_without_a_ledger_json_says_null_and_never_run(settings: Config, ledger_path: Path) -> None:
    document = json.loads(status_output(settings, as_json=True, ledger_path=ledger_path))
    assert document["schema"] == 1 and document["ledger"] is None
    assert [(a["account"], a["platform"], a["configured"], a["last_outcome"]) for a in document["accounts"]] == [
        ("personal", "instagram", True, None),
        ("work", "facebook", True, None),
    ]
    assert not ledger_path.exists()


# --- The table --------------------------------------------------------------------------------------------------


def test_the_table_shows_each_account_its_last_outcome_and_its_receipt(
    settings: Config, ledger_path: Path, tmp_path: Path
) -> None:
    receipt = receipt_file(tmp_path)
    with Ledger.open(ledger_path) as ledger:
        confirmed = record(ledger, "personal", "instagram", Outcome.CONFIRMED, receipt, CONFIRMATION)
        rehearsal = record(ledger, "personal", "instagram", Outcome.DRY_RUN_READY)
        unsubmitted = record(ledger, "default", "instagram", Outcome.NOT_SUBMITTED)
    lines = status_output(settings, as_json=False, ledger_path=ledger_path).splitlines()

    header, personal, work, default = lines[:4]
    assert header.split() == ["ACCOUNT", "PLATFORM", "LAST", "OUTCOME", "WHEN", "CONFIRMED"]
    # The settings' accounts first, in their order; then what only the ledger knows (made without settings).
    assert personal.split("  ")[0] == "personal" and work.startswith("work ") and default.startswith("default ")
    assert re.fullmatch(
        rf"personal\s+instagram\s+dry run: form ready\s+{local_minute(rehearsal)}\s+{local_day(confirmed)}",
        personal,
    )
    assert re.fullmatch(r"work\s+facebook\s+never run", work)
    assert re.fullmatch(rf"default\s+instagram\s+not submitted\s+{local_minute(unsubmitted)}\s+never", default)
    # Aligned columns: every row's outcome starts where the header's does.
    column = header.index("LAST OUTCOME")
    assert personal[column:].startswith("dry run") and default[column:].startswith("not submitted")
    assert "Receipts (screenshots of Meta's confirmation):" in lines
    assert f"  personal (instagram): {receipt}" in lines
    assert lines[-1] == f"Times are local (UTC{time.strftime('%z')[:3]}:{time.strftime('%z')[3:]})."


def test_the_table_fits_80_columns_for_usual_names(settings: Config, ledger_path: Path, tmp_path: Path) -> None:
    with Ledger.open(ledger_path) as ledger:
        record(ledger, "personal", "instagram", Outcome.CONFIRMED, receipt_file(tmp_path), CONFIRMATION)
        record(ledger, "personal", "instagram", Outcome.NOT_RECOGNISED)
        record(ledger, "work", "facebook", Outcome.NOT_RECOGNISED, dry_run=True)  # the longest words
    lines = status_output(settings, as_json=False, ledger_path=ledger_path).splitlines()
    table = lines[: lines.index("")]
    assert max(len(line) for line in table) <= 80
    assert "dry run: pages not recognised" in table[2]  # a failed rehearsal does not read as a real attempt
    assert max(len(words) for words in OUTCOME_WORDS.values()) <= len("pages not recognised")


def test_an_interrupted_run_and_a_missing_receipt_are_said_plainly(settings: Config, ledger_path: Path) -> None:
    gone = ledger_path.parent / "receipts" / "gone.png"
    with Ledger.open(ledger_path) as ledger:
        record(ledger, "work", "facebook", Outcome.CONFIRMED, gone, CONFIRMATION)
        record(ledger, "work", "facebook", Outcome.INTERRUPTED)
    text = status_output(settings, as_json=False, ledger_path=ledger_path)
    assert re.search(r"^work\s+facebook\s+interrupted\s", text, re.MULTILINE)
    assert f"  work (facebook): {gone} (file missing)\n" in text


def test_times_are_shown_in_local_time(india_time: None, ledger_path: Path) -> None:
    with Ledger.open(ledger_path) as ledger:
        run = record(ledger, "default", "facebook", Outcome.NOT_SUBMITTED)
    assert run.ended_at is not None
    text = status_output(Config(), as_json=False, ledger_path=ledger_path)
    hours, minutes = divmod(run.ended_at.hour * 60 + run.ended_at.minute + 330, 60)
    assert f"{hours % 24:02d}:{minutes:02d}" in text.splitlines()[1]
    assert text.endswith("Times are local (UTC+05:30).\n")


# --- JSON -------------------------------------------------------------------------------------------------------

JSON_KEYS = {
    "account", "platform", "configured", "last_outcome", "last_run_at", "last_dry_run", "last_receipt",
    "confirmed_at", "receipt", "form_url", "confirmation_text",
}  # fmt: skip


def test_json_has_the_documented_shape(india_time: None, settings: Config, ledger_path: Path, tmp_path: Path) -> None:
    receipt = receipt_file(tmp_path)
    screenshot = receipt_file(tmp_path, "form.png")
    with Ledger.open(ledger_path) as ledger:
        confirmed = record(ledger, "personal", "instagram", Outcome.CONFIRMED, receipt, CONFIRMATION)
        rehearsal = record(ledger, "personal", "instagram", Outcome.DRY_RUN_READY, screenshot)
        record(ledger, "default", "facebook", Outcome.BROWSER_PROBLEM)
    document = json.loads(status_output(settings, as_json=True, ledger_path=ledger_path))

    assert set(document) == {"schema", "ledger", "accounts"}
    assert document["schema"] == 1 and document["ledger"] == str(ledger_path)
    personal, work, default = document["accounts"]
    assert all(set(account) == JSON_KEYS for account in document["accounts"])
    assert rehearsal.ended_at is not None and confirmed.ended_at is not None
    assert personal == {
        "account": "personal",
        "platform": "instagram",
        "configured": True,
        "last_outcome": "dry_run_ready",
        "last_run_at": rehearsal.ended_at.isoformat(),  # UTC, whatever the local time zone
        "last_dry_run": True,
        "last_receipt": str(screenshot),
        "confirmed_at": confirmed.ended_at.isoformat(),
        "receipt": str(receipt),
        "form_url": FORM_URL,
        "confirmation_text": CONFIRMATION,
    }
    assert personal["last_run_at"].endswith("+00:00")
    assert (work["account"], work["last_outcome"], work["last_run_at"], work["receipt"]) == ("work", None, None, None)
    assert (default["configured"], default["last_outcome"], default["confirmed_at"]) == (False, "browser_problem", None)


# --- Damage -----------------------------------------------------------------------------------------------------


def test_a_damaged_ledger_is_the_ledgers_one_line_usage_error(ledger_path: Path) -> None:
    ledger_path.parent.mkdir(parents=True)
    ledger_path.write_bytes(b"this is not a database, just some bytes " * 200)
    with pytest.raises(UsageError, match=r"is damaged or is not an optout-bot ledger") as caught:
        status_output(Config(), as_json=False, ledger_path=ledger_path)
    assert caught.value.status is ExitStatus.USAGE
    assert "\n" not in caught.value.message
