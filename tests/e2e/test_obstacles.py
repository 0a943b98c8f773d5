"""Meta's real pages are hostile: the tool gets the person to a correctly filled form, or stops honestly.

Issue 3's situations, each in English and French on the mock site, with the real CLI and a second client
playing the person. In every one, nothing is posted before the person clicks (promise 1).
"""

from __future__ import annotations

import hashlib
import json
import re
import zipfile

import pytest
from playwright.sync_api import Page, expect

from optout_bot import __version__
from optout_bot.bundled import FLOWS_DIR
from optout_bot.mock_site import MockMeta, Scenario
from tests.e2e.cli import FAST, Home, finish, run_cli, start_cli
from tests.e2e.conftest import form_posts, submit_as_person
from tests.e2e.person import READY, Person

CONTINUE = re.compile(r"^\s*(Continue|Continuer)\s*$")


def run_to_exit(home: Home, cdp: str, *args: str) -> tuple[int, str, str]:
    result = run_cli(home, "run", "--cdp", cdp, *args)
    return result.returncode, result.stdout, result.stderr


def log_in_as_person(tab: Page) -> None:
    tab.locator("input:not([type=password]):not([type=hidden])").filter(visible=True).first.fill("jane.doe")
    tab.locator("input[type=password]").fill("the person's own password")
    tab.locator("button[type=submit]").filter(visible=True).first.click()


# 1. Cookie walls ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(("platform", "lang"), [("instagram", "en"), ("facebook", "fr")])
def test_a_cookie_wall_is_declined_and_the_walk_goes_on(
    platform: str, lang: str, site: MockMeta, home: Home, cdp: str, person: Person
) -> None:
    site.reset(Scenario(lang=lang, cookie_wall="decline"))
    tool = start_cli(home, "run", "--platform", platform, "--cdp", cdp, *FAST)
    tab = person.tool_tab(tool, banner_text=READY)
    submit_as_person(tab, site)
    code, out, err = finish(tool)

    assert code == 0, err
    assert "Cookie notice: declined optional cookies." in out
    host = "www.instagram.com" if platform == "instagram" else "www.facebook.com"
    assert site.cookie_choice(host) == "declined"


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_a_cookie_wall_without_decline_is_accepted_and_the_person_told(
    lang: str, site: MockMeta, home: Home, cdp: str, person: Person
) -> None:
    site.reset(Scenario(lang=lang, cookie_wall="accept_only"))
    code, _, err = run_to_exit(home, cdp, "--platform", "facebook", "--dry-run", *FAST)

    assert code == 0, err
    assert "offered no way to decline, so optout-bot allowed all cookies" in err
    assert site.cookie_choice("www.facebook.com") == "accepted"
    assert form_posts(site) == []


# 2. Logins, re-logins, checkpoints, two-factor ------------------------------------------------------------


@pytest.mark.parametrize(
    ("platform", "lang", "path"), [("facebook", "fr", "/help/contact/"), ("instagram", "en", "/contact/")]
)
def test_meta_asks_to_log_in_again_right_before_the_form_and_the_walk_resumes(
    platform: str, lang: str, path: str, site: MockMeta, home: Home, cdp: str, person: Person
) -> None:
    site.reset(Scenario(lang=lang, relogin_at=path))
    tool = start_cli(home, "run", "--platform", platform, "--cdp", cdp, *FAST)
    log_in_as_person(person.tool_tab(tool, banner_text="please log in"))
    tab = person.tool_tab(tool, banner_text=READY)

    expect(tab.locator("input[type=email]")).to_have_value("jane.doe@example.com")
    submit_as_person(tab, site)
    code, out, err = finish(tool)
    assert code == 0, err
    assert "Meta asks you to log in" in out


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_a_login_checkpoint_and_a_two_factor_code_are_left_to_the_person(
    lang: str, site: MockMeta, home: Home, cdp: str, person: Person
) -> None:
    site.reset(Scenario(lang=lang, require_login=True, checkpoint=True, two_factor=True))
    tool = start_cli(home, "run", "--platform", "instagram", "--cdp", cdp, *FAST)
    tab = person.tool_tab(tool, banner_text="please log in")
    log_in_as_person(tab)
    tab.get_by_role("button", name=CONTINUE).click()  # "I approved it on my phone"
    tab.locator("input[autocomplete=one-time-code]").fill("123456")
    assert form_posts(site) == []
    tab.locator("button[type=submit]").filter(visible=True).first.click()

    ready = person.tool_tab(tool, banner_text=READY)
    submit_as_person(ready, site)
    code, _, err = finish(tool)
    assert code == 0, err


# 3. A code after Submit --------------------------------------------------------------------------------


@pytest.mark.parametrize(("platform", "lang"), [("facebook", "en"), ("instagram", "fr")])
def test_a_code_asked_after_submit_is_typed_by_the_person_and_success_waits_for_the_confirmation(
    platform: str, lang: str, site: MockMeta, home: Home, cdp: str, person: Person
) -> None:
    site.reset(Scenario(lang=lang, code_after_submit=True))
    tool = start_cli(home, "run", "--platform", platform, "--cdp", cdp, *FAST)
    tab = person.tool_tab(tool, banner_text=READY)
    submit_as_person(tab, site)

    tab = person.tool_tab(tool, banner_text="sent you a code by email")
    assert tool.poll() is None  # not done yet: the code page is not Meta's confirmation
    tab.locator("input[autocomplete=one-time-code]").fill("654321")
    tab.locator("button[type=submit]").filter(visible=True).first.click()
    code, out, err = finish(tool)

    assert code == 0, err
    assert "Meta sent you a code by email" in out and "Meta confirmed your objection" in out
    assert len(form_posts(site)) == 2  # the form, then the code: both by the person


# 4. The Privacy Policy route --------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_privacy_policy_route_answers_yes_to_the_ai_question_and_leaves_the_form_for_review(
    lang: str, site: MockMeta, home: Home, cdp: str, person: Person
) -> None:
    site.reset(Scenario(lang=lang, policy_route_only=True))
    tool = start_cli(home, "run", "--platform", "facebook", "--cdp", cdp, "--step-timeout", "3", "--user-timeout", "60")
    tab = person.tool_tab(tool, banner_text=READY)

    expect(tab.locator("input[type=radio]").first).to_be_checked()  # "Yes": the request is about AI at Meta
    expect(tab.locator("input[type=email]")).to_have_value("jane.doe@example.com")
    submit_as_person(tab, site)
    code, out, err = finish(tool)
    assert code == 0, err
    # By the Privacy Policy: opened by its address, or (as the walk now goes on from the Privacy Center that lost
    # its "object" link, where the Privacy Policy's link is in sight) by that link.
    assert "route: privacy-policy-right-to-object" in out or "route: settings-privacy-policy" in out


# 5. Not offered -------------------------------------------------------------------------------------


@pytest.mark.parametrize(("platform", "lang"), [("instagram", "en"), ("facebook", "fr")])
def test_outside_the_regions_meta_serves_the_person_gets_exit_3_in_plain_words(
    platform: str, lang: str, site: MockMeta, home: Home, cdp: str, person: Person
) -> None:
    site.reset(Scenario(lang=lang, region_offered=False))
    code, _, err = run_to_exit(home, cdp, "--platform", platform, *FAST)

    assert code == 3, err
    assert "the form exists only for accounts in the EU/EEA, the UK, Switzerland" in err
    assert "Nothing was filled" in err and form_posts(site) == []


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_a_facebook_page_cannot_object_and_is_told_to_switch_to_the_profile(
    lang: str, site: MockMeta, home: Home, cdp: str, person: Person
) -> None:
    site.reset(Scenario(lang=lang, account_is_page=True))
    code, _, err = run_to_exit(home, cdp, "--platform", "facebook", *FAST)

    assert code == 3, err
    assert "this is a Facebook Page, and only personal profiles can object" in err
    assert form_posts(site) == []


# 6. The wrong form -----------------------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize(("platform", "lang"), [("facebook", "en"), ("instagram", "fr")])
def test_the_third_party_form_is_passed_over_for_the_persons_own(
    platform: str, lang: str, site: MockMeta, home: Home, cdp: str, person: Person
) -> None:
    site.reset(Scenario(lang=lang, object_link_form="third_party"))
    tool = start_cli(home, "run", "--platform", platform, "--cdp", cdp, *FAST)
    tab = person.tool_tab(tool, banner_text=READY)

    assert "/510058597920541" not in tab.url  # not the third-party form
    submit_as_person(tab, site)
    code, out, err = finish(tool)
    assert code == 0, err
    assert "form for information others shared about you" in out
    assert "route: privacy-topics-ai-at-meta" in out
    (post,) = form_posts(site)
    assert "510058597920541" not in post


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_when_only_the_third_party_form_is_offered_nothing_is_filled_and_exit_is_6(
    lang: str, site: MockMeta, home: Home, cdp: str, person: Person
) -> None:
    site.reset(Scenario(lang=lang, third_party_everywhere=True))
    code, _, err = run_to_exit(home, cdp, "--platform", "facebook", "--step-timeout", "3")

    assert code == 6, err
    assert "information that others shared about you" in err and "filled nothing" in err
    assert [r for r in site.requests if r.method == "GET" and "510058597920541" in r.path]  # it was reached
    person.own_tab().wait_for_timeout(200)  # let this client hear about the tab the tool opened
    (third_party_tab,) = [p for p in person.context.pages if "510058597920541" in p.url]
    # …and left as Meta drew it: no option chosen, so none of its fields drawn.
    expect(third_party_tab.get_by_role("radio", checked=True)).to_have_count(0)
    expect(third_party_tab.locator("textarea")).to_have_count(0)
    assert form_posts(site) == []


# 7. Off Meta's domains ------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_a_link_to_a_look_alike_site_is_never_followed(
    lang: str, site: MockMeta, home: Home, cdp: str, person: Person
) -> None:
    site.reset(Scenario(lang=lang, phishing_link=True))
    code, _, err = run_to_exit(home, cdp, "--platform", "instagram", *FAST)

    assert code == 6, err
    assert "meta-privacy-center.example, which is not one of Meta's sites" in err
    assert not [r for r in site.requests if r.host == "meta-privacy-center.example"]


@pytest.mark.parametrize(("platform", "lang"), [("facebook", "en"), ("instagram", "fr")])
def test_a_redirect_off_metas_domains_stops_before_anything_is_typed(
    platform: str, lang: str, site: MockMeta, home: Home, cdp: str, person: Person
) -> None:
    site.reset(Scenario(lang=lang, redirect_off_site=True))
    code, _, err = run_to_exit(home, cdp, "--platform", platform, *FAST)

    assert code == 6, err
    assert "not one of Meta's sites" in err and "filled nothing" in err
    assert form_posts(site) == []
    assert not [r for r in site.requests if r.host == "meta-privacy-center.example" and r.method == "POST"]


# 8. Pages drawn by script, sent by script ----------------------------------------------------------------


@pytest.mark.parametrize(("platform", "lang"), [("instagram", "en"), ("facebook", "fr")])
def test_a_form_sent_by_script_without_navigation_is_confirmed_in_place(
    platform: str, lang: str, site: MockMeta, home: Home, cdp: str, person: Person
) -> None:
    site.reset(Scenario(lang=lang, submit_by_script=True))
    tool = start_cli(home, "run", "--platform", platform, "--cdp", cdp, *FAST)
    tab = person.tool_tab(tool, banner_text=READY)
    url_before = tab.url
    submit_as_person(tab, site)
    code, out, err = finish(tool)

    assert code == 0, err
    assert tab.url == url_before  # no navigation: the confirmation was drawn in place
    assert "Meta confirmed your objection" in out
    assert len(form_posts(site)) == 1


# 10. A changed layout -------------------------------------------------------------------------------


@pytest.mark.parametrize(("platform", "lang"), [("facebook", "en"), ("instagram", "fr")])
def test_a_redesigned_site_gives_exit_5_and_a_diagnostic_without_personal_data(
    platform: str, lang: str, site: MockMeta, home: Home, cdp: str, person: Person
) -> None:
    site.reset(Scenario(lang=lang, layout="changed"))
    code, _, err = run_to_exit(home, cdp, "--platform", platform, "--step-timeout", "2")

    assert code == 5, err
    (archive,) = (home.data / "diagnostics").iterdir()  # one archive, to attach to a report as it is
    assert str(archive) in err and archive.suffix == ".zip"
    with zipfile.ZipFile(archive) as opened:
        assert set(opened.namelist()) == {"about.json", "trail.json", "page.html", "screenshot.png"}
        saved = {name: opened.read(name) for name in opened.namelist()}
    about = json.loads(saved["about.json"])
    assert about["flow_file"] == f"{platform}.yaml" and about["flow_schema_version"] == 2
    assert about["flow_sha256"] == hashlib.sha256((FLOWS_DIR / f"{platform}.yaml").read_bytes()).hexdigest()
    assert about["version"] == __version__ and "settings-privacy-center" in about["routes_tried"]
    trail = json.loads(saved["trail.json"])
    tried = {step["route"] for step in trail["steps"]}
    assert {"settings-privacy-center", "privacy-topics-ai-at-meta", "form-address-2025"} <= tried
    assert all(set(step) == {"route", "step", "url", "outcome"} for step in trail["steps"])
    # a route that begins as one that already failed is skipped, not walked again (said in the trail)
    assert all(
        step["outcome"] == "ok" or step["outcome"].startswith(("failed: ", "skipped")) for step in trail["steps"]
    )

    html = saved["page.html"].decode()
    assert "<html" in html and len(html) > 500  # the structure a contributor needs is kept
    texts = "\n".join(data.decode(errors="replace") for name, data in saved.items() if not name.endswith(".png"))
    secrets = [*site.secrets().values(), "jane.doe@example.com", "Jane Doe", "100012345678901"]
    assert [s for s in secrets if s in texts] == []
    assert form_posts(site) == []


def test_diagnostics_are_private(site: MockMeta, home: Home, cdp: str, person: Person) -> None:
    site.reset(Scenario(layout="changed"))
    code, _, _ = run_to_exit(home, cdp, "--platform", "instagram", "--step-timeout", "1")
    assert code == 5
    folder = home.data / "diagnostics"
    (archive,) = folder.iterdir()
    assert oct(folder.stat().st_mode & 0o777) == "0o700"
    assert oct(archive.stat().st_mode & 0o777) == "0o600"
