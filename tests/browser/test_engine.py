"""The walker's guards, one page at a time (pages served in-process with `context.route`).

The end-to-end tests drive the real command against the mock site; these pin down what the walker does
on pages built to provoke one rule each: never click a submit control, never leave Meta's domains, say
when the objection is not offered, and fall back to the next route when a step is not found.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from playwright.sync_api import Browser, Page, Route

from optout_bot.errors import NotOfferedError, RefusedError
from optout_bot.flows import Flow, Vocabulary, load_flow
from optout_bot.flows.model import Route as FlowRoute
from optout_bot.platforms import META, site_of
from optout_bot.promises.clicks import click_safely
from optout_bot.settings.options import Timeouts
from optout_bot.ui import Ui
from optout_bot.walk.walker import FormNotFound, Walker

Serve = Callable[[dict[str, str]], Page]
PRIVACY_CENTER_LINK = '<a href="https://privacycenter.instagram.com/">Privacy Center</a>'
FORM_ADDRESS = "https://www.facebook.com/help/contact/712876720715583"

FORM = """<h2>Object to your information being used for AI at Meta</h2><form method="post">
<label>Email address <input type="email" name="email" value="jane@example.com"></label>
<button type="submit">Submit</button></form>"""


@pytest.fixture
def serve(browser: Browser) -> Iterator[Serve]:
    """Open a page on which each address in `pages` answers with its HTML; everything else is a 404."""
    contexts = []

    def open_site(pages: dict[str, str]) -> Page:
        context = browser.new_context()
        contexts.append(context)

        def answer(route: Route) -> None:
            body = pages.get(route.request.url)
            if route.request.method != "GET":
                raise AssertionError(f"the walker sent a {route.request.method} to {route.request.url}")
            route.fulfill(status=200 if body else 404, content_type="text/html", body=body or "not found")

        context.route("**/*", answer)
        return context.new_page()

    yield open_site
    for context in contexts:
        context.close()


def walker(page: Page, flow: Flow, vocabulary: Vocabulary) -> Walker:
    return Walker(page, flow, vocabulary, Ui(interactive=False), Timeouts(step=1.5, login=2, user=2))


def one_route_flow(platform: str, vocabulary: Vocabulary, route_id: str = "settings-privacy-center") -> Flow:
    flow = load_flow(platform, vocabulary)
    return flow.model_copy(update={"routes": [r for r in flow.routes if r.id == route_id]})


def test_the_walker_refuses_to_click_a_submit_button_a_flow_points_at(serve: Serve, vocabulary: Vocabulary) -> None:
    # The "object" link here is really a submit button dressed as a link: clicking it would post the form.
    page = serve(
        {
            "https://www.instagram.com/": '<div role="button">More</div><a href="/accounts/edit/">Settings</a>',
            "https://www.instagram.com/accounts/edit/": PRIVACY_CENTER_LINK,
            "https://privacycenter.instagram.com/": '<form method="post"><button role="link">object</button></form>',
        }
    )
    flow = load_flow("instagram", vocabulary)
    flow = flow.model_copy(
        update={
            "routes": [flow.routes[0].model_copy(update={"steps": flow.routes[0].steps[:1] + flow.routes[0].steps[2:]})]
        }
    )
    with pytest.raises(RefusedError, match="would submit a form"):
        walker(page, flow, vocabulary).find_form()


UNSAFE_CONTROLS = {
    "submit input": '<form method="post"><input type="submit" value="go" id="it"></form>',
    "image input": '<form method="post"><input type="image" alt="go" id="it"></form>',
    "button without a type, in a form": '<form method="post"><button id="it">go</button></form>',
    "button of an unknown type, in a form": '<form method="post"><button type="go" id="it">go</button></form>',
    "text inside a submit button": '<form method="post"><button type="submit"><span id="it">go</span></button></form>',
    "button naming its form": '<form id="f" method="post"></form><button form="f" id="it">go</button>',
    "link off Meta's domains": '<a href="https://pc-help.example/x" id="it">go</a>',
    "text inside such a link": '<a href="https://pc-help.example/x"><b id="it">go</b></a>',
}
# Clicked: the page records the click in the address (a link goes there; the others add #clicked).
SAFE_CONTROLS = {
    "a type=button button in a form": '<form method="post"><button type="button" id="it">go</button></form>',
    "a button outside any form": '<button id="it">go</button>',
    "a relative link": '<a href="/privacy/center/#clicked" id="it">go</a>',
    "text inside a link to Meta": '<a href="https://www.facebook.com/privacy/center/#clicked"><b id="it">go</b></a>',
    "an element that is no link or button": '<div role="button" id="it">go</div>',
}


@pytest.mark.parametrize("html", UNSAFE_CONTROLS.values(), ids=UNSAFE_CONTROLS.keys())
def test_no_click_can_submit_a_form_or_leave_metas_domains(serve: Serve, html: str) -> None:
    page = serve({"https://www.facebook.com/": html})
    page.goto("https://www.facebook.com/")
    with pytest.raises(RefusedError, match=r"would submit a form|not one of Meta's sites"):
        click_safely(page.locator("#it"), 1500, META)


@pytest.mark.parametrize("html", SAFE_CONTROLS.values(), ids=SAFE_CONTROLS.keys())
def test_other_controls_are_clicked(serve: Serve, html: str) -> None:
    page = serve({"https://www.facebook.com/": html, "https://www.facebook.com/privacy/center/": "ok"})
    page.goto("https://www.facebook.com/")
    page.evaluate("document.getElementById('it').onclick = () => { location.hash = 'clicked'; }")
    click_safely(page.locator("#it"), 1500, META)
    page.wait_for_url("**#clicked", timeout=1500)


def test_each_platforms_walk_is_confined_to_its_own_site(serve: Serve) -> None:
    # A link to Meta is off-site for LinkedIn's walk: the site comes from the code (platforms.site_of).
    page = serve({"https://www.linkedin.com/feed/": '<a href="https://www.facebook.com/" id="it">go</a>'})
    page.goto("https://www.linkedin.com/feed/")
    with pytest.raises(RefusedError, match=r"www\.facebook\.com, which is not one of LinkedIn's sites"):
        click_safely(page.locator("#it"), 1500, site_of("linkedin"))
    assert page.url == "https://www.linkedin.com/feed/"


def test_a_link_off_metas_domains_is_not_followed(serve: Serve, vocabulary: Vocabulary) -> None:
    page = serve(
        {
            "https://www.facebook.com/privacy/center/": '<a href="https://pc-help.example/">Privacy topics</a>',
        }
    )
    flow = one_route_flow("facebook", vocabulary, "privacy-topics-ai-at-meta")
    with pytest.raises(RefusedError, match=r"pc-help\.example, which is not one of Meta's sites"):
        walker(page, flow, vocabulary).find_form()


def test_a_not_offered_notice_stops_the_walk(serve: Serve, vocabulary: Vocabulary) -> None:
    page = serve(
        {"https://www.facebook.com/": "<p>This form is only available in certain regions.</p>"},
    )
    with pytest.raises(NotOfferedError, match="only available in certain regions"):
        walker(page, one_route_flow("facebook", vocabulary), vocabulary).find_form()


def test_when_the_walk_fails_the_next_route_is_tried_and_the_form_recognised(
    serve: Serve, vocabulary: Vocabulary, capsys: pytest.CaptureFixture[str]
) -> None:
    page = serve(
        {
            "https://www.facebook.com/": "<p>Meta changed this page</p>",
            "https://www.facebook.com/privacy/center/": "<p>and this one</p>",
            "https://www.facebook.com/help/contact/712876720715583": FORM,
        }
    )
    found = walker(page, load_flow("facebook", vocabulary), vocabulary).find_form()
    assert found.route == "form-address-2025"
    assert found.email.input_value() == "jane@example.com"
    assert found.country is None  # this version of the form has no country field
    outcomes = [(t.route, t.outcome.split(":")[0]) for t in found.trail]
    assert ("settings-privacy-center", "failed") in outcomes and ("privacy-topics-ai-at-meta", "failed") in outcomes
    assert ("settings-privacy-policy", "skipped") in outcomes
    # The person reads each step as it starts, and each change of way in plain words (no technical reasons).
    shown = capsys.readouterr().out.splitlines()
    assert shown == [
        "[1/5] Opening Facebook…",
        "[2/5] Opening Settings…",  # the menus on the way are part of this step
        "That way led nowhere; trying another way (way 2 of 6)…",
        "[1/5] Opening the Privacy Center…",
        "[2/5] Opening Privacy topics…",
        "That way led nowhere; trying another way (way 3 of 6)…",
        "[1/3] Opening the Privacy Policy…",
        "[2/3] Opening the objection form…",
        # The 4th route begins as the 1st, whose "Settings" menu was not on the settled home page: not tried again.
        "That way led nowhere; trying another way (way 5 of 6)…",
        "[1/2] Opening the objection form…",
    ]


def test_a_page_with_the_heading_but_not_the_form_is_not_taken_for_it(serve: Serve, vocabulary: Vocabulary) -> None:
    page = serve(
        {
            "https://www.facebook.com/help/contact/712876720715583": FORM.split("<form")[0],
        }
    )
    with pytest.raises(FormNotFound) as missing:
        walker(page, one_route_flow("facebook", vocabulary, "form-address-2025"), vocabulary).find_form()
    assert missing.value.trail[-1].outcome == "failed: the page has the form's heading but no email field"


PRIVACY_CENTER = "https://www.facebook.com/privacy/center/"


def two_routes_from(
    vocabulary: Vocabulary, start: str, lost: list[dict[str, object]], found: dict[str, object]
) -> Flow:
    """Facebook's flow with two routes from `start`: the first clicks `lost` (the last one is not on the page), the
    second clicks `found` (which leads to the form)."""
    flow = load_flow("facebook", vocabulary)
    routes = [
        FlowRoute.model_validate(
            {"id": name, "source": "test", "steps": [{"goto": start}, *({"click": c} for c in clicks)]},
            context={"site": META},
        )
        for name, clicks in (("lost", lost), ("found", [found]))
    ]
    return flow.model_copy(update={"routes": routes})


def document_loads(page: Page, url: str) -> list[str]:
    loads: list[str] = []
    page.on("request", lambda request: loads.append(request.url) if request.url == url else None)
    return loads


def test_a_route_from_the_page_where_the_last_one_lost_its_way_goes_on_from_there(
    serve: Serve, vocabulary: Vocabulary
) -> None:
    # Nothing was clicked on the Privacy Center: the next route's "goto" is where the tab is; no second page load.
    page = serve({PRIVACY_CENTER: '<a href="/help/contact/712876720715583">object</a>', FORM_ADDRESS: FORM})
    loads = document_loads(page, PRIVACY_CENTER)
    lost = [{"role": "link", "name": "privacy_topics"}]
    flow = two_routes_from(vocabulary, PRIVACY_CENTER, lost, {"role": "link", "name": "object_link", "exact": True})
    found = walker(page, flow, vocabulary).find_form()
    assert found.route == "found"
    assert len(loads) == 1
    assert next(entry.outcome for entry in found.trail if entry.route == "found").startswith("ok (already there")


def test_a_page_the_walk_clicked_on_is_opened_again_for_the_next_route(serve: Serve, vocabulary: Vocabulary) -> None:
    # A menu was opened on the home page by the first route: the second one starts from a fresh load of it.
    home = '<div role="button">Your profile</div><a href="/help/contact/712876720715583">object</a>'
    page = serve({"https://www.facebook.com/": home, FORM_ADDRESS: FORM})
    loads = document_loads(page, "https://www.facebook.com/")
    lost = [{"role": "button", "name": "your_profile"}, {"role": "button", "name": "settings_and_privacy"}]
    found = {"role": "link", "name": "object_link", "exact": True}
    flow = two_routes_from(vocabulary, "https://www.facebook.com/", lost, found)
    assert walker(page, flow, vocabulary).find_form().route == "found"
    assert len(loads) == 2


PRIVACY_TOPICS = "https://www.facebook.com/privacy/topics/"
PRIVACY_POLICY = "https://www.facebook.com/privacy/policy/"


def test_where_a_route_lost_its_way_the_route_whose_next_control_is_there_and_nearest_the_place_goes_on_first(
    serve: Serve, vocabulary: Vocabulary
) -> None:
    # The Privacy Center lost its "object" link (the first route's last step) but shows two other routes' next
    # controls: the walk goes on from this settled page, by the one with fewer steps left to the place, without
    # a page (and a wait for it to settle) down the longer way, and without loading the Privacy Center again.
    center = '<a href="/privacy/topics/">Privacy topics</a> <a href="/privacy/policy/">Privacy Policy</a>'
    policy = '<section><h2>Your right to object</h2>\n<a href="/help/contact/712876720715583">object</a></section>'
    page = serve({PRIVACY_CENTER: center, PRIVACY_TOPICS: "<p>Nothing here</p>", PRIVACY_POLICY: policy,
                  FORM_ADDRESS: FORM})  # fmt: skip
    loads = {url: document_loads(page, url) for url in (PRIVACY_CENTER, PRIVACY_TOPICS)}
    flow = load_flow("facebook", vocabulary)
    steps = {
        "lost": [{"role": "link", "name": "object_link", "exact": True}],
        "farther": [
            {"role": "link", "name": "privacy_topics"},
            {"role": "link", "name": "ai_at_meta"},
            {"role": "link", "name": "submit_objection"},
        ],
        "nearer": [
            {"role": "link", "name": "privacy_policy"},
            {"role": "link", "name": "object_link", "exact": True, "within": "right_to_object"},
        ],
    }
    routes = [
        FlowRoute.model_validate(
            {"id": name, "source": "test", "steps": [{"goto": PRIVACY_CENTER}, *({"click": c} for c in clicks)]},
            context={"site": META},
        )
        for name, clicks in steps.items()
    ]
    found = walker(page, flow.model_copy(update={"routes": routes}), vocabulary).find_form()
    assert found.route == "nearer"
    assert found.url == FORM_ADDRESS
    assert (len(loads[PRIVACY_CENTER]), len(loads[PRIVACY_TOPICS])) == (1, 0)


def test_a_route_that_could_go_on_from_a_page_the_walk_has_since_left_starts_again_from_its_beginning(
    serve: Serve, vocabulary: Vocabulary
) -> None:
    # From Settings (where "lost" missed its "object" link) two routes could go on; the nearer one ends on a
    # Privacy Policy without the link. The other must not then take its next step on that page, as if the tab
    # were still on Settings: it walks its whole way again, and reaches the form.
    home = "https://www.facebook.com/"
    settings = "https://www.facebook.com/settings/"
    page = serve(
        {
            home: '<a href="/settings/">Settings</a>',
            settings: '<a href="/privacy/policy/">Privacy Policy</a> <a href="/privacy/topics/">Privacy topics</a>',
            PRIVACY_POLICY: "<p>Nothing to object to here</p>",
            PRIVACY_TOPICS: '<a href="/help/contact/712876720715583">AI at Meta</a>',
            FORM_ADDRESS: FORM,
        }
    )
    flow = load_flow("facebook", vocabulary)
    to_settings = {"role": "link", "name": "settings", "exact": True}
    steps = {
        "lost": [to_settings, {"role": "link", "name": "object_link", "exact": True}],
        "nearer": [to_settings, {"role": "link", "name": "privacy_policy"}, {"role": "link", "name": "object_link"}],
        "farther": [
            to_settings,
            {"role": "link", "name": "privacy_topics"},
            {"role": "link", "name": "ai_at_meta"},
            {"role": "link", "name": "object_link"},
        ],
    }
    routes = [
        FlowRoute.model_validate(
            {"id": name, "source": "test", "steps": [{"goto": home}, *({"click": c} for c in clicks)]},
            context={"site": META},
        )
        for name, clicks in steps.items()
    ]
    found = walker(page, flow.model_copy(update={"routes": routes}), vocabulary).find_form()
    assert found.route == "farther"
