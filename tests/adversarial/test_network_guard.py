"""Issue 14, holes 2 and 5: a form that sends itself as the tool fills it, a page that changes under the tool.

The real command, attached to the person's browser, on the mock site with hostile form pages. What counts is
what the server received: no form posted, no request carrying the typed email, nothing typed into another page.
"""

from __future__ import annotations

from urllib.parse import unquote_plus

import pytest

from optout_bot.mock_site import MockMeta, Scenario
from optout_bot.mock_site.site import LOOKALIKE_HOST
from tests.e2e.cli import FAST, Home, finish, run_cli, start_cli
from tests.e2e.conftest import form_posts, submit_as_person
from tests.e2e.person import READY, Person

EMAIL = Scenario().account_email
REASON = "My photos are my own"
# Every field the form has, typed by the tool: the email (the one Meta pre-fills), the country, the reason.
FILLED = ("--platform", "facebook", "--email", EMAIL, "--country", "FR", "--reason", REASON, *FAST)


def carrying_typed_values(site: MockMeta) -> list[str]:
    """Every request the server received with the email or the reason in its address or body."""
    found = []
    for request in site.requests:
        seen = unquote_plus(f"{request.query} {request.body}").casefold()
        if EMAIL in seen or REASON.casefold() in seen:
            found.append(f"{request.method} {request.host}{request.path}")
    return found


def dry_run(home: Home, cdp: str) -> tuple[int, str, str]:
    result = run_cli(home, "run", "--cdp", cdp, "--dry-run", *FILLED)
    return result.returncode, result.stdout, result.stderr


def assert_stopped_saying_so(code: int, out: str, err: str) -> None:
    assert code == 9, out + err
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "tried to send" in lines[0] and "nothing was sent" in lines[0], err
    assert "the form is ready" not in out


# Hole 2: the tool's own filling must never send the form ---------------------------------------------------

SENDS_ITSELF = [
    Scenario(auto_submit_on="input", auto_submit_by="submit"),
    Scenario(auto_submit_on="change", auto_submit_by="request_submit"),
    Scenario(auto_submit_on="change", auto_submit_by="fetch"),
    Scenario(auto_submit_on="country", auto_submit_by="submit"),
    Scenario(auto_submit_on="country", auto_submit_by="fetch"),
]


@pytest.mark.parametrize("scenario", SENDS_ITSELF, ids=[f"{s.auto_submit_on}-{s.auto_submit_by}" for s in SENDS_ITSELF])
def test_a_form_that_sends_itself_while_filled_is_never_sent_and_the_tool_stops(
    scenario: Scenario, site: MockMeta, home: Home, cdp: str, person: Person
) -> None:
    site.reset(scenario)
    code, out, err = dry_run(home, cdp)

    assert form_posts(site) == []
    assert carrying_typed_values(site) == []
    assert_stopped_saying_so(code, out, err)


@pytest.mark.parametrize("leak", ["fetch", "beacon"])
def test_a_page_that_reports_the_typed_email_in_the_background_never_gets_it_out(
    leak: str, site: MockMeta, home: Home, cdp: str, person: Person
) -> None:
    site.reset(Scenario(leak_email_by=leak))  # type: ignore[arg-type]
    code, out, err = dry_run(home, cdp)

    assert carrying_typed_values(site) == []
    assert_stopped_saying_so(code, out, err)


def test_the_persons_own_submit_still_goes_through_after_the_hand_over(
    site: MockMeta, home: Home, cdp: str, person: Person
) -> None:
    tool = start_cli(home, "run", "--cdp", cdp, *FILLED)
    tab = person.tool_tab(tool, banner_text=READY)
    submit_as_person(tab, site)
    code, _out, err = finish(tool)

    assert code == 0, err
    (post,) = form_posts(site)
    assert post == "www.facebook.com/help/contact/712876720715583"


# Hole 5: never type into a page that changed under the tool ------------------------------------------------


@pytest.mark.parametrize("where", ["meta", "off_site"])
def test_a_page_that_navigates_while_filled_gets_nothing_typed_and_the_tool_stops(
    where: str, site: MockMeta, home: Home, cdp: str, person: Person
) -> None:
    site.reset(Scenario(navigate_after_fill=where))  # type: ignore[arg-type]
    code, out, err = dry_run(home, cdp)

    second_page = [r for r in site.requests if "changed=1" in r.query or r.host == LOOKALIKE_HOST]
    assert second_page == []  # the browser never even asked for it
    assert carrying_typed_values(site) == []
    for tab in person.context.pages:  # nothing of the person's was typed anywhere else
        assert "changed=1" not in tab.url and LOOKALIKE_HOST not in tab.url
    assert code == 9, out + err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1, err
    assert "the form is ready" not in out
