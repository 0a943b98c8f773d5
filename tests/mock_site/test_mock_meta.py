"""The bundled mock of Meta's site: pages, routing, login and recording, over real HTTPS.

Requests go to 127.0.0.1 with Meta's host name in the Host header, as Chromium's --host-resolver-rules
makes them do. One browser test walks Instagram's click path, as a person would, to the confirmation.
"""

from __future__ import annotations

import html
import json
import re
import socket
import ssl
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.message import Message
from html.parser import HTMLParser
from typing import Any, Literal
from urllib.parse import parse_qs, urlencode, urljoin, urlsplit

import pytest
import yaml
from playwright.sync_api import FilePayload, Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from optout_bot.bundled import FIXTURES_DIR
from optout_bot.mock_site import MockMeta, RecordedRequest, Scenario
from optout_bot.mock_site.pages import strings
from optout_bot.mock_site.server import languages
from tests.conftest import LaunchChromium

# Strings files still being translated from an older en.yaml: the keys added since are listed in the report
# of the change that added them. Remove a language from here once its file has every English key.
INCOMPLETE_LANGUAGES: set[str] = set()  # de, es, it, nl, pt, pl were completed while issue 3 was built
# Texts written in English and French only so far (WhatsApp, LinkedIn, X and the reworked third-party form's
# choice): the other languages' files may lack them, and their pages show the English text (pages.strings).
EN_FR_ONLY = ("third_party.request.", "cookie.wa_title", "whatsapp.", "linkedin.", "x.")

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
IG_THIRD_PARTY = "https://help.instagram.com/contact/510058597920541"
FB_THIRD_PARTY = "https://www.facebook.com/help/contact/510058597920541"
IG_GENERAL = "https://help.instagram.com/contact/1994830130782319"
FB_GENERAL = "https://www.facebook.com/help/contact/1994830130782319"
IG_POLICY = "https://privacycenter.instagram.com/policy/"
FB_POLICY = "https://www.facebook.com/privacy/policy/"
LOOKALIKE = "https://meta-privacy-center.example"
USER_ID = "100012345678901"
PROFILE_URL = f"https://www.facebook.com/profile.php?id={USER_ID}"
EVERY_PAGE += [
    IG_POLICY,
    FB_POLICY,
    IG_THIRD_PARTY,
    FB_THIRD_PARTY,
    IG_GENERAL,
    FB_GENERAL,
    "https://www.instagram.com/checkpoint/",
    "https://www.instagram.com/accounts/login/two_factor/",
    "https://www.facebook.com/checkpoint/",
    "https://www.facebook.com/two_step_verification/two_factor/",
]
OWN_FORMS = [
    IG_FORM,
    "https://help.instagram.com/contact/233964459562201",
    FB_FORM,
    "https://www.facebook.com/help/contact/6359191084165019",
]
EVERY_FORM = [*OWN_FORMS, IG_THIRD_PARTY, FB_THIRD_PARTY, IG_GENERAL, FB_GENERAL]
SIGN_IN_PAGES = ("/login/", "/checkpoint/", "/two_factor/")

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


# Issue 3's obstacles: the texts of the cookie wall, login checks, code prompt, notices and other forms.
TEXTS["en"].update(
    {
        "decline": "Decline optional cookies",
        "accept": "Allow all cookies",
        "fb_cookies": "Allow the use of cookies from Facebook on this browser?",
        "checkpoint": "Approve your login on another phone or computer",
        "continue": "Continue",
        "security_code": "Security code",
        "check_email": "Check your email",
        "code_sent": "Enter the code we sent to j***@example.com",
        "confirmation_code": "Confirmation code",
        "confirm": "Confirm",
        "region": "The right to object is only available in certain regions.",
        "page": "You’re using Facebook as a Page. Pages can’t object: switch to your profile to continue.",
        "third_party": "Object to the use of information about you from third parties for AI at Meta",
        "privacy_policy": "Privacy Policy",
        "right_to_object": "Your right to object",
        "general": "Object to how Meta processes your information",
        "ai_question": "Is your request about AI at Meta?",
        "yes": "Yes",
        "no": "No",
        "other_request": "Which processing do you object to, and why?",
        "received": "We received your request. We’ll reply to you by email.",
        "help_center": "Help Center",
    }
)
TEXTS["fr"].update(
    {
        "decline": "Refuser les cookies optionnels",
        "accept": "Autoriser tous les cookies",
        "fb_cookies": "Autoriser l’utilisation des cookies de Facebook sur ce navigateur ?",
        "checkpoint": "Approuvez votre connexion sur un autre téléphone ou ordinateur",
        "continue": "Continuer",
        "security_code": "Code de sécurité",
        "check_email": "Consultez vos e-mails",
        "code_sent": "Saisissez le code que nous avons envoyé à j***@example.com",
        "confirmation_code": "Code de confirmation",
        "confirm": "Confirmer",
        "region": "Le droit d’opposition est disponible uniquement dans certaines régions.",
        "page": "Vous utilisez Facebook en tant que Page. Les Pages ne peuvent pas s’opposer : passez à votre profil "
        "pour continuer.",
        "third_party": "Vous opposer à l’utilisation, pour l’IA chez Meta, d’informations vous concernant provenant "
        "de tiers",
        "privacy_policy": "Politique de confidentialité",
        "right_to_object": "Votre droit d’opposition",
        "general": "Vous opposer à la façon dont Meta traite vos informations",
        "ai_question": "Votre demande concerne-t-elle l’IA chez Meta ?",
        "yes": "Oui",
        "no": "Non",
        "other_request": "À quel traitement vous opposez-vous, et pourquoi ?",
        "received": "Nous avons bien reçu votre demande. Nous vous répondrons par e-mail.",
        "help_center": "Pages d’aide",
    }
)


# The reworked third-party form, WhatsApp, LinkedIn and X (wording ours or *inferred*, except where the facts doc
# quotes it: LinkedIn's heading and switch label, X's section name and checkbox label).
TEXTS["en"].update(
    {
        "tp_question": "What would you like to do?",
        "tp_access": "Access, download or correct my personal information that appears in a response from AI at Meta",
        "tp_object": "Object to or restrict the processing of my personal information from third parties for AI at "
        "Meta",
        "tp_other": "I have a different request",
        "tp_access_details": "Which response from AI at Meta is it, and what would you like us to do?",
        "tp_details": "Tell us more about your request.",
        "full_name": "Full name",
        "tp_prompts": "Prompts you entered that returned your personal information",
        "tp_screenshot": "Screenshot of the response",
        "tp_impact": "How does this processing impact you?",
        "tp_received": "We received your request",
        "wa_privacy": "Privacy",
        "wa_policy": "WhatsApp Privacy Policy",
        "wa_rights": "Your rights",
        "wa_contact_us": "contact us",
        "wa_form": "Privacy and data protection request",
        "wa_request_type": "Request type",
        "wa_object": "Object to processing of my data",
        "wa_phone": "Phone number, including country code",
        "wa_message": "Your message",
        "wa_send": "Send",
        "wa_received": "Thanks, we received your request",
        "wa_cookies": "Allow the use of cookies from WhatsApp on this browser?",
        "li_me": "Me",
        "li_settings_privacy": "Settings & Privacy",
        "li_account": "Account preferences",
        "li_security": "Sign in & security",
        "li_data_privacy": "Data privacy",
        "li_ai": "Data for Generative AI Improvement",
        "li_switch": "Use my data for training content creation AI models",
        "li_on": "On",
        "li_off": "Off",
        "li_user": "Email or phone",
        "li_sign_in": "Sign in",
        "saved": "Saved",
        "x_settings_privacy": "Settings and privacy",
        "x_your_account": "Your account",
        "x_privacy_safety": "Privacy and safety",
        "x_grok": "Grok & Third-party Collaborators",
        "x_checkbox": "Allow your public data as well as your interactions, inputs, and results with Grok and xAI to "
        "be used for training and fine-tuning",
        "x_user": "Phone, email, or username",
    }
)
TEXTS["fr"].update(
    {
        "tp_question": "Que souhaitez-vous faire ?",
        "tp_access": "Accéder à mes informations personnelles figurant dans une réponse de l’IA chez Meta, les "
        "télécharger ou les corriger",
        "tp_object": "M’opposer au traitement de mes informations personnelles provenant de tiers pour l’IA chez "
        "Meta, ou le limiter",
        "tp_other": "J’ai une autre demande",
        "tp_access_details": "De quelle réponse de l’IA chez Meta s’agit-il, et que souhaitez-vous que nous fassions ?",
        "tp_details": "Donnez-nous plus de détails sur votre demande.",
        "full_name": "Nom complet",
        "tp_prompts": "Requêtes que vous avez saisies et qui ont renvoyé vos informations personnelles",
        "tp_screenshot": "Capture d’écran de la réponse",
        "tp_impact": "Quel est l’impact de ce traitement sur vous ?",
        "tp_received": "Nous avons bien reçu votre demande",
        "wa_privacy": "Confidentialité",
        "wa_policy": "Politique de confidentialité de WhatsApp",
        "wa_rights": "Vos droits",
        "wa_contact_us": "nous contacter",
        "wa_form": "Demande relative à la confidentialité et à la protection des données",
        "wa_request_type": "Type de demande",
        "wa_object": "M’opposer au traitement de mes données",
        "wa_phone": "Numéro de téléphone, avec l’indicatif du pays",
        "wa_message": "Votre message",
        "wa_send": "Envoyer",
        "wa_received": "Merci, nous avons bien reçu votre demande",
        "wa_cookies": "Autoriser l’utilisation des cookies de WhatsApp sur ce navigateur ?",
        "li_me": "Vous",
        "li_settings_privacy": "Préférences et confidentialité",
        "li_account": "Préférences du compte",
        "li_security": "Connexion et sécurité",
        "li_data_privacy": "Confidentialité des données",
        "li_ai": "Données pour l’amélioration de l’IA générative",
        "li_switch": "Utiliser mes données pour entraîner des modèles d’IA de création de contenu",
        "li_on": "Activé",
        "li_off": "Désactivé",
        "li_user": "E-mail ou téléphone",
        "li_sign_in": "S’identifier",
        "saved": "Enregistré",
        "x_settings_privacy": "Paramètres et confidentialité",
        "x_your_account": "Votre compte",
        "x_privacy_safety": "Confidentialité et sécurité",
        "x_grok": "Grok et collaborateurs tiers",
        "x_checkbox": "Autoriser l’utilisation de vos données publiques ainsi que de vos interactions, entrées et "
        "résultats avec Grok et xAI pour l’entraînement et l’affinage",
        "x_user": "Numéro de téléphone, adresse email ou nom d’utilisateur",
    }
)

WA_HOME = "https://www.whatsapp.com/"
WA_POLICY = "https://www.whatsapp.com/legal/privacy-policy-eea"
WA_FORM = "https://www.whatsapp.com/contact/forms/382532939919295/"
LI_FEED = "https://www.linkedin.com/feed/"
LI_LOGIN = "https://www.linkedin.com/login"
LI_ACCOUNT = "https://www.linkedin.com/mypreferences/d/categories/account"
LI_PRIVACY = "https://www.linkedin.com/mypreferences/d/categories/privacy"
LI_SETTING = "https://www.linkedin.com/mypreferences/d/settings/data-for-ai-improvement"
X_HOME = "https://x.com/home"
X_LOGIN = "https://x.com/i/flow/login"
X_SETTINGS = "https://x.com/settings"
X_PRIVACY = "https://x.com/settings/privacy_and_safety"
X_SETTING = "https://x.com/settings/grok_settings"
OTHER_PLATFORM_PAGES = [WA_HOME, WA_POLICY, WA_FORM, LI_FEED, LI_LOGIN, LI_ACCOUNT, LI_PRIVACY, LI_SETTING]
OTHER_PLATFORM_PAGES += [X_HOME, X_LOGIN, X_SETTINGS, X_PRIVACY, X_SETTING]


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

    def has(self, role: str, name: str) -> bool:
        return any(e.role == role and e.name == name for e in self.elements)

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


def fetch(
    site: MockMeta,
    url: str,
    form: dict[str, str] | None = None,
    cookie: str = "",
    upload: tuple[bytes, str] | None = None,
) -> Reply:
    """GET (or POST `form`, or an `upload`: a body and its Content-Type, to) `url` on the mock, as Chromium would reach
    it through --host-resolver-rules."""
    parts = urlsplit(url)
    local = f"https://127.0.0.1:{site.port}{parts.path}" + (f"?{parts.query}" if parts.query else "")
    headers = {"Host": parts.netloc, **({"Cookie": cookie} if cookie else {})}
    data = urlencode(form).encode() if form is not None else None
    if upload is not None:
        data, headers["Content-Type"] = upload
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


def templates(page: Reply, within: str = "<body") -> list[str]:
    """The markup each <template> of the page holds, in order (what a script draws on demand), from `within`
    (the body, or "<form": the form's) to its end."""
    start = page.body.index(within)
    end = page.body.index("</form>", start) if within == "<form" else len(page.body)
    body = re.sub(r"<!--.*?-->", "", page.body[start:end], flags=re.DOTALL)  # no comments
    return re.findall(r"<template>(.*?)</template>", body, flags=re.DOTALL)


def multipart(fields: dict[str, str], files: dict[str, tuple[str, bytes]]) -> tuple[bytes, str]:
    """A multipart/form-data body, as a browser sends a form with a file input."""
    boundary = "----optoutbotBoundary7MA4YWxkTrZu0gW"
    chunks: list[bytes] = []
    for name, value in fields.items():
        chunks.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    for name, (filename, content) in files.items():
        head = f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
        chunks.append(head.encode() + b"Content-Type: image/png\r\n\r\n" + content + b"\r\n")
    chunks.append(f"--{boundary}--\r\n".encode())
    return b"".join(chunks), f"multipart/form-data; boundary={boundary}"


def hidden_fields(page: Reply) -> dict[str, str]:
    """Meta's tokens in the page's forms."""
    return {e.attrs["name"]: e.attrs["value"] for e in page.by_tag("input") if e.attrs.get("type") == "hidden"}


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
    assert set(hidden) == {"fb_dtsg", "lsd", "jazoest"} and all(hidden.values())
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


def _strings_file(lang: str) -> dict[str, Any]:
    folder = FIXTURES_DIR / "strings"
    data: dict[str, Any] = yaml.safe_load((folder / f"{lang}.yaml").read_text(encoding="utf-8"))
    return data


def _keys(tree: dict[str, Any], prefix: str = "") -> set[str]:
    return {
        path
        for key, value in tree.items()
        for path in (_keys(value, f"{prefix}{key}.") if isinstance(value, dict) else {f"{prefix}{key}"})
    }


@pytest.mark.parametrize(
    "lang",
    [
        pytest.param(
            lang, marks=pytest.mark.xfail(strict=False, reason="translation of the keys added for issue 3 pending")
        )
        if lang in INCOMPLETE_LANGUAGES
        else lang
        for lang in languages()
    ],
)
def test_every_strings_file_has_exactly_the_english_keys(lang: str) -> None:
    english, data = _strings_file("en"), _strings_file(lang)
    assert data["language"] == lang
    missing = sorted(_keys(english["strings"]) - _keys(data["strings"]))
    if lang not in ("en", "fr"):
        missing = [key for key in missing if not key.startswith(EN_FR_ONLY)]
    assert missing == [], "missing"
    assert sorted(_keys(data["strings"]) - _keys(english["strings"])) == [], "not in en.yaml"
    assert set(data["countries"]) == set(english["countries"])


def test_english_and_french_pages_exist() -> None:
    assert {"en", "fr"} <= set(languages())


def test_a_text_missing_from_a_language_falls_back_to_english() -> None:
    # Keeps every page drawable while a strings file lags behind en.yaml (the test above lists what is missing).
    for lang in languages():
        assert set(strings(lang).texts) >= set(strings("en").texts), lang


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


# --- secrets the diagnostics must never keep ----------------------------------------------------------------


def page_data(page: Reply) -> str:
    """The inline JSON of Meta's page data (the parser leaves script text out of elements)."""
    start = page.body.index("data-sjs>") + len("data-sjs>")
    return page.body[start : page.body.index("</script>", start)]


@pytest.mark.parametrize("url", EVERY_PAGE)
def test_every_page_carries_metas_tokens_and_the_persons_ids(site: MockMeta, url: str) -> None:
    secrets = site.secrets()
    assert set(secrets) == {"fb_dtsg", "lsd"} and all(len(value) >= 16 for value in secrets.values())

    page = fetch(site, url)

    data = page_data(page)
    assert f'"fb_dtsg":"{secrets["fb_dtsg"]}"' in data and f'"LSD",[],{{"token":"{secrets["lsd"]}"}}' in data
    assert f'"USER_ID":"{USER_ID}"' in data and "</" not in data
    if not any(part in url for part in SIGN_IN_PAGES):  # the header of a logged-in person
        assert PROFILE_URL in {e.attrs.get("href") for e in page.by_tag("a")}
    hidden = [e.attrs for e in page.by_tag("input") if e.attrs.get("type") == "hidden"]
    assert len(hidden) == 3 * len(page.by_tag("form"))  # every form carries the three, with the page's values
    expected = {**secrets, "jazoest": "2" + str(sum(map(ord, secrets["fb_dtsg"])))}
    assert all(field["value"] == expected[field["name"]] for field in hidden)


@pytest.mark.parametrize("url", ["https://www.instagram.com/accounts/edit/", "https://www.facebook.com/settings/"])
def test_settings_pages_show_the_account_email(site: MockMeta, url: str) -> None:
    assert "jane.doe@example.com" in fetch(site, url).text


def test_the_tokens_change_with_every_reset(site: MockMeta) -> None:
    before = site.secrets()
    site.reset()
    assert all(site.secrets()[name] != value for name, value in before.items())
    assert site.secrets()["lsd"] in fetch(site, IG_FORM).body


# --- cookie walls ---------------------------------------------------------------------------------------


def cookie_wall(page: Reply) -> str:
    """The consent dialog's markup, which the page holds in a <template> for its script to draw."""
    if 'aria-modal="true"' not in page.body:
        return ""
    start = page.body.rindex("<template>", 0, page.body.index('aria-modal="true"'))
    return page.body[start : page.body.index("</script>", start)]


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_a_cookie_wall_is_on_every_page_of_a_platform_until_answered(site: MockMeta, lang: str) -> None:
    site.reset(Scenario(lang=lang, cookie_wall="decline"))
    words = TEXTS[lang]

    for url in EVERY_PAGE:
        wall = cookie_wall(fetch(site, url))
        assert 'role="dialog"' in wall and "__mm.consent(" in wall, url  # drawn by script, after load
        assert "<form" not in wall, url
    home = fetch(site, "https://www.facebook.com/")
    dialog = home.named("dialog", words["fb_cookies"])
    assert dialog.attrs["aria-modal"] == "true"
    decline, accept = home.named("button", words["decline"]), home.named("button", words["accept"])
    assert (decline.tag, accept.tag) == ("div", "div")  # Facebook's: divs acting as buttons
    ig_home = fetch(site, "https://www.instagram.com/")
    assert ig_home.named("button", words["decline"]).attrs["type"] == "button"  # Instagram's: real buttons
    assert site.cookie_choice("www.facebook.com") is None

    answered = fetch(site, "https://www.facebook.com/settings/", cookie="cookie_consent=declined")
    assert cookie_wall(answered) == ""
    assert site.cookie_choice("www.facebook.com") == "declined"
    assert site.cookie_choice("www.instagram.com") is None


def test_a_cookie_wall_may_offer_only_to_allow_all(site: MockMeta) -> None:
    site.reset(Scenario(cookie_wall="accept_only"))
    page = fetch(site, IG_FORM)
    assert [e.name for e in page.elements if e.attrs.get("data-cookiebanner")] == ["Allow all cookies"]
    fetch(site, IG_FORM, cookie="cookie_consent=accepted")
    assert site.cookie_choice("help.instagram.com") == "accepted"


def test_without_a_cookie_wall_no_dialog_is_drawn(site: MockMeta) -> None:
    assert all(cookie_wall(fetch(site, url)) == "" for url in EVERY_PAGE)


# --- logging in again, checkpoints, two-factor ----------------------------------------------------------


@pytest.mark.parametrize(("form", "prefix"), [(FB_FORM, "/help/contact/"), (IG_FORM, "/contact/")])
def test_meta_asks_to_log_in_again_right_before_the_form(site: MockMeta, form: str, prefix: str) -> None:
    site.reset(Scenario(relogin_at=prefix))
    platform_home = "https://" + urlsplit(form).netloc.replace("help.", "www.") + "/"
    assert fetch(site, platform_home).status == 200  # logged in, as everywhere without require_login

    reply = fetch(site, form)
    assert reply.status == 302 and "login/?" in reply.headers["Location"]
    assert parse_qs(urlsplit(reply.headers["Location"]).query)["next"] == [form]
    assert fetch(site, platform_home).status == 302  # that login is forgotten, on the whole platform

    user, password = ("email", "pass") if "facebook" in form else ("username", "password")
    login = fetch(site, reply.headers["Location"], form={user: "jane", password: "pw"})
    assert login.status == 303 and login.headers["Location"] == form
    again = fetch(site, form, cookie=cookie_header(login))
    assert again.status == 200 and again.field("Email address").attrs["value"] == "jane.doe@example.com"


def test_a_relogin_forgets_the_session_the_person_had(site: MockMeta) -> None:
    site.reset(Scenario(require_login=True, relogin_at="/help/contact/"))
    first_login = cookie_header(fetch(site, "https://www.facebook.com/login/", form={"email": "j", "pass": "p"}))
    assert fetch(site, "https://www.facebook.com/settings/", cookie=first_login).status == 200

    assert fetch(site, FB_FORM, cookie=first_login).status == 302
    assert fetch(site, "https://www.facebook.com/settings/", cookie=first_login).status == 302

    second_login = cookie_header(fetch(site, "https://www.facebook.com/login/", form={"email": "j", "pass": "p"}))
    assert fetch(site, FB_FORM, cookie=second_login).status == 200  # only the first visit asks


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_a_login_goes_through_the_checkpoint_and_the_security_code(site: MockMeta, lang: str) -> None:
    site.reset(Scenario(lang=lang, require_login=True, checkpoint=True, two_factor=True))
    words = TEXTS[lang]
    login_url = "https://www.instagram.com/accounts/login/?" + urlencode({"next": IG_FORM})
    login = fetch(site, login_url, form={"username": "jane", "password": "pw"})
    session = cookie_header(login)
    checkpoint_url = "https://www.instagram.com/checkpoint/?" + urlencode({"next": IG_FORM})
    assert login.status == 303 and login.headers["Location"] == checkpoint_url
    assert fetch(site, IG_FORM, cookie=session).status == 302  # not logged in before the checks

    checkpoint = fetch(site, checkpoint_url, cookie=session)
    assert checkpoint.named("heading", words["checkpoint"])
    assert checkpoint.named("button", words["continue"]).tag == "div" and not checkpoint.by_tag("form")
    continue_url = "/checkpoint/continue?" + urlencode({"next": IG_FORM})
    assert f'__mm.go(document.currentScript.previousElementSibling, "{continue_url}")' in checkpoint.body

    approved = fetch(site, "https://www.instagram.com" + continue_url, cookie=session)
    two_factor_url = "https://www.instagram.com/accounts/login/two_factor/?" + urlencode({"next": IG_FORM})
    assert approved.status == 302 and approved.headers["Location"] == two_factor_url
    assert fetch(site, IG_FORM, cookie=session).status == 302  # the code is still to come

    two_factor = fetch(site, two_factor_url, cookie=session)
    code = two_factor.field(words["security_code"])
    assert code.attrs["autocomplete"] == "one-time-code"
    assert two_factor.named("button", words["continue"]).attrs["type"] == "submit"
    wrong = fetch(site, two_factor_url, form={code.attrs["name"]: "12ab"}, cookie=session)
    assert wrong.status == 200 and [e for e in wrong.elements if e.role == "alert"]
    right = fetch(site, two_factor_url, form={code.attrs["name"]: "123456"}, cookie=session)
    assert right.status == 303 and right.headers["Location"] == IG_FORM
    assert fetch(site, IG_FORM, cookie=session).status == 200


def test_facebooks_checks_have_facebooks_addresses(site: MockMeta) -> None:
    site.reset(Scenario(require_login=True, two_factor=True))
    login = fetch(site, "https://www.facebook.com/login/?next=" + FB_FORM, form={"email": "jane", "pass": "pw"})
    location = login.headers["Location"]
    assert location == "https://www.facebook.com/two_step_verification/two_factor/?" + urlencode({"next": FB_FORM})
    done = fetch(site, location, form={"approvals_code": "000000"}, cookie=cookie_header(login))
    assert done.headers["Location"] == FB_FORM
    assert fetch(site, FB_FORM, cookie=cookie_header(login)).status == 200


# --- a code after Submit --------------------------------------------------------------------------------


@pytest.mark.parametrize(("url", "lang"), [(FB_FORM, "en"), (IG_FORM, "fr")])
def test_a_code_is_asked_after_submit_before_the_confirmation(site: MockMeta, url: str, lang: str) -> None:
    site.reset(Scenario(lang=lang, code_after_submit=True))
    words = TEXTS[lang]
    fields = form_fields(fetch(site, url))

    prompt = fetch(site, url, form=fields)
    assert prompt.status == 200 and prompt.named("heading", words["check_email"])
    assert words["code_sent"] in prompt.text and words["thanks"] not in prompt.text
    code = prompt.field(words["confirmation_code"])
    assert (code.attrs["autocomplete"], code.attrs["inputmode"]) == ("one-time-code", "numeric")
    assert prompt.named("button", words["confirm"]).attrs["type"] == "submit"
    code_fields = form_fields(prompt)

    wrong = fetch(site, url, form={**code_fields, "code": "12345"})
    assert wrong.named("heading", words["check_email"]) and [e for e in wrong.elements if e.role == "alert"]
    done = fetch(site, url, form={**code_fields, "code": "654321"})
    assert done.named("heading", words["thanks"]) and words["confirmation"] in done.text

    posts = site.posts()
    assert [p.path for p in posts] == [urlsplit(url).path] * 3
    assert posts[0].form["email"] == ["jane.doe@example.com"] and posts[-1].form["code"] == ["654321"]


def test_a_code_nobody_sent_confirms_nothing(site: MockMeta) -> None:
    site.reset(Scenario(code_after_submit=True))
    reply = fetch(site, IG_FORM, form={"code": "123456"})
    assert reply.named("heading", "Check your email") and "Thanks for your request" not in reply.text


# --- a form sent by script ------------------------------------------------------------------------------


def test_a_form_sent_by_script_is_answered_with_what_to_draw(site: MockMeta) -> None:
    site.reset(Scenario(submit_by_script=True))
    page = fetch(site, FB_FORM)
    assert "__mm.scripted(document.currentScript.previousElementSibling)" in page.body
    assert page.body.index("</form>") < page.body.index("__mm.scripted(")

    reply = fetch(site, FB_FORM, form=form_fields(page))

    assert reply.status == 200 and reply.headers["Content-Type"].startswith("application/json")
    assert reply.body.startswith("for (;;);")
    drawn = json.loads(reply.body.removeprefix("for (;;);"))["html"]
    assert "Thanks for your request" in drawn and "<html" not in drawn
    (post,) = site.posts()
    assert post.path == urlsplit(FB_FORM).path and post.form["email"] == ["jane.doe@example.com"]


# --- not offered ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_outside_metas_regions_no_form_is_offered_anywhere(site: MockMeta, lang: str) -> None:
    site.reset(Scenario(lang=lang, region_offered=False))
    words = TEXTS[lang]
    for center_url in ("https://privacycenter.instagram.com/", "https://www.facebook.com/privacy/center/"):
        center = fetch(site, center_url)
        assert words["region"] in center.text and words["right"] not in center.text
        assert not center.has("link", words["object"])
    for url in EVERY_FORM:
        page = fetch(site, url)
        assert page.status == 200 and words["region"] in page.text, url
        assert page.by_tag("form") == [], url
        assert not any(page.has("heading", words[key]) for key in ("form", "third_party", "general")), url


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_a_facebook_page_is_told_it_cannot_object(site: MockMeta, lang: str) -> None:
    site.reset(Scenario(lang=lang, account_is_page=True))
    for url in [url for url in EVERY_FORM if "facebook" in url]:
        page = fetch(site, url)
        assert TEXTS[lang]["page"] in page.text and page.by_tag("form") == [], url
    assert fetch(site, IG_FORM).by_tag("form")  # Instagram has no Pages


# --- the third-party form -------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["en", "fr"])
@pytest.mark.parametrize("url", [IG_THIRD_PARTY, FB_THIRD_PARTY])
def test_the_third_party_form_asks_first_what_the_person_wants(site: MockMeta, url: str, lang: str) -> None:
    site.reset(Scenario(lang=lang))
    words = TEXTS[lang]
    form = fetch(site, url)

    heading = form.named("heading", words["third_party"])
    assert heading.tag == "h2"
    # The words by which the own-information flow refuses this form (flows/words, key third_party_form).
    assert ("from third parties" if lang == "en" else "provenant de tiers") in heading.name
    assert words["form"] not in form.text  # not the person's own form
    (element,) = form.by_tag("form")
    assert (element.attrs["method"], element.attrs["enctype"]) == ("post", "multipart/form-data")
    (legend,) = form.by_tag("legend")
    assert legend.name == words["tp_question"]
    radios = [form.field(words[key]) for key in ("tp_access", "tp_object", "tp_other")]
    assert [(r.attrs["type"], r.attrs["name"], r.attrs["value"]) for r in radios] == [
        ("radio", "request", "access"),
        ("radio", "request", "object"),
        ("radio", "request", "other"),
    ]
    assert not any("checked" in radio.attrs for radio in radios)
    assert "__mm.branches(" in form.body

    # The fields wait in <template>s, one per answer in the radios' order: objecting draws the second.
    access, object_, other = templates(form, within="<form")
    for label in ("full_name", "email", "country", "tp_prompts", "tp_screenshot", "tp_impact"):
        assert f">{words[label]}</label>" in object_, label
        assert words[label] not in access + other, label
    assert f">{words['tp_access_details']}</label>" in access and f">{words['tp_details']}</label>" in other
    name = form.field(words["full_name"]).attrs
    assert (name["type"], name["name"], name["autocomplete"], name.get("value")) == ("text", "full_name", "name", None)
    email = form.field(words["email"]).attrs
    assert (email["type"], email["value"], email["autocomplete"]) == ("email", "jane.doe@example.com", "email")
    country = form.field(words["country"])
    assert (country.tag, country.attrs["name"]) == ("select", "country")
    codes = [o.attrs["value"] for o in form.by_tag("option")]
    assert codes[0] == "" and {"FR", "DE", "GB"} <= set(codes) and all(len(code) == 2 for code in codes[1:])
    assert (form.field(words["tp_prompts"]).tag, form.field(words["tp_prompts"]).attrs["name"]) == (
        "textarea",
        "prompts",
    )
    screenshot = form.field(words["tp_screenshot"]).attrs
    assert (screenshot["type"], screenshot["name"]) == ("file", "screenshot")
    assert form.field(words["tp_impact"]).tag == "textarea"
    buttons = [e for e in form.elements if e.role == "button" and e.name == words["submit"]]
    assert len(buttons) == 3 and all(b.attrs["type"] == "submit" for b in buttons)  # one per answer


@pytest.mark.parametrize(("url", "lang"), [(FB_THIRD_PARTY, "en"), (IG_THIRD_PARTY, "fr")])
def test_a_third_party_request_is_recorded_and_acknowledged(site: MockMeta, url: str, lang: str) -> None:
    site.reset(Scenario(lang=lang))
    words = TEXTS[lang]
    tokens = hidden_fields(fetch(site, url))
    fields = {"request": "object", "full_name": "Jane Doe", "email": "jane.doe@example.com", "country": "FR"}
    fields |= {"prompts": "Who is Jane Doe?", "impact": ""}
    body, content_type = multipart({**tokens, **fields}, {"screenshot": ("answer.png", b"\x89PNG\r\n")})

    reply = fetch(site, url, upload=(body, content_type))

    assert reply.status == 200 and reply.named("heading", words["thanks"])
    assert words["tp_received"] in reply.text and words["confirmation"] not in reply.text
    (post,) = site.posts()
    assert (post.host, post.path) == (urlsplit(url).netloc, urlsplit(url).path)
    assert {name: post.form[name] for name in fields} == {name: [value] for name, value in fields.items()}
    assert post.form["screenshot"] == ["answer.png"]  # a file's value is its name
    assert post.form["fb_dtsg"] == [site.secrets()["fb_dtsg"]]
    plain = fetch(site, url, form={**tokens, "request": "other", "details": "Hello"})  # sent by script: urlencoded
    assert words["tp_received"] in plain.text and site.posts()[-1].form["details"] == ["Hello"]


@pytest.mark.parametrize(
    ("center_url", "third_party_href"),
    [
        ("https://www.facebook.com/privacy/center/", "/help/contact/510058597920541"),
        ("https://privacycenter.instagram.com/", IG_THIRD_PARTY),
    ],
)
def test_the_object_link_may_lead_to_the_third_party_form(
    site: MockMeta, center_url: str, third_party_href: str
) -> None:
    site.reset(Scenario(object_link_form="third_party"))
    assert fetch(site, center_url).link("object") == third_party_href
    genai = fetch(site, urljoin(center_url, "/privacy/genai/"))
    assert "510058597920541" not in genai.link("Submit an objection request")  # the other route still works
    assert all(fetch(site, url).status == 200 for url in OWN_FORMS)


def test_every_route_may_end_at_the_third_party_form(site: MockMeta) -> None:
    site.reset(Scenario(third_party_everywhere=True))
    fb_third_party = "/help/contact/510058597920541"
    assert fetch(site, "https://www.facebook.com/privacy/center/").link("object") == fb_third_party
    assert fetch(site, "https://www.facebook.com/privacy/genai/").link("Submit an objection request") == fb_third_party
    assert fetch(site, FB_POLICY).link("object") == fb_third_party
    assert fetch(site, "https://privacycenter.instagram.com/").link("object") == IG_THIRD_PARTY
    for url in OWN_FORMS:
        reply = fetch(site, url)
        assert reply.status == 302, url
        assert reply.headers["Location"] == (IG_THIRD_PARTY if "instagram" in url else FB_THIRD_PARTY)


# --- off Meta's domains ---------------------------------------------------------------------------------


def test_the_object_link_may_point_to_a_look_alike_site_which_answers_too(site: MockMeta) -> None:
    site.reset(Scenario(phishing_link=True))
    copy_url = f"{LOOKALIKE}/contact/712876720715583"
    assert fetch(site, "https://privacycenter.instagram.com/").link("object") == copy_url
    assert fetch(site, "https://www.facebook.com/privacy/center/").link("object") == copy_url

    copy = fetch(site, copy_url)
    assert copy.status == 200 and copy.named("heading", TEXTS["en"]["form"])
    assert copy.field("Email address").attrs["value"] == ""  # it does not know the person
    fetch(site, copy_url, form={"email": "jane.doe@example.com"})

    copies = [(r.method, r.host, r.path) for r in site.requests if r.host == "meta-privacy-center.example"]
    assert copies == [
        ("GET", "meta-privacy-center.example", "/contact/712876720715583"),
        ("POST", "meta-privacy-center.example", "/contact/712876720715583"),
    ]
    assert site.posts() == []  # not a POST to Meta


@pytest.mark.parametrize("url", OWN_FORMS)
def test_the_form_addresses_may_redirect_off_metas_domains(site: MockMeta, url: str) -> None:
    site.reset(Scenario(redirect_off_site=True))
    reply = fetch(site, url)
    target = LOOKALIKE + urlsplit(url).path
    assert reply.status == 302 and reply.headers["Location"] == target
    assert fetch(site, target).named("heading", TEXTS["en"]["form"])


# --- the Privacy Policy route ---------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_only_the_privacy_policy_may_lead_to_a_form(site: MockMeta, lang: str) -> None:
    site.reset(Scenario(lang=lang, policy_route_only=True))
    words = TEXTS[lang]

    center = fetch(site, "https://www.facebook.com/privacy/center/")
    assert words["right"] in center.text and not center.has("link", words["object"])
    assert not fetch(site, "https://www.facebook.com/privacy/topics/").has("link", words["ai_at_meta"])
    assert all(fetch(site, url).status == 404 for url in OWN_FORMS)

    settings = fetch(site, "https://www.facebook.com/settings/")
    assert settings.link(words["privacy_policy"]) == "/privacy/policy/"
    policy = fetch(site, FB_POLICY)
    assert policy.named("heading", words["privacy_policy"]).tag == "h1"
    assert policy.named("heading", words["right_to_object"]).tag == "h2"
    start = policy.body.index(words["right_to_object"])
    section = policy.body[policy.body.rindex("<section", 0, start) : policy.body.index("</section>", start)]
    assert '<a href="/help/contact/1994830130782319" role="link"' in section
    assert policy.link(words["object"]) == "/help/contact/1994830130782319"
    assert fetch(site, IG_POLICY).link(words["object"]) == IG_GENERAL


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_general_form_asks_first_whether_the_request_is_about_ai(site: MockMeta, lang: str) -> None:
    site.reset(Scenario(lang=lang))
    words = TEXTS[lang]
    form = fetch(site, FB_GENERAL)

    assert form.named("heading", words["general"]).tag == "h2"
    (legend,) = form.by_tag("legend")
    assert legend.name == words["ai_question"]
    yes, no = form.field(words["yes"]), form.field(words["no"])
    assert (yes.attrs["type"], yes.attrs["value"], no.attrs["value"]) == ("radio", "yes", "no")
    assert not any("checked" in radio.attrs for radio in (yes, no))
    # The fields each answer draws wait in <template>s: the AI one first, with the own form's labels.
    email = form.field(words["email"])
    assert (email.attrs["type"], email.attrs["value"]) == ("email", "jane.doe@example.com")
    assert form.field(words["reason"]).tag == "textarea" and form.field(words["other_request"]).tag == "textarea"
    assert "__mm.branches(" in form.body

    tokens = form_fields(form)
    about_ai = fetch(site, FB_GENERAL, form={**tokens, "ai_request": "yes", "email": "jane.doe@example.com"})
    assert words["confirmation"] in about_ai.text
    other = fetch(site, FB_GENERAL, form={**tokens, "ai_request": "no", "request": "Ads"})
    assert words["received"] in other.text and words["confirmation"] not in other.text
    assert [p.form["ai_request"] for p in site.posts()] == [["yes"], ["no"]]


# --- a redesigned site ----------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_after_a_redesign_nothing_the_tool_knows_is_left(site: MockMeta, lang: str) -> None:
    site.reset(Scenario(lang=lang, layout="changed"))
    words = TEXTS[lang]
    known_links = [words[key] for key in ("settings", "privacy_center", "object", "privacy_topics", "ai_at_meta")]
    known_links += [words["submit_objection"], words["privacy_policy"], words["more"]]
    for url in [url for url in EVERY_PAGE if not any(part in url for part in SIGN_IN_PAGES)]:
        page = fetch(site, url)
        assert page.status == 200, url
        assert not [e.name for e in page.elements if e.role in ("link", "button") and e.name in known_links], url
        assert not page.has("button", words["your_profile"]), url
        assert page.by_tag("form") == [] and words["right"] not in page.text, url
        assert "Jane Doe" in page.text and PROFILE_URL in page.body and USER_ID in page_data(page), url
    for url in [*EVERY_FORM, IG_POLICY, FB_POLICY]:
        help_page = fetch(site, url)
        assert help_page.named("heading", words["help_center"]).tag == "h1"
        assert "jane.doe@example.com" in help_page.text  # a secret the diagnostic must scrub
    assert fetch(site, FB_FORM, form={"email": "x"}).status == 405


# --- reset ----------------------------------------------------------------------------------------------


def test_reset_forgets_cookie_choices_relogins_and_codes_sent(site: MockMeta) -> None:
    site.reset(Scenario(relogin_at="/contact/", code_after_submit=True))
    fetch(site, "https://www.instagram.com/", cookie="cookie_consent=declined")
    assert fetch(site, IG_FORM).status == 302  # the relogin is used up
    login = cookie_header(
        fetch(site, "https://www.instagram.com/accounts/login/", form={"username": "j", "password": "p"})
    )
    fetch(site, IG_FORM, form={"email": "jane.doe@example.com"}, cookie=login)  # a code is sent

    site.reset(Scenario(relogin_at="/contact/", code_after_submit=True))

    assert site.cookie_choice("www.instagram.com") is None
    assert fetch(site, "https://www.instagram.com/").status == 200  # logged in again, as without require_login
    assert fetch(site, IG_FORM).status == 302  # and asked to log in again, once more
    login = cookie_header(
        fetch(site, "https://www.instagram.com/accounts/login/", form={"username": "j", "password": "p"})
    )
    reply = fetch(site, IG_FORM, form={"code": "123456"}, cookie=login)
    assert reply.named("heading", "Check your email")  # the code sent before the reset counts no more


# --- WhatsApp, LinkedIn and X ---------------------------------------------------------------------------


def setting_switch(page: Reply) -> Element:
    (switch,) = [e for e in page.elements if e.role == "switch"]
    return switch


def labelled_by(page: Reply, element: Element) -> str:
    (label,) = [e for e in page.elements if e.attrs.get("id") == element.attrs["aria-labelledby"]]
    return label.name


def save_setting(site: MockMeta, url: str, value: str, cookie: str = "") -> Reply:
    """What the page script sends when the person flips the setting."""
    return fetch(site, url, form={"enabled": value}, cookie=cookie)


@pytest.mark.parametrize("lang", languages())
def test_the_other_platforms_pages_are_html_in_the_scenario_language(site: MockMeta, lang: str) -> None:
    site.reset(Scenario(lang=lang))
    for url in OTHER_PLATFORM_PAGES:
        page = fetch(site, url)
        assert page.status == 200, url
        assert page.headers["Content-Type"] == "text/html; charset=utf-8"
        assert page.by_tag("html")[0].attrs["lang"] == lang
        assert "data-testid" not in page.body and "${" not in page.body, url
        assert "data-sjs" not in page.body, url  # no page data: none of these pages knows the person's ids
        if "whatsapp" not in url:  # WhatsApp's form carries Meta's tokens; LinkedIn and X have none of them
            assert "fb_dtsg" not in page.body, url
        assert not [e for e in page.elements if "id" in e.attrs and not e.attrs["id"].startswith("_r_")], url


def test_the_front_doors_of_linkedin_and_x_lead_to_the_feed(site: MockMeta) -> None:
    assert fetch(site, "https://www.linkedin.com/").headers["Location"] == LI_FEED
    assert fetch(site, "https://x.com/").headers["Location"] == X_HOME
    assert fetch(site, "https://www.linkedin.com/feed").headers["Location"] == LI_FEED  # the slash added


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_whatsapp_leads_from_the_footer_and_the_privacy_policy_to_its_form(site: MockMeta, lang: str) -> None:
    site.reset(Scenario(lang=lang, require_login=True))  # WhatsApp's web pages have no login
    words = TEXTS[lang]

    home = fetch(site, WA_HOME)
    assert home.status == 200
    (footer,) = home.by_tag("footer")
    assert words["wa_privacy"] in footer.text
    assert home.link(words["wa_privacy"]) == "/legal/privacy-policy-eea"

    policy = fetch(site, WA_POLICY)
    assert policy.named("heading", words["wa_policy"]).tag == "h1"
    start = policy.body.index(f">{words['wa_rights']}</h2>")
    section = policy.body[policy.body.rindex("<section", 0, start) : policy.body.index("</section>", start)]
    assert '<a href="/contact/forms/382532939919295/" role="link"' in section
    assert policy.link(words["wa_contact_us"]) == "/contact/forms/382532939919295/"

    form = fetch(site, WA_FORM)
    assert form.named("heading", words["wa_form"]).tag == "h1"
    (legend,) = form.by_tag("legend")
    assert legend.name == words["wa_request_type"]
    radios = [e for e in form.by_tag("input") if e.attrs.get("type") == "radio"]
    assert [r.attrs["value"] for r in radios] == ["access", "rectify", "erase", "object", "other"]
    assert {r.attrs["name"] for r in radios} == {"request_type"} and not any("checked" in r.attrs for r in radios)
    assert form.field(words["wa_object"]).attrs["value"] == "object"
    phone = form.field(words["wa_phone"]).attrs
    assert (phone["type"], phone["name"], phone["autocomplete"]) == ("tel", "phone_number", "tel")
    email = form.field(words["email"]).attrs
    assert (email["type"], email["name"], email["value"]) == ("email", "email", "")  # nobody is logged in
    assert form.field(words["wa_message"]).tag == "textarea"
    assert form.named("button", words["wa_send"]).attrs["type"] == "submit"
    assert "Jane Doe" not in form.text


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_whatsapps_form_is_recorded_and_acknowledged(site: MockMeta, lang: str) -> None:
    site.reset(Scenario(lang=lang))
    words = TEXTS[lang]
    fields = {"request_type": "object", "phone_number": "+33612345678", "email": "jane.doe@example.com"}
    fields["message"] = "I object to the processing of my data for AI at Meta."

    reply = fetch(site, WA_FORM, form={**form_fields(fetch(site, WA_FORM)), **fields})

    assert reply.status == 200 and reply.named("heading", words["wa_received"]).tag == "h1"
    assert reply.by_tag("form") == []
    (post,) = site.posts()
    assert (post.host, post.path) == ("www.whatsapp.com", "/contact/forms/382532939919295/")
    assert {name: post.form[name] for name in fields} == {name: [value] for name, value in fields.items()}


def test_whatsapp_has_metas_cookie_wall_and_redesign_but_not_its_page_data(site: MockMeta) -> None:
    site.reset(Scenario(cookie_wall="decline"))
    page = fetch(site, WA_HOME)
    assert page.named("dialog", TEXTS["en"]["wa_cookies"]) and "__mm.consent(" in cookie_wall(page)
    assert cookie_wall(fetch(site, WA_FORM, cookie="cookie_consent=declined")) == ""
    assert site.cookie_choice("www.whatsapp.com") == "declined"
    assert "data-sjs" not in page.body  # WhatsApp's web pages do not know the person
    site.reset(Scenario(layout="changed"))
    assert fetch(site, WA_FORM).by_tag("form") == []


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_linkedin_leads_from_the_me_menu_to_the_ai_setting(site: MockMeta, lang: str) -> None:
    site.reset(Scenario(lang=lang))
    words = TEXTS[lang]

    feed = fetch(site, LI_FEED)
    me = feed.named("button", words["li_me"])
    assert (me.tag, me.attrs["aria-haspopup"], me.attrs["aria-expanded"]) == ("button", "menu", "false")
    assert me.attrs["type"] == "button"
    (menu,) = templates(feed)  # the menu is drawn by script when "Me" is clicked
    assert 'href="/mypreferences/d/categories/account" role="link"' in menu
    assert feed.link(words["li_settings_privacy"]) == "/mypreferences/d/categories/account"
    assert "Jane Doe" in feed.text

    account = fetch(site, LI_ACCOUNT)
    (nav,) = [e for e in account.by_tag("nav") if words["li_data_privacy"] in e.text]
    assert words["li_account"] in nav.text and words["li_security"] in nav.text
    assert account.link(words["li_account"]) == "/mypreferences/d/categories/account"
    assert account.link(words["li_security"])
    assert account.link(words["li_data_privacy"]) == "/mypreferences/d/categories/privacy"

    privacy = fetch(site, LI_PRIVACY)
    assert privacy.link(words["li_ai"]) == "/mypreferences/d/settings/data-for-ai-improvement"
    assert privacy.named("link", words["li_ai"]) in [e for e in privacy.elements if e.role == "link"]

    setting = fetch(site, LI_SETTING)
    assert setting.named("heading", words["li_ai"]).tag == "h2"
    switch = setting_switch(setting)
    assert (switch.tag, switch.attrs["type"], switch.attrs["aria-checked"]) == ("button", "button", "true")
    assert labelled_by(setting, switch) == words["li_switch"]
    assert f'<span class="xo1l8bm">{words["li_on"]}</span>' in setting.body  # visible beside the switch
    assert [e.text for e in setting.elements if e.role == "status"] == [""]
    assert "__mm.setting(" in setting.body


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_x_leads_from_settings_and_privacy_to_the_grok_checkbox(site: MockMeta, lang: str) -> None:
    site.reset(Scenario(lang=lang))
    words = TEXTS[lang]

    assert fetch(site, X_HOME).link(words["x_settings_privacy"]) == "/settings"
    settings = fetch(site, X_SETTINGS)
    assert settings.link(words["x_your_account"])
    assert settings.link(words["x_privacy_safety"]) == "/settings/privacy_and_safety"
    assert fetch(site, X_PRIVACY).link(words["x_grok"]) == "/settings/grok_settings"

    grok = fetch(site, X_SETTING)
    assert grok.named("heading", words["x_grok"]).tag == "h2"
    box = grok.field(words["x_checkbox"])
    assert (box.tag, box.attrs["type"]) == ("input", "checkbox") and "checked" in box.attrs
    assert [e.text for e in grok.elements if e.role == "status"] == [""]
    assert "__mm.setting(" in grok.body


@pytest.mark.parametrize(("url", "platform"), [(LI_SETTING, "linkedin"), (X_SETTING, "x")])
def test_flipping_a_setting_saves_it_and_is_recorded(site: MockMeta, url: str, platform: str) -> None:
    assert site.setting(platform) is True  # on by default, as the platforms ship it

    reply = save_setting(site, url, "false")

    assert reply.status == 200 and reply.headers["Content-Type"].startswith("application/json")
    assert json.loads(reply.body) == {"enabled": False}
    assert site.setting(platform) is False
    page = fetch(site, url)
    if platform == "linkedin":
        assert setting_switch(page).attrs["aria-checked"] == "false"
        assert f'<span class="xo1l8bm">{TEXTS["en"]["li_off"]}</span>' in page.body
    else:
        assert "checked" not in page.field(TEXTS["en"]["x_checkbox"]).attrs
    (post,) = site.posts()
    assert (post.method, f"https://{post.host}{post.path}", post.form) == ("POST", url, {"enabled": ["false"]})

    assert json.loads(save_setting(site, url, "true").body) == {"enabled": True} and site.setting(platform)
    assert save_setting(site, url, "maybe").status == 400 and site.setting(platform)
    other = "x" if platform == "linkedin" else "linkedin"
    assert site.setting(other) is True  # each platform keeps its own


@pytest.mark.parametrize(("url", "platform"), [(LI_SETTING, "linkedin"), (X_SETTING, "x")])
def test_a_fresh_site_may_start_with_the_setting_off(site: MockMeta, url: str, platform: str) -> None:
    site.reset(Scenario(ai_setting_on=False))
    assert site.setting(platform) is False
    page = fetch(site, url)
    if platform == "linkedin":
        assert setting_switch(page).attrs["aria-checked"] == "false"
    else:
        assert "checked" not in page.field(TEXTS["en"]["x_checkbox"]).attrs


@pytest.mark.parametrize(
    ("url", "platform", "login_url", "login_form"),
    [
        (LI_SETTING, "linkedin", LI_LOGIN, {"session_key": "jane", "session_password": "pw"}),
        (X_SETTING, "x", X_LOGIN, {"text": "jane", "password": "pw"}),
    ],
)
def test_a_platform_may_switch_the_setting_back_on_without_logging_the_person_out(
    site: MockMeta, url: str, platform: str, login_url: str, login_form: dict[str, str]
) -> None:
    site.reset(Scenario(require_login=True))
    session = cookie_header(fetch(site, login_url, form=login_form))
    assert json.loads(save_setting(site, url, "false", cookie=session).body) == {"enabled": False}

    site.set_setting(platform, True)  # "platforms have reset such settings before"

    assert site.setting(platform) is True
    page = fetch(site, url, cookie=session)
    assert page.status == 200  # still logged in
    if platform == "linkedin":
        assert setting_switch(page).attrs["aria-checked"] == "true"
    else:
        assert "checked" in page.field(TEXTS["en"]["x_checkbox"]).attrs
    assert len(site.posts()) == 2  # the login and the save are kept
    site.set_setting(platform, False)
    assert site.setting(platform) is False

    site.reset()
    assert site.setting(platform) is True  # a reset forgets the settings saved


def test_only_linkedin_and_x_have_a_setting(site: MockMeta) -> None:
    for wrong in ("instagram", "facebook", "LinkedIn"):
        with pytest.raises(ValueError, match=repr(wrong)):
            site.set_setting(wrong, False)
        with pytest.raises(ValueError, match=repr(wrong)):
            site.setting(wrong)


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_every_page_declared_in_pages_yaml_is_served_with_its_title(site: MockMeta, lang: str) -> None:
    from optout_bot.mock_site.declared import declared_pages

    site.reset(Scenario(lang=lang))
    for row in declared_pages():
        page = fetch(site, f"https://{row.host}{row.path}")
        assert page.status == 200, row.path
        assert page.by_tag("title")[0].text == html.unescape(strings(lang).texts[row.title]), row.path
        if row.kind == "form":
            assert len(page.by_tag("form")) == 1, row.path
        if row.kind == "setting":
            assert "__mm.setting(" in page.body, row.path
        if row.kind == "page":  # a page takes no POST
            assert fetch(site, f"https://{row.host}{row.path}", form={"x": "1"}).status == 405, row.path


@pytest.mark.parametrize(
    ("row", "mistake"),
    [
        ({"kind": "setting"}, "names its 'setting' key"),
        ({"kind": "setting", "setting": "k", "words": {"saved": "a"}}, "'saved' and 'not_saved'"),
        ({"kind": "form"}, "names its 'answer' template"),
        ({"kind": "page", "answer": "wa_confirmation"}, "names its 'answer' template"),
        ({"template": "no_such_page"}, "no template no_such_page.html"),
        ({"kind": "menu"}, "Input should be 'page', 'setting' or 'form'"),
        ({"words": {"on": "x"}}, "Input should be"),  # YAML's `on:` is read as true: the key is state_on
    ],
)
def test_a_mistake_in_a_declared_page_is_named(row: dict[str, Any], mistake: str) -> None:
    from pydantic import ValidationError

    from optout_bot.mock_site.declared import DeclaredPage

    base = {"host": "x.com", "path": "/settings/new", "template": "x_grok", "title": "x_titles_settings"}
    with pytest.raises(ValidationError, match=re.escape(mistake)):
        DeclaredPage.model_validate({**base, **row})


def test_the_setting_may_be_given_on_the_command_line() -> None:
    from optout_bot.mock_site.__main__ import _parse

    assert Scenario().ai_setting_on is True
    assert _parse(["--set", "ai_setting_on=false"]).ai_setting_on is False


@pytest.mark.parametrize(
    ("url", "login_url", "param"),
    [
        (LI_SETTING, LI_LOGIN, "session_redirect"),
        (LI_FEED, LI_LOGIN, "session_redirect"),
        (X_SETTING, X_LOGIN, "redirect_after_login"),
        (X_HOME, X_LOGIN, "redirect_after_login"),
    ],
)
def test_logged_out_linkedin_and_x_pages_send_the_person_to_their_own_login(
    site: MockMeta, url: str, login_url: str, param: str
) -> None:
    site.reset(Scenario(require_login=True))
    reply = fetch(site, url)
    assert reply.status == 302 and reply.headers["Location"] == f"{login_url}?{urlencode({param: url})}"
    assert fetch(site, login_url).status == 200

    saved = save_setting(site, url, "false")  # a save without a login is not kept
    assert saved.status == 303 and saved.headers["Location"].startswith(login_url + "?")
    assert site.setting("linkedin") and site.setting("x")


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_logging_in_to_linkedin_sets_li_at_and_returns_to_session_redirect(site: MockMeta, lang: str) -> None:
    site.reset(Scenario(lang=lang, require_login=True))
    words = TEXTS[lang]
    login_url = f"{LI_LOGIN}?{urlencode({'session_redirect': LI_SETTING})}"
    page = fetch(site, login_url)
    assert page.named("button", words["li_sign_in"]).attrs["type"] == "submit"
    assert [e for e in page.by_tag("label") if e.name == words["li_user"]]  # the field is inside its label
    assert {e.attrs["name"] for e in page.by_tag("input")} == {"session_key", "session_password"}
    assert "data-sjs" not in page.body and "fb_dtsg" not in page.body  # none of Meta's tokens

    refused = fetch(site, login_url, form={"session_key": "jane", "session_password": ""})
    assert refused.status == 200 and [e for e in refused.elements if e.role == "alert"]

    reply = fetch(site, login_url, form={"session_key": "jane", "session_password": "secret"})
    assert reply.status == 303 and reply.headers["Location"] == LI_SETTING
    (cookie,) = reply.headers.get_all("Set-Cookie") or []
    attributes = [part.strip() for part in cookie.split(";")]
    assert attributes[0].startswith("li_at=") and len(attributes[0]) > len("li_at=") + 16
    assert {"Domain=.linkedin.com", "Path=/", "Secure", "HttpOnly"} <= set(attributes)
    assert fetch(site, LI_SETTING, cookie=cookie_header(reply)).status == 200
    assert fetch(site, X_SETTING, cookie=cookie_header(reply)).status == 302  # LinkedIn's login is not X's
    assert [(p.host, p.path) for p in site.posts()] == [("www.linkedin.com", "/login")] * 2


def test_logging_in_to_x_sets_auth_token_and_returns_to_redirect_after_login(site: MockMeta) -> None:
    site.reset(Scenario(require_login=True, checkpoint=True, two_factor=True))  # Meta's checks are Meta's
    login_url = f"{X_LOGIN}?{urlencode({'redirect_after_login': X_SETTING})}"
    page = fetch(site, login_url)
    assert [e for e in page.by_tag("label") if e.name == TEXTS["en"]["x_user"]]  # the field is inside its label
    assert {e.attrs["name"] for e in page.by_tag("input")} == {"text", "password"}

    reply = fetch(site, login_url, form={"text": "jane", "password": "secret"})

    assert reply.status == 303 and reply.headers["Location"] == X_SETTING
    (cookie,) = reply.headers.get_all("Set-Cookie") or []
    assert cookie.startswith("auth_token=") and "Domain=.x.com" in cookie and "HttpOnly" in cookie
    assert fetch(site, X_SETTING, cookie=cookie_header(reply)).status == 200
    assert fetch(site, LI_SETTING, cookie=cookie_header(reply)).status == 302


@pytest.mark.parametrize(
    ("login_url", "param", "fields", "home"),
    [
        (LI_LOGIN, "session_redirect", {"session_key": "j", "session_password": "p"}, LI_FEED),
        (X_LOGIN, "redirect_after_login", {"text": "j", "password": "p"}, X_HOME),
    ],
)
@pytest.mark.parametrize(
    "target", ["https://evil.example/", "https://www.facebook.com/", "http://x.com/home", "/settings", "javascript:1"]
)
def test_a_linkedin_or_x_login_returns_only_to_the_platforms_own_pages(
    site: MockMeta, login_url: str, param: str, fields: dict[str, str], home: str, target: str
) -> None:
    reply = fetch(site, f"{login_url}?{urlencode({param: target})}", form=fields)
    assert reply.headers["Location"] == home


def test_linkedin_and_x_have_no_cookie_wall_relogin_or_redesign(site: MockMeta) -> None:
    site.reset(Scenario(cookie_wall="decline", relogin_at="/", layout="changed"))
    for url in (LI_SETTING, X_SETTING):
        page = fetch(site, url)
        assert page.status == 200 and cookie_wall(page) == "", url
        assert [e for e in page.elements if e.role in ("switch",) or e.attrs.get("type") == "checkbox"], url


def test_posts_include_the_other_platforms_but_not_the_browsers_own_traffic(site: MockMeta) -> None:
    save_setting(site, LI_SETTING, "false")
    fetch(site, WA_FORM, form={"email": "jane.doe@example.com"})
    fetch(site, "https://www.linkedin.com/no/such/page", form={"x": "1"})  # a 404 on LinkedIn's host still counts
    fetch(site, "https://api.x.com/1.1/jot/client_event.json", form={"log": "1"})  # not a host the mock serves
    fetch(site, f"{LOOKALIKE}/contact/712876720715583", form={"email": "j"})
    assert [(p.host, p.path) for p in site.posts()] == [
        ("www.linkedin.com", "/mypreferences/d/settings/data-for-ai-improvement"),
        ("www.whatsapp.com", "/contact/forms/382532939919295/"),
        ("www.linkedin.com", "/no/such/page"),
    ]


@pytest.mark.parametrize("host", ["www.linkedin.com", "x.com", "www.whatsapp.com", "www.instagram.com"])
def test_the_certificate_covers_every_host_name(site: MockMeta, host: str) -> None:
    from cryptography import x509

    context = ssl._create_unverified_context()
    with (
        socket.create_connection(("127.0.0.1", site.port), timeout=10) as raw,
        context.wrap_socket(raw, server_hostname=host) as connection,
    ):
        der = connection.getpeercert(binary_form=True)
    assert der is not None
    names = x509.load_der_x509_certificate(der).extensions.get_extension_for_class(x509.SubjectAlternativeName)
    dns = names.value.get_values_for_type(x509.DNSName)
    parent = host.split(".", 1)[1] if host.count(".") > 1 else host
    assert host in dns or f"*.{parent}" in dns
    assert {"linkedin.com", "*.linkedin.com", "x.com", "*.x.com", "whatsapp.com", "*.whatsapp.com"} <= set(dns)


# --- in a real browser ----------------------------------------------------------------------------------


@pytest.fixture
def tab(launch_chromium: LaunchChromium, site: MockMeta) -> Iterator[Page]:
    """A tab of the system's Chromium, reaching Meta's host names on this test's own mock site."""
    browser = launch_chromium(*site.chromium_args())
    try:
        yield browser.new_page()
    finally:
        browser.close()


def meta_requests(site: MockMeta) -> list[RecordedRequest]:
    return [r for r in site.requests if r.host.endswith((".facebook.com", ".instagram.com"))]


def test_a_person_clicks_from_instagram_home_to_the_confirmation(tab: Page, site: MockMeta) -> None:
    tab.goto("https://www.instagram.com/")
    expect(tab.get_by_text("Jane Doe")).to_be_visible()
    settings = tab.get_by_role("link", name="Settings", exact=True)
    expect(settings).to_have_count(0)  # not in the page until the menu is opened

    tab.get_by_role("button", name="More", exact=True).click()
    settings.click()
    tab.get_by_role("link", name="Privacy Center").click()
    tab.get_by_role("link", name="object", exact=True).click()

    expect(tab.get_by_role("heading", name="Object to your information being used for AI at Meta")).to_be_visible()
    expect(tab.get_by_label("Email address")).to_have_value("jane.doe@example.com")
    assert site.posts() == []
    tab.get_by_role("button", name="Submit", exact=True).click()
    expect(tab.get_by_role("heading", name="Thanks for your request")).to_be_visible()
    expect(tab.get_by_text("your request will be applied going forward")).to_be_visible()

    (post,) = site.posts()
    assert (post.host, post.path) == ("help.instagram.com", "/contact/767264225370182")
    assert post.form["email"] == ["jane.doe@example.com"]


@pytest.mark.parametrize(
    ("lang", "wall", "start", "link", "answer", "choice"),
    [
        ("fr", "decline", "https://www.facebook.com/settings/", "privacy_center", "decline", "declined"),
        ("en", "accept_only", "https://www.instagram.com/accounts/edit/", "privacy_center", "accept", "accepted"),
    ],
)
def test_the_cookie_dialog_takes_every_click_until_answered(
    tab: Page,
    site: MockMeta,
    lang: str,
    wall: Literal["decline", "accept_only"],
    start: str,
    link: str,
    answer: str,
    choice: str,
) -> None:
    site.reset(Scenario(lang=lang, cookie_wall=wall))
    words = TEXTS[lang]
    tab.goto(start)
    dialog = tab.locator("[role=dialog][aria-modal=true]")
    expect(dialog).to_be_visible()
    underneath = tab.get_by_role("link", name=words[link])

    with pytest.raises(PlaywrightTimeoutError):
        underneath.click(timeout=1000)  # the overlay takes the click
    box = underneath.bounding_box()
    assert box is not None
    hit = tab.evaluate(
        "([x, y]) => document.querySelector('[aria-modal]').parentElement.contains(document.elementFromPoint(x, y))",
        [box["x"] + box["width"] / 2, box["y"] + box["height"] / 2],
    )
    assert hit  # what is under the pointer is the dialog or the overlay around it
    requests_before = len(meta_requests(site))

    tab.get_by_role("button", name=words[answer], exact=True).click()

    expect(dialog).to_have_count(0)
    assert f"cookie_consent={choice}" in tab.evaluate("document.cookie")
    assert len(meta_requests(site)) == requests_before  # the choice is kept by the page, not sent
    underneath.click()
    tab.wait_for_load_state()
    assert "aria-modal" not in tab.content()  # answered: the next page of the platform has no dialog
    host = urlsplit(tab.url).hostname
    assert host is not None and site.cookie_choice(host) == choice


def test_a_person_approves_the_login_then_types_the_code(tab: Page, site: MockMeta) -> None:
    site.reset(Scenario(lang="fr", require_login=True, checkpoint=True, two_factor=True))
    tab.goto(FB_FORM)
    tab.get_by_placeholder("Adresse e-mail ou numéro de mobile").fill("jane.doe")
    tab.get_by_placeholder("Mot de passe").fill("secret")
    tab.get_by_role("button", name="Se connecter").click()

    expect(tab.get_by_role("heading", name=TEXTS["fr"]["checkpoint"])).to_be_visible()
    tab.get_by_role("button", name="Continuer").click()  # a div acting as a button, sent on by script
    tab.get_by_label("Code de sécurité").fill("123456")
    tab.get_by_role("button", name="Continuer").click()

    expect(tab.get_by_role("heading", name=TEXTS["fr"]["form"])).to_be_visible()
    assert tab.url == FB_FORM
    expect(tab.get_by_label("Adresse e-mail", exact=True)).to_have_value("jane.doe@example.com")


@pytest.mark.parametrize("code", [False, True], ids=["confirmation", "code-then-confirmation"])
def test_a_form_sent_by_script_is_answered_in_place(tab: Page, site: MockMeta, code: bool) -> None:
    site.reset(Scenario(submit_by_script=True, code_after_submit=code))
    tab.goto(IG_FORM)
    tab.evaluate("window.stillTheSamePage = true")

    tab.get_by_role("button", name="Submit", exact=True).click()
    if code:
        tab.get_by_label("Confirmation code").fill("654321")
        tab.get_by_role("button", name="Confirm", exact=True).click()

    expect(tab.get_by_role("heading", name="Thanks for your request")).to_be_visible()
    expect(tab.locator("form")).to_have_count(0)  # the form was replaced by the confirmation
    assert tab.url == IG_FORM and tab.evaluate("window.stillTheSamePage") is True  # no navigation
    posts = site.posts()
    assert [p.path for p in posts] == ["/contact/767264225370182"] * (2 if code else 1)
    assert posts[0].form["email"] == ["jane.doe@example.com"]


@pytest.mark.parametrize(("answer", "confirmation"), [("yes", "confirmation"), ("no", "received")])
def test_the_general_forms_answer_draws_the_fields_that_follow(
    tab: Page, site: MockMeta, answer: str, confirmation: str
) -> None:
    site.reset(Scenario(lang="fr", policy_route_only=True))
    words = TEXTS["fr"]
    tab.goto(FB_POLICY)
    right_to_object = tab.locator("section").filter(has_text=words["right_to_object"])
    right_to_object.get_by_role("link", name=words["object"], exact=True).click()

    expect(tab.get_by_role("heading", name=words["general"])).to_be_visible()
    assert tab.url == FB_GENERAL
    email = tab.get_by_label(words["email"], exact=True)
    expect(email).to_have_count(0)  # drawn only once the question is answered
    tab.get_by_role("radio", name=words["yes"], exact=True).check()
    expect(email).to_have_value("jane.doe@example.com")
    expect(tab.get_by_label(words["reason"])).to_be_visible()
    tab.get_by_role("radio", name=words["no"], exact=True).check()
    expect(email).to_have_count(0)
    expect(tab.get_by_label(words["other_request"])).to_be_visible()

    tab.get_by_role("radio", name=words[answer], exact=True).check()
    tab.get_by_role("button", name=words["submit"], exact=True).click()

    expect(tab.get_by_text(words[confirmation])).to_be_visible()
    (post,) = site.posts()
    assert post.form["ai_request"] == [answer]
    assert ("email" in post.form) == (answer == "yes") and ("request" in post.form) == (answer == "no")


# --- the network (Scenario.latency_ms, for scripts/bench.py) ----------------------------------------------


def test_latency_delays_every_response_pages_and_404s_alike(site: MockMeta) -> None:
    import time

    site.reset(Scenario(latency_ms=200))
    for url, status in (("https://www.instagram.com/", 200), ("https://www.facebook.com/no/such/page", 404)):
        started = time.monotonic()
        reply = fetch(site, url)
        assert reply.status == status
        assert time.monotonic() - started >= 0.2, url


def test_latency_is_a_whole_number_of_milliseconds_on_the_command_line() -> None:
    from optout_bot.mock_site.__main__ import _parse

    assert Scenario().latency_ms == 0
    assert _parse(["--set", "latency_ms=150"]).latency_ms == 150
    for wrong in ("latency_ms=slow", "latency_ms=-5", "latency_ms=1.5"):
        with pytest.raises(SystemExit):
            _parse(["--set", wrong])


# --- in a real browser: the reworked third-party form, WhatsApp, LinkedIn and X --------------------------


def test_choosing_to_object_draws_the_third_party_forms_fields(tab: Page, site: MockMeta) -> None:
    site.reset(Scenario(lang="fr"))
    words = TEXTS["fr"]
    tab.goto(FB_THIRD_PARTY)
    expect(tab.get_by_role("heading", name=words["third_party"])).to_be_visible()
    email = tab.get_by_label(words["email"], exact=True)
    expect(email).to_have_count(0)  # drawn only once the person says what they want
    expect(tab.get_by_role("button", name=words["submit"])).to_have_count(0)

    tab.get_by_role("radio", name=words["tp_access"], exact=True).check()
    expect(tab.get_by_label(words["tp_access_details"])).to_be_visible()
    tab.get_by_role("radio", name=words["tp_object"], exact=True).check()
    expect(tab.get_by_label(words["tp_access_details"])).to_have_count(0)
    expect(email).to_have_value("jane.doe@example.com")
    tab.get_by_label(words["full_name"]).fill("Jane Doe")
    tab.get_by_label(words["country"]).select_option("FR")
    tab.get_by_label(words["tp_prompts"]).fill("Qui est Jane Doe ?")
    shot: FilePayload = {"name": "reponse.png", "mimeType": "image/png", "buffer": b"\x89PNG\r\n\x1a\n"}
    tab.get_by_label(words["tp_screenshot"]).set_input_files(shot)
    expect(tab.get_by_label(words["tp_impact"])).to_have_value("")
    tab.get_by_role("button", name=words["submit"], exact=True).click()

    expect(tab.get_by_text(words["tp_received"])).to_be_visible()
    (post,) = site.posts()
    assert post.path == "/help/contact/510058597920541"
    expected = {"request": "object", "full_name": "Jane Doe", "email": "jane.doe@example.com", "country": "FR"}
    assert {name: post.form[name] for name in expected} == {name: [value] for name, value in expected.items()}
    assert post.form["prompts"] == ["Qui est Jane Doe ?"] and post.form["screenshot"] == ["reponse.png"]
    assert post.form["impact"] == [""]


def test_a_person_sends_whatsapps_form_from_the_privacy_policy(tab: Page, site: MockMeta) -> None:
    words = TEXTS["en"]
    tab.goto(WA_HOME)
    tab.get_by_role("contentinfo").get_by_role("link", name=words["wa_privacy"], exact=True).click()
    tab.get_by_role("link", name=words["wa_contact_us"], exact=True).click()

    expect(tab.get_by_role("heading", name=words["wa_form"])).to_be_visible()
    assert tab.url == WA_FORM
    tab.get_by_role("group", name=words["wa_request_type"]).get_by_role("radio", name=words["wa_object"]).check()
    tab.get_by_label(words["wa_phone"]).fill("+33612345678")
    tab.get_by_label(words["email"], exact=True).fill("jane.doe@example.com")
    tab.get_by_label(words["wa_message"]).fill("I object.")
    tab.get_by_role("button", name=words["wa_send"], exact=True).click()

    expect(tab.get_by_role("heading", name=words["wa_received"])).to_be_visible()
    (post,) = site.posts()
    assert post.form["request_type"] == ["object"] and post.form["phone_number"] == ["+33612345678"]


def test_a_person_switches_linkedins_ai_training_off(tab: Page, site: MockMeta) -> None:
    site.reset(Scenario(lang="fr"))
    words = TEXTS["fr"]
    tab.goto(LI_FEED)
    settings = tab.get_by_role("link", name=words["li_settings_privacy"], exact=True)
    expect(settings).to_have_count(0)  # not in the page until "Me" is clicked
    tab.get_by_role("button", name=words["li_me"], exact=True).click()
    settings.click()
    tab.get_by_role("link", name=words["li_data_privacy"], exact=True).click()
    tab.get_by_role("link", name=words["li_ai"], exact=True).click()

    assert tab.url == LI_SETTING
    switch = tab.get_by_role("switch", name=words["li_switch"])
    expect(switch).to_have_attribute("aria-checked", "true")
    expect(tab.get_by_text(words["li_on"], exact=True)).to_be_visible()
    assert site.posts() == []
    switch.click()

    expect(tab.get_by_role("status")).to_have_text(words["saved"])
    expect(switch).to_have_attribute("aria-checked", "false")
    expect(tab.get_by_text(words["li_off"], exact=True)).to_be_visible()
    assert site.setting("linkedin") is False
    (post,) = site.posts()
    assert (post.host, post.path, post.form) == ("www.linkedin.com", urlsplit(LI_SETTING).path, {"enabled": ["false"]})
    tab.reload()
    expect(tab.get_by_role("switch", name=words["li_switch"])).to_have_attribute("aria-checked", "false")


def test_a_person_unticks_xs_grok_training_and_a_failed_save_is_undone(tab: Page, site: MockMeta) -> None:
    words = TEXTS["en"]
    tab.goto(X_HOME)
    tab.get_by_role("link", name=words["x_settings_privacy"], exact=True).click()
    tab.get_by_role("link", name=words["x_privacy_safety"], exact=True).click()
    tab.get_by_role("link", name=words["x_grok"], exact=True).click()

    assert tab.url == X_SETTING
    box = tab.get_by_role("checkbox", name=words["x_checkbox"])
    expect(box).to_be_checked()
    box.uncheck()
    expect(tab.get_by_role("status")).to_have_text(words["saved"])
    assert site.setting("x") is False and len(site.posts()) == 1

    site.reset(Scenario(require_login=True))  # the session ends: the next save is answered by the login page
    box.check()
    expect(tab.get_by_role("status")).to_have_text("Couldn’t save your setting. Try again.")
    expect(box).not_to_be_checked()  # put back as it was
    assert site.setting("x") is True  # the reset's default: nothing was saved


def test_filler_blocks_pad_metas_pages_to_a_real_sites_size_and_no_other_sites(mock_site: MockMeta) -> None:
    """Scenario.filler_blocks (scripts/bench.py's "heavy" row): a feed after the page's own content, on Meta's hosts
    only; none of its words is one the flows look for, so the walk's pages stay the same pages."""
    mock_site.reset(Scenario(filler_blocks=40))
    home = fetch(mock_site, "https://www.instagram.com/")
    assert home.body.count('class="feed-item"') == 40
    assert home.has("button", "More")  # the page's own content is still there
    linkedin = fetch(mock_site, "https://www.linkedin.com/feed/")
    assert 'class="feed-item"' not in linkedin.body
    mock_site.reset(Scenario())
    assert 'class="feed-item"' not in fetch(mock_site, "https://www.instagram.com/").body
