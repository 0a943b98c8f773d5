"""What each address answers in the scenario being played: pages, logins and their checks, forms and codes,
and the AI-training settings of LinkedIn and X, which the page saves by script.

`respond()` takes one request to a known address and decides, in this order: whether a scramble moved the
form away from (or to) this address, the login itself (login
page, checkpoint, two-factor), whether the person must log in (again) first, a redesigned site, and then
the page, which the scenario may replace with a notice, a redirect or another form.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable, Mapping
from urllib.parse import parse_qs, urlencode

from optout_bot.mock_site import pages
from optout_bot.mock_site.declared import DeclaredPage
from optout_bot.mock_site.messages import (
    Response,
    async_payload,
    first,
    html_page,
    json_response,
    method_not_allowed,
    not_found,
    redirect,
)
from optout_bot.mock_site.scenario import Scenario
from optout_bot.mock_site.site import (
    FACEBOOK,
    GENERAL_FORM,
    LOOKALIKE_HOST,
    LOOKALIKE_OBJECT_URL,
    MOVED_GENERAL_FORM,
    MOVED_OWN_FORM,
    POST_PAGES,
    THIRD_PARTY_FORM,
    Check,
    PageName,
    Visit,
)

_YEAR = 365 * 24 * 3600  # Meta's session cookies last about a year, so a saved browser profile stays logged in
_CODE = re.compile(r"\d{6}")  # login codes and the code after Submit: any 6 digits


def respond(visit: Visit) -> Response:
    name = visit.page.name
    if not _served_here(visit):
        return not_found()
    if name in _SIGN_IN:
        return _SIGN_IN[name](visit)
    gate = _login_gate(visit)
    if gate is not None:
        return gate
    if visit.scenario.layout == "changed" and visit.host.meta:
        return _redesigned(visit)
    if visit.request.method == "POST" and name not in POST_PAGES:
        return method_not_allowed()
    return _PAGES[name](visit)


def _served_here(visit: Visit) -> bool:
    """The objection and general forms' addresses are served unless Scenario.scramble "drop_form_addresses"
    dropped them (the known ones) or does not play (the moved ones, which the plain site never served). The
    third-party form keeps its address: it is another opt-out's."""
    if visit.page.name not in ("own_form", "general_form") or not visit.host.genuine:
        return True
    dropped = visit.scrambled("drop_form_addresses")
    return visit.page.address == ("moved" if dropped else "known")


def _own_form_id(visit: Visit) -> str:
    """The own form the site's links name: the first known address, or its new one once the known ones died."""
    return MOVED_OWN_FORM if visit.scrambled("drop_form_addresses") else visit.platform.own_forms[0]


def _general_form_id(visit: Visit) -> str:
    return MOVED_GENERAL_FORM if visit.scrambled("drop_form_addresses") else GENERAL_FORM


def _page(visit: Visit, extra: Mapping[str, str] | None = None) -> Response:
    return html_page(200, pages.render(visit, visit.page.template, visit.page.title, extra))


def _texts(visit: Visit) -> dict[str, str]:
    return pages.texts(visit)


# --- logging in -----------------------------------------------------------------------------------------


def _login_gate(visit: Visit) -> Response | None:
    """Send the person to log in: when the page needs a login they lack, or (`relogin_at`, on Meta's hosts
    only) the first time they reach that path, even logged in — the server then forgets their login."""
    if not visit.host.genuine or not visit.platform.accounts:
        return None  # the look-alike and WhatsApp's web pages have no login
    if not visit.logged_in:
        return _to_login(visit)
    prefix = visit.scenario.relogin_at
    if (
        prefix
        and visit.host.meta
        and visit.request.method == "GET"
        and visit.request.path.startswith(prefix)
        and visit.state.relogin_once(visit.platform.name, visit.session_token)
    ):
        return _to_login(visit)
    return None


def _to_login(visit: Visit) -> Response:
    """The platform's login page, told where to return: Meta's `next`, LinkedIn's `session_redirect`, X's
    `redirect_after_login`."""
    platform = visit.platform
    return redirect(f"{platform.login_url}?{urlencode({platform.next_param: visit.url})}", visit.request.method)


def _login(visit: Visit) -> Response:
    """Any non-empty login is accepted; then the scenario's checks, then back to where the login was asked."""
    if visit.request.method != "POST":
        return _page(visit, {"error": ""})
    user_field, password_field = visit.platform.login_fields
    form = visit.request.form
    if not first(form, user_field) or not first(form, password_field):
        return _page(visit, {"error": pages.fill("login_error", _texts(visit))})
    token = visit.state.start_login(visit.platform.name, list(_checks(visit)))
    cookies = tuple(("Set-Cookie", cookie) for cookie in _session_cookies(visit, token))
    return redirect(_after(visit, None), "POST", cookies)


def _session_cookies(visit: Visit, token: str) -> list[str]:
    platform = visit.platform
    attributes = f"Domain={platform.cookie_domain}; Path=/; Max-Age={_YEAR}; Secure"
    cookies = [f"{platform.session_cookie}={token}; {attributes}; HttpOnly"]
    if platform.user_id_cookie:
        cookies.insert(0, f"{platform.user_id_cookie}={visit.scenario.account_id}; {attributes}")
    return cookies


def _checks(visit: Visit) -> tuple[Check, ...]:
    """The checks after the password, in Meta's order: approve on another device, then a code (Meta's only)."""
    scenario = visit.scenario
    if not visit.host.meta:
        return ()
    checks: list[Check] = []
    if scenario.checkpoint:
        checks.append("checkpoint")
    if scenario.two_factor:
        checks.append("two_factor")
    return tuple(checks)


def _after(visit: Visit, done: Check | None) -> str:
    """Where the login goes after `done` (None: after the password): the next check, or `next`."""
    checks = _checks(visit)
    remaining = checks if done is None else checks[checks.index(done) + 1 :] if done in checks else ()
    if remaining:
        return f"{visit.platform.check_url(remaining[0])}?{urlencode({'next': _next_url(visit)})}"
    return _next_url(visit)


def _next_url(visit: Visit) -> str:
    """`next` (LinkedIn: `session_redirect`, X: `redirect_after_login`) from the address, if it is an https
    page of the platform's (for Meta's platforms: any of Meta's); the platform's home otherwise."""
    platform = visit.platform
    wanted = first(parse_qs(visit.request.query), platform.next_param)
    return wanted if platform.may_return_to(wanted) else platform.home_url


def _checkpoint(visit: Visit) -> Response:
    """The checkpoint ("Approve your login on another phone or computer"): approved elsewhere, then Continue."""
    if visit.request.method != "GET":
        return method_not_allowed()
    url = f"{visit.platform.checkpoint_path}continue?{urlencode({'next': _next_url(visit)})}"
    # A JavaScript string inside <script>, where HTML escapes do not apply.
    return _page(visit, {"continue_url": json.dumps(url).replace("</", "<\\/")})


def _checkpoint_continue(visit: Visit) -> Response:
    if visit.request.method != "GET":
        return method_not_allowed()
    visit.state.pass_check(visit.platform.name, visit.session_token, "checkpoint")
    return redirect(_after(visit, "checkpoint"))


def _two_factor(visit: Visit) -> Response:
    if visit.request.method != "POST":
        return _page(visit, {"code_id": pages.dom_id(), "error": ""})
    if not _CODE.fullmatch(first(visit.request.form, "approvals_code")):
        return _page(visit, {"code_id": pages.dom_id(), "error": pages.fill("code_error", _texts(visit))})
    visit.state.pass_check(visit.platform.name, visit.session_token, "two_factor")
    return redirect(_after(visit, "two_factor"), "POST")


_SIGN_IN: dict[PageName, Callable[[Visit], Response]] = {
    "login": _login,
    "checkpoint": _checkpoint,
    "checkpoint_continue": _checkpoint_continue,
    "two_factor": _two_factor,
}


# --- the way to the form --------------------------------------------------------------------------------


def _privacy_center(visit: Visit) -> Response:
    return _page(visit, {"notice_right": _notice_right(visit)})


def _notice_right(visit: Visit) -> str:
    """The notice box's second paragraph: "You have the right to [object] …", or why there is no link."""
    scenario, texts = visit.scenario, _texts(visit)
    if not scenario.region_offered:
        return pages.fill("notice_region", texts)
    if scenario.policy_route_only or visit.scrambled("move_topic"):
        return pages.fill("notice_plain", texts)
    link = pages.fill("notice_link", {**texts, "object_href": html.escape(_object_href(visit))})
    if scenario.phishing_popup:  # a JavaScript string inside <script>, where HTML escapes do not apply
        link += pages.fill("phishing_popup", {"url": json.dumps(LOOKALIKE_OBJECT_URL).replace("</", "<\\/")})
    return link


def _object_href(visit: Visit) -> str:
    scenario = visit.scenario
    if scenario.phishing_link:
        return LOOKALIKE_OBJECT_URL
    third_party = scenario.third_party_everywhere or scenario.object_link_form == "third_party"
    return _form_link(visit, THIRD_PARTY_FORM if third_party else _own_form_id(visit))


def _form_link(visit: Visit, form_id: str) -> str:
    return visit.platform.form_link(form_id, visit.request.host)


def _privacy_topics(visit: Visit) -> Response:
    moved = visit.scenario.policy_route_only or visit.scrambled("move_topic")
    item = "" if moved else pages.fill("topic_ai_item", _texts(visit))
    return _page(visit, {"topic_ai_item": item})


def _privacy_genai(visit: Visit) -> Response:
    own = THIRD_PARTY_FORM if visit.scenario.third_party_everywhere else _own_form_id(visit)
    return _page(visit, {"form_href": html.escape(_form_link(visit, own))})


def _policy(visit: Visit) -> Response:
    target = THIRD_PARTY_FORM if visit.scenario.third_party_everywhere else _general_form_id(visit)
    return _page(visit, {"object_href": html.escape(_form_link(visit, target))})


def _root(visit: Visit) -> Response:
    """LinkedIn's and X's front door: a logged-in person is sent on to the feed."""
    return redirect(visit.platform.home_url)


def _redesigned(visit: Visit) -> Response:
    """layout="changed": unrelated words on every page; every other address is an unrelated Help Center."""
    if visit.request.method == "POST":
        return method_not_allowed()
    name = visit.page.name
    if name in ("home", "settings"):
        return html_page(200, pages.render(visit, "changed_home", visit.page.title))
    if name == "privacy_center":
        return html_page(200, pages.render(visit, "changed_privacy", visit.page.title))
    return html_page(200, pages.render(visit, "changed_help", "titles_form"))


# --- the forms ------------------------------------------------------------------------------------------


def _own_form(visit: Visit) -> Response:
    scenario, method = visit.scenario, visit.request.method
    if not visit.host.genuine:
        return _form(visit)  # the look-alike's copy
    if scenario.third_party_everywhere:
        return redirect(visit.platform.form_url(THIRD_PARTY_FORM), method)
    if scenario.redirect_off_site:
        query = f"?{visit.request.query}" if visit.request.query else ""
        return redirect(f"https://{LOOKALIKE_HOST}{visit.request.path}{query}", method)
    if scenario.policy_route_only:
        return not_found()
    return _form(visit)


def _form(visit: Visit) -> Response:
    withheld = _withheld(visit)
    if withheld is not None:
        return withheld
    if visit.request.method == "POST":
        return _posted(visit)
    return _page(visit, pages.form_values(visit))


def _withheld(visit: Visit) -> Response | None:
    """The notice Meta shows instead of any objection form: outside its regions, or to a Facebook Page."""
    if not visit.host.genuine:
        return None
    if not visit.scenario.region_offered:
        key = "not_offered_region"
    elif visit.scenario.account_is_page and visit.platform == FACEBOOK:
        key = "not_offered_page"
    else:
        return None
    notice = pages.render(visit, "not_offered", "titles_form", {"notice": _texts(visit)[key]})
    return html_page(200, notice)


def _posted(visit: Visit) -> Response:
    """A form sent: the code prompt first when the scenario has one, else the confirmation."""
    form_key = (visit.request.host, visit.request.path)
    if "code" in visit.request.form:
        return _code_entered(visit, form_key)
    confirmation = _confirmation_key(visit)
    if visit.scenario.code_after_submit and visit.host.genuine:
        visit.state.send_code(form_key, confirmation)
        return _code_prompt(visit, error=False)
    return _answer(visit, "confirmation", "titles_confirmation", {"confirmation_message": _texts(visit)[confirmation]})


def _confirmation_key(visit: Visit) -> str:
    """The AI objection's confirmation, or a plain "we received it" for any other request."""
    if visit.page.name == "own_form":
        return "confirmation_text"
    if visit.page.name == "general_form" and first(visit.request.form, "ai_request") == "yes":
        return "confirmation_text"
    return "confirmation_general"


def _code_prompt(visit: Visit, error: bool) -> Response:
    values = {
        "masked_email": html.escape(pages.mask_email(visit.scenario.account_email)),
        "code_id": pages.dom_id(),
        "error": pages.fill("code_error", _texts(visit)) if error else "",
    }
    return _answer(visit, "code_prompt", "titles_form", values)


def _code_entered(visit: Visit, form_key: tuple[str, str]) -> Response:
    if not _CODE.fullmatch(first(visit.request.form, "code")):
        return _code_prompt(visit, error=True)
    confirmation = visit.state.take_code(form_key)
    if confirmation is None:  # no code was sent for this form: nothing to confirm
        return _code_prompt(visit, error=True)
    return _answer(visit, "confirmation", "titles_confirmation", {"confirmation_message": _texts(visit)[confirmation]})


def _answer(visit: Visit, template: str, title: str, extra: Mapping[str, str]) -> Response:
    """A whole page, or with `submit_by_script` the part the page's script draws where the form was."""
    if visit.scenario.submit_by_script:
        return async_payload(json.dumps({"html": pages.fragment(visit, template, extra)}))
    return html_page(200, pages.render(visit, template, title, extra))


# --- the pages declared in fixtures/pages.yaml: forms and settings -------------------------------------------


def _declared_form(visit: Visit) -> Response:
    """A declared form (WhatsApp's, LinkedIn's objection): the page with fresh field ids and the email pre-filled
    for someone logged in; once sent, its `answer` page ("Thanks, we received …")."""
    row = _row(visit)
    assert row.answer is not None  # declared.DeclaredPage: a form names its answer
    if visit.request.method == "POST":
        return html_page(200, pages.render(visit, row.answer, row.answer_title or row.title))
    return _page(visit, pages.form_values(visit))


def _declared_setting(visit: Visit) -> Response:
    """A setting's page (LinkedIn's switch, X's checkboxes), drawn in its current state; the page's script POSTs
    `enabled=true|false` here when the person flips it, and the server keeps the new state under the row's
    `setting` key (MockMeta.setting)."""
    row = _row(visit)
    assert row.setting is not None  # declared.DeclaredPage: a setting names its key
    if visit.request.method == "POST":
        value = first(visit.request.form, "enabled")
        if value not in ("true", "false"):
            return json_response({"error": "enabled must be true or false"}, status=400)
        visit.state.set_setting(row.setting, value == "true")
        return json_response({"enabled": value == "true"})
    on = visit.state.setting(row.setting, visit.scenario.ai_setting_on)
    texts = _texts(visit)
    state_key = row.words.get("state_on" if on else "state_off")  # a switch with "On"/"Off" beside it
    # The page script's names: saved, not_saved, and on/off for the state beside a switch.
    words = {word.removeprefix("state_"): html.unescape(texts[key]) for word, key in row.words.items()}
    return _page(
        visit,
        {
            "checked": "true" if on else "false",
            "checked_attribute": " checked" if on else "",
            "state_text": texts[state_key] if state_key else "",
            "label_id": pages.dom_id(),
            "control_id": pages.dom_id(),
            # A JavaScript object inside <script>, where HTML escapes do not apply.
            "setting_words": json.dumps(words, ensure_ascii=False).replace("</", "<\\/"),
        },
    )


def _row(visit: Visit) -> DeclaredPage:
    assert visit.page.declared is not None  # site._declared: the pages of kind form and setting are declared
    return visit.page.declared


_PAGES: dict[PageName, Callable[[Visit], Response]] = {
    "root": _root,
    "home": _page,
    "settings": _page,
    "page": _page,
    "setting": _declared_setting,
    "form": _declared_form,
    "privacy_center": _privacy_center,
    "privacy_topics": _privacy_topics,
    "privacy_genai": _privacy_genai,
    "policy": _policy,
    "own_form": _own_form,
    "third_party_form": _form,
    "general_form": _form,
}


# --- a webmail, not Meta's -----------------------------------------------------------------------------------


def webmail(scenario: Scenario) -> Response:
    """The person's inbox on another host (WEBMAIL_HOST), open at Meta's email: its code and its confirmation."""
    texts = pages.strings(scenario.lang).texts
    document = (
        f'<!doctype html><html lang="{html.escape(scenario.lang)}"><head><meta charset="utf-8">'
        f"<title>Inbox</title></head><body><h1>Inbox</h1><article><h2>{texts['confirmation_heading']}</h2>"
        f"<p>{texts['code_sent_to']} {html.escape(scenario.account_email)}: 654321</p>"
        f"<p>{texts['confirmation_text']}</p></article></body></html>"
    )
    return html_page(200, document)
