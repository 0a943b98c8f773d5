"""A local HTTPS imitation of the platforms' pages, for optout-bot's tests and its `demo` command. Its pages and
strings are the top-level `fixtures/` folder. May import only the top-level modules: the tool's logic stays out.

with MockMeta(Scenario(lang="fr")) as site:
    browser = playwright.chromium.launch(args=site.chromium_args())
    ...
    assert site.posts() == []

`Scenario` holds one knob per situation to test. To prove a walker finds the place by meaning on pages it has
never seen, `Scenario.scrambled(lang, seed)` (or `Scenario(scramble=frozenset({...}), seed=...)` for some of
them) changes Meta's pages the ways real sites change: menus renamed and reordered among decoy links,
Instagram's Settings in the navigation, the AI topic moved to the Privacy Policy, the known form addresses dead
(404) and the forms at new ones, titles conjugated, 2025's link wording, an unknown thank-you sentence
(scenario.SCRAMBLES describes each). Without a scramble every page is exactly the plain site's. The site where
nothing leads to the place at all is `Scenario(layout="changed")`.
"""

from optout_bot.mock_site.scenario import SCRAMBLES, Scenario, Scramble
from optout_bot.mock_site.server import MockMeta, RecordedRequest

__all__ = ["SCRAMBLES", "MockMeta", "RecordedRequest", "Scenario", "Scramble"]
