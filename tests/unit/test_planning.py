"""From what the person typed and saved to the runs to make: accounts, values, and what is already done."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from optout_bot.cli.planning import CommandLine, plan_runs
from optout_bot.errors import ExitStatus, OptoutError
from optout_bot.records.ledger import Ledger, Outcome
from optout_bot.settings.accounts import choose_account, platform_of_link
from optout_bot.settings.config import Account, Config
from optout_bot.settings.options import BrowserOptions

CONFIG = Config(
    email="jane@example.com",
    country="FR",
    reason="My photos are mine.",
    accounts=(
        Account(name="personal", platform="instagram"),
        Account(name="work", platform="facebook", email="jane@work.example.org"),
        Account(name="art", platform="instagram"),
    ),
)

LINE = CommandLine(
    platform=None, account=None, flow="own", everything=False, force=False,
    from_link=None, browser=BrowserOptions(), dry_run=False, screenshot=None,
)  # fmt: skip


def typed(**changes: object) -> CommandLine:
    """LINE with `changes`; `cdp_url` (--cdp) is one of the browser's options."""
    cdp_url = changes.pop("cdp_url", None)
    line = replace(LINE, **changes)  # type: ignore[arg-type]
    return line if cdp_url is None else replace(line, browser=BrowserOptions(cdp_url=str(cdp_url)))


def confirm(ledger_path: Path, account: str, platform: str, flow: str = "own") -> None:
    with Ledger.open(ledger_path) as ledger:
        run_id = ledger.start_run(account, platform, dry_run=False, flow=flow)
        ledger.finish_run(run_id, Outcome.CONFIRMED, 0, "https://www.facebook.com/help/contact/1", "r", "ok", None)


def fails(line: CommandLine, config: Config, tmp_path: Path) -> OptoutError:
    with pytest.raises(OptoutError) as caught:
        plan_runs(line, config, tmp_path / "ledger.sqlite3")
    assert "\n" not in caught.value.message
    return caught.value


def test_without_settings_a_platform_means_its_default_account(tmp_path: Path) -> None:
    plan = plan_runs(replace(LINE, platform="instagram", values={"email": "a@b.org"}), Config(), tmp_path / "l.db")
    (options,) = plan.runs
    assert (options.account, options.platform, options.values.email) == ("default", "instagram", "a@b.org")


def test_an_accounts_own_email_beats_the_general_one_and_the_command_line_beats_both(tmp_path: Path) -> None:
    ledger = tmp_path / "ledger.sqlite3"
    (work,) = plan_runs(replace(LINE, account="work"), CONFIG, ledger).runs
    assert (work.platform, work.values.email, work.values.country) == ("facebook", "jane@work.example.org", "FR")
    assert work.values.reason == "My photos are mine."
    (typed,) = plan_runs(
        replace(LINE, account="work", values={"email": "x@y.org", "country": "be"}), CONFIG, ledger
    ).runs
    assert (typed.values.email, typed.values.country) == ("x@y.org", "BE")


def test_the_only_account_on_a_platform_is_chosen_and_two_must_be_told_apart(tmp_path: Path) -> None:
    (work,) = plan_runs(replace(LINE, platform="facebook"), CONFIG, tmp_path / "ledger.sqlite3").runs
    assert work.account == "work"
    error = fails(replace(LINE, platform="instagram"), CONFIG, tmp_path)
    assert error.status is ExitStatus.USAGE and "personal, art" in error.message and "--account" in error.message


def test_account_and_platform_must_agree(tmp_path: Path) -> None:
    error = fails(replace(LINE, account="work", platform="instagram"), CONFIG, tmp_path)
    assert "'work' is a facebook account" in error.message


def test_an_unknown_account_needs_a_platform_and_a_safe_name(tmp_path: Path) -> None:
    assert "no account 'other'" in fails(replace(LINE, account="other"), CONFIG, tmp_path).message
    (other,) = plan_runs(replace(LINE, account="other", platform="facebook"), CONFIG, tmp_path / "l.sqlite3").runs
    assert other.account == "other" and other.values.email == "jane@example.com"
    assert "not allowed" in fails(replace(LINE, account="../x", platform="facebook"), CONFIG, tmp_path).message


def test_nothing_said_and_nothing_saved_asks_for_a_platform(tmp_path: Path) -> None:
    assert "--platform" in fails(LINE, Config(), tmp_path).message


def test_all_skips_the_accounts_meta_already_confirmed_unless_forced(tmp_path: Path) -> None:
    ledger = tmp_path / "ledger.sqlite3"
    confirm(ledger, "personal", "instagram")
    plan = plan_runs(replace(LINE, everything=True), CONFIG, ledger)
    assert [o.account for o in plan.runs] == ["work", "art"]
    assert [(r.account, r.outcome) for r in plan.skipped] == [("personal", Outcome.CONFIRMED)]
    forced = plan_runs(replace(LINE, everything=True, force=True), CONFIG, ledger)
    assert [o.account for o in forced.runs] == ["personal", "work", "art"] and forced.skipped == []
    only_instagram = plan_runs(replace(LINE, everything=True, platform="instagram"), CONFIG, ledger)
    assert [o.account for o in only_instagram.runs] == ["art"]


def test_a_confirmed_account_is_not_run_again_unless_forced(tmp_path: Path) -> None:
    ledger = tmp_path / "ledger.sqlite3"
    confirm(ledger, "work", "facebook")
    plan = plan_runs(replace(LINE, account="work"), CONFIG, ledger)
    assert plan.runs == [] and plan.skipped[0].account == "work"
    assert len(plan_runs(replace(LINE, account="work", force=True), CONFIG, ledger).runs) == 1


def test_a_confirmation_counts_for_its_own_flow_only(tmp_path: Path) -> None:
    ledger = tmp_path / "ledger.sqlite3"
    confirm(ledger, "work", "facebook")  # the own-information form
    third_party = plan_runs(replace(LINE, account="work", flow="third-party"), CONFIG, ledger)
    assert [(o.account, o.flow) for o in third_party.runs] == [("work", "third-party")] and third_party.skipped == []
    confirm(ledger, "work", "facebook", flow="third-party")
    again = plan_runs(replace(LINE, account="work", flow="third-party"), CONFIG, ledger)
    assert again.runs == [] and [(r.account, r.flow) for r in again.skipped] == [("work", "third-party")]
    everything = plan_runs(replace(LINE, everything=True, flow="third-party", platform="facebook"), CONFIG, ledger)
    assert everything.runs == [] and len(everything.skipped) == 1


def test_a_setting_left_off_is_done_until_it_is_seen_on_again(tmp_path: Path) -> None:
    ledger = tmp_path / "ledger.sqlite3"
    config = Config(accounts=(Account(name="pro", platform="linkedin"), Account(name="personal", platform="instagram")))
    with Ledger.open(ledger) as opened:
        run_id = opened.start_run("pro", "linkedin", dry_run=False)
        url = "https://www.linkedin.com/mypreferences/d/settings/data-for-ai-improvement"
        opened.finish_run(run_id, Outcome.CONFIRMED, 0, url, "r", None, None, setting_before="on", setting_after="off")
    plan = plan_runs(replace(LINE, everything=True), config, ledger)
    assert [o.account for o in plan.runs] == ["personal"] and [r.account for r in plan.skipped] == ["pro"]
    with Ledger.open(ledger) as opened:
        opened.record_check("pro", "linkedin", "on", url)  # `verify` found it switched back on
    plan = plan_runs(replace(LINE, everything=True), config, ledger)
    assert [o.account for o in plan.runs] == ["pro", "personal"] and plan.skipped == []
    assert len(plan_runs(replace(LINE, account="pro"), config, ledger).runs) == 1


@pytest.mark.parametrize(
    ("option", "value"),
    [("account", "work"), ("from_link", "https://www.facebook.com/x"), ("cdp_url", "http://127.0.0.1:9222")],
)
def test_all_takes_no_single_account_options(option: str, value: str, tmp_path: Path) -> None:
    error = fails(typed(everything=True, **{option: value}), CONFIG, tmp_path)
    assert "--all" in error.message and error.status is ExitStatus.USAGE


def test_all_without_saved_accounts_says_how_to_save_them(tmp_path: Path) -> None:
    assert "optout-bot init" in fails(replace(LINE, everything=True), Config(), tmp_path).message


@pytest.mark.parametrize(
    "link",
    [
        "http://www.facebook.com/help/contact/712876720715583",  # not https
        "https://www.facebook.com.evil.example/help/contact/712876720715583",  # look-alike host
        "https://facebook.com@evil.example/",  # credentials trick
        "https://evil.example/?u=https://www.facebook.com/",
        "javascript:alert(1)",
    ],
)
def test_a_link_that_is_not_metas_is_refused_before_anything_opens(link: str, tmp_path: Path) -> None:
    error = fails(replace(LINE, from_link=link, platform="facebook"), Config(), tmp_path)
    assert error.status is ExitStatus.REFUSED and "phishing" in error.message
    assert not (tmp_path / "ledger.sqlite3").exists()


def test_a_link_gives_its_platform_and_must_match_the_account(tmp_path: Path) -> None:
    link = "https://help.instagram.com/contact/767264225370182?ref=email"
    (options,) = plan_runs(replace(LINE, from_link=link), Config(), tmp_path / "ledger.sqlite3").runs
    assert (options.platform, options.from_link) == ("instagram", link)
    assert "the link is for instagram" in fails(replace(LINE, from_link=link, account="work"), CONFIG, tmp_path).message
    meta = "https://www.meta.com/help/"
    assert "--platform" in fails(replace(LINE, from_link=meta), Config(), tmp_path).message


@pytest.mark.parametrize(
    ("url", "platform"),
    [
        ("https://www.facebook.com/help/contact/1", "facebook"),
        ("https://m.facebook.com/privacy/center/", "facebook"),
        ("https://privacycenter.instagram.com/", "instagram"),
        ("https://instagram.com/", "instagram"),
        ("https://www.meta.com/", None),
        ("https://notfacebook.com/", None),
    ],
)
def test_the_platform_of_a_link_comes_from_its_host(url: str, platform: str | None) -> None:
    assert platform_of_link(url) == platform


def test_choosing_an_account_reads_the_settings_only() -> None:
    chosen = choose_account(CONFIG, "art", None)
    assert (chosen.name, chosen.platform, chosen.email) == ("art", "instagram", None)


def test_two_accounts_may_share_one_browser_profile(tmp_path: Path) -> None:
    config = Config(
        accounts=(Account(name="insta", platform="instagram"), Account(name="fb", platform="facebook", profile="insta"))
    )
    (fb,) = plan_runs(replace(LINE, account="fb"), config, tmp_path / "ledger.sqlite3").runs
    (insta,) = plan_runs(replace(LINE, account="insta"), config, tmp_path / "ledger.sqlite3").runs
    assert (fb.account, fb.browser.profile) == ("fb", "insta")
    assert (insta.account, insta.browser.profile) == ("insta", "insta")
    (default,) = plan_runs(replace(LINE, platform="instagram"), Config(), tmp_path / "ledger.sqlite3").runs
    assert default.browser.profile == "default"


@pytest.mark.parametrize(("option", "empty"), [("from_link", ""), ("from_link", "  "), ("cdp_url", "")])
def test_an_empty_link_or_cdp_address_is_a_usage_error_not_left_out(option: str, empty: str, tmp_path: Path) -> None:
    error = fails(typed(platform="instagram", **{option: empty}), Config(), tmp_path)
    assert error.status is ExitStatus.USAGE and "is empty" in error.message


def test_a_link_is_checked_against_the_walks_own_platform(tmp_path: Path) -> None:
    # Meta's link for a LinkedIn walk is refused before anything opens; LinkedIn's own link is taken.
    error = fails(replace(LINE, platform="linkedin", from_link="https://www.meta.com/help/"), Config(), tmp_path)
    assert error.status is ExitStatus.REFUSED and "LinkedIn's sites (an https address on linkedin.com)" in error.message
    link = "https://www.linkedin.com/mypreferences/d/settings/data-for-ai-improvement"
    (options,) = plan_runs(replace(LINE, platform="linkedin", from_link=link), Config(), tmp_path / "l.sqlite3").runs
    assert (options.platform, options.from_link) == ("linkedin", link)
