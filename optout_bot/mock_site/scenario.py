"""What the mock site pretends about the person and their accounts, one knob per situation to test."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal, get_args

# The transformations `Scenario.scramble` may combine (issue 15, part 6): each makes Meta's pages differ from
# what the flows expect in one way real sites do, so a walker that finds the place by meaning can be proven on
# pages it has never seen. Each is independent of the others; `Scenario.scrambled()` turns them all on.
#   rename               menus and sections under the other names real sites use: Instagram's "Settings and
#                        activity", "Privacy Centre", "Generative AI at Meta" (strings: `scrambled.rename`)
#   reorder              every menu's links shuffled by `seed`, with decoy links beside them: Help, Accounts
#                        Center, Delete account, Download your information (they lead nowhere: 404)
#   settings_in_nav      Instagram's Settings link directly in the side navigation; no "More" menu
#   move_topic           the AI topic leaves the Privacy Center (no "object" link in its notice, no "AI at Meta"
#                        in Privacy topics): only the Privacy Policy leads on, by "How we use information for
#                        AI at Meta" and by its right to object
#   drop_form_addresses  every known address of the objection and general forms answers 404; the forms are
#                        served at new addresses (site.MOVED_FORMS) that only the pages' links name
#   conjugate            the forms' titles reworded or conjugated ("Object to the use of your information…",
#                        « Opposez-vous à… », „Widersprich…“) (strings: `scrambled.conjugate`)
#   link_2025            the AI page links to the form with 2025's "Information you’ve shared with Meta Products"
#                        instead of "Submit an objection request" (strings: `scrambled.link_2025`)
#   thank_you            the confirmation after Submit in words the flows do not know (strings: `scrambled.thank_you`)
# A Polish site is `lang="pl"`. The site where nothing leads to the place at all is `layout="changed"`.
Scramble = Literal[
    "rename",
    "reorder",
    "settings_in_nav",
    "move_topic",
    "drop_form_addresses",
    "conjugate",
    "link_2025",
    "thank_you",
]
SCRAMBLES: tuple[Scramble, ...] = get_args(Scramble)


@dataclass
class Scenario:
    """The situation the mock site plays. Replace or mutate it between tests; every request reads it afresh.

    Every knob's default keeps the plain 2025 site: no obstacle at all. The others make the pages as hostile
    as Meta's real ones are (shared/docs/meta-objection-facts.md, "Scope and obstacles").
    """

    # Language of every page (LinkedIn's, X's and WhatsApp's too); a strings file `fixtures/strings/<lang>.yaml`
    # must exist for it.
    lang: str = "en"
    # Pages redirect to the platform's login page until the person has logged in there (a cookie): Instagram,
    # Facebook, LinkedIn and X each have their own. WhatsApp's web pages have no login.
    require_login: bool = False
    account_email: str = "jane.doe@example.com"
    # Shown in the page headers of a logged-in person.
    account_name: str = "Jane Doe"
    # The numeric user id Meta puts in profile links, the c_user cookie and its inline page data.
    account_id: str = "100012345678901"
    # The objection form's email field is pre-filled with `account_email` when logged in, as Meta usually does.
    prefill_email: bool = True

    # --- obstacles: consent, logins ---------------------------------------------------------------------
    # A cookie consent dialog over every page of a Meta platform (WhatsApp's too, not LinkedIn's or X's) until
    # answered: "decline" offers "Decline optional cookies" and "Allow all cookies", "accept_only" only the latter.
    cookie_wall: Literal["none", "decline", "accept_only"] = "none"
    # A path prefix ("/help/contact/"): the first GET there by a logged-in person forgets that login and sends
    # them to log in again ("Meta asks to log in again right before the form"). Meta's hosts only.
    relogin_at: str | None = None
    # After a login to Instagram or Facebook: "Approve your login on another phone or computer", then Continue.
    checkpoint: bool = False
    # After a login to Instagram or Facebook (and the checkpoint): a 6-digit security code.
    two_factor: bool = False

    # --- obstacles: the form itself -----------------------------------------------------------------------
    # Posting the form answers "Check your email" and a confirmation code field (2024's emailed code).
    code_after_submit: bool = False
    # The form is sent with fetch() and the confirmation drawn in place, without navigation.
    submit_by_script: bool = False
    # False: the account is outside the regions Meta offers the objection in; no form anywhere.
    region_offered: bool = True
    # Facebook used as a Page: Pages cannot object, the form addresses say so.
    account_is_page: bool = False

    # --- obstacles: where the links lead --------------------------------------------------------------
    # Where the Privacy Center's "object" link leads: the person's own form, or the third-party one.
    object_link_form: Literal["own", "third_party"] = "own"
    # Every route ends at the third-party form; the own-form addresses redirect there.
    third_party_everywhere: bool = False
    # The Privacy Center's "object" link points to a look-alike site off Meta's domains.
    phishing_link: bool = False
    # The own-form addresses redirect to the look-alike site.
    redirect_off_site: bool = False
    # Only the Privacy Policy's "Your right to object" leads to a form: the general objection form, which asks
    # first whether the request is about AI at Meta. The notice and topics have no link; own-form addresses 404.
    policy_route_only: bool = False
    # "changed": Meta redesigned everything; nothing the tool knows is on any page.
    layout: Literal["2025", "changed"] = "2025"

    # --- LinkedIn's and X's AI-training settings ----------------------------------------------------------
    # The state of LinkedIn's "Data for Generative AI Improvement" switch and X's Grok training checkbox on a
    # fresh site (after reset()), until the person saves another or a test calls MockMeta.set_setting. True, as
    # both platforms ship it (meta-objection-facts.md "Other AI-training opt-outs": LinkedIn's is on by default).
    ai_setting_on: bool = True

    # --- the network ----------------------------------------------------------------------------------
    # Milliseconds the server waits before every response, as a slow connection to Meta would (scripts/bench.py
    # shows the tool's own overhead does not grow with it). 0: answer at once.
    latency_ms: int = 0

    # --- leak bait (issue 14, hole 7: a diagnostic and a log without personal data) ---------------------
    # Every page of a Meta platform also carries the person's data and session secrets in every place a page
    # can hide them (mock_site/bait.py): text, links, metas, data-* attributes, editable text, addresses.
    leak_bait: bool = False
    # The person's phone, as the bait shows it in several groupings.
    account_phone: str = "+33 6 71 82 93 04"

    # --- spoofed confirmations (issue 14, hole 1: the confirmation helper) -----------------------------------
    # The form page explains, before anything is sent, what happens after Submit in Meta's own confirmation
    # words ("… your request will be applied going forward …"): only a confirmation after the person's
    # submission counts.
    confirmation_words_on_form: bool = False
    # The code page after Submit (code_after_submit) tells what the code is for in those words too: the code
    # page is not Meta's confirmation.
    confirmation_words_on_code_page: bool = False

    # --- issue 14, guard: forms that send themselves, pages that change while the tool fills them -----------
    # The form sends itself when a field fires `input`, when one fires `change`, or when a country is chosen.
    auto_submit_on: Literal["none", "input", "change", "country"] = "none"
    # How it sends itself: form.submit(), form.requestSubmit(), or fetch() to the form's action.
    auto_submit_by: Literal["submit", "request_submit", "fetch"] = "submit"
    # On every `input`, the page sends the email typed so far in the query string of a background fetch() or
    # sendBeacon() (to /ajax/typeahead_log on the form's host).
    leak_email_by: Literal["none", "fetch", "beacon"] = "none"
    # Once the first field is filled, the form page goes to another page with the same fields: Meta's other
    # own-form address ("meta"), or the look-alike's copy ("off_site").
    navigate_after_fill: Literal["none", "meta", "off_site"] = "none"
    # The Privacy Center's "object" link keeps Meta's address, but its script opens the look-alike in a new tab.
    phishing_popup: bool = False

    # --- scrambled pages (issue 15, part 6: a walker that finds the place by meaning) -----------------
    # Which transformations (SCRAMBLES, described above) change Meta's pages; none by default. They apply to
    # Meta's own hosts only (Instagram, Facebook, WhatsApp), never to LinkedIn's, X's or the look-alike's.
    scramble: frozenset[Scramble] = field(default_factory=frozenset)
    # Decides the order of the menus' links under "reorder": the same seed draws the same pages.
    seed: int = 0

    # --- pages as big as the real ones (speed: scripts/bench.py's "heavy" row) -------------------------------
    # Meta's pages padded with this many blocks of a feed (a link, a line of text, two buttons: five elements
    # each), after the page's own content. A real Facebook or Instagram page holds some 5,000–20,000 elements, the
    # mock's a few dozen: what a page-wide question to the browser costs grows with them. None of the blocks' words
    # is one the flows look for.
    filler_blocks: int = 0

    def __post_init__(self) -> None:
        self.scramble = frozenset(self.scramble)
        unknown = sorted(set(self.scramble) - set(SCRAMBLES))
        if unknown:
            raise ValueError(f"unknown scramble {', '.join(unknown)}; known: {', '.join(SCRAMBLES)}")

    @classmethod
    def scrambled(cls, lang: str = "en", seed: int = 0, **knobs: Any) -> Scenario:
        """Every transformation at once, in `lang` (the other knobs as given): the "changed site" to prove."""
        return cls(lang=lang, scramble=frozenset(SCRAMBLES), seed=seed, **knobs)

    def scrambles(self, transformation: Scramble) -> bool:
        return transformation in self.scramble
