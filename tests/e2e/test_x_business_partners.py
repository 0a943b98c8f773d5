"""X's "Data sharing with business partners" (flows/x-business-partners.yaml, `run --platform x --flow
business-partners`), end to end in English and French: the real CLI in a subprocess, on the mock.

An opt-out added as data only (issue 16, "Proof that the house works"): its flow, words, mock page (a row of
fixtures/pages.yaml, a template, strings) are all it needed. A setting like the Grok one: read, outlined, and
left for the person to switch off; nothing saved before the person's click.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from playwright.sync_api import expect

from optout_bot.mock_site import MockMeta, Scenario
from tests.e2e.cli import FAST, Home, finish, run_cli, start_cli
from tests.e2e.conftest import form_posts
from tests.e2e.person import Person

# What the mock's pages say (fixtures/strings/<lang>.yaml) and what the tool says (the catalogue).
TEXTS = {
    "en": {
        "partners_checkbox": "Allow additional information sharing with business partners",
        "switch_off": "Switch it off yourself",
        "is_on": "is on",
        "left_alone": "left as it is",
        "now_off": "is now off",
    },
    "fr": {
        "partners_checkbox": "Autoriser le partage d’informations supplémentaires avec les partenaires commerciaux",
        "switch_off": "Désactivez-le vous-même",
        "is_on": "est activé",
        "left_alone": "laissé tel quel",
        "now_off": "est maintenant désactivé",
    },
}
PARTNERS = "x-business-partners"  # the setting's key in fixtures/pages.yaml
VERIFY_WAITS = ("--step-timeout", "5", "--login-timeout", "30")  # verify waits for no person


def in_mock(site: MockMeta) -> tuple[str, ...]:
    return tuple(f"--browser-arg={flag}" for flag in site.chromium_args())


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_a_dry_run_finds_xs_business_partners_setting_on_and_leaves_it_alone(
    lang: str, site: MockMeta, home: Home, tmp_path: Path
) -> None:
    site.reset(Scenario(lang=lang))
    shot = tmp_path / "partners.png"
    result = run_cli(
        home, "--lang", lang, "run", "--platform", "x", "--flow", "business-partners", "--dry-run", "--headless",
        "--screenshot", str(shot), *in_mock(site), *FAST,
    )  # fmt: skip

    assert result.returncode == 0, result.stderr
    said = result.stdout + result.stderr  # the warning that it is on goes to standard error
    assert TEXTS[lang]["partners_checkbox"] in said and TEXTS[lang]["is_on"] in said
    assert TEXTS[lang]["left_alone"] in result.stdout
    assert shot.exists() and site.setting(PARTNERS) is True and site.posts() == []
    assert site.setting("x") is True  # Grok's, the other X setting, untouched too
    visited = {r.path for r in site.requests if r.host == "x.com"}
    assert "/settings/data_sharing_with_business_partners" in visited and "/settings/grok_settings" not in visited


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_xs_business_partners_setting_is_left_for_the_person_to_switch_off(
    lang: str, site: MockMeta, home: Home, cdp: str, person: Person
) -> None:
    site.reset(Scenario(lang=lang))
    texts = TEXTS[lang]
    tool = start_cli(home, "--lang", lang, "run", "--platform", "x", "--flow", "business-partners", "--cdp", cdp, *FAST)
    tab = person.tool_tab(tool, banner_text=texts["switch_off"])

    control = tab.get_by_role("checkbox", name=texts["partners_checkbox"])
    expect(control).to_be_checked()
    assert "solid" in control.evaluate("el => getComputedStyle(el).outlineStyle")  # outlined for the person
    assert form_posts(site) == [], "the setting was saved before the person clicked it"

    control.click()  # the person unchecks it
    code, out, err = finish(tool)

    assert code == 0, err
    assert texts["now_off"] in out
    assert site.setting(PARTNERS) is False and site.setting("x") is True  # only the one the person unchecked
    assert form_posts(site) == ["x.com/settings/data_sharing_with_business_partners"]
    runs = json.loads(run_cli(home, "status", "--json").stdout)
    assert "business-partners" in json.dumps(runs)


def test_verify_looks_again_at_xs_business_partners_setting_apart_from_grok(site: MockMeta, home: Home) -> None:
    """A platform with two settings: verify walks each one's flow, and says which one X switched back on."""
    site.reset(Scenario())
    for flow in ("own", "business-partners"):  # a rehearsal of each sees it on
        rehearsal = run_cli(
            home, "run", "--platform", "x", "--flow", flow, "--dry-run", "--headless", *in_mock(site), *FAST
        )
        assert rehearsal.returncode == 0, rehearsal.stderr
    site.set_setting("x", False)  # the person switched both off by hand
    site.set_setting(PARTNERS, False)
    assert run_cli(home, "verify", "--headless", *in_mock(site), *VERIFY_WAITS).returncode == 0

    site.set_setting(PARTNERS, True)  # X switched the business partners one back on, not Grok's
    back_on = run_cli(home, "verify", "--headless", "--json", *in_mock(site), *VERIFY_WAITS)

    assert back_on.returncode == 8, back_on.stderr
    seen = {entry["flow"]: entry for entry in json.loads(back_on.stdout)["settings"]}
    assert (seen["own"]["state"], seen["business-partners"]["state"]) == ("off", "on")
    assert seen["business-partners"]["switched_back_on"] is True
    assert "default (X, business-partners): SWITCHED BACK ON" in back_on.stderr
    assert "optout-bot run --account default --platform x --flow business-partners" in back_on.stderr
    assert form_posts(site) == [], "verify saved a setting: it must only read them"
