"""Every language Meta serves its pages in: the real walker reaches the ready form on the mock site.

Meta shows its pages in the account's language, so the tool's words (`flows/words/<lang>.yaml`) must
recognise each page the mock draws from `fixtures/strings/<lang>.yaml`. For each language and
each platform the walker runs in-process and must take the first route, the person's own click path
(settings → Privacy Center → the linked "object"), to a form with the email pre-filled, and send nothing.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from optout_bot.flows import Vocabulary, load_flow, load_vocabulary
from optout_bot.flows.loader import WORDS_DIR, bundled_platforms
from optout_bot.mock_site import MockMeta, Scenario
from optout_bot.mock_site.server import languages
from optout_bot.settings.options import Timeouts
from optout_bot.ui import Ui
from optout_bot.walk.walker import Walker

# The languages optout-bot supports. Adding one means a words file *and* a mock strings file.
LANGUAGES = ("en", "fr", "de", "es", "it", "nl", "pt", "pl")
FIRST_ROUTE = "settings-privacy-center"
# Meta's objection flows, whose first route is the person's own click path. The other platforms' pages
# (WhatsApp, LinkedIn, X, the third-party form) are imitated in English and French: tests/e2e covers those.
META_OBJECTION = [p for p in bundled_platforms() if any(r.id == FIRST_ROUTE for r in load_flow(p).routes)]


@pytest.mark.parametrize("platform", META_OBJECTION)
@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_walker_reaches_the_ready_form_in_every_language(
    mock_site: MockMeta, mock_tab: Page, vocabulary: Vocabulary, lang: str, platform: str
) -> None:
    scenario = Scenario(lang=lang)
    mock_site.reset(scenario)
    flow = load_flow(platform, vocabulary)
    found = Walker(mock_tab, flow, vocabulary, Ui(interactive=False), Timeouts(step=5)).find_form()

    assert mock_tab.locator("html").get_attribute("lang") == lang  # the pages really were in this language
    assert found.route == FIRST_ROUTE, [vars(entry) for entry in found.trail]
    assert found.email.input_value() == scenario.account_email
    assert mock_site.posts() == []


def test_the_tools_words_and_the_mock_pages_cover_the_same_languages() -> None:
    word_files = sorted(path.stem for path in WORDS_DIR.glob("*.yaml"))
    assert word_files == sorted(LANGUAGES), "flows/words/ and LANGUAGES differ"
    assert languages() == sorted(LANGUAGES), "fixtures/strings/ and LANGUAGES differ"
    assert load_vocabulary().languages == sorted(LANGUAGES)
