"""`optout-bot verify`: which settings it looks at again, what it records, what it says and its exit code.

The browser half (walking to the setting in the account's profile) is replaced here by what it would have
read; tests/e2e/test_verify.py walks the mock LinkedIn and X pages for real.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from optout_bot.errors import BrowserProblemError, ExitStatus, NotRecognisedError, UsageError
from optout_bot.records import ledger as ledger_module
from optout_bot.records.ledger import Ledger, Outcome
from optout_bot.settings.config import Account, Config
from optout_bot.settings.options import BrowserOptions
from optout_bot.ui import Ui
from optout_bot.walk import verify
from optout_bot.walk.verify import Seen, Visit, exit_status, plan_visits, render_json, verdict
from tests.e2e.cli import Home

LINKEDIN = "https://www.linkedin.com/mypreferences/d/settings/data-for-ai-improvement"
X_SETTING = "https://x.com/settings/grok_settings"
JUNE_1 = datetime(2025, 6, 1, 9, tzinfo=UTC)


@pytest.fixture
def ledger_path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "ledger.sqlite3"


def setting_run(
    ledger: Ledger,
    account: str,
    platform: str,
    before: str,
    after: str | None,
    dry_run: bool = False,
    flow: str = "own",
) -> None:
    """A run of a setting's flow, as the runner records it."""
    outcome = Outcome.DRY_RUN_READY if dry_run else Outcome.CONFIRMED if after == "off" else Outcome.NOT_SUBMITTED
    status = outcome.exit_status
    assert status is not None
    run_id = ledger.start_run(account, platform, dry_run, flow)
    url = LINKEDIN if platform == "linkedin" else X_SETTING
    ledger.finish_run(run_id, outcome, int(status), url, "r", None, None, setting_before=before, setting_after=after)


def form_run(ledger: Ledger, account: str, platform: str) -> None:
    run_id = ledger.start_run(account, platform, dry_run=False)
    ledger.finish_run(run_id, Outcome.CONFIRMED, 0, "https://www.facebook.com/help/contact/1", "r", "ok", None)


def at(monkeypatch: pytest.MonkeyPatch, moment: datetime) -> None:
    monkeypatch.setattr(ledger_module, "_now", lambda: moment.isoformat())


def visit(account: str = "pro", platform: str = "linkedin", last_off: datetime | None = JUNE_1) -> Visit:
    return Visit(account, platform, account, configured=True, last_off=last_off)


def plain_ui() -> tuple[Ui, io.StringIO, io.StringIO]:
    out, err = io.StringIO(), io.StringIO()
    return Ui(interactive=False, fancy=False, out=out, err=err), out, err


# --- What to visit ------------------------------------------------------------------------------------------------


def test_every_account_whose_setting_was_seen_is_visited_in_its_own_profile(
    ledger_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = Config(
        accounts=(
            Account(name="pro", platform="linkedin", profile="work-browser"),
            Account(name="perso", platform="instagram"),
            Account(name="tweets", platform="x"),
        )
    )
    at(monkeypatch, JUNE_1)
    with Ledger.open(ledger_path) as ledger:
        setting_run(ledger, "pro", "linkedin", "on", "off")
        setting_run(ledger, "tweets", "x", "on", None, dry_run=True)  # seen on, never off
        setting_run(ledger, "default", "linkedin", "off", "off")  # made without settings
        form_run(ledger, "perso", "instagram")  # a form: nothing to verify
        visits = plan_visits(config, ledger)
        only_pro = plan_visits(config, ledger, "pro")
        nobody = plan_visits(config, ledger, "perso")
    assert visits == [
        Visit("default", "linkedin", "default", configured=False, last_off=JUNE_1),
        Visit("pro", "linkedin", "work-browser", configured=True, last_off=JUNE_1),
        Visit("tweets", "x", "tweets", configured=True, last_off=None),
    ]
    assert only_pro == [visits[1]] and nobody == []
    assert plan_visits(config, None) == []


def test_each_of_a_platforms_settings_is_a_visit_of_its_own_and_says_which(
    ledger_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """X has two settings (Grok's, its own flow; "Data sharing with business partners", `--flow
    business-partners`): verify looks at each, names it, and says how to switch that one off."""
    config = Config(accounts=(Account(name="tweets", platform="x"),))
    at(monkeypatch, JUNE_1)
    with Ledger.open(ledger_path) as ledger:
        setting_run(ledger, "tweets", "x", "on", "off")
        setting_run(ledger, "tweets", "x", "on", "off", flow="business-partners")
        visits = plan_visits(config, ledger)
    grok, partners = visits
    assert (grok.flow, partners.flow) == ("own", "business-partners")
    assert partners.last_off == JUNE_1
    assert verdict(Seen(partners, "on")) == (
        "tweets (X, business-partners): SWITCHED BACK ON — it was off on 2025-06-01. "
        "Switch it off yourself: optout-bot run --account tweets --flow business-partners"
    )


def test_looking_for_what_to_verify_creates_no_ledger(ledger_path: Path) -> None:
    assert verify.planned(Config(), None, ledger_path) == []
    assert not ledger_path.exists() and not ledger_path.parent.exists()


# --- What it says -------------------------------------------------------------------------------------------------


def test_a_setting_still_off_says_since_when() -> None:
    assert verdict(Seen(visit(), "off")) == "pro (LinkedIn): still off (last seen off before: 2025-06-01)."
    assert verdict(Seen(visit(last_off=None), "off")) == "pro (LinkedIn): off (it was never seen off before)."


def test_a_setting_switched_back_on_says_when_it_was_off_and_how_to_fix_it() -> None:
    assert verdict(Seen(visit(), "on")) == (
        "pro (LinkedIn): SWITCHED BACK ON — it was off on 2025-06-01. "
        "Switch it off yourself: optout-bot run --account pro"
    )
    # An account made without the settings file needs its platform on the command line too.
    unsaved = Visit("default", "x", "default", configured=False, last_off=None)
    assert verdict(Seen(unsaved, "on")) == (
        "default (X): on — it was never seen off. Switch it off yourself: optout-bot run --account default --platform x"
    )


def test_an_account_that_could_not_be_checked_says_why() -> None:
    seen = Seen(visit(), None, status=ExitStatus.BROWSER, error="the profile is in use")
    assert verdict(seen) == "pro (LinkedIn): not checked: the profile is in use"


@pytest.mark.parametrize(
    ("states", "expected"),
    [
        ([], ExitStatus.SUCCESS),
        (["off", "off"], ExitStatus.SUCCESS),
        (["off", "on"], ExitStatus.SETTING_ON),
        ([ExitStatus.NOT_RECOGNISED, "off", ExitStatus.BROWSER], ExitStatus.NOT_RECOGNISED),
        ([ExitStatus.BROWSER, "on"], ExitStatus.SETTING_ON),  # a setting on asks the person to act: it wins
    ],
)
def test_the_exit_code_says_whether_every_setting_is_still_off(
    states: list[str | ExitStatus], expected: ExitStatus
) -> None:
    results = [
        Seen(visit(), None, status=state, error="x") if isinstance(state, ExitStatus) else Seen(visit(), state)
        for state in states
    ]
    assert exit_status(results) is expected
    assert int(ExitStatus.SETTING_ON) == 8


def test_the_summary_shows_good_news_plainly_and_a_setting_on_as_a_warning() -> None:
    ui, out, err = plain_ui()
    verify.say_summary([Seen(visit("a"), "off"), Seen(visit("b"), "on")], ui)
    assert out.getvalue().splitlines() == ["Summary:", "a (LinkedIn): still off (last seen off before: 2025-06-01)."]
    assert err.getvalue().startswith("! b (LinkedIn): SWITCHED BACK ON")


def test_json_has_the_documented_shape() -> None:
    checked = datetime(2025, 7, 1, 8, tzinfo=UTC)
    document = json.loads(
        render_json(
            [
                Seen(visit(), "on", checked_at=checked),
                Seen(visit("tweets", "x", None), None, status=ExitStatus.NOT_RECOGNISED, error="not recognised"),
            ]
        )
    )
    assert document == {
        "schema": 1,
        "exit_code": 8,
        "settings": [
            {
                "account": "pro",
                "platform": "linkedin",
                "flow": "own",
                "state": "on",
                "checked_at": "2025-07-01T08:00:00+00:00",
                "last_seen_off": "2025-06-01T09:00:00+00:00",
                "switched_back_on": True,
                "exit_code": 0,
                "error": None,
            },
            {
                "account": "tweets",
                "platform": "x",
                "flow": "own",
                "state": None,
                "checked_at": None,
                "last_seen_off": None,
                "switched_back_on": False,
                "exit_code": 5,
                "error": "not recognised",
            },
        ],
    }


# --- Looking, with the browser replaced by what it read -----------------------------------------------------------


NO_DRIVER: Any = None  # the browser half is replaced: no Playwright driver is needed


def fake_browser(monkeypatch: pytest.MonkeyPatch, reads: dict[str, Callable[[], str]]) -> list[Visit]:
    """verify._look replaced: each account's entry in `reads` returns the state, or raises. Returns the visits."""
    looked: list[Visit] = []

    def look(pw: Any, seen: Visit, options: BrowserOptions, ui: Ui) -> tuple[str, str]:
        looked.append(seen)
        return reads[seen.account](), f"{LINKEDIN}?trk=secret"

    monkeypatch.setattr(verify, "_look", look)
    return looked


def test_each_account_is_looked_at_in_turn_and_one_failure_does_not_stop_the_others(
    ledger_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    at(monkeypatch, JUNE_1)
    with Ledger.open(ledger_path) as ledger:
        for account in ("a", "b", "c"):
            setting_run(ledger, account, "linkedin", "on", "off")
        visits = plan_visits(Config(), ledger)

    def broken() -> str:
        raise BrowserProblemError("the profile of b is in use by a running browser")

    looked = fake_browser(monkeypatch, {"a": lambda: "off", "b": broken, "c": lambda: "on"})
    at(monkeypatch, datetime(2025, 7, 1, 8, tzinfo=UTC))
    ui, out, err = plain_ui()
    results = verify.look_at_settings(NO_DRIVER, visits, BrowserOptions(headless=True), ui, ledger_path)

    assert [v.account for v in looked] == ["a", "b", "c"]
    assert [(seen.visit.account, seen.state, seen.status) for seen in results] == [
        ("a", "off", ExitStatus.SUCCESS),
        ("b", None, ExitStatus.BROWSER),
        ("c", "on", ExitStatus.SUCCESS),
    ]
    assert results[0].checked_at == datetime(2025, 7, 1, 8, tzinfo=UTC)
    assert exit_status(results) is ExitStatus.SETTING_ON
    assert "Setting 2 of 3: b (LinkedIn)" in out.getvalue()
    assert "! the profile of b is in use by a running browser" in err.getvalue()
    # What was seen is in the ledger, without the address's query; the account that failed has no check.
    with Ledger.open(ledger_path) as ledger:
        checks = ledger.checks()
        states = {state.account: state for state in ledger.setting_states()}
    assert [(check.account, check.state, check.url) for check in checks] == [
        ("a", "off", LINKEDIN),
        ("c", "on", LINKEDIN),
    ]
    assert states["a"].last_off == datetime(2025, 7, 1, 8, tzinfo=UTC) and states["a"].state == "off"
    assert states["c"].back_on and states["c"].last_off == JUNE_1
    assert states["b"].last_check is None


def test_a_damaged_ledger_or_bad_input_stops_every_account(ledger_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def refused() -> str:
        raise UsageError("the ledger is damaged")

    fake_browser(monkeypatch, {"a": refused, "b": lambda: "off"})
    ui, _out, _err = plain_ui()
    with pytest.raises(UsageError):
        verify.look_at_settings(NO_DRIVER, [visit("a"), visit("b")], BrowserOptions(headless=True), ui, ledger_path)
    assert not ledger_path.exists()


def test_a_page_not_recognised_is_that_accounts_exit_5(ledger_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def changed() -> str:
        raise NotRecognisedError("optout-bot did not recognise LinkedIn's pages")

    fake_browser(monkeypatch, {"pro": changed})
    ui, _out, _err = plain_ui()
    results = verify.look_at_settings(NO_DRIVER, [visit()], BrowserOptions(headless=True), ui, ledger_path)
    assert exit_status(results) is ExitStatus.NOT_RECOGNISED


# --- The command, with nothing to verify (no browser starts) ------------------------------------------------------


def invoke(*args: str) -> Any:
    from optout_bot.cli.app import cli

    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_nothing_to_verify_says_so_and_exits_0(home: Home) -> None:
    result = invoke("verify")
    assert result.exit_code == 0
    assert result.output.startswith("Nothing to verify: no AI-training setting is recorded yet.")
    assert not (home.root / "data").exists()  # no ledger was created to find that out


def test_nothing_to_verify_for_an_account_names_it(home: Home) -> None:
    with Ledger.open(home.data / "ledger.sqlite3") as ledger:
        form_run(ledger, "perso", "instagram")
    result = invoke("verify", "--account", "perso")
    assert result.exit_code == 0
    assert "Nothing to verify for perso" in result.output and "optout-bot run --account perso" in result.output


def test_nothing_to_verify_in_json_is_an_empty_document(home: Home) -> None:
    result = invoke("verify", "--json")  # click keeps standard output and error apart
    assert result.exit_code == 0
    assert json.loads(result.stdout) == {"schema": 1, "exit_code": 0, "settings": []}
    assert "Nothing to verify" in result.stderr


def test_the_new_exit_code_is_in_every_commands_help() -> None:
    assert "8  verify: a setting is on (switched back on, or never switched off)" in invoke("verify", "--help").output
    assert "8  verify: a setting is on" in invoke("run", "--help").output
