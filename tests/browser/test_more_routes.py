"""Every route of the flows beyond Meta's own form reaches its place, in English and in French.

The end-to-end tests (tests/e2e/test_more_places.py) run the real command, which stops at the first route
that works; here the walker runs in-process on each route alone, so a route whose words no longer match the
pages (a menu renamed, a French label) is caught even while another route still works.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Page

from optout_bot.flows import Flow, Vocabulary, load_flow
from optout_bot.flows.loader import bundled_flows, bundled_platforms
from optout_bot.flows.model import OWN_FLOW
from optout_bot.mock_site import MockMeta, Scenario
from optout_bot.settings.options import Timeouts
from optout_bot.ui import Ui
from optout_bot.walk.walker import Walker


def _beyond_metas_own_form() -> list[tuple[str, str]]:
    """Every flow file but Meta's own-information objection (tests/test_languages.py walks those in every
    language): a flow added as data is walked here with no change to this test."""
    flows = [(platform, flow) for platform in bundled_platforms() for flow in bundled_flows(platform)]
    return [(p, f) for p, f in flows if not (f == OWN_FLOW and load_flow(p).routes[0].id == "settings-privacy-center")]


FLOWS = _beyond_metas_own_form()
# Routes the mock does not imitate: an older address of the third-party form that no source shows working.
NOT_IMITATED = {("facebook", "third-party", "form-address-older")}


def routes() -> Iterator[tuple[str, str, str]]:
    for platform, flow in FLOWS:
        for route in load_flow(platform, flow=flow).routes:
            if (platform, flow, route.id) not in NOT_IMITATED:
                yield platform, flow, route.id


def only_route(flow: Flow, route_id: str) -> Flow:
    return flow.model_copy(update={"routes": [r for r in flow.routes if r.id == route_id]})


@pytest.mark.parametrize("lang", ["en", "fr"])
@pytest.mark.parametrize(("platform", "flow_name", "route_id"), list(routes()))
def test_each_route_reaches_its_place(
    mock_site: MockMeta,
    mock_tab: Page,
    vocabulary: Vocabulary,
    lang: str,
    platform: str,
    flow_name: str,
    route_id: str,
) -> None:
    mock_site.reset(Scenario(lang=lang))
    flow = only_route(load_flow(platform, vocabulary, flow=flow_name), route_id)
    walker = Walker(mock_tab, flow, vocabulary, Ui(interactive=False), Timeouts(step=5))
    if flow.kind == "setting":
        found_setting = walker.find_setting()
        assert found_setting.control.is_checked()  # on, as the platforms set it by default
    else:
        found_form = walker.find_form()
        assert found_form.submit.count() == 1
        spec = flow.form
        # Every field the flow names is on the form: the person's values have somewhere to go.
        assert (found_form.phone is not None) == (spec.phone is not None)
        assert (found_form.full_name is not None) == (spec.full_name is not None)
        assert (found_form.reason is not None) == (spec.reason is not None)
        assert len(found_form.left_to_person) == len(spec.left_to_person)
    assert mock_tab.locator("html").get_attribute("lang") == lang
    assert mock_site.posts() == []  # nothing sent, nothing switched
