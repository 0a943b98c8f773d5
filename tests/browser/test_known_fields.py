"""The fields a proof reads from the person's submission (walk/submitted.py): the flow's, in the page's order."""

from __future__ import annotations

from playwright.sync_api import Page, Route

from optout_bot.walk.submitted import known_fields
from optout_bot.walk.walker import FoundForm

FORM = "https://help.instagram.com/contact/767264225370182"
HTML = """<!DOCTYPE html><html><body><form method="post">
<label for="r">How this affects you</label><textarea id="r" name="reason"></textarea>
<label for="c">Country</label><select id="c" name="country"><option value="FR">France</option></select>
<label for="p">Password</label><input id="p" type="password" name="pass">
<label for="e">Email address</label><input id="e" type="email" name="email">
<button type="submit">Submit</button></form></body></html>"""


def test_the_known_fields_come_in_the_pages_order_and_a_password_is_never_among_them(page: Page) -> None:
    page.route(FORM, lambda route: _serve(route))
    page.goto(FORM)
    form = FoundForm(
        url=FORM,
        route="test",
        email=page.locator("#e"),
        country=page.locator("#c"),
        reason=page.locator("#r"),
        submit=page.get_by_role("button", name="Submit"),
        left_to_person=[page.locator("#p")],  # as if a flow named it: still never read
    )

    fields = known_fields(form)

    assert [(field.name, field.label) for field in fields] == [
        ("reason", "How this affects you"),
        ("country", "Country"),
        ("email", "Email address"),
    ]
    assert fields[1].shown("FR") == "France"


def _serve(route: Route) -> None:
    route.fulfill(status=200, content_type="text/html", body=HTML)
