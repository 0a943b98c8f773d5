"""Drawing the mock's pages: templates from `fixtures/templates`, words from `fixtures/strings/<lang>.yaml`.

Adding a language is adding one strings file. A key missing from it falls back to the English text, so a
language whose file lags behind en.yaml still draws every page (a test lists the missing keys).
"""

from __future__ import annotations

import functools
import html
import json
import random
import re
import secrets
import string
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import yaml

from optout_bot.bundled import FIXTURES_DIR as FIXTURES
from optout_bot.mock_site.scenario import SCRAMBLES
from optout_bot.mock_site.site import LOOKALIKE_HOST, Visit

# --- strings and templates ------------------------------------------------------------------------------


def languages() -> list[str]:
    """The page languages the mock can serve: one per strings file."""
    return sorted(f.name.removesuffix(".yaml") for f in (FIXTURES / "strings").iterdir() if f.name.endswith(".yaml"))


def check_language(lang: str) -> None:
    if lang not in languages():
        raise ValueError(f"the mock Meta site has no pages in {lang!r}; it has: {', '.join(languages())}")


@dataclass(frozen=True)
class Strings:
    texts: dict[str, str]  # flattened key ("form_heading") -> HTML-escaped text
    countries: dict[str, str]  # ISO alpha-2 code -> country name


@functools.cache
def strings(lang: str) -> Strings:
    own = _load_strings(lang)
    if lang == "en":
        return own
    english = _load_strings("en")
    return Strings({**english.texts, **own.texts}, own.countries or english.countries)


def _load_strings(lang: str) -> Strings:
    check_language(lang)
    data = yaml.safe_load((FIXTURES / "strings" / f"{lang}.yaml").read_text(encoding="utf-8"))
    if not isinstance(data, dict) or not isinstance(data.get("strings"), dict):
        raise ValueError(f"strings/{lang}.yaml: expected a mapping with a 'strings' mapping")
    texts = {key: html.escape(text) for key, text in _flatten(data["strings"]).items()}
    countries = {str(code): str(name) for code, name in (data.get("countries") or {}).items()}
    return Strings(texts, countries)


def _flatten(tree: Mapping[str, Any], prefix: str = "") -> dict[str, str]:
    """{"form": {"heading": "…"}} -> {"form_heading": "…"}: the names templates use as ${form_heading}."""
    flat: dict[str, str] = {}
    for key, value in tree.items():
        name = f"{prefix}{key}"
        if isinstance(value, Mapping):
            flat.update(_flatten(value, f"{name}_"))
        else:
            flat[name] = str(value)
    return flat


@functools.cache
def fixture(name: str) -> str:
    return (FIXTURES / "templates" / name).read_text(encoding="utf-8")


def fill(template: str, values: Mapping[str, str]) -> str:
    """Fill `templates/<template>.html`; a placeholder without a value is a bug, so it raises KeyError."""
    return string.Template(fixture(f"{template}.html")).substitute(values)


# --- whole pages ----------------------------------------------------------------------------------------


def render(visit: Visit, template: str, title: str, extra: Mapping[str, str] | None = None) -> str:
    """A whole document: `template` as the page's content, in this host's frame, in the layout."""
    values = page_values(visit)
    values.update(extra or {})
    content = fill(template, values)
    if visit.page.framed:  # login pages stand alone, without the site's header and navigation
        frame = "changed_app" if visit.scenario.layout == "changed" and visit.host.meta else visit.host.frame
        content = fill(frame, {**values, "main": content})
    if visit.scrambled("reorder"):
        content = shuffle_menus(content, random.Random(visit.scenario.seed))
    return fill(
        "layout",
        {
            "lang": html.escape(visit.scenario.lang),
            "title": values[title],
            "css": fixture("style.css"),
            "js": fixture("script.js"),
            "frame": content + _bait(visit) + _filler(visit),
            "page_data": _page_data(visit),
            "cookie_wall": _cookie_wall(visit, values),
        },
    )


def _bait(visit: Visit) -> str:
    """Scenario.leak_bait: the person's data and secrets hidden all over the page (mock_site/bait.py)."""
    if not visit.scenario.leak_bait or not visit.host.meta:
        return ""
    from optout_bot.mock_site.bait import bait

    return bait(visit.scenario)


def _filler(visit: Visit) -> str:
    """Scenario.filler_blocks: a feed's worth of elements after the page's own content, on Meta's hosts."""
    if not visit.scenario.filler_blocks or not visit.host.meta:
        return ""
    blocks = "".join(
        f'<div class="feed-item"><a href="/posts/{n}/">Holiday photos {n}</a> <span>A walk by the lake, day {n}.'
        f'</span> <span role="button" tabindex="0">Like</span> <span role="button" tabindex="0">Share {n}</span></div>'
        for n in range(visit.scenario.filler_blocks)
    )
    return f'<section class="feed" aria-label="Feed">{blocks}</section>'


def fragment(visit: Visit, template: str, extra: Mapping[str, str] | None = None) -> str:
    """Only the page's content, as a script draws it into a page that is already there."""
    return fill(template, {**page_values(visit), **(extra or {})})


def texts(visit: Visit) -> dict[str, str]:
    """The page language's texts, with the words the scenario's scrambles put in their place (Scenario.scramble):
    the strings file's `scrambled.<transformation>.<key>` is drawn where `<key>` was."""
    drawn = dict(strings(visit.scenario.lang).texts)
    for transformation in SCRAMBLES:
        if visit.scrambled(transformation):
            prefix = f"scrambled_{transformation}_"
            drawn.update({key.removeprefix(prefix): text for key, text in drawn.items() if key.startswith(prefix)})
    return drawn


def page_values(visit: Visit) -> dict[str, str]:
    """What every template may use: the page language's texts, the account, this platform's addresses."""
    scenario, platform = visit.scenario, visit.platform
    values = {
        **texts(visit),
        "account_name": html.escape(scenario.account_name),
        "account_email": html.escape(scenario.account_email),
        # Every platform's header links the person's profile by numeric id (Instagram's via the Accounts
        # Center): the kind of id a saved diagnostic must not keep.
        "profile_url": html.escape(f"https://www.facebook.com/profile.php?id={scenario.account_id}"),
        "privacy_center_url": html.escape(platform.privacy_center_url),
        "policy_url": html.escape(platform.policy_url),
    }
    values["account"] = fill("account", values) if visit.logged_in else ""
    values.update(_scrambled_parts(visit, values))
    values["privacy_nav"] = fill("privacy_nav", values)
    # The side navigation of LinkedIn's and X's settings pages.
    values["li_settings_nav"] = fill("li_settings_nav", values) if platform.code == "li" else ""
    values["x_settings_nav"] = fill("x_settings_nav", values) if platform.code == "x" else ""
    tokens = visit.state.secrets
    values["tokens"] = fill("tokens", {"fb_dtsg": tokens.fb_dtsg, "lsd": tokens.lsd, "jazoest": tokens.jazoest})
    # A form sent by script: the script right after the form takes over its submit.
    values["scripted"] = fill("scripted", {}) if scenario.submit_by_script else ""
    # Meta's confirmation words where they are no confirmation (Scenario.confirmation_words_on_form, _on_code_page):
    # on the form, a "what happens next" note before anything is sent; on the code page, the very words.
    note = f'<p class="xo1l8bm">{values["confirmation_heading"]} — {values["confirmation_text"]}</p>'
    values["form_confirmation_note"] = note if scenario.confirmation_words_on_form else ""
    words = f'<p class="xo1l8bm">{values["confirmation_text"]}</p>'
    values["code_confirmation_note"] = words if scenario.confirmation_words_on_code_page else ""
    values["scripted"] += _hostile_script(visit)
    return values


# --- scrambled pages (Scenario.scramble) ---------------------------------------------------------------


def _scrambled_parts(visit: Visit, values: Mapping[str, str]) -> dict[str, str]:
    """The parts of the templates only a scramble draws; all empty on the plain site, which stays unchanged."""
    settings = _link("/accounts/edit/", values["ig_menu_settings"])
    in_nav = visit.scrambled("settings_in_nav")
    decoys = _decoys(visit, values) if visit.scrambled("reorder") else ""
    policy_ai = {**values, "genai_href": "/privacy/genai/"}
    return {
        "nav_decoys": decoys,
        # Instagram's side navigation: its "More" menu, or Settings among the links themselves.
        "ig_more": "" if in_nav else fill("ig_more_menu", values).rstrip("\n"),
        "ig_nav_extra": (f"\n      {settings}" if in_nav else "") + decoys,
        # The Privacy Policy's "How do we use your information?" leads to the AI page once the topic moved there.
        "policy_ai": "\n    " + fill("policy_ai", policy_ai).rstrip("\n") if visit.scrambled("move_topic") else "",
    }


def _decoys(visit: Visit, values: Mapping[str, str]) -> str:
    """Links real menus hold beside the way to the form; each leads to an address the mock does not serve (404).
    "Delete account" must never be followed: a test may check that no request went there."""
    accounts = f"https://accountscenter{visit.platform.cookie_domain}"
    decoys = [
        (f"https://help{visit.platform.cookie_domain}/", values["scrambled_decoy_help"]),
        (f"{accounts}/", values["scrambled_decoy_accounts_center"]),
        (f"{accounts}/personal_info/account_ownership_and_control/", values["scrambled_decoy_delete_account"]),
        (f"{accounts}/info_and_permissions/dyi/", values["scrambled_decoy_download"]),
    ]
    return "".join(f"\n      {_link(href, label)}" for href, label in decoys)


def _link(href: str, label: str) -> str:
    return fill("nav_link", {"href": html.escape(href), "label": label}).rstrip("\n")


# One item of a menu: a link, a scripted link or button, or a list item, alone on its line. A control that opens
# a menu (aria-haspopup) is never moved: its menu is the <template> right after it.
_MENU_ITEM = re.compile(r'^\s*<(?:a |span role="link"|div role="(?:listitem|button)")(?!.*aria-haspopup).*$')


def shuffle_menus(page: str, rng: random.Random) -> str:
    """Scramble "reorder": the items of every menu (runs of consecutive item lines) in an order drawn by `rng`."""
    lines = page.split("\n")
    start = 0
    while start < len(lines):
        end = start
        while end < len(lines) and _MENU_ITEM.match(lines[end]):
            end += 1
        if end - start > 1:
            run = lines[start:end]
            rng.shuffle(run)
            lines[start:end] = run
        start = end + 1
    return "\n".join(lines)


def _hostile_script(visit: Visit) -> str:
    """The guard's knobs (Scenario.auto_submit_on and after): a script right after the form plays them."""
    scenario, platform = visit.scenario, visit.platform
    navigate = {
        "none": "",
        "meta": f"{platform.form_url(platform.own_forms[-1])}?changed=1" if platform.own_forms else "",
        "off_site": f"https://{LOOKALIKE_HOST}/contact/712876720715583",
    }
    knobs = {
        "on": scenario.auto_submit_on,
        "by": scenario.auto_submit_by,
        "leak": scenario.leak_email_by,
        "navigate": navigate[scenario.navigate_after_fill],
    }
    if knobs["on"] == "none" and knobs["leak"] == "none" and not knobs["navigate"]:
        return ""
    # A JavaScript object inside <script>, where HTML escapes do not apply.
    return fill("hostile", {"knobs": json.dumps(knobs).replace("</", "<\\/")})


def _page_data(visit: Visit) -> str:
    """Meta's inline page data: its tokens and the person's ids, which no diagnostic may keep."""
    if not visit.host.meta or not visit.platform.accounts:
        return ""
    scenario, tokens = visit.scenario, visit.state.secrets
    user = {"ACCOUNT_ID": scenario.account_id, "USER_ID": scenario.account_id, "NAME": scenario.account_name}
    define = [
        ["DTSGInitialData", [], {"token": tokens.fb_dtsg}, 258],
        ["LSD", [], {"token": tokens.lsd}, 323],
        ["CurrentUserInitialData", [], user, 270],
    ]
    data = {
        "require": [["ScheduledServerJS", "handle", None, [{"__bbox": {"define": define}}]]],
        "params": {"fb_dtsg": tokens.fb_dtsg, "jazoest": tokens.jazoest, "__user": scenario.account_id},
    }
    text = json.dumps(data, separators=(",", ":")).replace("<", "\\u003c")  # no "</script>" inside
    return fill("page_data", {"json": text, "length": str(len(text))})


def _cookie_wall(visit: Visit, values: Mapping[str, str]) -> str:
    """The consent dialog, drawn by script after load, on every page of the platform until answered."""
    wall = visit.scenario.cookie_wall
    if wall == "none" or not visit.host.meta or visit.cookie_consent_given:
        return ""
    # Facebook's buttons are divs acting as buttons; Instagram's are real buttons (outside any form).
    button = "cookie_button_div" if visit.platform.code == "fb" else "cookie_button"
    choices = [("declined", values["cookie_decline"])] if wall == "decline" else []
    choices.append(("accepted", values["cookie_accept"]))
    buttons = "".join(fill(button, {"choice": choice, "label": label}) for choice, label in choices)
    return fill(
        "cookie_wall",
        {
            **values,
            "cookie_title": values[f"cookie_{visit.platform.code}_title"],
            "buttons": buttons,
            "cookie_domain": visit.platform.cookie_domain,
        },
    )


# --- forms ----------------------------------------------------------------------------------------------


# The fields whose generated ids the form templates use, as ${<name>_id}.
_FIELDS = (
    *("email", "reason", "details", "other", "choice_a", "choice_b", "choice_c", "choice_d", "choice_e"),
    *("full_name", "prompts", "screenshot", "impact", "access_details"),  # the third-party form
    *("phone", "phone_hint", "message"),  # WhatsApp's form
)


def form_values(visit: Visit) -> dict[str, str]:
    """The fields' generated ids and the pre-filled email."""
    scenario = visit.scenario
    email = scenario.account_email if visit.logged_in and scenario.prefill_email else ""
    return {
        # Ids change on every load, as React's generated ones do: the tool must find fields by their label.
        **{f"{name}_id": dom_id() for name in _FIELDS},
        "email_value": html.escape(email),
        "country_field": country_field(visit) if visit.page.country else "",
    }


def country_field(visit: Visit) -> str:
    """Countries where the form is offered, by name in the page language; none is pre-selected."""
    texts = strings(visit.scenario.lang)
    by_name = sorted(texts.countries.items(), key=lambda item: _collation_key(item[1]))
    options = "".join(f'<option value="{html.escape(code)}">{html.escape(name)}</option>' for code, name in by_name)
    return fill("country_field", {**texts.texts, "country_id": dom_id(), "country_options": options})


def _collation_key(name: str) -> str:
    # Accents sort with their base letter, as people expect ("Suède" before "Suisse").
    decomposed = unicodedata.normalize("NFD", name.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def dom_id() -> str:
    return f"_r_{secrets.token_hex(3)}_"


def mask_email(email: str) -> str:
    """The address as Meta shows where it sent a code: jane.doe@example.com -> j***@example.com."""
    local, at, domain = email.partition("@")
    return f"{local[:1]}***{at}{domain}"
