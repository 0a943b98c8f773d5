"""The bundled mock of Meta's site: pages, routing, login and recording, over real HTTPS.

Requests go to 127.0.0.1 with Meta's host name in the Host header, as Chromium's --host-resolver-rules
makes them do. One browser test walks Instagram's click path, as a person would, to the confirmation.
"""

from __future__ import annotations

import os
import ssl
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.message import Message
from html.parser import HTMLParser
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
import yaml
from playwright.sync_api import Playwright, expect

from optout_bot.mock_meta import MockMeta, Scenario
from optout_bot.mock_meta.server import languages

IG_FORM = "https://help.instagram.com/contact/767264225370182"
FB_FORM = "https://www.facebook.com/help/contact/712876720715583"
EVERY_PAGE = [
    "https://www.instagram.com/",
    "https://www.instagram.com/accounts/edit/",
    "https://www.instagram.com/accounts/login/",
    "https://privacycenter.instagram.com/",
    "https://privacycenter.instagram.com/privacy/topics/",
    "https://privacycenter.instagram.com/privacy/genai/",
    IG_FORM,
    "https://help.instagram.com/contact/233964459562201",
    "https://www.facebook.com/",
    "https://www.facebook.com/settings/",
    "https://www.facebook.com/login/",
    "https://www.facebook.com/privacy/center/",
    "https://www.facebook.com/privacy/topics/",
    "https://www.facebook.com/privacy/genai/",
    FB_FORM,
    "https://www.facebook.com/help/contact/6359191084165019",
]

# The visible texts the tool relies on, per language (meta-objection-facts.md; French with ’ as Meta writes it).
TEXTS: dict[str, dict[str, str]] = {
    "en": {
        "home": "Home",
        "search": "Search",
        "profile": "Profile",
        "more": "More",
        "settings": "Settings",
        "more_info": "More info and support",
        "help": "Help",
        "privacy_center": "Privacy Center",
        "account_status": "Account Status",
        "privacy_topics": "Privacy topics",
        "notice": "We’re using information from Meta’s products and services to develop and improve AI at Meta.",
        "right": "You have the right to object to how your information is used for these purposes.",
        "object": "object",
        "ai_at_meta": "AI at Meta",
        "genai": "How Meta uses information for generative AI models and features",
        "submit_objection": "Submit an objection request",
        "form": "Object to your information being used for AI at Meta",
        "email": "Email address",
        "reason": "Please tell us how this processing impacts you. (optional)",
        "country": "Country of residence",
        "germany": "Germany",
        "submit": "Submit",
        "thanks": "Thanks for your request",
        "confirmation": "This means your request will be applied going forward to the development and improvement "
        "of AI at Meta. You’ll receive an email with details.",
        "your_profile": "Your profile",
        "settings_privacy": "Settings & privacy",
        "ig_user": "Phone number, username, or email",
        "fb_user": "Email address or phone number",
        "password": "Password",
        "log_in": "Log in",
    },
    "fr": {
        "home": "Accueil",
        "search": "Recherche",
        "profile": "Profil",
        "more": "Plus",
        "settings": "Paramètres",
        "more_info": "Plus d’infos et assistance",
        "help": "Aide",
        "privacy_center": "Centre de confidentialité",
        "account_status": "Statut du compte",
        "privacy_topics": "Sujets de confidentialité",
        "notice": "Nous utilisons les informations des produits et services de Meta pour développer et améliorer "
        "l’IA chez Meta.",
        "right": "Vous avez le droit de vous opposer à l’utilisation de vos informations à ces fins.",
        "object": "opposer",
        "ai_at_meta": "L’IA chez Meta",
        "genai": "Comment Meta utilise les informations pour les modèles et fonctionnalités d’IA générative",
        "submit_objection": "Envoyer une demande d’opposition",
        "form": "Vous opposer à l’utilisation de vos informations pour l’IA chez Meta",
        "email": "Adresse e-mail",
        "reason": "Veuillez nous indiquer l’impact de ce traitement sur vous. (facultatif)",
        "country": "Pays de résidence",
        "germany": "Allemagne",
        "submit": "Envoyer",
        "thanks": "Merci pour votre demande",
        "confirmation": "Cela signifie que votre demande sera appliquée dorénavant au développement et à "
        "l’amélioration de l’IA chez Meta. Vous recevrez un e-mail avec les détails.",
        "your_profile": "Votre profil",
        "settings_privacy": "Paramètres et confidentialité",
        "ig_user": "Numéro de téléphone, nom d’utilisateur ou adresse e-mail",
        "fb_user": "Adresse e-mail ou numéro de mobile",
        "password": "Mot de passe",
        "log_in": "Se connecter",
    },
}


@pytest.fixture
def site() -> Iterator[MockMeta]:
    with MockMeta() as server:
        yield server


# --- reading pages --------------------------------------------------------------------------------------

_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


@dataclass
class Element:
    tag: str
    attrs: dict[str, str]
    text: str = ""

    @property
    def name(self) -> str:
        """Roughly the accessible name: aria-label, else the text."""
        return self.attrs.get("aria-label") or " ".join(self.text.split())

    @property
    def role(self) -> str:
        implicit = {"a": "link", "button": "button", "h1": "heading", "h2": "heading", "h3": "heading"}
        return self.attrs.get("role") or implicit.get(self.tag, "")


class _Parser(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.elements: list[Element] = []
        self._open: list[Element] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, {key: value or "" for key, value in attrs})
        self.elements.append(element)
        if tag not in _VOID:
            self._open.append(element)

    def handle_endtag(self, tag: str) -> None:
        for index in range(len(self._open) - 1, -1, -1):
            if self._open[index].tag == tag:
                del self._open[index:]
                return

    def handle_data(self, data: str) -> None:
        if not self._open or self._open[-1].tag not in ("script", "style"):
            for element in self._open:
                element.text += data


@dataclass
class Reply:
    status: int
    headers: Message
    body: str
    elements: list[Element] = field(default_factory=list)

    def named(self, role: str, name: str) -> Element:
        (element,) = [e for e in self.elements if e.role == role and e.name == name]
        return element

    def link(self, name: str) -> str:
        return self.named("link", name).attrs.get("href", "")

    def field(self, label: str) -> Element:
        """The input, textarea or select a <label> names (by its generated id)."""
        (target,) = [e.attrs["for"] for e in self.elements if e.tag == "label" and e.name == label]
        (element,) = [e for e in self.elements if e.attrs.get("id") == target and e.tag != "label"]
        return element

    def by_tag(self, tag: str) -> list[Element]:
        return [e for e in self.elements if e.tag == tag]

    @property
    def text(self) -> str:
        return " ".join(self.elements[0].text.split()) if self.elements else ""


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None  # a redirect is an answer to check, not to follow (it names Meta's real hosts)


def fetch(site: MockMeta, url: str, form: dict[str, str] | None = None, cookie: str = "") -> Reply:
    """GET (or POST `form` to) `url` on the mock, as Chromium would reach it through --host-resolver-rules."""
    parts = urlsplit(url)
    local = f"https://127.0.0.1:{site.port}{parts.path}" + (f"?{parts.query}" if parts.query else "")
    headers = {"Host": parts.netloc, **({"Cookie": cookie} if cookie else {})}
    data = urlencode(form).encode() if form is not None else None
    opener = urllib.request.build_opener(
        urllib.request.HTTPSHandler(context=ssl._create_unverified_context()), _NoRedirects()
    )
    try:
        with opener.open(urllib.request.Request(local, data=data, headers=headers), timeout=10) as response:
            status, message, raw = response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        status, message, raw = error.code, error.headers, error.read()
    body = raw.decode("utf-8")
    parser = _Parser()
    parser.feed(body)
    return Reply(status, message, body, parser.elements)


def cookie_header(reply: Reply) -> str:
    """The Cookie header a browser would send back after this reply's Set-Cookie headers."""
    return "; ".join(value.split(";")[0] for value in reply.headers.get_all("Set-Cookie") or [])


def form_fields(page: Reply) -> dict[str, str]:
    """What the browser would post for this form, with the email Meta filled in."""
    return {e.attrs["name"]: e.attrs.get("value", "") for e in page.by_tag("input") if "name" in e.attrs}


# --- pages ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", languages())
def test_every_page_is_html_in_the_scenario_language(site: MockMeta, lang: str) -> None:
    site.reset(Scenario(lang=lang))
    for url in EVERY_PAGE:
        page = fetch(site, url)
        assert page.status == 200, url
        assert page.headers["Content-Type"] == "text/html; charset=utf-8"
        assert page.by_tag("html")[0].attrs["lang"] == lang
        assert "data-testid" not in page.body and "${" not in page.body


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_instagram_leads_from_home_through_settings_and_privacy_center_to_the_form(site: MockMeta, lang: str) -> None:
    site.reset(Scenario(lang=lang))
    words = TEXTS[lang]

    home = fetch(site, "https://www.instagram.com/")
    assert {home.link(words[key]) for key in ("home", "search", "profile")} <= {"/", "#"}
    more = home.named("button", words["more"])
    assert more.tag == "div" and more.attrs["aria-haspopup"] == "menu"  # the menu is drawn by JS on click
    assert home.link(words["settings"]) == "/accounts/edit/"
    assert "Jane Doe" in home.text

    settings = fetch(site, "https://www.instagram.com/accounts/edit/")
    assert settings.named("heading", words["settings"]).tag == "h1"
    assert settings.named("heading", words["more_info"])
    assert settings.link(words["help"])
    assert settings.link(words["privacy_center"]) == "https://privacycenter.instagram.com/"
    assert settings.named("link", words["account_status"]).tag == "span"

    center = fetch(site, "https://privacycenter.instagram.com/")
    assert center.named("heading", words["privacy_center"]).tag == "h1"
    assert center.named("link", words["privacy_topics"]).tag == "span"  # a scripted link without an address
    assert words["notice"] in center.text and words["right"] in center.text
    assert center.link(words["object"]) == IG_FORM

    topics = fetch(site, "https://privacycenter.instagram.com/privacy/topics/")
    assert topics.named("heading", words["privacy_topics"]).tag == "h1"
    assert topics.link(words["ai_at_meta"]) == "/privacy/genai/"

    genai = fetch(site, "https://privacycenter.instagram.com/privacy/genai/")
    assert genai.named("heading", words["genai"]).tag == "h1"
    assert genai.link(words["submit_objection"]) == IG_FORM


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_facebook_leads_from_the_profile_menu_and_privacy_topics_to_the_form(site: MockMeta, lang: str) -> None:
    site.reset(Scenario(lang=lang))
    words = TEXTS[lang]

    home = fetch(site, "https://www.facebook.com/")
    profile = home.named("button", words["your_profile"])
    assert profile.tag == "div" and profile.attrs["aria-haspopup"] == "dialog"
    assert home.named("button", words["settings_privacy"]).attrs["aria-haspopup"] == "menu"
    assert home.link(words["settings"]) == "/settings/"
    assert "Jane Doe" in home.text

    settings = fetch(site, "https://www.facebook.com/settings/")
    assert settings.named("heading", words["settings"]).tag == "h1"
    assert settings.link(words["privacy_center"]) == "/privacy/center/"

    center = fetch(site, "https://www.facebook.com/privacy/center/")
    assert words["notice"] in center.text and words["right"] in center.text
    assert center.link(words["object"]) == "/help/contact/712876720715583"
    assert fetch(site, "https://www.facebook.com/privacy/topics/").link(words["ai_at_meta"]) == "/privacy/genai/"
    genai = fetch(site, "https://www.facebook.com/privacy/genai/")
    assert genai.link(words["submit_objection"]) == "/help/contact/712876720715583"


@pytest.mark.parametrize("url", [IG_FORM, "https://help.instagram.com/contact/233964459562201"])
@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_instagram_form_has_the_email_pre_filled_and_no_country(site: MockMeta, lang: str, url: str) -> None:
    site.reset(Scenario(lang=lang))
    words = TEXTS[lang]
    form = fetch(site, url)

    assert form.named("heading", words["form"]).tag == "h2"
    email = form.field(words["email"])
    assert (email.tag, email.attrs["type"], email.attrs["name"]) == ("input", "email", "email")
    assert email.attrs["value"] == "jane.doe@example.com"
    assert form.field(words["reason"]).attrs["name"] == "reason"
    assert form.named("button", words["submit"]).attrs["type"] == "submit"
    assert form.by_tag("form")[0].attrs["method"] == "post" and "action" not in form.by_tag("form")[0].attrs
    hidden = {e.attrs["name"]: e.attrs["value"] for e in form.by_tag("input") if e.attrs.get("type") == "hidden"}
    assert set(hidden) == {"lsd", "jazoest"} and all(hidden.values())
    assert form.by_tag("select") == []


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_facebook_form_asks_for_the_country_by_name_with_none_chosen(site: MockMeta, lang: str) -> None:
    site.reset(Scenario(lang=lang))
    form = fetch(site, "https://www.facebook.com/help/contact/6359191084165019")

    select = form.field(TEXTS[lang]["country"])
    assert (select.tag, select.attrs["name"]) == ("select", "country")
    options = form.by_tag("option")
    assert options[0].attrs["value"] == "" and options[0].name == ""
    names = {o.attrs["value"]: o.name for o in options[1:]}
    assert {"FR", "DE", "GB", "CH"} <= set(names) and all(len(code) == 2 for code in names)
    assert names["DE"] == TEXTS[lang]["germany"] and names["FR"] == "France"
    assert not any("selected" in o.attrs for o in options)
    assert form.field(TEXTS[lang]["email"]).attrs["value"] == "jane.doe@example.com"


def test_the_email_is_left_empty_when_meta_does_not_pre_fill_it(site: MockMeta) -> None:
    site.reset(Scenario(prefill_email=False))
    assert fetch(site, IG_FORM).field("Email address").attrs["value"] == ""


def test_field_ids_are_generated_afresh_on_every_load(site: MockMeta) -> None:
    first, second = fetch(site, FB_FORM), fetch(site, FB_FORM)
    assert first.field("Email address").attrs["id"] != second.field("Email address").attrs["id"]


def test_the_account_name_in_the_header_follows_the_scenario(site: MockMeta) -> None:
    site.scenario = Scenario(account_name="Chloé Martin", account_email="chloe@example.org")
    assert "Chloé Martin" in fetch(site, "https://www.facebook.com/").text
    assert fetch(site, FB_FORM).field("Email address").attrs["value"] == "chloe@example.org"


# --- routing --------------------------------------------------------------------------------------------


def test_unknown_hosts_and_paths_get_a_quiet_404(site: MockMeta, capfd: pytest.CaptureFixture[str]) -> None:
    assert fetch(site, "https://update.googleapis.com/service/update2/json").status == 404
    assert fetch(site, "https://www.instagram.com/no/such/page/").status == 404
    assert fetch(site, "https://www.instagram.com/favicon.ico").status == 404
    assert fetch(site, "https://accounts.google.com/ListAccounts", form={"x": "1"}).status == 404

    assert capfd.readouterr().err == ""
    assert [(r.method, r.host) for r in site.requests][-1] == ("POST", "accounts.google.com")
    assert site.posts() == []  # the browser's own traffic is not a POST to Meta


def test_a_missing_trailing_slash_is_added(site: MockMeta) -> None:
    reply = fetch(site, "https://www.instagram.com/accounts/edit?hl=fr")
    assert reply.status == 301
    assert reply.headers["Location"] == "https://www.instagram.com/accounts/edit/?hl=fr"


def test_chromium_args_send_every_host_name_to_the_server(site: MockMeta) -> None:
    assert site.chromium_args() == [
        f"--host-resolver-rules=MAP * 127.0.0.1:{site.port}, EXCLUDE localhost",
        "--ignore-certificate-errors",
    ]


# --- recording ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("url", "lang"), [(IG_FORM, "en"), (FB_FORM, "fr")])
def test_a_posted_form_is_recorded_and_confirmed(site: MockMeta, url: str, lang: str) -> None:
    site.reset(Scenario(lang=lang))
    fields = {**form_fields(fetch(site, url)), "reason": "Mes photos", "country": "BE"}

    reply = fetch(site, url, form=fields)

    assert reply.status == 200
    assert reply.named("heading", TEXTS[lang]["thanks"])
    assert TEXTS[lang]["confirmation"] in reply.text
    (post,) = site.posts()
    parts = urlsplit(url)
    assert (post.method, post.host, post.path, post.query) == ("POST", parts.netloc, parts.path, "")
    assert post.form["email"] == ["jane.doe@example.com"]
    assert post.form["reason"] == ["Mes photos"] and post.form["country"] == ["BE"]
    assert parse_qs(post.body) == post.form
    assert [r.method for r in site.requests] == ["GET", "POST"]
    assert site.requests[0].body == "" and site.requests[0].time <= post.time


def test_reset_forgets_requests_and_logins_and_plays_the_new_scenario(site: MockMeta) -> None:
    site.reset(Scenario(require_login=True))
    login = fetch(site, "https://www.instagram.com/accounts/login/", form={"username": "jane", "password": "pw"})
    session = cookie_header(login)
    assert fetch(site, IG_FORM, cookie=session).status == 200

    site.reset(Scenario(lang="fr", require_login=True))

    assert site.requests == [] and site.posts() == []
    assert fetch(site, IG_FORM, cookie=session).status == 302  # the old session is no longer valid
    assert fetch(site, "https://www.instagram.com/accounts/login/").by_tag("html")[0].attrs["lang"] == "fr"


def test_a_language_without_strings_is_refused(site: MockMeta) -> None:
    with pytest.raises(ValueError, match="'xx'"):
        MockMeta(Scenario(lang="xx"))
    with pytest.raises(ValueError, match="'xx'"):
        site.reset(Scenario(lang="xx"))


def test_every_strings_file_has_exactly_the_english_keys() -> None:
    def keys(tree: dict[str, Any], prefix: str = "") -> set[str]:
        return {
            path
            for key, value in tree.items()
            for path in (keys(value, f"{prefix}{key}.") if isinstance(value, dict) else {f"{prefix}{key}"})
        }

    folder = resources.files("optout_bot.mock_meta") / "fixtures" / "strings"
    files = {lang: yaml.safe_load((folder / f"{lang}.yaml").read_text(encoding="utf-8")) for lang in languages()}
    assert {"en", "fr"} <= set(files)
    for lang, data in files.items():
        assert data["language"] == lang
        assert keys(data["strings"]) == keys(files["en"]["strings"]), lang
        assert set(data["countries"]) == set(files["en"]["countries"]), lang


# --- logging in -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [IG_FORM, "https://www.instagram.com/", "https://privacycenter.instagram.com/privacy/genai/?entry=0"],
)
def test_logged_out_instagram_pages_send_the_person_to_log_in(site: MockMeta, url: str) -> None:
    site.reset(Scenario(require_login=True))
    reply = fetch(site, url)
    assert reply.status == 302
    assert reply.headers["Location"] == "https://www.instagram.com/accounts/login/?" + urlencode({"next": url})
    assert fetch(site, "https://www.facebook.com/").status == 302  # every platform has its own login


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_logging_in_to_instagram_sets_a_session_cookie_and_returns_to_next(site: MockMeta, lang: str) -> None:
    site.reset(Scenario(lang=lang, require_login=True))
    words = TEXTS[lang]
    login_url = "https://www.instagram.com/accounts/login/?" + urlencode({"next": IG_FORM})
    page = fetch(site, login_url)
    (user,) = [e for e in page.by_tag("input") if e.attrs.get("aria-label") == words["ig_user"]]
    (password,) = [e for e in page.by_tag("input") if e.attrs.get("aria-label") == words["password"]]
    assert password.attrs["type"] == "password"
    assert page.named("button", words["log_in"])

    refused = fetch(site, login_url, form={user.attrs["name"]: "jane", password.attrs["name"]: ""})
    assert refused.status == 200 and refused.headers.get_all("Set-Cookie") is None
    assert [e for e in refused.elements if e.role == "alert"]

    reply = fetch(site, login_url, form={user.attrs["name"]: "jane.doe", password.attrs["name"]: "secret"})
    assert reply.status == 303 and reply.headers["Location"] == IG_FORM
    (cookie,) = reply.headers.get_all("Set-Cookie") or []
    attributes = [part.strip() for part in cookie.split(";")]
    assert attributes[0].startswith("sessionid=") and len(attributes[0]) > len("sessionid=") + 16
    assert {"Domain=.instagram.com", "Path=/", "Secure", "HttpOnly"} <= set(attributes)

    form = fetch(site, IG_FORM, cookie=cookie_header(reply))
    assert form.status == 200 and form.field(words["email"]).attrs["value"] == "jane.doe@example.com"
    assert "Jane Doe" in form.text
    assert fetch(site, "https://privacycenter.instagram.com/", cookie=cookie_header(reply)).status == 200


def test_logging_in_to_facebook_sets_c_user_and_xs(site: MockMeta) -> None:
    site.reset(Scenario(require_login=True))
    assert fetch(site, FB_FORM).headers["Location"] == "https://www.facebook.com/login/?" + urlencode({"next": FB_FORM})
    login_url = "https://www.facebook.com/login/?" + urlencode({"next": FB_FORM})
    page = fetch(site, login_url)
    names = {e.attrs.get("aria-label"): e.attrs["name"] for e in page.by_tag("input")}

    reply = fetch(site, login_url, form={names["Email address or phone number"]: "jane", names["Password"]: "pw"})

    assert reply.status == 303 and reply.headers["Location"] == FB_FORM
    cookies = {c.split("=")[0]: c for c in reply.headers.get_all("Set-Cookie") or []}
    assert set(cookies) == {"c_user", "xs"}
    assert all("Domain=.facebook.com" in c and "Secure" in c for c in cookies.values())
    assert "HttpOnly" in cookies["xs"]
    assert fetch(site, FB_FORM, cookie=cookie_header(reply)).status == 200


def test_only_sessions_the_server_issued_count(site: MockMeta) -> None:
    site.reset(Scenario(require_login=True))
    assert fetch(site, IG_FORM, cookie="sessionid=made-up").status == 302
    login = fetch(site, "https://www.facebook.com/login/", form={"email": "jane", "pass": "pw"})
    assert fetch(site, IG_FORM, cookie=cookie_header(login)).status == 302  # Facebook's login is not Instagram's


def test_a_login_never_sends_the_person_off_meta(site: MockMeta) -> None:
    login_url = "https://www.instagram.com/accounts/login/?" + urlencode({"next": "https://evil.example/"})
    reply = fetch(site, login_url, form={"username": "jane", "password": "pw"})
    assert reply.headers["Location"] == "https://www.instagram.com/"


# --- in a real browser ----------------------------------------------------------------------------------

CHROMIUM = "/usr/bin/chromium"


@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="needs Debian's Chromium at /usr/bin/chromium")
def test_a_person_clicks_from_instagram_home_to_the_confirmation(playwright: Playwright, site: MockMeta) -> None:
    quiet = ["--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"]
    root = ["--no-sandbox"] if os.geteuid() == 0 else []  # Chromium refuses to run as root with its sandbox
    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=[*site.chromium_args(), *quiet, *root])
    try:
        page = browser.new_page()
        page.goto("https://www.instagram.com/")
        expect(page.get_by_text("Jane Doe")).to_be_visible()
        settings = page.get_by_role("link", name="Settings", exact=True)
        expect(settings).to_have_count(0)  # not in the page until the menu is opened

        page.get_by_role("button", name="More", exact=True).click()
        settings.click()
        page.get_by_role("link", name="Privacy Center").click()
        page.get_by_role("link", name="object", exact=True).click()

        expect(page.get_by_role("heading", name="Object to your information being used for AI at Meta")).to_be_visible()
        expect(page.get_by_label("Email address")).to_have_value("jane.doe@example.com")
        assert site.posts() == []
        page.get_by_role("button", name="Submit", exact=True).click()
        expect(page.get_by_role("heading", name="Thanks for your request")).to_be_visible()
        expect(page.get_by_text("your request will be applied going forward")).to_be_visible()
    finally:
        browser.close()

    (post,) = site.posts()
    assert (post.host, post.path) == ("help.instagram.com", "/contact/767264225370182")
    assert post.form["email"] == ["jane.doe@example.com"]
