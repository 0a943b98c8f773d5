"""The ledger is the person's proof that they objected: it must survive upgrades, damage and SIGKILL."""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import signal
import sqlite3
import stat
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from types import ModuleType

import pytest

from optout_bot.errors import ExitStatus, UsageError
from optout_bot.records import ledger as ledger_module
from optout_bot.records.ledger import SCHEMA_VERSION, Ledger, Outcome, RunRecord, SettingCheck

DATA = Path(__file__).parents[1] / "data"  # tests/data: the stored ledgers and the scripts that made them
ROOT = Path(__file__).resolve().parents[2]


def raw(path: Path) -> sqlite3.Connection:
    """A plain connection, to look at the file the way another program would."""
    return sqlite3.connect(path, isolation_level=None)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def data_script(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, DATA / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def v1_script() -> ModuleType:
    return data_script("make_ledger_v1")


def schema(conn: sqlite3.Connection) -> list[tuple[str, str]]:
    rows = conn.execute("SELECT name, sql FROM sqlite_master ORDER BY name").fetchall()
    return [(name, " ".join(sql.split())) for name, sql in rows]


def at(monkeypatch: pytest.MonkeyPatch, stamp: str) -> None:
    """The ledger's clock, from now on: every write is dated `stamp` (UTC)."""
    monkeypatch.setattr(ledger_module, "_now", lambda: stamp)


# --- Round trip -----------------------------------------------------------------------------------------------


def test_a_run_is_recorded_and_read_back(tmp_path: Path) -> None:
    path = tmp_path / "ledger.sqlite3"
    receipt = tmp_path / "receipt.png"
    with Ledger.open(path) as ledger:
        run_id = ledger.start_run("personal", "instagram", dry_run=False)
        ledger.finish_run(
            run_id,
            "confirmed",
            0,
            form_url="https://user:pw@help.instagram.com/contact/767264225370182?token=AT-secret#top",
            route="settings-privacy-center",
            confirmation_text="We've received your objection.",
            receipt_path=receipt,
        )
    with Ledger.open(path) as ledger:
        (record,) = ledger.runs()
    assert record.id == run_id
    assert (record.account, record.platform, record.dry_run) == ("personal", "instagram", False)
    assert (record.outcome, record.exit_code) == (Outcome.CONFIRMED, 0)
    # The query is where tokens travel, and user:password@ has no business in a record.
    assert record.form_url == "https://help.instagram.com/contact/767264225370182"
    assert record.route == "settings-privacy-center"
    assert record.confirmation_text == "We've received your objection."
    assert record.receipt_path == receipt
    assert record.ended_at is not None and record.started_at <= record.ended_at
    assert record.started_at.utcoffset() is not None and record.started_at.utcoffset() == UTC.utcoffset(None)


def test_timestamps_are_iso_8601_utc_with_an_offset(tmp_path: Path) -> None:
    path = tmp_path / "ledger.sqlite3"
    with Ledger.open(path) as ledger:
        ledger.finish_run(ledger.start_run("a", "facebook", dry_run=True), "dry_run_ready", 0, None, None, None, None)
    (started, ended) = raw(path).execute("SELECT started_at, ended_at FROM runs").fetchone()
    for stamp in (started, ended):
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00", stamp)
        assert abs((datetime.now(UTC) - datetime.fromisoformat(stamp)).total_seconds()) < 60


def test_a_started_run_reads_as_interrupted_until_it_is_finished(tmp_path: Path) -> None:
    with Ledger.open(tmp_path / "ledger.sqlite3") as ledger:
        run_id = ledger.start_run("personal", "instagram", dry_run=False)
        (record,) = ledger.runs()
    assert (record.id, record.outcome, record.ended_at, record.exit_code) == (run_id, Outcome.INTERRUPTED, None, None)


def test_last_runs_runs_and_confirmed(tmp_path: Path) -> None:
    with Ledger.open(tmp_path / "ledger.sqlite3") as ledger:

        def run(account: str, platform: str, outcome: Outcome, dry_run: bool = False) -> int:
            run_id = ledger.start_run(account, platform, dry_run)
            status = outcome.exit_status
            assert status is not None
            ledger.finish_run(run_id, outcome, int(status), None, None, None, None)
            return run_id

        first = run("personal", "instagram", Outcome.CONFIRMED)
        run("personal", "instagram", Outcome.DRY_RUN_READY, dry_run=True)
        work_fb = run("work", "facebook", Outcome.NOT_SUBMITTED)
        work_ig = run("work", "instagram", Outcome.NOT_OFFERED)
        work_dry = run("work", "facebook", Outcome.DRY_RUN_READY, dry_run=True)
        last_personal = ledger.start_run("personal", "instagram", dry_run=False)  # still running, or killed

        assert [(r.account, r.platform, r.id) for r in ledger.last_runs()] == [
            ("personal", "instagram", last_personal),
            ("work", "facebook", work_dry),
            ("work", "instagram", work_ig),
        ]
        assert [r.id for r in ledger.runs("work")] == [work_fb, work_ig, work_dry]
        assert len(ledger.runs()) == 6
        confirmed = ledger.confirmed("personal", "instagram")
        assert confirmed is not None and confirmed.id == first
        assert ledger.confirmed("work", "facebook") is None  # a dry run's "ready" is no objection
        assert ledger.confirmed("personal", "facebook") is None


def test_the_outcomes_match_the_exit_codes() -> None:
    assert {o.value for o in Outcome} == {
        "confirmed", "dry_run_ready", "not_offered", "not_submitted", "not_recognised",
        "refused", "browser_problem", "usage_error", "bug", "interrupted", "unconfirmed",
        "form_tampered", "no_connection",
    }  # fmt: skip
    assert Outcome.of(ExitStatus.SUCCESS, dry_run=False) is Outcome.CONFIRMED
    assert Outcome.of(ExitStatus.SUCCESS, dry_run=True) is Outcome.DRY_RUN_READY
    for status in ExitStatus:
        if status in (ExitStatus.SETTING_ON, ExitStatus.PROBE_FAILED):  # `verify`'s and `probe`'s own codes
            with pytest.raises(ValueError, match=f"no run ends with exit code {int(status)}"):
                Outcome.of(status, dry_run=False)
            continue
        if status is ExitStatus.INTERRUPTED:  # Ctrl-C: the interruption, which goes with no one code
            assert Outcome.of(status, dry_run=False) is Outcome.INTERRUPTED
            continue
        assert Outcome.of(status, dry_run=False).exit_status is status
    assert Outcome.INTERRUPTED.exit_status is None
    # Sent, but the confirmation not seen: exit 4 like "not submitted", which stays what exit 4 records by default.
    assert Outcome.UNCONFIRMED.exit_status is ExitStatus.NOT_SUBMITTED


@pytest.mark.parametrize(
    ("outcome", "exit_code", "dry_run", "message"),
    [
        ("confirmed", 4, False, "goes with exit code 0"),
        ("confirmed", 0, True, "a dry run cannot end confirmed"),
        ("dry_run_ready", 0, False, "only a dry run"),
        ("submitted", 0, False, "is not a valid Outcome"),
    ],
)
def test_a_self_contradicting_record_is_refused(
    tmp_path: Path, outcome: str, exit_code: int, dry_run: bool, message: str
) -> None:
    with Ledger.open(tmp_path / "ledger.sqlite3") as ledger:
        run_id = ledger.start_run("a", "instagram", dry_run)
        with pytest.raises(ValueError, match=message):
            ledger.finish_run(run_id, outcome, exit_code, None, None, None, None)
        assert ledger.runs()[0].outcome is Outcome.INTERRUPTED


def test_a_run_is_finished_once(tmp_path: Path) -> None:
    with Ledger.open(tmp_path / "ledger.sqlite3") as ledger:
        run_id = ledger.start_run("a", "instagram", dry_run=False)
        ledger.finish_run(run_id, Outcome.CONFIRMED, 0, None, None, None, None)
        with pytest.raises(ValueError, match="not a started run"):
            ledger.finish_run(run_id, Outcome.NOT_SUBMITTED, 4, None, None, None, None)
        with pytest.raises(ValueError, match="not a started run"):
            ledger.finish_run(run_id + 1, Outcome.NOT_SUBMITTED, 4, None, None, None, None)
        assert ledger.runs()[0].outcome is Outcome.CONFIRMED


def test_a_receipt_is_attached_once_to_an_outcome_already_recorded(tmp_path: Path) -> None:
    # The confirmation is recorded the moment it is seen; its receipt, saved after, is added when it exists.
    receipt = tmp_path / "receipts" / "confirmation.png"
    with Ledger.open(tmp_path / "ledger.sqlite3") as ledger:
        started = ledger.start_run("a", "instagram", dry_run=False)
        with pytest.raises(ValueError, match="not a finished run without a receipt"):
            ledger.attach_receipt(started, receipt)  # a run still going has no outcome to prove yet
        ledger.finish_run(started, Outcome.CONFIRMED, 0, None, None, "applied going forward", None)
        ledger.attach_receipt(started, receipt)
        with pytest.raises(ValueError, match="not a finished run without a receipt"):
            ledger.attach_receipt(started, tmp_path / "another.png")  # a receipt is never replaced
        (record,) = ledger.runs()
    assert record.outcome is Outcome.CONFIRMED and record.receipt_path == receipt


def test_an_interruption_may_carry_any_exit_code(tmp_path: Path) -> None:
    with Ledger.open(tmp_path / "ledger.sqlite3") as ledger:
        run_id = ledger.start_run("a", "instagram", dry_run=False)
        ledger.finish_run(run_id, Outcome.INTERRUPTED, 130, None, None, None, None)
        (record,) = ledger.runs()
    assert (record.outcome, record.exit_code) == (Outcome.INTERRUPTED, 130) and record.ended_at is not None


# --- Flows and settings ---------------------------------------------------------------------------------------


def finish(ledger: Ledger, run_id: int, outcome: Outcome, before: str | None = None, after: str | None = None) -> None:
    status = outcome.exit_status
    assert status is not None
    url = "https://www.linkedin.com/mypreferences/d/settings/data-for-ai-improvement?trk=x"
    ledger.finish_run(run_id, outcome, int(status), url, "r", None, None, setting_before=before, setting_after=after)


def test_the_flow_is_recorded_and_a_confirmation_counts_for_its_own_flow_only(tmp_path: Path) -> None:
    with Ledger.open(tmp_path / "ledger.sqlite3") as ledger:
        own = ledger.start_run("jane", "facebook", dry_run=False)
        finish(ledger, own, Outcome.CONFIRMED)
        other = ledger.start_run("jane", "facebook", dry_run=False, flow="third-party")
        finish(ledger, other, Outcome.NOT_SUBMITTED)
        assert [(r.id, r.flow) for r in ledger.runs()] == [(own, "own"), (other, "third-party")]
        confirmed = ledger.confirmed("jane", "facebook")
        assert confirmed is not None and confirmed.id == own
        assert ledger.confirmed("jane", "facebook", flow="own") == confirmed
        assert ledger.confirmed("jane", "facebook", flow="third-party") is None
        # The latest run of each flow: the third-party attempt does not hide the own objection.
        assert [(r.flow, r.outcome) for r in ledger.last_runs()] == [
            ("own", Outcome.CONFIRMED),
            ("third-party", Outcome.NOT_SUBMITTED),
        ]


def test_a_settings_states_are_recorded_with_the_run(tmp_path: Path) -> None:
    with Ledger.open(tmp_path / "ledger.sqlite3") as ledger:
        switched = ledger.start_run("jane", "linkedin", dry_run=False)
        finish(ledger, switched, Outcome.CONFIRMED, "on", "off")
        closed = ledger.start_run("jane", "linkedin", dry_run=False)
        finish(ledger, closed, Outcome.NOT_SUBMITTED, "on", None)
        form = ledger.start_run("jane", "instagram", dry_run=False)
        finish(ledger, form, Outcome.CONFIRMED)
        first, second, third = ledger.runs()
    assert (first.setting_before, first.setting_after, first.is_setting) == ("on", "off", True)
    assert (second.setting_before, second.setting_after, second.is_setting) == ("on", None, True)
    assert (third.setting_before, third.setting_after, third.is_setting) == (None, None, False)
    assert first.form_url == "https://www.linkedin.com/mypreferences/d/settings/data-for-ai-improvement"


def test_a_state_is_on_or_off_and_nothing_else(tmp_path: Path) -> None:
    path = tmp_path / "ledger.sqlite3"
    with Ledger.open(path) as ledger:
        run_id = ledger.start_run("jane", "x", dry_run=False)
        with pytest.raises(ValueError, match="setting_after is 'on', 'off' or None, not 'Off'"):
            finish(ledger, run_id, Outcome.CONFIRMED, "on", "Off")
        with pytest.raises(ValueError, match="'on' or 'off', not 'unknown'"):
            ledger.record_check("jane", "x", "unknown", None)
        assert ledger.runs()[0].ended_at is None and ledger.checks() == []
    # And the file itself refuses it, whatever program writes to it.
    conn = raw(path)
    for statement in (
        "UPDATE runs SET setting_before = 'maybe'",
        "UPDATE runs SET setting_after = ''",
        "INSERT INTO setting_checks (account, platform, checked_at, state) VALUES ('a', 'x', '2025-01-01', 'ON')",
        "INSERT INTO setting_checks (account, platform, checked_at, state) VALUES ('a', 'x', '2025-01-01', NULL)",
        "UPDATE runs SET flow = ''",
    ):
        with pytest.raises(sqlite3.IntegrityError):
            conn.execute(statement)


def test_a_check_is_recorded_at_once_without_the_query(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at(monkeypatch, "2025-07-01T08:00:00+00:00")
    with Ledger.open(tmp_path / "ledger.sqlite3") as ledger:
        check_id = ledger.record_check("jane", "x", "on", "https://x.com/settings/grok_settings?token=secret#top")
    with Ledger.open(tmp_path / "ledger.sqlite3") as ledger:
        assert ledger.checks() == [
            SettingCheck(check_id, "jane", "x", datetime(2025, 7, 1, 8, tzinfo=UTC), "on", "https://x.com/settings/grok_settings")
        ]  # fmt: skip
        assert ledger.checks("jane", "linkedin") == [] and len(ledger.checks("jane")) == 1


def test_setting_states_say_the_latest_state_and_when_it_was_last_seen_off(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def moment(day: int) -> datetime:
        return datetime(2025, 7, day, 9, tzinfo=UTC)

    with Ledger.open(tmp_path / "ledger.sqlite3") as ledger:

        def run(account: str, platform: str, day: int, outcome: Outcome, before: str | None, after: str | None,
                dry_run: bool = False) -> None:  # fmt: skip
            at(monkeypatch, moment(day).isoformat())
            finish(ledger, ledger.start_run(account, platform, dry_run), outcome, before, after)

        def check(account: str, platform: str, day: int, state: str) -> None:
            at(monkeypatch, moment(day).isoformat())
            ledger.record_check(account, platform, state, None)

        # ann switched LinkedIn's setting off on the 1st; verify saw it off on the 5th, then on again on the 9th.
        run("ann", "linkedin", 1, Outcome.CONFIRMED, "on", "off")
        check("ann", "linkedin", 5, "off")
        check("ann", "linkedin", 9, "on")
        run("ann", "instagram", 2, Outcome.CONFIRMED, None, None)  # a form: no state
        # bob's X setting: only a rehearsal that found it on.
        run("bob", "x", 3, Outcome.DRY_RUN_READY, "on", None, dry_run=True)
        # cat's was already off on the 2nd; a later run failed before it could read it.
        run("cat", "linkedin", 2, Outcome.CONFIRMED, "off", "off")
        run("cat", "linkedin", 6, Outcome.NOT_RECOGNISED, None, None)
        # dan switched it off, but it was on again by the next run, which he left before switching it off.
        run("dan", "x", 1, Outcome.CONFIRMED, "on", "off")
        run("dan", "x", 4, Outcome.NOT_SUBMITTED, "on", "on")
        # eve: on at a check, then switched off by a run the next day.
        check("eve", "linkedin", 6, "on")
        run("eve", "linkedin", 7, Outcome.CONFIRMED, "on", "off")

        states = {(s.account, s.platform): s for s in ledger.setting_states()}
        checks = ledger.checks()

    assert list(states) == [("ann", "linkedin"), ("bob", "x"), ("cat", "linkedin"), ("dan", "x"), ("eve", "linkedin")]
    ann, bob, cat, dan, eve = states.values()
    assert (ann.state, ann.seen_at, ann.last_off, ann.back_on) == ("on", moment(9), moment(5), True)
    assert ann.last_check == checks[1]
    assert (bob.state, bob.seen_at, bob.last_off, bob.back_on, bob.last_check) == ("on", moment(3), None, False, None)
    assert (cat.state, cat.seen_at, cat.last_off, cat.back_on) == ("off", moment(2), moment(2), False)
    assert (dan.state, dan.seen_at, dan.last_off, dan.back_on) == ("on", moment(4), moment(1), True)
    assert (eve.state, eve.last_off, eve.back_on) == ("off", moment(7), False)
    assert eve.last_check is not None and eve.last_check.state == "on"


def test_each_of_a_platforms_settings_has_its_own_state_and_checks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """X has two settings (its own flow, Grok; and `--flow business-partners`): what one's runs and checks saw
    says nothing of the other's (a "still off" the Grok setting was never seen to be)."""
    with Ledger.open(tmp_path / "ledger.sqlite3") as ledger:
        at(monkeypatch, "2025-07-01T09:00:00+00:00")
        finish(ledger, ledger.start_run("ann", "x", False), Outcome.CONFIRMED, "on", "on")  # Grok: left on
        at(monkeypatch, "2025-07-02T09:00:00+00:00")
        other = ledger.start_run("ann", "x", False, "business-partners")
        finish(ledger, other, Outcome.CONFIRMED, "on", "off")
        at(monkeypatch, "2025-07-03T09:00:00+00:00")
        ledger.record_check("ann", "x", "on", None, "business-partners")  # switched back on
        grok, partners = ledger.setting_states()
        checks = ledger.checks("ann", "x", "business-partners")
    assert (grok.flow, grok.state, grok.last_off, grok.last_check) == ("own", "on", None, None)
    assert (partners.flow, partners.state, partners.back_on) == ("business-partners", "on", True)
    assert partners.last_check == checks[0] and checks[0].flow == "business-partners"


def test_the_v4_to_v5_step_gives_every_earlier_check_the_own_flow(tmp_path: Path) -> None:
    path = tmp_path / "ledger.sqlite3"
    conn = raw(path)
    ledger_module._migrate(conn, target=4)
    conn.execute(
        "INSERT INTO setting_checks (account, platform, checked_at, state, url) "
        "VALUES ('ann', 'x', '2025-07-01T09:00:00+00:00', 'off', NULL)"
    )
    conn.close()
    with Ledger.open(path) as ledger:
        (check,) = ledger.checks()
    assert (check.account, check.platform, check.flow, check.state) == ("ann", "x", "own", "off")


# --- The file -------------------------------------------------------------------------------------------------


def test_the_file_is_private_in_wal_mode_with_full_sync(tmp_path: Path) -> None:
    folder = tmp_path / "data" / "optout-bot"
    path = folder / "ledger.sqlite3"
    with Ledger.open(path) as ledger:
        ledger.start_run("a", "instagram", dry_run=False)
        assert mode(folder) == 0o700
        for file in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
            assert mode(file) == 0o600, file
        conn = ledger._conn
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
        assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert conn.execute("PRAGMA busy_timeout").fetchone()[0] >= 1000
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert raw(path).execute("PRAGMA journal_mode").fetchone()[0] == "wal"  # kept in the file


def test_an_existing_file_open_to_others_is_tightened(tmp_path: Path) -> None:
    path = tmp_path / "ledger.sqlite3"
    Ledger.open(path).close()
    path.chmod(0o644)
    Ledger.open(path).close()
    assert mode(path) == 0o600


def test_the_default_place_is_the_user_data_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    if sys.platform != "linux":
        pytest.skip("XDG_DATA_HOME only steers platformdirs on Linux")
    with Ledger.open() as ledger:
        assert ledger.path == tmp_path / "optout-bot" / "ledger.sqlite3"
    assert mode(tmp_path / "optout-bot") == 0o700


def test_the_api_has_no_place_for_secrets() -> None:
    """No password, code, cookie or token field: the record's fields are exactly these."""
    assert list(RunRecord.__dataclass_fields__) == [
        "id", "account", "platform", "flow", "dry_run", "started_at", "ended_at", "outcome", "exit_code",
        "form_url", "route", "confirmation_text", "receipt_path", "setting_before", "setting_after",
        # what a proof needs (issue 17.3): the form's fields the flow knows only, never a secret (walk/submitted.py)
        "account_shown", "submitted", "submitted_at", "confirmation_url", "setting_label",
    ]  # fmt: skip
    assert list(SettingCheck.__dataclass_fields__) == [
        "id", "account", "platform", "checked_at", "state", "url", "flow",
    ]  # fmt: skip


# --- Migrations -----------------------------------------------------------------------------------------------


def test_a_stored_v1_ledger_is_migrated_keeping_its_runs(tmp_path: Path) -> None:
    path = tmp_path / "ledger.sqlite3"
    shutil.copyfile(DATA / "ledger-v1.sqlite3", path)
    assert raw(path).execute("PRAGMA user_version").fetchone()[0] == 1

    with Ledger.open(path) as ledger:
        records = ledger.runs()
    assert records == [
        RunRecord(
            id=1,
            account="personal",
            platform="instagram",
            flow="own",
            dry_run=False,
            started_at=datetime(2025, 5, 20, 9, 14, 3, tzinfo=UTC),
            ended_at=datetime(2025, 5, 20, 9, 16, 41, tzinfo=UTC),
            outcome=Outcome.CONFIRMED,
            exit_code=0,
            form_url="https://help.instagram.com/contact/767264225370182",
            route=None,
            confirmation_text="Thank you. We've received your objection.",
            receipt_path=Path("/home/jane/.local/share/optout-bot/receipts/20250520-111641-instagram-confirmation.png"),
            setting_before=None,
            setting_after=None,
        ),
        RunRecord(
            id=2,
            account="work",
            platform="facebook",
            flow="own",
            dry_run=False,
            started_at=datetime(2025, 5, 21, 18, 2, 11, tzinfo=UTC),
            ended_at=None,
            outcome=Outcome.INTERRUPTED,
            exit_code=None,
            form_url=None,
            route=None,
            confirmation_text=None,
            receipt_path=None,
            setting_before=None,
            setting_after=None,
        ),
    ]
    conn = raw(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 6
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert mode(path) == 0o600
    # New runs go on after the old ones.
    with Ledger.open(path) as ledger:
        assert ledger.start_run("personal", "facebook", dry_run=True) == 3


def test_the_v1_to_v2_step_marks_old_dry_runs(tmp_path: Path) -> None:
    script = v1_script()
    path = script.build(
        tmp_path / "ledger.sqlite3",
        [(1, "a", "instagram", "2025-05-20T09:14:03+00:00", "2025-05-20T09:15:00+00:00", "dry_run_ready", 0,
          None, None, None)],
    )  # fmt: skip
    with Ledger.open(path) as ledger:
        (record,) = ledger.runs()
    assert record.dry_run is True and record.route is None


def test_the_first_step_still_builds_the_released_v1_schema(tmp_path: Path) -> None:
    """A released migration step must never change: ledgers out there were made by it."""
    path = tmp_path / "fresh-v1.sqlite3"
    conn = raw(path)
    ledger_module._migrate(conn, target=1)
    assert schema(conn) == schema(raw(DATA / "ledger-v1.sqlite3"))
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 1


def test_the_first_two_steps_still_build_the_released_v2_schema(tmp_path: Path) -> None:
    conn = raw(tmp_path / "fresh-v2.sqlite3")
    ledger_module._migrate(conn, target=2)
    assert schema(conn) == schema(raw(DATA / "ledger-v2.sqlite3"))
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 2


def test_a_stored_v2_ledger_is_migrated_keeping_its_runs(tmp_path: Path) -> None:
    path = tmp_path / "ledger.sqlite3"
    shutil.copyfile(DATA / "ledger-v2.sqlite3", path)
    assert raw(path).execute("PRAGMA user_version").fetchone()[0] == 2
    stored = data_script("make_ledger_v2").ROWS

    with Ledger.open(path) as ledger:
        records = ledger.runs()
        assert ledger.checks() == [] and ledger.setting_states() == []
    assert [
        (r.id, r.account, r.platform, r.started_at.isoformat(), r.ended_at.isoformat() if r.ended_at else None,
         r.outcome.value, r.exit_code, r.form_url, r.confirmation_text, str(r.receipt_path) if r.receipt_path else None,
         r.route, int(r.dry_run))
        for r in records
    ] == stored  # fmt: skip
    # Every run before version 3 walked the own-information form; none of them read a setting.
    assert {(r.flow, r.setting_before, r.setting_after) for r in records} == {("own", None, None)}
    conn = raw(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 6
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    with Ledger.open(path) as ledger:
        confirmed = ledger.confirmed("personal", "instagram")
        assert confirmed is not None and confirmed.id == 2  # the rehearsal before it is no objection
        assert ledger.confirmed("personal", "instagram", "third-party") is None
        assert ledger.start_run("work", "facebook", dry_run=False, flow="third-party") == 5


def test_the_v2_to_v3_step_adds_the_columns_and_the_checks_table(tmp_path: Path) -> None:
    path = tmp_path / "ledger.sqlite3"
    shutil.copyfile(DATA / "ledger-v2.sqlite3", path)
    Ledger.open(path).close()
    conn = raw(path)
    columns = {row[1]: (row[2], row[3], row[4]) for row in conn.execute("PRAGMA table_info(runs)")}
    assert columns["flow"] == ("TEXT", 1, "'own'")
    assert columns["setting_before"] == columns["setting_after"] == ("TEXT", 0, None)
    checks = [row[1] for row in conn.execute("PRAGMA table_info(setting_checks)")]
    assert checks == ["id", "account", "platform", "checked_at", "state", "url", "flow"]  # flow: the v4 to v5 step
    assert "setting_checks_by_account" in [row[1] for row in conn.execute("PRAGMA index_list(setting_checks)")]


def test_a_failing_step_leaves_the_previous_version_intact(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "ledger.sqlite3"
    shutil.copyfile(DATA / "ledger-v1.sqlite3", path)

    def half_done(conn: sqlite3.Connection) -> None:
        conn.execute("ALTER TABLE runs ADD COLUMN route TEXT")
        raise RuntimeError("power cut")

    monkeypatch.setattr(ledger_module, "_MIGRATIONS", [ledger_module._migrate_0_to_1, half_done])
    with pytest.raises(RuntimeError, match="power cut"):
        Ledger.open(path)
    conn = raw(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 1
    assert "route" not in [row[1] for row in conn.execute("PRAGMA table_info(runs)")]
    monkeypatch.undo()
    with Ledger.open(path) as ledger:
        assert len(ledger.runs()) == 2


def test_a_failing_v2_to_v3_step_leaves_version_2_intact(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "ledger.sqlite3"
    shutil.copyfile(DATA / "ledger-v2.sqlite3", path)

    def half_done(conn: sqlite3.Connection) -> None:
        conn.execute("ALTER TABLE runs ADD COLUMN flow TEXT NOT NULL DEFAULT 'own'")
        conn.execute("CREATE TABLE setting_checks (id INTEGER PRIMARY KEY)")
        raise RuntimeError("power cut")

    steps = ledger_module._MIGRATIONS
    monkeypatch.setattr(ledger_module, "_MIGRATIONS", [*steps[:2], half_done])
    with pytest.raises(RuntimeError, match="power cut"):
        Ledger.open(path)
    conn = raw(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 2
    assert "flow" not in [row[1] for row in conn.execute("PRAGMA table_info(runs)")]
    assert conn.execute("SELECT count(*) FROM sqlite_master WHERE name = 'setting_checks'").fetchone()[0] == 0
    monkeypatch.undo()
    with Ledger.open(path) as ledger:
        assert len(ledger.runs()) == 4


def test_a_ledger_from_a_newer_optout_bot_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "ledger.sqlite3"
    Ledger.open(path).close()
    conn = raw(path)
    conn.execute("PRAGMA journal_mode = DELETE")
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    before = path.read_bytes()
    with pytest.raises(UsageError) as caught:
        Ledger.open(path)
    assert str(caught.value) == (
        f"the ledger {path} was made by a newer optout-bot (ledger version {SCHEMA_VERSION + 1}; this one knows up "
        f"to {SCHEMA_VERSION}): update optout-bot, or move the file aside to start a new ledger"
    )
    assert path.read_bytes() == before  # not switched to WAL, not "downgraded"


# --- Damage ---------------------------------------------------------------------------------------------------


def assert_damaged(path: Path) -> None:
    with pytest.raises(UsageError) as caught:
        Ledger.open(path).close()
    message = str(caught.value)
    assert message.startswith(f"the ledger {path} is damaged or is not an optout-bot ledger (")
    assert message.endswith(
        f"move it aside (for example rename it to {path.name}.broken) and run again to start a new one"
    )
    assert "\n" not in message


def test_a_file_that_is_not_a_database_is_refused_with_what_to_do(tmp_path: Path) -> None:
    path = tmp_path / "ledger.sqlite3"
    path.write_text("these are my notes, not a database\n" * 200)
    assert_damaged(path)


def test_a_corrupt_database_is_refused_with_what_to_do(tmp_path: Path) -> None:
    path = tmp_path / "ledger.sqlite3"
    with Ledger.open(path) as ledger:
        for _ in range(50):
            ledger.start_run("personal", "instagram", dry_run=False)
    conn = raw(path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    data = bytearray(path.read_bytes())
    page_size = int.from_bytes(data[16:18], "big")
    assert len(data) >= 3 * page_size
    data[page_size + 8 : 2 * page_size] = b"\xa5" * (page_size - 8)  # page 2, past its header: garbage
    path.write_bytes(bytes(data))
    assert_damaged(path)


def test_another_programs_database_is_not_taken_over(tmp_path: Path) -> None:
    path = tmp_path / "ledger.sqlite3"
    conn = raw(path)
    conn.execute("CREATE TABLE photos (id INTEGER PRIMARY KEY)")
    conn.close()
    assert_damaged(path)


# --- SIGKILL --------------------------------------------------------------------------------------------------

# Records runs as fast as it can, printing each id once its write has returned (so: committed).
CHILD = """
import sys
from pathlib import Path
from optout_bot.records.ledger import Ledger

with Ledger.open(Path(sys.argv[1])) as ledger:
    while True:
        run_id = ledger.start_run("personal", "instagram", dry_run=False)
        print("started", run_id, flush=True)
        ledger.finish_run(run_id, "not_submitted", 4, "https://www.instagram.com/x", "route", "text", None)
        print("finished", run_id, flush=True)
"""


def record_until_killed(path: Path, lines_before_kill: int) -> list[tuple[str, int]]:
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(path)], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    assert child.stdout is not None and child.stderr is not None
    printed: list[tuple[str, int]] = []
    try:
        while len(printed) < lines_before_kill:
            line = child.stdout.readline()
            assert line, f"the child stopped by itself: {child.stderr.read()}"
            word, number = line.split()
            printed.append((word, int(number)))
    finally:
        os.kill(child.pid, signal.SIGKILL)
        child.wait(timeout=30)
    # Lines written before the kill are still in the pipe: they were committed too.
    printed += [(word, int(number)) for word, number in (line.split() for line in child.stdout if line.strip())]
    child.stdout.close()
    child.stderr.close()
    assert child.returncode == -signal.SIGKILL
    return printed


def test_sigkill_mid_write_loses_nothing_committed_and_leaves_a_clean_ledger(tmp_path: Path) -> None:
    path = tmp_path / "ledger.sqlite3"
    started: set[int] = set()
    finished: set[int] = set()
    # Several kills into the same file, each at another point of the loop, each leaving a -wal to recover.
    for lines_before_kill in (7, 40, 113, 1):
        printed = record_until_killed(path, lines_before_kill)
        started |= {number for word, number in printed if word == "started"}
        finished |= {number for word, number in printed if word == "finished"}

        # Before opening it the way optout-bot does: the file as SQLite finds it after the kill.
        conn = raw(path)
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        rows = conn.execute("SELECT id, ended_at, outcome, exit_code, form_url, route FROM runs ORDER BY id").fetchall()
        conn.close()
        ids = [row[0] for row in rows]
        assert ids == list(range(1, len(ids) + 1))  # no hole, no duplicate
        assert started <= set(ids)
        assert len(ids) - len(started) <= 1  # at most the one committed but not yet printed
        for run_id, ended_at, outcome, exit_code, form_url, route in rows:
            if run_id in finished or ended_at is not None:
                # Finished: all of the update is there.
                assert ended_at and (outcome, exit_code, form_url, route) == (
                    "not_submitted", 4, "https://www.instagram.com/x", "route"
                )  # fmt: skip
            else:
                # Started only: none of the update is there.
                assert (outcome, exit_code, form_url, route) == ("interrupted", None, None, None)

        with Ledger.open(path) as ledger:  # and it opens cleanly for the next run
            assert {r.id for r in ledger.runs() if r.outcome is Outcome.NOT_SUBMITTED} >= finished


def test_a_database_that_claims_the_current_version_but_lacks_its_tables_is_refused(tmp_path: Path) -> None:
    """Another program's file with a version number: a `no such column` later would be reported as a bug."""
    path = tmp_path / "ledger.sqlite3"
    conn = raw(path)
    conn.execute("CREATE TABLE runs (x)")
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
    conn.close()
    assert_damaged(path)
    with pytest.raises(UsageError, match="is damaged or is not an optout-bot ledger"):
        Ledger.open(path, read_only=True).close()


def test_a_database_whose_old_version_cannot_be_migrated_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "ledger.sqlite3"
    conn = raw(path)
    conn.execute("CREATE TABLE something (x)")
    conn.execute("PRAGMA user_version = 1")  # says v1, has no `runs` table to add columns to
    conn.close()
    assert_damaged(path)


def test_a_folder_where_the_ledger_should_be_says_to_move_it_aside(tmp_path: Path) -> None:
    path = tmp_path / "ledger.sqlite3"
    path.mkdir()
    for read_only in (False, True):
        with pytest.raises(UsageError) as caught:
            Ledger.open(path, read_only=read_only).close()
        assert str(caught.value) == (
            f"the ledger {path} is not a file: move it aside (for example rename it to {path.name}.broken) "
            "and run again to start a new one"
        )


def test_reading_writes_nothing_and_migrates_an_old_ledger_in_memory_only(tmp_path: Path) -> None:
    path = tmp_path / "ledger.sqlite3"
    shutil.copyfile(DATA / "ledger-v2.sqlite3", path)
    before = path.read_bytes()
    with Ledger.open(path, read_only=True) as ledger:
        runs = ledger.runs()
        assert runs and all(run.flow == "own" for run in runs)  # read through the v3 schema
        assert ledger.checks() == []
    assert path.read_bytes() == before  # still version 2 on disk: the next `run` migrates it for real


# --- Version 6: what a proof needs (issue 17.3) -------------------------------------------------------------------


def test_a_stored_v5_ledger_is_migrated_keeping_its_runs_and_checks(tmp_path: Path) -> None:
    path = tmp_path / "ledger.sqlite3"
    shutil.copyfile(DATA / "ledger-v5.sqlite3", path)
    assert raw(path).execute("PRAGMA user_version").fetchone()[0] == 5
    stored = data_script("make_ledger_v5")

    with Ledger.open(path) as ledger:
        records = ledger.runs()
        checks = ledger.checks()
    assert [
        (r.id, r.account, r.platform, r.flow, r.started_at.isoformat(), r.ended_at.isoformat() if r.ended_at else None,
         r.outcome.value, r.exit_code, r.form_url, r.route, r.confirmation_text,
         str(r.receipt_path) if r.receipt_path else None, int(r.dry_run), r.setting_before, r.setting_after)
        for r in records
    ] == stored.RUNS  # fmt: skip
    assert [(c.id, c.account, c.state) for c in checks] == [(1, "pro", "off")]
    # A v5 run knows none of what version 6 adds: said as unknown, never made up.
    assert {(r.account_shown, r.submitted, r.submitted_at, r.confirmation_url, r.setting_label) for r in records} == {
        (None, None, None, None, None)
    }
    assert raw(path).execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 6


def test_the_submission_is_recorded_when_it_happens_and_the_outcome_keeps_it(tmp_path: Path) -> None:
    sent = (("Email address", "typed@example.net"), ("Country of residence", "France"))
    with Ledger.open(tmp_path / "ledger.sqlite3") as ledger:
        run_id = ledger.start_run("personal", "instagram", dry_run=False)
        ledger.record_submission(run_id, sent, "Jane Doe")
        ledger.record_submission(run_id, (("Email address", "later@example.net"),))  # once: the first stands
        (killed,) = ledger.runs()  # a run killed now still holds what was sent
        ledger.finish_run(
            run_id, Outcome.CONFIRMED, 0, "https://help.instagram.com/contact/1?x=token", None, "Thanks", None,
            submitted=(("Email address", "settings@example.com"),),  # not what was sent: never replaces it
            confirmation_url="https://help.instagram.com/contact/1?session=secret",
        )  # fmt: skip
        (finished,) = ledger.runs()
    assert killed.outcome is Outcome.INTERRUPTED and killed.submitted == sent and killed.account_shown == "Jane Doe"
    assert killed.submitted_at is not None
    assert finished.submitted == sent and finished.account_shown == "Jane Doe"
    assert finished.confirmation_url == "https://help.instagram.com/contact/1"  # without its query


def test_an_outcome_records_what_was_sent_when_the_submission_could_not_be(tmp_path: Path) -> None:
    with Ledger.open(tmp_path / "ledger.sqlite3") as ledger:
        run_id = ledger.start_run("pro", "linkedin", dry_run=False)
        ledger.finish_run(
            run_id, Outcome.CONFIRMED, 0, None, None, None, None, setting_before="on", setting_after="off",
            account_shown="Jane Doe", setting_label="Use my data for training content creation AI models",
        )  # fmt: skip
        (run,) = ledger.runs()
    assert (run.account_shown, run.setting_label) == ("Jane Doe", "Use my data for training content creation AI models")
    assert run.submitted is None and run.submitted_at is None
