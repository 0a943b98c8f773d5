"""Beyond Meta's own-information form, end to end, in English and French: the real CLI in a subprocess.

Meta's form for information others shared, WhatsApp's general objection form, LinkedIn's and X's
AI-training settings. The same promises as `run` for Meta's form: nothing is posted, and no switch is
switched, before the test — playing the person — clicks; every place is confined to its own site.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from playwright.sync_api import expect

from optout_bot.mock_site import MockMeta, Scenario
from tests.e2e.cli import FAST, Home, finish, run_cli, start_cli
from tests.e2e.conftest import form_posts, submit_as_person
from tests.e2e.person import Person

# What each page says, as the mock draws it (fixtures/strings/<lang>.yaml).
TEXTS = {
    "en": {
        "third_party_heading": "from third parties",
        "object_option": "Object to or restrict the processing",
        "full_name": "Full name",
        "country": "Country of residence",
        "prompts": "Prompts you entered",
        "received": "we received your request",
        "whatsapp_phone": "Phone number",
        "whatsapp_note": "WhatsApp offers no form aimed at AI training",
        "linkedin_switch": "Use my data for training content creation AI models",
        "x_checkbox": "Allow your public data as well as your interactions",
    },
    "fr": {
        "third_party_heading": "provenant de tiers",
        "object_option": "M’opposer au traitement",
        "full_name": "Nom complet",
        "country": "Pays de résidence",
        "prompts": "Requêtes que vous avez saisies",
        "received": "nous avons bien reçu votre demande",
        "whatsapp_phone": "Numéro de téléphone",
        "whatsapp_note": "WhatsApp ne propose aucun formulaire",
        "linkedin_switch": "Utiliser mes données pour entraîner des modèles d’IA de création de contenu",
        "x_checkbox": "Autoriser l’utilisation de vos données publiques ainsi que de vos interactions",
    },
}
SWITCH_OFF = {"en": "Switch it off yourself", "fr": "Désactivez-le vous-même"}


def lang_args(lang: str) -> tuple[str, ...]:
    return ("--lang", lang)


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_third_party_form_is_prepared_with_name_email_and_country_and_the_evidence_left_to_the_person(
    lang: str, site: MockMeta, home: Home, cdp: str, person: Person
) -> None:
    site.reset(Scenario(lang=lang))
    texts = TEXTS[lang]
    tool = start_cli(
        home, *lang_args(lang), "run", "--platform", "facebook", "--flow", "third-party", "--cdp", cdp,
        "--name", "Jane Doe", "--country", "BE", *FAST,
    )  # fmt: skip
    tab = person.tool_tab(tool, banner_text="optout-bot")

    expect(tab.get_by_role("heading", name=texts["third_party_heading"])).to_be_visible()
    expect(tab.get_by_role("radio", name=texts["object_option"])).to_be_checked()
    expect(tab.get_by_role("textbox", name=texts["full_name"])).to_have_value("Jane Doe")
    expect(tab.locator("input[type=email]")).to_have_value("jane.doe@example.com")
    expect(tab.get_by_label(texts["country"])).to_have_value("BE")
    expect(tab.get_by_role("textbox", name=texts["prompts"])).to_have_value("")  # the person's evidence
    expect(tab.locator("input[type=file]")).to_have_value("")

    submit_as_person(tab, site)
    code, out, err = finish(tool)

    assert code == 0, err
    assert texts["received"].lower() in out.lower()
    (post,) = [r for r in site.posts() if "login" not in r.path]
    assert post.path == "/help/contact/510058597920541"
    assert post.form["email"] == ["jane.doe@example.com"]
    status = json.loads(run_cli(home, "status", "--json").stdout)
    assert json.dumps(status).count("third-party") >= 1


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_whatsapps_general_form_gets_email_and_phone_and_says_it_is_not_ai_specific(
    lang: str, site: MockMeta, home: Home, cdp: str, person: Person
) -> None:
    site.reset(Scenario(lang=lang))
    texts = TEXTS[lang]
    tool = start_cli(
        home, *lang_args(lang), "run", "--platform", "whatsapp", "--cdp", cdp,
        "--email", "jane.doe@example.com", "--phone", "+33 6 12 34 56 78", *FAST,
    )  # fmt: skip
    tab = person.tool_tab(tool, banner_text="optout-bot")

    expect(tab.locator("input[type=tel]")).to_have_value("+33 6 12 34 56 78")
    expect(tab.locator("input[type=email]")).to_have_value("jane.doe@example.com")
    assert tab.url.startswith("https://www.whatsapp.com/contact/forms/382532939919295")

    submit_as_person(tab, site)
    code, out, err = finish(tool)

    assert code == 0, err
    assert texts["whatsapp_note"] in out
    (post,) = site.posts()
    assert post.host == "www.whatsapp.com" and post.form["email"] == ["jane.doe@example.com"]


@pytest.mark.parametrize("lang", ["en", "fr"])
@pytest.mark.parametrize("platform", ["linkedin", "x"])
def test_an_ai_training_setting_that_is_on_is_left_for_the_person_to_switch_off(
    platform: str, lang: str, site: MockMeta, home: Home, cdp: str, person: Person
) -> None:
    site.reset(Scenario(lang=lang))
    label = TEXTS[lang]["linkedin_switch" if platform == "linkedin" else "x_checkbox"]
    tool = start_cli(home, *lang_args(lang), "run", "--platform", platform, "--cdp", cdp, *FAST)
    tab = person.tool_tab(tool, banner_text=SWITCH_OFF[lang])

    control = tab.get_by_role("switch" if platform == "linkedin" else "checkbox", name=label)
    expect(control).to_be_checked()
    expect(control).to_be_in_viewport()
    assert "solid" in control.evaluate("el => getComputedStyle(el).outlineStyle")  # outlined for the person
    assert form_posts(site) == [], "the setting was saved before the person clicked it"
    assert site.setting(platform) is True

    control.click()  # the person switches it off
    code, out, err = finish(tool)

    assert code == 0, err
    assert ("is now off" if lang == "en" else "est maintenant désactivé") in out
    assert site.setting(platform) is False
    assert len(form_posts(site)) == 1  # the one save, made by the person's click
    receipts = list((home.data / "receipts").glob("*.png"))
    assert len(receipts) == 1 and oct(receipts[0].stat().st_mode & 0o777) == "0o600"

    again = run_cli(home, *lang_args(lang), "run", "--platform", platform, "--cdp", cdp, "--force", *FAST)
    assert again.returncode == 0, again.stderr
    assert len(form_posts(site)) == 1  # already off: nothing to do, nothing touched


def test_a_dry_run_reports_the_setting_and_leaves_it_alone(site: MockMeta, home: Home, tmp_path: Path) -> None:
    shot = tmp_path / "setting.png"
    result = run_cli(
        home, "run", "--platform", "linkedin", "--dry-run", "--headless", "--screenshot", str(shot),
        *(f"--browser-arg={flag}" for flag in site.chromium_args()), *FAST,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "is on" in result.stdout and "left as it is" in result.stdout
    assert shot.exists() and site.setting("linkedin") is True and site.posts() == []
