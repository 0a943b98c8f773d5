"""A local HTTPS imitation of Meta's pages, for optout-bot's tests and its `demo` command.

with MockMeta(Scenario(lang="fr")) as site:
    browser = playwright.chromium.launch(args=site.chromium_args())
    ...
    assert site.posts() == []
"""

from optout_bot.mock_meta.scenario import Scenario
from optout_bot.mock_meta.server import MockMeta, RecordedRequest

__all__ = ["MockMeta", "RecordedRequest", "Scenario"]
