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

from optout_bot.errors import ExitStatus, UsageError
from optout_bot.platforms import PLATFORMS, site_of
from optout_bot.records import ledger as ledger_module
from optout_bot.records.ledger import Ledger, Outcome, RunRecord
from optout_bot.records.status import OUTCOME_WORDS, status_output
from optout_bot.settings.config import Account, Config, load_config, write_config

FORM_URL = "https://help.instagram.com/contact/767264225370182"
SETTING_URL = "https://www.linkedin.com/mypreferences/d/settings/data-for-ai-improvement"
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
    flow: str = "own",
) -> RunRecord:
    """One run, started and finished as the runner records it; returns it as the ledger reads it back."""
    dry_run = outcome is Outcome.DRY_RUN_READY if dry_run is None else dry_run
    run_id = ledger.start_run(account, platform, dry_run, flow)
    if outcome is not Outcome.INTERRUPTED:
        status = outcome.exit_status
        assert status is not None
        ledger.finish_run(run_id, outcome, int(status), FORM_URL, "settings-privacy-center", confirmation_text, receipt)
    return next(run for run in ledger.runs(account) if run.id == run_id)


def setting_record(
    ledger: Ledger,
    account: str,
    platform: str,
    before: str | None,
    after: str | None,
    outcome: Outcome = Outcome.CONFIRMED,
    receipt: Path | None = None,
) -> RunRecord:
    """One run of a setting's flow (LinkedIn's, X's), with the states it saw, as the runner records it."""
    dry_run = outcome is Outcome.DRY_RUN_READY
    status = outcome.exit_status
    assert status is not None
    run_id = ledger.start_run(account, platform, dry_run)
    ledger.finish_run(
        run_id, outcome, int(status), SETTING_URL, "setting-address", None, receipt,
        setting_before=before, setting_after=after,
    )  # fmt: skip
    return next(run for run in ledger.runs(account) if run.id == run_id)


@contextmanager
def ledger_clock(moment: str) -> Iterator[None]:
    """Every write to the ledger dated `moment` (UTC, e.g. "2025-06-01T09:00:00"), then the real clock again."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(ledger_module, "_now", lambda: f"{moment}+00:00")
        yield


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


@pytest.fixture
def utc_time() -> Iterator[None]:
    """Local time is UTC: dates written in the ledger read the same in the output."""
    with local_time_zone("UTC0"):
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
    # The longest outcome words, with the longest company name: "not offered by LinkedIn".
    companies = {site_of(platform).company for platform in PLATFORMS}
    longest = max(len(words.format(company=company)) for words in OUTCOME_WORDS.values() for company in companies)
    assert longest <= len("not offered by LinkedIn")


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


# --- Other flows, and settings ---------------------------------------------------------------------------------


def test_each_flow_of_an_account_has_its_own_row_and_its_own_confirmation(
    settings: Config, ledger_path: Path, tmp_path: Path
) -> None:
    receipt = receipt_file(tmp_path)
    with Ledger.open(ledger_path) as ledger:
        own = record(ledger, "work", "facebook", Outcome.CONFIRMED, receipt, CONFIRMATION)
        other = record(ledger, "work", "facebook", Outcome.NOT_SUBMITTED, flow="third-party")
    lines = status_output(settings, as_json=False, ledger_path=ledger_path).splitlines()
    assert re.fullmatch(rf"work\s+facebook\s+confirmed\s+{local_minute(own)}\s+{local_day(own)}", lines[2])
    assert re.fullmatch(rf"work\s+facebook \(third-party\)\s+not submitted\s+{local_minute(other)}\s+never", lines[3])
    assert f"  work (facebook): {receipt}" in lines
    document = json.loads(status_output(settings, as_json=True, ledger_path=ledger_path))
    flows = [(a["account"], a["flow"], a["last_outcome"]) for a in document["accounts"]]
    assert flows == [("personal", "own", None), ("work", "own", "confirmed"), ("work", "third-party", "not_submitted")]


def test_a_setting_shows_its_state_before_and_after_and_what_verify_saw_since(
    utc_time: None, ledger_path: Path, tmp_path: Path
) -> None:
    receipt = receipt_file(tmp_path)
    config = Config(accounts=(Account(name="pro", platform="linkedin"), Account(name="tweets", platform="x")))
    with Ledger.open(ledger_path) as ledger:
        with ledger_clock("2025-06-01T09:00:00"):
            setting_record(ledger, "pro", "linkedin", "on", "off", receipt=receipt)  # the person switched it off
            setting_record(ledger, "tweets", "x", "off", "off", receipt=receipt)  # it was off already
            setting_record(ledger, "default", "x", "on", "on", Outcome.NOT_SUBMITTED)  # left on
        with ledger_clock("2025-06-10T09:00:00"):
            ledger.record_check("pro", "linkedin", "off", SETTING_URL)
            ledger.record_check("tweets", "x", "off", SETTING_URL)
        with ledger_clock("2025-07-01T09:00:00"):
            ledger.record_check("pro", "linkedin", "on", SETTING_URL)  # switched back on
    text = status_output(config, as_json=False, ledger_path=ledger_path)
    lines = text.splitlines()

    assert re.fullmatch(r"pro\s+linkedin\s+on → off\s+2025-06-01 09:00\s+ON AGAIN", lines[1])
    assert re.fullmatch(r"tweets\s+x\s+already off\s+2025-06-01 09:00\s+2025-06-10", lines[2])
    assert re.fullmatch(r"default\s+x\s+on, not switched off\s+2025-06-01 09:00\s+never", lines[3])
    settings_part = lines[lines.index("AI-training settings (`optout-bot verify` checks that they stay off):") :]
    assert settings_part[1:6] == [
        "  pro (linkedin): SWITCHED BACK ON: off on 2025-06-10, on again by 2025-07-01; last check 2025-07-01: on",
        "    Switch it off yourself: optout-bot run --account pro",
        "  tweets (x): off, last seen off 2025-06-10; last check 2025-06-10: off",
        "  default (x): on, never seen off; not checked yet",
        "    Switch it off yourself: optout-bot run --account default --platform x",
    ]
    # Receipts of settings are screenshots of the setting, not of a confirmation.
    assert "Receipts (screenshots of each confirmation, or of the setting once off):" in lines
    assert f"  pro (linkedin): {receipt}" in lines and f"  tweets (x): {receipt}" in lines
    assert max(len(line) for line in lines[: lines.index("")]) <= 80


def test_json_gives_a_settings_states(utc_time: None, ledger_path: Path) -> None:
    with Ledger.open(ledger_path) as ledger:
        with ledger_clock("2025-06-01T09:00:00"):
            setting_record(ledger, "pro", "linkedin", "on", "off")
        with ledger_clock("2025-07-01T09:00:00"):
            ledger.record_check("pro", "linkedin", "on", SETTING_URL)
    (pro,) = json.loads(status_output(Config(), as_json=True, ledger_path=ledger_path))["accounts"]
    assert set(pro) == JSON_KEYS
    assert (pro["last_outcome"], pro["last_setting_before"], pro["last_setting_after"]) == ("confirmed", "on", "off")
    assert pro["confirmed_at"] == "2025-06-01T09:00:00+00:00" and pro["form_url"] == SETTING_URL
    assert pro["setting"] == {
        "state": "on",
        "seen_at": "2025-07-01T09:00:00+00:00",
        "last_seen_off": "2025-06-01T09:00:00+00:00",
        "switched_back_on": True,
        "last_check_at": "2025-07-01T09:00:00+00:00",
        "last_check_state": "on",
    }


def test_not_offered_names_the_platforms_company(ledger_path: Path) -> None:
    with Ledger.open(ledger_path) as ledger:
        record(ledger, "pro", "linkedin", Outcome.NOT_OFFERED)
        record(ledger, "perso", "whatsapp", Outcome.NOT_OFFERED)
    text = status_output(Config(), as_json=False, ledger_path=ledger_path)
    assert re.search(r"^pro\s+linkedin\s+not offered by LinkedIn\s", text, re.MULTILINE)
    assert re.search(r"^perso\s+whatsapp\s+not offered by Meta\s", text, re.MULTILINE)


# --- JSON -------------------------------------------------------------------------------------------------------

JSON_KEYS = {
    "account", "platform", "flow", "configured", "last_outcome", "last_run_at", "last_dry_run", "last_receipt",
    "last_setting_before", "last_setting_after", "confirmed_at", "receipt", "form_url", "confirmation_text", "setting",
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
        "flow": "own",
        "configured": True,
        "last_outcome": "dry_run_ready",
        "last_run_at": rehearsal.ended_at.isoformat(),  # UTC, whatever the local time zone
        "last_dry_run": True,
        "last_receipt": str(screenshot),
        "last_setting_before": None,
        "last_setting_after": None,
        "confirmed_at": confirmed.ended_at.isoformat(),
        "receipt": str(receipt),
        "form_url": FORM_URL,
        "confirmation_text": CONFIRMATION,
        "setting": None,
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
