"""LinkedIn's "Data Processing Objection Request" (flows/linkedin-objection.yaml, `run --platform linkedin --flow
objection`), to object to the use of personal data to train AI models that do not generate content, end to end
in English and French: the real CLI in a subprocess, on the mock.

An opt-out added as data only (issue 16, "Proof that the house works"): its flow, words, mock pages (rows of
fixtures/pages.yaml, templates, strings) and the flow file's messages in the catalogue are all it needed. A form
like Meta's: reached, pre-filled, and nothing posted before the test, playing the person, clicks Submit.
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

# What the mock's pages say (fixtures/strings/<lang>.yaml) and what the tool says (the catalogue).
TEXTS = {
    "en": {
        "objection_heading": "Data Processing Objection Request",
        "non_content": "non-content generating GAI models",
        "full_name": "Full name",
        "explain": "Please explain",
        "case_number": "case number",
        "note": "AI models that do not generate content",
        "after": "case number; keep it with your receipt",
        "company_confirmed": "LinkedIn confirmed your objection",
    },
    "fr": {
        "objection_heading": "Demande d’opposition au traitement des données",
        "non_content": "qui ne créent pas de contenu",
        "full_name": "Nom complet",
        "explain": "Veuillez expliquer",
        "case_number": "numéro de dossier",
        "note": "modèles d’IA qui ne génèrent pas de contenu",
        "after": "numéro de dossier ; gardez-la avec votre reçu",
        "company_confirmed": "LinkedIn a confirmé votre opposition",
    },
}
OBJECTION_FORM = "/help/linkedin/ask/TS-DPRO"


def in_mock(site: MockMeta) -> tuple[str, ...]:
    return tuple(f"--browser-arg={flag}" for flag in site.chromium_args())


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_a_dry_run_reaches_linkedins_objection_form_pre_filled_and_sends_nothing(
    lang: str, site: MockMeta, home: Home, tmp_path: Path
) -> None:
    site.reset(Scenario(lang=lang))
    shot = tmp_path / "objection.png"
    result = run_cli(
        home, "--lang", lang, "run", "--platform", "linkedin", "--flow", "objection", "--dry-run", "--headless",
        "--name", "Jane Doe", "--email", "jane.doe@example.com", "--screenshot", str(shot), *in_mock(site), *FAST,
    )  # fmt: skip

    assert result.returncode == 0, result.stderr
    assert TEXTS[lang]["note"] in result.stdout  # the flow file's note, in the person's language
    assert "Jane Doe" in result.stdout and "jane.doe@example.com" in result.stdout
    assert shot.exists() and site.posts() == []
    assert any(r.path == OBJECTION_FORM for r in site.requests)


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_linkedins_objection_form_is_prepared_and_only_the_person_sends_it(
    lang: str, site: MockMeta, home: Home, cdp: str, person: Person
) -> None:
    site.reset(Scenario(lang=lang))
    texts = TEXTS[lang]
    tool = start_cli(
        home, "--lang", lang, "run", "--platform", "linkedin", "--flow", "objection", "--cdp", cdp,
        "--name", "Jane Doe", "--reason", "I do not want my profile used to train LinkedIn's models.", *FAST,
    )  # fmt: skip
    tab = person.tool_tab(tool, banner_text="optout-bot")

    expect(tab.get_by_role("heading", name=texts["objection_heading"])).to_be_visible()
    expect(tab.get_by_role("radio", name=texts["non_content"])).to_be_checked()
    expect(tab.get_by_role("textbox", name=texts["full_name"])).to_have_value("Jane Doe")
    expect(tab.locator("input[type=email]")).to_have_value("jane.doe@example.com")  # LinkedIn's own, kept
    expect(tab.get_by_role("textbox", name=texts["explain"])).to_have_value(
        "I do not want my profile used to train LinkedIn's models."
    )
    assert tab.url == f"https://www.linkedin.com{OBJECTION_FORM}"

    submit_as_person(tab, site)  # asserts that nothing was posted before this click
    code, out, err = finish(tool)

    assert code == 0, err
    assert texts["company_confirmed"] in out and texts["case_number"] in out
    assert texts["after"] in out  # the flow file's "what happens next"
    assert "Meta" not in out and "Accounts Center" not in out
    (post,) = form_posts(site)
    assert post == f"www.linkedin.com{OBJECTION_FORM}"
    sent = next(r for r in site.posts() if r.path == OBJECTION_FORM).form
    assert sent["objection"] == ["non_content_gai"] and sent["full_name"] == ["Jane Doe"]
    assert sent["email"] == ["jane.doe@example.com"]
    status = json.loads(run_cli(home, "status", "--json").stdout)
    assert "objection" in json.dumps(status)
