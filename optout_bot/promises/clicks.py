"""The checks every click goes through, whatever a flow says: promises 1 and 3 enforced at the last moment.

A flow has no submit step and cannot name the Submit control's words; this makes sure that no click
(on a route, a cookie wall or a form question) can become a submission or a trip off the platform's domains
by accident — for instance when Meta dresses a submit button as a link.
"""

from __future__ import annotations

from playwright.sync_api import Locator

from optout_bot.domains import host_of, is_site_url, resolve_link
from optout_bot.errors import RefusedError
from optout_bot.i18n import _
from optout_bot.platforms import Site

# Controls that send their form when clicked: submit and image inputs, and a <button> that belongs to a form
# (inside it, or naming it with form=) unless it is type="button" or "reset" (a <button> without a type,
# or with an unknown one, submits). A click on anything inside such a button is a click on the button.
_SUBMITTERS = (
    "input[type=submit i]",
    "input[type=image i]",
    "form button:not([type=button i]):not([type=reset i])",
    "button[form]:not([type=button i]):not([type=reset i])",
)
_SENDS_A_FORM = ", ".join([*_SUBMITTERS, *(f"{submitter} *" for submitter in _SUBMITTERS[2:])])

# The element itself and every element around it.
_SELF_AND_ANCESTORS = "xpath=ancestor-or-self::*"

# Fields that carry something of the person's: anything typed or chosen, visible or not (the general objection
# form hides its email field until its first question is answered). A consent manager's own inputs are hidden
# ones and category switches (checkboxes, radios): not the person's.
_PERSONS_FIELDS = (
    "textarea, select, [contenteditable]:not([contenteditable=false i]), input:not([type=hidden i], "
    "[type=checkbox i], [type=radio i], [type=submit i], [type=image i], [type=button i], [type=reset i])"
)

# True if the form that the control `element` (or its button) submits can only be sending a cookie choice: it
# has no field of the person's and is not the form of the control only the person uses (`forbidden`). `.form` is
# the form a control submits, whether it is inside it or names it with form=; `.elements` counts the fields
# that name it too.
_SENDS_ONLY_A_COOKIE_CHOICE = """(element, {persons, forbidden}) => {
  const form = element.closest('button, input')?.form;
  if (!form) return false;
  const fields = [...form.elements, ...form.querySelectorAll('[contenteditable]')];
  if (fields.some((field) => field.matches(persons))) return false;
  return !forbidden.some((control) => form.contains(control) || control.form === form);
}"""

# The link a click on this element would follow, if it is (inside) one; and links inside it (a wrapper drawn
# as a link, `span role=link`, around an <a>: the click lands on the inner link).
_ITS_LINK = "xpath=ancestor-or-self::a[@href][1]"
_LINKS_INSIDE = "a[href], area[href]"

# These checks are selector queries on purpose: Playwright answers them in its own isolated world, where its
# code is already loaded, while a script evaluated in the page's world costs 40–90 ms on each new page — on
# every click of the walk the person waits through (scripts/bench.py).


def refuse_unsafe_click(target: Locator, site: Site, never: Locator | None = None, consent: bool = False) -> None:
    """RefusedError if clicking `target` could submit a form, switch a setting or follow a link off the site's domains.

    `never`: the elements the flow names as the control only the person uses (targets.never_clicked); a click on
    one of them, on what is inside one or on what contains one is refused whatever their tags. `consent`: the
    click answers a cookie wall (see _submits_the_objection).
    """
    page = target.page
    submitter = target.and_(page.locator(_SENDS_A_FORM))
    risky = submitter if never is None else submitter.or_(_touching(target, never))
    # The usual answer, "neither, and no link inside it", in one question to the browser; then only the link the
    # click would follow is left to ask. Anything else is told apart below.
    if not risky.or_(target.locator(_LINKS_INSIDE)).count():
        _refuse_unsafe_link(_its_link(target), page.url, site)
        return
    if never is not None and _touching(target, never).count():
        raise RefusedError(
            _(
                "a flow step pointed at the control only you may use (the form's Submit or the setting's switch); "
                "optout-bot never submits or switches, so it stopped. Please report this flow problem."
            )
        )
    if submitter.count() and _submits_the_objection(target, never, consent):
        raise RefusedError(
            _(
                "a flow step pointed at a control that would submit a form; optout-bot never submits, so it "
                "stopped. Please report this flow problem."
            )
        )
    _refuse_unsafe_links(target, page.url, site)


def _refuse_unsafe_links(target: Locator, base: str, site: Site) -> None:
    """RefusedError if the link the click would follow, or a link inside the element, leaves the site."""
    _refuse_unsafe_link(_its_link(target), base, site)
    inside = target.locator(_LINKS_INSIDE)
    for index in range(inside.count()):
        _refuse_unsafe_link(inside.nth(index).get_attribute("href"), base, site)


def _its_link(target: Locator) -> str | None:
    """The address of the link around the element if there is one, else its own `href` (none: no link). The first
    in document order, so one question to the browser, which never waits."""
    return target.locator(_ITS_LINK).or_(target).first.get_attribute("href")


def _refuse_unsafe_link(href: str | None, base: str, site: Site) -> None:
    """RefusedError for a link that leaves the site's domains or is no web address (`javascript:`, `data:`).

    The link is resolved as the browser resolves it (`/\\evil.example/` is another host to it)."""
    if href is None:  # no link: a plain button, a menu opener
        return
    destination = resolve_link(base, href)
    if destination.startswith(("https:", "http:")) and is_site_url(destination, site):
        return
    if destination.startswith(("https:", "http:")):
        raise RefusedError(
            _(
                "the link to follow leads to {host}, which is not one of {company}'s sites; optout-bot did not "
                "follow it and filled nothing. If you did not expect this, you may be looking at a phishing copy."
            ).format(host=host_of(destination), company=site.company)
        )
    raise RefusedError(
        _(
            "the link to follow is not a web address on {company}'s sites (it runs a script or opens something "
            "else); optout-bot did not follow it and filled nothing. Please report this page."
        ).format(company=site.company)
    )


def _touching(target: Locator, never: Locator) -> Locator:
    """`target` if it is one of `never`, is inside one, or contains one (what it touches of them, to count)."""
    inside = target.locator(_SELF_AND_ANCESTORS).and_(never)
    around = never.locator(_SELF_AND_ANCESTORS).and_(target)
    return inside.or_(around)


def _submits_the_objection(target: Locator, never: Locator | None, consent: bool) -> bool:
    """Whether a click on `target`, a control that submits a form, could submit the person's objection.

    Decided by what the form would send, not by where the control is: some consent managers draw their cookie
    buttons as <button>s of a <form>. Submitting a form that carries no field of the person's and is not the
    flow's own form (it holds no `never` control) sends only a cookie choice — allowed for the cookie wall's
    answers (`consent`) and nothing else: routes, questions and choices only ever navigate or pick, and a form
    whose fields are not drawn yet (React) must not be sent by them. This costs a script in the page's world,
    paid only on this rare path.
    """
    if not consent:
        return True
    forbidden = never.element_handles() if never is not None else []
    return not target.evaluate(_SENDS_ONLY_A_COOKIE_CHOICE, {"persons": _PERSONS_FIELDS, "forbidden": forbidden})


def click_safely(
    target: Locator, timeout_ms: float, site: Site, never: Locator | None = None, consent: bool = False
) -> None:
    refuse_unsafe_click(target, site, never, consent)
    # A tab behind another one does not draw, and a click waits for the element to be drawn (stable): if the
    # person went to another tab meanwhile, the tool's tab comes back to the front first, or the walk stalls.
    if target.page.evaluate("document.visibilityState") == "hidden":
        target.page.bring_to_front()
    target.click(timeout=timeout_ms)
