"""Issue 14, hole 6: a flow can describe a submit, or a switch.

`flows check` must refuse every clicked target of a flow (route clicks, the cookie wall's answers, the form's
questions and choice) that names the Submit control's or the setting's words, or that is a bare role; and at
run time, whatever the flow says, a click on the element it names as the Submit control or the setting's switch
is refused, whatever that element's tag — while a cookie wall drawn as a <form> of buttons is still answered.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, Route

from optout_bot.errors import RefusedError
from optout_bot.flows import Flow, Target, Vocabulary, load_flow
from optout_bot.flows.model import ClickStep, ConsentSpec, GotoStep, Question
from optout_bot.mock_site import MockMeta, Scenario
from optout_bot.platforms import META
from optout_bot.promises.clicks import click_safely
from optout_bot.settings.options import Timeouts
from optout_bot.ui import Ui
from optout_bot.walk.targets import never_clicked
from optout_bot.walk.walker import Walker
from tests.e2e.cli import Home, run_cli

FLOWS = Path(__file__).resolve().parents[2] / "flows"

# --- at load: `optout-bot flows check` ----------------------------------------------------------------------

# (flow file, text in it, replacement): each makes one clicked target unsafe.
BAD_TARGETS = {
    "cookie decline names Submit": (
        "facebook.yaml", "decline: {role: button, name: cookie_decline}", "decline: {role: button, name: submit_button}"
    ),
    "cookie accept is a bare button": (
        "instagram.yaml", "accept: {role: button, name: cookie_accept}", "accept: {role: button}"
    ),
    "question answered with Submit": (
        "facebook.yaml", "answer: {role: radio, name: yes_answer, exact: true}", "answer: {text: submit_button}"
    ),
    "choice is Submit": (
        "facebook-third-party.yaml", "choice: {role: radio, name: object_or_restrict}",
        "choice: {role: button, label: submit_button}",
    ),
    "route clicks a bare switch": (
        "linkedin.yaml", "click: {role: link, name: data_privacy}", "click: {role: switch}"
    ),
    "route clicks a bare checkbox": (
        "x.yaml", "click: {role: link, name: privacy_and_safety}", "click: {role: checkbox}"
    ),
    "route clicks the switch's words": (
        "linkedin.yaml", "click: {role: link, name: data_privacy}", "click: {text: li_ai_switch}"
    ),
}  # fmt: skip


def _variant(tmp_path: Path, name: str, old: str, new: str) -> Path:
    text = (FLOWS / name).read_text(encoding="utf-8")
    assert old in text, f"test setup: {old!r} not in {name}"
    path = tmp_path / name
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


@pytest.mark.parametrize(("name", "old", "new"), BAD_TARGETS.values(), ids=BAD_TARGETS.keys())
def test_flows_check_refuses_every_unsafe_click_target(
    tmp_path: Path, home: Home, name: str, old: str, new: str
) -> None:
    path = _variant(tmp_path, name, old, new)
    line = next(n for n, text in enumerate(path.read_text().splitlines(), start=1) if new in text)
    result = run_cli(home, "flows", "check", str(path), timeout=60)
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    assert re.search(rf"{re.escape(path.name)}:{line}: \S+: ", result.stderr), result.stderr


def test_the_bundled_flows_pass_the_new_checks(home: Home) -> None:
    result = run_cli(home, "flows", "check", timeout=60)
    assert result.returncode == 0, result.stderr


# --- at run time: pages served in-process, every request recorded ---------------------------------------------

FORM_URL = "https://www.facebook.com/help/contact/712876720715583"
HEADING = "<h2>Object to your information being used for AI at Meta</h2>"
# Submit drawn as React draws it: a div acting as a button, sending its form by script.
DIV_SUBMIT = '<div role="button" tabindex="0" onclick="this.closest(\'form\').requestSubmit()">Submit</div>'
EMAIL = '<label>Email address <input type="email" name="email" value="jane@example.com"></label>'
FORM_WITH_DIV_SUBMIT = f'{HEADING}<form method="post">{EMAIL}{DIV_SUBMIT}</form>'
# The general form's first question, with the Submit already drawn and the email field still to come.
QUESTION_WITH_DIV_SUBMIT = (
    f'{HEADING}<form method="post"><p>Is your request about AI at Meta?</p>'
    f'<input type="hidden" name="ai_request" value="yes">{DIV_SUBMIT}</form>'
)
# A consent manager's wall: a <form> whose buttons have no type (so they submit it), sent by its own script.
CONSENT_FORM = (
    '<div role="dialog" id="wall"><form method="post" action="/consent/" '
    'onsubmit="event.preventDefault(); document.body.dataset.consent = event.submitter.value; '
    "document.getElementById('wall').remove()\">"
    '<button name="c" value="declined">Decline optional cookies</button>'
    '<button name="c" value="accepted">Allow all cookies</button></form></div>'
)


@dataclass
class Served:
    page: Page
    posts: list[str] = field(default_factory=list)


Serve = Callable[[dict[str, str]], Served]


@pytest.fixture
def serve(browser: Browser) -> Iterator[Serve]:
    """A page on which each address answers with its HTML; every POST is recorded (and answered)."""
    contexts = []

    def open_site(pages: dict[str, str]) -> Served:
        context = browser.new_context()
        contexts.append(context)
        served = Served(context.new_page())

        def answer(route: Route) -> None:
            if route.request.method != "GET":
                served.posts.append(route.request.url)
            body = pages.get(route.request.url)
            route.fulfill(status=200 if body else 404, content_type="text/html", body=body or "not found")

        context.route("**/*", answer)
        return served

    yield open_site
    for context in contexts:
        context.close()


def _walker(page: Page, flow: Flow, vocabulary: Vocabulary) -> Walker:
    return Walker(page, flow, vocabulary, Ui(interactive=False), Timeouts(step=2, login=2, user=2))


def _facebook_form_flow(vocabulary: Vocabulary, **form_update: object) -> Flow:
    """Facebook's flow reduced to its 2025 form address; `form_update` replaces parts of its form (no checks)."""
    flow = load_flow("facebook", vocabulary)
    assert flow.form is not None
    routes = [route for route in flow.routes if route.id == "form-address-2025"]
    return flow.model_copy(update={"routes": routes, "form": flow.form.model_copy(update=form_update)})


SUBMIT_TARGET = Target(role="button", name="submit_button", exact=True)


def test_a_cookie_decline_pointed_at_a_div_submit_is_refused(serve: Serve, vocabulary: Vocabulary) -> None:
    site = serve({FORM_URL: FORM_WITH_DIV_SUBMIT})
    flow = _facebook_form_flow(vocabulary)
    flow = flow.model_copy(update={"consent": ConsentSpec(decline=SUBMIT_TARGET, accept=SUBMIT_TARGET)})
    with pytest.raises(RefusedError):
        _walker(site.page, flow, vocabulary).find_form()
    site.page.wait_for_timeout(300)  # a submission, had there been one, reaches the route by now
    assert site.posts == []


def test_a_question_answered_with_a_div_submit_is_refused(serve: Serve, vocabulary: Vocabulary) -> None:
    site = serve({FORM_URL: QUESTION_WITH_DIV_SUBMIT})
    flow = _facebook_form_flow(vocabulary, questions=[Question(question="ai_question", answer=SUBMIT_TARGET)])
    with pytest.raises(RefusedError):
        _walker(site.page, flow, vocabulary).find_form()
    site.page.wait_for_timeout(300)
    assert site.posts == []


def test_a_choice_pointed_at_a_div_submit_is_refused(serve: Serve, vocabulary: Vocabulary) -> None:
    site = serve({FORM_URL: FORM_WITH_DIV_SUBMIT})
    with pytest.raises(RefusedError):
        _walker(site.page, _facebook_form_flow(vocabulary, choice=Target(text="submit_button")), vocabulary).find_form()
    site.page.wait_for_timeout(300)
    assert site.posts == []


def test_a_cookie_wall_drawn_as_a_form_of_buttons_is_still_answered(serve: Serve, vocabulary: Vocabulary) -> None:
    site = serve({FORM_URL: CONSENT_FORM + f'{HEADING}<form method="post">{EMAIL}<button>Submit</button></form>'})
    found = _walker(site.page, _facebook_form_flow(vocabulary), vocabulary).find_form()
    assert found.email.input_value() == "jane@example.com"
    assert site.page.evaluate("document.body.dataset.consent") == "declined"
    assert site.posts == []


def test_a_cookie_button_in_a_form_with_the_persons_fields_is_refused(serve: Serve, vocabulary: Vocabulary) -> None:
    # A "cookie" answer that would send a form carrying the person's email is not a cookie answer.
    wall = CONSENT_FORM.replace("<button", f"{EMAIL}<button", 1)
    site = serve({FORM_URL: wall + FORM_WITH_DIV_SUBMIT})
    with pytest.raises(RefusedError, match="would submit a form"):
        _walker(site.page, _facebook_form_flow(vocabulary), vocabulary).find_form()
    assert site.posts == []


def test_a_route_clicking_linkedins_switch_is_refused(
    mock_site: MockMeta, mock_browser: Browser, vocabulary: Vocabulary
) -> None:
    mock_site.reset(Scenario())
    flow = load_flow("linkedin", vocabulary)
    address = next(step for route in flow.routes for step in route.steps if isinstance(step, GotoStep))
    route = flow.routes[0].model_copy(update={"steps": [address, ClickStep(click=Target(role="switch"))]})
    flow = flow.model_copy(update={"routes": [route]})
    context = mock_browser.new_context(ignore_https_errors=True)
    try:
        page = context.new_page()
        with pytest.raises(RefusedError):
            _walker(page, flow, vocabulary).find_setting()
        page.wait_for_timeout(300)
    finally:
        context.close()
    assert mock_site.setting("linkedin") is True
    assert mock_site.posts() == []


NEAR_SUBMIT = {"the control": "#submit", "text inside it": "#submit b", "a box around it": "#box"}


@pytest.mark.parametrize("selector", NEAR_SUBMIT.values(), ids=NEAR_SUBMIT.keys())
def test_no_click_touches_the_control_the_flow_names(serve: Serve, vocabulary: Vocabulary, selector: str) -> None:
    html = '<div id="box"><div role="button" id="submit"><b>Submit</b></div></div><div role="button" id="ok">More</div>'
    site = serve({"https://www.facebook.com/": html})
    site.page.goto("https://www.facebook.com/")
    never = never_clicked(site.page, _facebook_form_flow(vocabulary), vocabulary)
    with pytest.raises(RefusedError, match="only you may use"):
        click_safely(site.page.locator(selector), 1500, META, never)
    click_safely(site.page.locator("#ok"), 1500, META, never)  # any other control is clicked
