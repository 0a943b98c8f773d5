"""The hand-over, in the person's language: the banner in Meta's page, the Submit button, the tab, the terminal.

The real CLI in a subprocess; the person is a second Playwright client on the same browser. Their client
attaches with `no_defaults=True`, as the tool does, so that Playwright does not pretend every tab has the
focus: which tab is in front is then the browser's own answer.

The French tests need the French catalogue compiled with the walk's messages (optout_bot/locale/fr).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Locator, Page, Playwright, expect

from optout_bot.mock_site import MockMeta, Scenario
from optout_bot.settings.config import Account, Config, write_config
from tests.e2e.cli import FAST, Home, finish, start_cli
from tests.e2e.conftest import form_posts, submit_as_person
from tests.e2e.person import BANNER, READY, Person

READY_FR = "votre formulaire d’opposition est prêt"


@pytest.fixture
def person(playwright: Playwright, cdp: str) -> Iterator[Person]:
    browser = playwright.chromium.connect_over_cdp(cdp, no_defaults=True)
    if not browser.contexts[0].pages:
        browser.contexts[0].new_page()
    yield Person(browser)
    browser.close()


def banner_text(tab: Page) -> str:
    return " ".join(tab.locator(BANNER).inner_text().split())


def in_front(tab: Page) -> bool:
    return bool(tab.evaluate("document.visibilityState === 'visible' && document.hasFocus()"))


def assert_pointed_at(tab: Page, submit: Locator) -> None:
    """Submit is in view, outlined, and the banner (which lets clicks through) does not cover it."""
    expect(submit).to_be_in_viewport()
    assert "solid" in submit.evaluate("el => getComputedStyle(el).outlineStyle")
    banner = tab.locator(BANNER)
    assert banner.evaluate("el => getComputedStyle(el).pointerEvents") == "none"
    button, drawn = submit.bounding_box(), banner.bounding_box()
    assert button is not None and drawn is not None
    apart_x = button["x"] >= drawn["x"] + drawn["width"] or button["x"] + button["width"] <= drawn["x"]
    apart_y = button["y"] >= drawn["y"] + drawn["height"] or button["y"] + button["height"] <= drawn["y"]
    assert apart_x or apart_y


def test_the_banner_says_what_was_filled_what_to_check_and_points_at_submit(
    site: MockMeta, home: Home, cdp: str, person: Person
) -> None:
    write_config(
        Config(accounts=(Account(name="personal", platform="facebook"), Account(name="art", platform="instagram"))),
        home.root / "config" / "optout-bot" / "config.toml",
    )
    tool = start_cli(home, "run", "--account", "personal", "--cdp", cdp, "--country", "FR", *FAST)
    tab = person.tool_tab(tool, banner_text=READY)

    text = banner_text(tab)
    assert "optout-bot: your objection form is ready" in text
    assert re.search(r"Filled in, outlined in blue: Country of residence, Email( address)?", text)  # page's words
    assert "Left empty, dashed outline: " in text  # the optional text
    assert "Check each field, and that the email address is yours: Facebook answers there." in text
    assert "Then you click Submit, outlined in orange. optout-bot never does." in text
    assert "Meta" not in text and "--" not in text and "optout-bot init" not in text  # no CLI words
    assert tab.get_by_role("button", name="Hide").is_visible()  # the banner folds
    assert tab.locator(BANNER).get_attribute("lang") == "en"
    assert_pointed_at(tab, tab.get_by_role("button", name="Submit"))
    assert in_front(tab)

    submit_as_person(tab, site)
    code, out, err = finish(tool)

    assert code == 0, err
    for step in ("[1/5] Opening Facebook…", "[2/5] Opening Settings…", "[3/5] Opening the Privacy Center…",
                 "[4/5] Opening the objection form…", "[5/5] Filling in the form…"):  # fmt: skip
        assert step in out
    assert "click Submit yourself — optout-bot will not" in out
    assert "Meta confirmed your objection: “" in out and "your request will be applied going forward" in out
    assert "Receipt (a screenshot of Meta's confirmation): " + str(home.data / "receipts") in out
    assert "an account not linked there needs its own objection (optout-bot run --account NAME)" in out
    assert "Your other saved account is not confirmed yet: art (Instagram)." in out
    assert "optout-bot report" in out


@pytest.mark.parametrize(
    ("platform", "scenario"),
    [
        ("facebook", Scenario(relogin_at="/help/contact/")),  # right before the form: no click after the login
        ("instagram", Scenario(require_login=True)),  # on the first page: the whole walk after it, tab behind
    ],
)
def test_the_tool_brings_its_tab_to_the_front_when_the_form_is_ready(
    platform: str, scenario: Scenario, site: MockMeta, home: Home, cdp: str, person: Person
) -> None:
    # Meta asks to log in; the person types their login, goes back to their own tab, and only then sends it.
    site.reset(scenario)
    tool = start_cli(home, "run", "--platform", platform, "--cdp", cdp, *FAST)
    login = person.tool_tab(tool, banner_text="please log in")
    assert in_front(login)  # asked to log in: the tool brought its tab forward
    login.locator("input:not([type=password]):not([type=hidden])").filter(visible=True).first.fill("jane.doe")
    login.locator("input[type=password]").fill("the person's own password")
    own = person.own_tab()
    own.bring_to_front()
    login.wait_for_function("document.visibilityState === 'hidden'")  # the tool's tab is behind now
    login.locator("input[type=password]").press("Enter")  # the person's own login, sent from the tab behind

    tab = person.tool_tab(tool, banner_text=READY)
    tab.wait_for_function("document.visibilityState === 'visible'")
    assert in_front(tab)
    assert own.evaluate("document.visibilityState") == "hidden"
    assert_pointed_at(tab, tab.get_by_role("button", name="Submit"))

    submit_as_person(tab, site)
    code, out, err = finish(tool)
    assert code == 0, err
    # The clicks after the login waited for the tab behind to be drawn: the tool brought it forward for them,
    # rather than time out on each step and fall back to the form's address.
    assert "(route: settings-privacy-center)" in out and "trying another way" not in out


# --- in French ------------------------------------------------------------------------------------------------


def test_a_french_speaker_reads_the_banner_and_the_terminal_in_french(
    site: MockMeta, home: Home, cdp: str, person: Person
) -> None:
    site.reset(Scenario(lang="fr"))
    tool = start_cli(home, "run", "--lang", "fr", "--platform", "facebook", "--cdp", cdp, "--country", "BE", *FAST)
    tab = person.tool_tab(tool, banner_text=READY_FR)

    text = banner_text(tab)
    assert "optout-bot : votre formulaire d’opposition est prêt" in text
    assert "Rempli, entouré en bleu : Pays de résidence" in text
    assert "Vérifiez chaque champ, et que l’adresse e-mail est bien la vôtre : Facebook y répond." in text
    assert "Puis c’est vous qui cliquez sur « Envoyer », entouré en orange. optout-bot ne le fait jamais." in text
    assert "Replier" in text
    assert "Submit" not in text and "will not" not in text
    assert tab.locator(BANNER).get_attribute("lang") == "fr"
    assert_pointed_at(tab, tab.get_by_role("button", name="Envoyer"))
    assert in_front(tab)

    submit_as_person(tab, site)
    code, out, err = finish(tool)

    assert code == 0, err
    assert "[3/5] Ouverture du Centre de confidentialité…" in out and "[5/5] Remplissage du formulaire…" in out
    assert "cliquez vous-même sur « Envoyer » — optout-bot ne le fera pas" in out
    assert "Meta a confirmé votre opposition : « " in out and "votre demande sera appliquée" in out
    assert "Espace comptes" in out and "optout-bot report" in out
    assert "Opening" not in out and "Meta confirmed" not in out


def test_a_french_speaker_asked_to_log_in_is_told_so_in_french(
    site: MockMeta, home: Home, cdp: str, person: Person
) -> None:
    site.reset(Scenario(lang="fr", require_login=True))
    tool = start_cli(home, "run", "--lang", "fr", "--platform", "instagram", "--cdp", cdp, *FAST)

    login = person.tool_tab(tool, banner_text="veuillez vous connecter")
    text = banner_text(login)
    assert "optout-bot : veuillez vous connecter à votre compte dans cette fenêtre." in text
    assert "optout-bot ne voit ni ne saisit jamais votre mot de passe" in text
    assert in_front(login)
    login.locator("input:not([type=password]):not([type=hidden])").filter(visible=True).first.fill("jane.doe")
    login.locator("input[type=password]").fill("the person's own password")
    assert form_posts(site) == []
    login.locator("button[type=submit]").filter(visible=True).first.click()

    tab = person.tool_tab(tool, banner_text=READY_FR)
    submit_as_person(tab, site)
    code, out, err = finish(tool)

    assert code == 0, err
    assert "Meta vous demande de vous connecter" in out


def test_a_french_speaker_asked_for_a_code_after_submit_is_told_so_in_french(
    site: MockMeta, home: Home, cdp: str, person: Person
) -> None:
    site.reset(Scenario(lang="fr", code_after_submit=True))
    tool = start_cli(home, "run", "--lang", "fr", "--platform", "instagram", "--cdp", cdp, *FAST)
    tab = person.tool_tab(tool, banner_text=READY_FR)
    submit_as_person(tab, site)

    tab = person.tool_tab(tool, banner_text="Instagram vous a envoyé un code par e-mail")
    assert "optout-bot ne lit ni ne saisit jamais vos codes" in banner_text(tab)
    tab.locator("input[autocomplete=one-time-code]").fill("654321")
    tab.locator("button[type=submit]").filter(visible=True).first.click()
    code, out, err = finish(tool)

    assert code == 0, err
    assert "Meta vous a envoyé un code par e-mail" in out and "Meta a confirmé votre opposition" in out
