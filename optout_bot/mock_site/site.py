"""The mock site's map: the platforms, their host names and addresses, and which page each address is.

Meta's platforms (Instagram, Facebook, WhatsApp) and two others with an AI-training setting of the same shape
(LinkedIn, X: meta-objection-facts.md "Other AI-training opt-outs"). Addresses and form IDs are the real ones
from shared/docs/meta-objection-facts.md ("Addresses"); a look-alike host stands for the phishing copies of
the Privacy Center that exist.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal
from urllib.parse import urljoin, urlsplit

from optout_bot.domains import META_DOMAINS
from optout_bot.mock_site.declared import DeclaredPage, declared_pages
from optout_bot.mock_site.messages import RecordedRequest
from optout_bot.mock_site.scenario import Scenario, Scramble
from optout_bot.mock_site.state import SiteState

# Form IDs. The own-information form has two quoted IDs per platform (2025 and 2024/app).
FB_OWN_FORMS = ("712876720715583", "6359191084165019")
IG_OWN_FORMS = ("767264225370182", "233964459562201")
THIRD_PARTY_FORM = "510058597920541"  # information about you that others shared
# The general objection form behind the Privacy Policy's "Your right to object" (German sources, May 2025).
# Instagram's copy of it reuses Facebook's ID: *inferred*, no source quotes Instagram's address.
GENERAL_FORM = "1994830130782319"
# Scenario.scramble "drop_form_addresses": the known addresses above answer 404 and the forms move to these
# made-up IDs, which only the pages' links name (a walker cannot rely on a flow's last-resort addresses).
MOVED_OWN_FORM = "1183470916355492"
MOVED_GENERAL_FORM = "2071305884419147"

LOOKALIKE_HOST = "meta-privacy-center.example"
LOOKALIKE_OBJECT_URL = f"https://{LOOKALIKE_HOST}/contact/712876720715583"
# A webmail that is not Meta's, where the person reads Meta's emails (its confirmation among them) — in the
# same tab, perhaps: Meta's words on a page that is not Meta's.
WEBMAIL_HOST = "mail.example.org"

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
    # The domains a login may send the person back to (its return address is checked against them).
    domains: tuple[str, ...] = META_DOMAINS
    next_param: str = "next"  # the login page's query parameter naming where to go afterwards
    accounts: bool = True  # False: the site has no login and never knows the person (WhatsApp's web pages)

    def may_return_to(self, url: str) -> bool:
        """An https address on this platform's domains, without credentials or an odd port."""
        try:
            parts = urlsplit(url)
            port = parts.port
        except ValueError:
            return False
        if parts.scheme != "https" or parts.username or parts.password or port not in (None, 443):
            return False
        host = (parts.hostname or "").rstrip(".")
        return any(host == domain or host.endswith("." + domain) for domain in self.domains)

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
# WhatsApp's web site: no login; its data protection request form is open to anyone.
WHATSAPP = Platform(
    name="whatsapp",
    code="wa",
    cookie_domain=".whatsapp.com",
    home_url="https://www.whatsapp.com/",
    login_url="https://www.whatsapp.com/",
    privacy_center_url="https://www.whatsapp.com/legal/privacy-policy-eea",
    policy_url="https://www.whatsapp.com/legal/privacy-policy-eea",
    form_host="www.whatsapp.com",
    form_prefix="/contact/forms/",
    own_forms=(),
    login_fields=("", ""),
    session_cookie="",
    checkpoint_path="/",
    two_factor_path="/",
    accounts=False,
)
# Not Meta's: their own logins, session cookies and return parameters. The login checks (checkpoint, code)
# and the forms' obstacles are Meta's and do not apply to them.
LINKEDIN = Platform(
    name="linkedin",
    code="li",
    cookie_domain=".linkedin.com",
    home_url="https://www.linkedin.com/feed/",
    login_url="https://www.linkedin.com/login",
    privacy_center_url="https://www.linkedin.com/mypreferences/d/categories/privacy",
    policy_url="https://www.linkedin.com/legal/privacy-policy",
    form_host="www.linkedin.com",
    form_prefix="/",
    own_forms=(),
    login_fields=("session_key", "session_password"),
    session_cookie="li_at",
    checkpoint_path="/checkpoint/",
    two_factor_path="/checkpoint/",
    domains=("linkedin.com",),
    next_param="session_redirect",
)
X = Platform(
    name="x",
    code="x",
    cookie_domain=".x.com",
    home_url="https://x.com/home",
    login_url="https://x.com/i/flow/login",
    privacy_center_url="https://x.com/settings/privacy_and_safety",
    policy_url="https://x.com/en/privacy",
    form_host="x.com",
    form_prefix="/",
    own_forms=(),
    login_fields=("text", "password"),
    session_cookie="auth_token",
    checkpoint_path="/account/access",
    two_factor_path="/account/access",
    domains=("x.com",),
    next_param="redirect_after_login",
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
    meta: bool = True  # one of Meta's own hosts: Meta's obstacles (cookie walls, checks, redesign) apply
    genuine: bool = True  # the platform's own host (the look-alike is not): it knows the person, its POSTs count


HOSTS: dict[str, Host] = {
    "www.instagram.com": Host(INSTAGRAM, "ig_app"),
    "privacycenter.instagram.com": Host(INSTAGRAM, "ig_privacy"),
    "help.instagram.com": Host(INSTAGRAM, "ig_help"),
    "www.facebook.com": Host(FACEBOOK, "fb_app"),
    "www.whatsapp.com": Host(WHATSAPP, "wa_app"),
    "www.linkedin.com": Host(LINKEDIN, "li_app", meta=False),
    "x.com": Host(X, "x_app", meta=False),
    LOOKALIKE_HOST: Host(LOOKALIKE, "lookalike_help", meta=False, genuine=False),
}
# The names the server's certificate covers: every domain above, and their subdomains.
CERTIFICATE_DOMAINS: tuple[str, ...] = (*META_DOMAINS, *LINKEDIN.domains, *X.domains, LOOKALIKE_HOST, WEBMAIL_HOST)

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
    "root",
    # The pages declared in fixtures/pages.yaml (mock_site/declared.py), by their kind.
    "page",
    "setting",
    "form",
]
# Pages of the login itself: reachable logged out, drawn without the site's header and navigation.
SIGN_IN_PAGES: frozenset[PageName] = frozenset({"login", "checkpoint", "checkpoint_continue", "two_factor"})
FORM_PAGES: frozenset[PageName] = frozenset({"own_form", "third_party_form", "general_form"})
# Pages that take a POST besides the login: the forms, the declared forms and the settings saved by script.
POST_PAGES: frozenset[PageName] = FORM_PAGES | {"form", "setting"}


@dataclass(frozen=True)
class Page:
    name: PageName
    template: str
    title: str  # strings key of the page's <title>
    country: bool = False  # the form asks for the country of residence (Facebook's do, Instagram's 2025 one not)
    # A form's address: "known" (quoted by sources, in the flows) or "moved" (served only when the scenario
    # scrambles "drop_form_addresses"; the known ones then answer 404).
    address: Literal["known", "moved"] = "known"
    declared: DeclaredPage | None = None  # its row in fixtures/pages.yaml, for the pages declared there

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
_THIRD_PARTY_FORM = Page("third_party_form", "third_party_form", "titles_form", country=True)
_GENERAL_FORM = Page("general_form", "general_form", "titles_form")


def _forms(host: str, prefix: str, own: tuple[str, ...], country: bool) -> dict[tuple[str, str], Page]:
    own_form = Page("own_form", "objection_form", "titles_form", country)
    pages = {(host, f"{prefix}{form_id}"): own_form for form_id in own}
    pages[(host, f"{prefix}{THIRD_PARTY_FORM}")] = _THIRD_PARTY_FORM
    pages[(host, f"{prefix}{GENERAL_FORM}")] = _GENERAL_FORM
    # Scenario.scramble "drop_form_addresses": the same forms at their new addresses.
    pages[(host, f"{prefix}{MOVED_OWN_FORM}")] = Page("own_form", "objection_form", "titles_form", country, "moved")
    pages[(host, f"{prefix}{MOVED_GENERAL_FORM}")] = Page("general_form", "general_form", "titles_form", False, "moved")
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
    # WhatsApp's other pages, LinkedIn's and X's are declared in fixtures/pages.yaml (_declared below).
    ("www.whatsapp.com", "/"): Page("home", "wa_home", "whatsapp_titles_home"),  # a "home": the redesign redraws it
    ("www.linkedin.com", "/"): Page("root", "li_home", "linkedin_titles_feed"),
    ("www.linkedin.com", "/login"): Page("login", "li_login", "linkedin_titles_login"),
    ("x.com", "/"): Page("root", "x_home", "x_titles_home"),
    ("x.com", "/i/flow/login"): Page("login", "x_login", "x_titles_login"),
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


def _declared() -> dict[tuple[str, str], Page]:
    """The rows of fixtures/pages.yaml, as pages of the hosts the mock serves."""
    pages = {}
    for row in declared_pages():
        if row.host not in HOSTS:
            raise ValueError(f"pages.yaml: {row.host} is not a host the mock serves: {', '.join(sorted(HOSTS))}")
        if (row.host, row.path) in ROUTES:
            raise ValueError(f"pages.yaml: https://{row.host}{row.path} is already one of site.py's pages")
        pages[(row.host, row.path)] = Page(row.kind, row.template, row.title, declared=row)
    return pages


ROUTES.update(_declared())


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
        the server forgot the login (`relogin_at`). A look-alike site, or one without logins, never knows the
        person."""
        if not self.host.genuine or not self.platform.accounts:
            return False
        if self.state.is_session(self.platform.name, self.session_token):
            return True
        return not self.scenario.require_login and not self.state.is_signed_out(self.platform.name)

    def scrambled(self, transformation: Scramble) -> bool:
        """The scenario scrambles this page this way (Scenario.scramble): on Meta's own hosts only."""
        return self.host.meta and self.scenario.scrambles(transformation)

    @property
    def cookie_consent_given(self) -> bool:
        return self.cookies.get(CONSENT_COOKIE) in CONSENT_CHOICES


# The cookie the consent dialog's script sets (no request is sent when the person chooses).
CONSENT_COOKIE = "cookie_consent"
CONSENT_CHOICES = ("declined", "accepted")
