"""The mock site's map: Meta's platforms, their host names and addresses, and which page each address is.

Addresses and form IDs are the real ones from shared/docs/meta-objection-facts.md ("Addresses"); a
look-alike host stands for the phishing copies of the Privacy Center that exist.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal
from urllib.parse import urljoin

from optout_bot.mock_meta.messages import RecordedRequest
from optout_bot.mock_meta.scenario import Scenario
from optout_bot.mock_meta.state import SiteState

# Form IDs. The own-information form has two quoted IDs per platform (2025 and 2024/app).
FB_OWN_FORMS = ("712876720715583", "6359191084165019")
IG_OWN_FORMS = ("767264225370182", "233964459562201")
THIRD_PARTY_FORM = "510058597920541"  # information about you that others shared
# The general objection form behind the Privacy Policy's "Your right to object" (German sources, May 2025).
# Instagram's copy of it reuses Facebook's ID: *inferred*, no source quotes Instagram's address.
GENERAL_FORM = "1994830130782319"

LOOKALIKE_HOST = "meta-privacy-center.example"
LOOKALIKE_OBJECT_URL = f"https://{LOOKALIKE_HOST}/contact/712876720715583"

Check = Literal["checkpoint", "two_factor"]


@dataclass(frozen=True)
class Platform:
    name: str
    code: str  # "ig" / "fb": the prefix of this platform's own strings and templates
    cookie_domain: str
    home_url: str
    login_url: str
    privacy_center_url: str
    policy_url: str
    form_host: str  # where the objection forms live
    form_prefix: str  # their path before the form ID
    own_forms: tuple[str, ...]
    login_fields: tuple[str, str]  # names of the login form's user and password inputs
    session_cookie: str  # the cookie whose (issued) value means "logged in"
    checkpoint_path: str
    two_factor_path: str
    user_id_cookie: str | None = None  # Facebook also sets the account's numeric id

    def form_url(self, form_id: str) -> str:
        return f"https://{self.form_host}{self.form_prefix}{form_id}"

    def form_link(self, form_id: str, from_host: str) -> str:
        """The href Meta writes: a path on the form's own host, the full address from another one."""
        url = self.form_url(form_id)
        return url.removeprefix(f"https://{from_host}") if from_host == self.form_host else url

    def check_url(self, check: Check) -> str:
        path = self.checkpoint_path if check == "checkpoint" else self.two_factor_path
        return urljoin(self.login_url, path)  # on the host of the login page


INSTAGRAM = Platform(
    name="instagram",
    code="ig",
    cookie_domain=".instagram.com",
    home_url="https://www.instagram.com/",
    login_url="https://www.instagram.com/accounts/login/",
    privacy_center_url="https://privacycenter.instagram.com/",
    policy_url="https://privacycenter.instagram.com/policy/",
    form_host="help.instagram.com",
    form_prefix="/contact/",
    own_forms=IG_OWN_FORMS,
    login_fields=("username", "password"),
    session_cookie="sessionid",
    checkpoint_path="/checkpoint/",
    two_factor_path="/accounts/login/two_factor/",
)
FACEBOOK = Platform(
    name="facebook",
    code="fb",
    cookie_domain=".facebook.com",
    home_url="https://www.facebook.com/",
    login_url="https://www.facebook.com/login/",
    privacy_center_url="https://www.facebook.com/privacy/center/",
    policy_url="https://www.facebook.com/privacy/policy/",
    form_host="www.facebook.com",
    form_prefix="/help/contact/",
    own_forms=FB_OWN_FORMS,
    login_fields=("email", "pass"),
    session_cookie="xs",
    checkpoint_path="/checkpoint/",
    two_factor_path="/two_step_verification/two_factor/",
    user_id_cookie="c_user",
)
# The phishing copy: never logged in, never Meta's. Its "addresses" only fill the templates it shares.
LOOKALIKE = Platform(
    name="lookalike",
    code="fb",
    cookie_domain=f".{LOOKALIKE_HOST}",
    home_url=f"https://{LOOKALIKE_HOST}/",
    login_url=f"https://{LOOKALIKE_HOST}/",
    privacy_center_url=f"https://{LOOKALIKE_HOST}/",
    policy_url=f"https://{LOOKALIKE_HOST}/",
    form_host=LOOKALIKE_HOST,
    form_prefix="/contact/",
    own_forms=(),
    login_fields=("", ""),
    session_cookie="",
    checkpoint_path="/",
    two_factor_path="/",
)


@dataclass(frozen=True)
class Host:
    platform: Platform
    frame: str  # template of the header and navigation around this host's pages
    meta: bool = True  # one of Meta's own hosts (the look-alike is not)


HOSTS: dict[str, Host] = {
    "www.instagram.com": Host(INSTAGRAM, "ig_app"),
    "privacycenter.instagram.com": Host(INSTAGRAM, "ig_privacy"),
    "help.instagram.com": Host(INSTAGRAM, "ig_help"),
    "www.facebook.com": Host(FACEBOOK, "fb_app"),
    LOOKALIKE_HOST: Host(LOOKALIKE, "lookalike_help", meta=False),
}

PageName = Literal[
    "home",
    "settings",
    "login",
    "checkpoint",
    "checkpoint_continue",
    "two_factor",
    "privacy_center",
    "privacy_topics",
    "privacy_genai",
    "policy",
    "own_form",
    "third_party_form",
    "general_form",
]
# Pages of the login itself: reachable logged out, drawn without the site's header and navigation.
SIGN_IN_PAGES: frozenset[PageName] = frozenset({"login", "checkpoint", "checkpoint_continue", "two_factor"})
FORM_PAGES: frozenset[PageName] = frozenset({"own_form", "third_party_form", "general_form"})


@dataclass(frozen=True)
class Page:
    name: PageName
    template: str
    title: str  # strings key of the page's <title>
    country: bool = False  # the form asks for the country of residence (Facebook's do, Instagram's 2025 one not)

    @property
    def framed(self) -> bool:
        return self.name not in SIGN_IN_PAGES


_PRIVACY_CENTER = Page("privacy_center", "privacy_center", "titles_privacy_center")
_PRIVACY_TOPICS = Page("privacy_topics", "privacy_topics", "titles_privacy_topics")
_PRIVACY_GENAI = Page("privacy_genai", "privacy_genai", "titles_privacy_genai")
_POLICY = Page("policy", "policy", "titles_policy")
_CHECKPOINT = Page("checkpoint", "checkpoint", "titles_checkpoint")
_CHECKPOINT_CONTINUE = Page("checkpoint_continue", "checkpoint", "titles_checkpoint")
_TWO_FACTOR = Page("two_factor", "two_factor", "titles_two_factor")
_THIRD_PARTY_FORM = Page("third_party_form", "third_party_form", "titles_form")
_GENERAL_FORM = Page("general_form", "general_form", "titles_form")


def _forms(host: str, prefix: str, own: tuple[str, ...], country: bool) -> dict[tuple[str, str], Page]:
    own_form = Page("own_form", "objection_form", "titles_form", country)
    pages = {(host, f"{prefix}{form_id}"): own_form for form_id in own}
    pages[(host, f"{prefix}{THIRD_PARTY_FORM}")] = _THIRD_PARTY_FORM
    pages[(host, f"{prefix}{GENERAL_FORM}")] = _GENERAL_FORM
    return pages


ROUTES: dict[tuple[str, str], Page] = {
    ("www.instagram.com", "/"): Page("home", "ig_home", "titles_ig_home"),
    ("www.instagram.com", "/accounts/edit/"): Page("settings", "ig_settings", "titles_ig_settings"),
    ("www.instagram.com", "/accounts/login/"): Page("login", "ig_login", "titles_ig_login"),
    ("www.instagram.com", INSTAGRAM.checkpoint_path): _CHECKPOINT,
    ("www.instagram.com", INSTAGRAM.checkpoint_path + "continue"): _CHECKPOINT_CONTINUE,
    ("www.instagram.com", INSTAGRAM.two_factor_path): _TWO_FACTOR,
    ("privacycenter.instagram.com", "/"): _PRIVACY_CENTER,
    ("privacycenter.instagram.com", "/privacy/topics/"): _PRIVACY_TOPICS,
    ("privacycenter.instagram.com", "/privacy/genai/"): _PRIVACY_GENAI,
    ("privacycenter.instagram.com", "/policy/"): _POLICY,
    **_forms("help.instagram.com", "/contact/", IG_OWN_FORMS, country=False),
    ("www.facebook.com", "/"): Page("home", "fb_home", "titles_fb_home"),
    ("www.facebook.com", "/settings/"): Page("settings", "fb_settings", "titles_fb_settings"),
    ("www.facebook.com", "/login/"): Page("login", "fb_login", "titles_fb_login"),
    ("www.facebook.com", FACEBOOK.checkpoint_path): _CHECKPOINT,
    ("www.facebook.com", FACEBOOK.checkpoint_path + "continue"): _CHECKPOINT_CONTINUE,
    ("www.facebook.com", FACEBOOK.two_factor_path): _TWO_FACTOR,
    ("www.facebook.com", "/privacy/center/"): _PRIVACY_CENTER,
    ("www.facebook.com", "/privacy/topics/"): _PRIVACY_TOPICS,
    ("www.facebook.com", "/privacy/genai/"): _PRIVACY_GENAI,
    ("www.facebook.com", "/privacy/policy/"): _POLICY,
    **_forms("www.facebook.com", "/help/contact/", FB_OWN_FORMS, country=True),
    # The look-alike copies the own form wherever the links and redirects into it lead.
    **{
        (LOOKALIKE_HOST, path): Page("own_form", "objection_form", "titles_form")
        for path in {
            "/contact/712876720715583",
            *(f"/help/contact/{form_id}" for form_id in FB_OWN_FORMS),
            *(f"/contact/{form_id}" for form_id in IG_OWN_FORMS),
        }
    },
}


@dataclass(frozen=True)
class Visit:
    """One request to a known page, with what the server knows about the person making it."""

    request: RecordedRequest
    scenario: Scenario
    host: Host
    page: Page
    state: SiteState
    cookies: Mapping[str, str]

    @property
    def platform(self) -> Platform:
        return self.host.platform

    @property
    def url(self) -> str:
        query = f"?{self.request.query}" if self.request.query else ""
        return f"https://{self.request.host}{self.request.path}{query}"

    @property
    def session_token(self) -> str:
        return self.cookies.get(self.platform.session_cookie, "")

    @property
    def logged_in(self) -> bool:
        """A session the server issued counts. Without `require_login` everyone counts as logged in, until
        the server forgot the login (`relogin_at`). A look-alike site never knows the person."""
        if not self.host.meta:
            return False
        if self.state.is_session(self.platform.name, self.session_token):
            return True
        return not self.scenario.require_login and not self.state.is_signed_out(self.platform.name)

    @property
    def cookie_consent_given(self) -> bool:
        return self.cookies.get(CONSENT_COOKIE) in CONSENT_CHOICES


# The cookie the consent dialog's script sets (no request is sent when the person chooses).
CONSENT_COOKIE = "cookie_consent"
CONSENT_CHOICES = ("declined", "accepted")
