"""The shape of a flow file, as pydantic models.

A flow lists *routes* to a place (several, because platforms move it) and says how to recognise it once
there. The place is a form (`kind: form`: Meta's objection forms, WhatsApp's) that the tool pre-fills, or a
setting (`kind: setting`: LinkedIn's and X's AI-training switches) whose state the tool reads. Steps only
navigate: `goto` and `click`. There is deliberately no step that submits or switches: the person clicks
Submit, or the switch, themselves (promise 1), so a flow cannot even express it; and no click a flow
describes (routes, cookie walls, questions) may point at those controls (flows/clicks.py, checked on load).

Texts are never written here: a flow names a *word key* (`privacy_center`) and each language file in
`words/` says how Meta writes it in that language.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    Tag,
    TypeAdapter,
    ValidationInfo,
    field_validator,
    model_validator,
)

from optout_bot.domains import is_site_url
from optout_bot.platforms import META, Platform, Site, site_of

# 2: `kind` is required, and each kind has only its own fields (flows/README.md, "Schema versions").
SCHEMA_VERSION = 2

WordKey = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$")]
# A sentence the person reads, in English (the catalogue's key), on one line; "{platform}" is the only
# placeholder it may use.
Message = Annotated[str, Field(min_length=1, pattern=r"^[^\n{}]*(\{platform\}[^\n{}]*)*$")]
# What the person reads when the platform says the objection is not offered: may quote the page ({quote}).
NoticeMessage = Annotated[str, Field(min_length=1, pattern=r"^[^\n{}]*(\{(platform|quote)\}[^\n{}]*)*$")]

# ARIA roles a step may look for. Kept short on purpose: a new role is a reviewed change.
Role = Literal[
    "button", "link", "menuitem", "tab", "option", "radio", "checkbox", "switch", "heading",
    "textbox", "combobox", "dialog", "region", "main", "navigation",
]  # fmt: skip

InputType = Literal["email", "text", "search", "tel"]  # never "password": the tool does not touch credentials


class StrictModel(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Target(StrictModel):
    """Something on a page, found by meaning: role and accessible name, visible text, label, input type."""

    role: Role | None = None
    name: WordKey | None = None
    text: WordKey | None = None
    label: WordKey | None = None
    input_type: InputType | None = None
    exact: bool = False  # the whole name/text must match, not just contain the words
    within: WordKey | None = None  # only inside an element (region, dialog, form) whose text has these words

    @model_validator(mode="after")
    def _finds_something(self) -> Target:
        if not (self.role or self.text or self.label or self.input_type):
            raise ValueError("a target needs at least one of: role, text, label, input_type")
        if self.name and not self.role:
            raise ValueError("'name' is the accessible name of a role: give 'role' too")
        return self

    def word_keys(self) -> list[str]:
        return [k for k in (self.name, self.text, self.label, self.within) if k]


class GotoStep(StrictModel):
    goto: str
    # What the person reads while this step runs ("Opening the Privacy Center…"), in English: the message
    # catalogue translates it (flows/messages.py). None: "Opening the next page…".
    says: Message | None = None

    @field_validator("goto")
    @classmethod
    def _own_site_only(cls, url: str, info: ValidationInfo) -> str:
        # The loader passes the flow's platform's site (platforms.site_of) as validation context.
        site: Site = (info.context or {}).get("site", META)
        if not is_site_url(url, site):
            domains = ", ".join(site.domains)
            raise ValueError(f"{url!r} is not an https address on {site.company}'s domains ({domains})")
        return url


class ClickStep(StrictModel):
    click: Target
    # A step that is sometimes there (a menu already open, an interstitial): skipped when not found.
    optional: bool = False
    says: Message | None = None  # as GotoStep.says
    # Opening a menu is part of reaching what it leads to: no step of its own for the person (More › Settings
    # is one step, "Opening Settings…").
    menu: bool = False


STEP_KINDS = ("goto", "click")


def _step_kind(value: Any) -> str | None:
    """The step type is the step's first key that names one (`- goto: …`, `- click: …`)."""
    if isinstance(value, dict):
        for key in value:
            if key in STEP_KINDS:
                return str(key)
        return next((str(k) for k in value), None)
    if isinstance(value, BaseModel):
        return next(k for k in STEP_KINDS if hasattr(value, k))
    return None


Step = Annotated[
    Annotated[GotoStep, Tag("goto")] | Annotated[ClickStep, Tag("click")],
    Discriminator(
        _step_kind,
        custom_error_type="unknown_step",
        custom_error_message="unknown step type: a step is 'goto' or 'click' (there is no submit step: "
        "the person submits)",
    ),
]


class Verified(StrictModel):
    """When a route was last seen reaching its place on the live site, and in which page languages.

    Written by `optout-bot probe --update-flows` after a successful probe, never by hand from memory: a route
    seen only in an article has no `verified`, and `flows check` says so (flows/freshness.py).
    """

    date: datetime.date
    langs: list[Annotated[str, Field(pattern=r"^[a-z]{2}(-[A-Z]{2})?$")]] = Field(min_length=1)


class Route(StrictModel):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    source: str = Field(min_length=1, description="where this route was seen (article, date)")
    verified: Verified | None = None
    steps: list[Step] = Field(min_length=1)


class Question(StrictModel):
    """A question some versions of the form ask before showing their fields, and the answer to give."""

    question: WordKey  # e.g. "Is your request about AI at Meta?" (German sources, May 2025)
    answer: Target  # e.g. the radio "Yes": a choice inside the form, never its Submit


# FormSpec's fields for the person's values, in their table's order (values.PERSON_VALUES; a unit test keeps the two
# the same): the flows may not import the settings.
_PERSONS_FIELDS = ("email", "country", "reason", "full_name", "phone")


class FormSpec(StrictModel):
    """How to recognise the form and its fields once a route has reached it."""

    headings: list[WordKey] = Field(min_length=1)  # any of these headings (the AI form, the general one)
    # A choice to make before the fields appear (the third-party form's "Object to or restrict the
    # processing…" option): a radio or option inside the form, never its Submit.
    choice: Target | None = None
    # The fields of the person's values, each under its one name (values.PERSON_VALUES; tests/unit/test_values.py
    # checks they are the same): filled from the settings or the options.
    email: Target
    full_name: Target | None = None  # the person's name, from the settings (third-party form)
    phone: Target | None = None  # the phone number, from the settings (WhatsApp)
    country: Target | None = None  # only some versions of the form have it
    reason: Target | None = None  # optional free text; left empty unless the person gave one
    # Fields only the person can fill (evidence: prompts, screenshots): pointed out, never touched.
    left_to_person: list[Target] = Field(default_factory=list)
    submit: Target  # located to scroll it into view and highlight it; never clicked
    questions: list[Question] = Field(default_factory=list)
    # Words that mean "this is another form" (the third-party information form): never filled by this flow.
    wrong_form: list[WordKey] = Field(default_factory=list)


class SettingSpec(StrictModel):
    """A setting the person switches off themselves (LinkedIn's, X's): its page and its control.

    "On" is always the state in which the platform uses the person's data for AI training: LinkedIn's
    "Use my data for training content creation AI models", X's "Allow your public data … to be used for
    training and fine-tuning". The tool reads the control's state (aria-checked, or a checkbox's checked)
    and never clicks it.
    """

    headings: list[WordKey] = Field(min_length=1)
    control: Target


class ConsentSpec(StrictModel):
    """Cookie walls: decline optional cookies; accept all only where no decline exists (and say so)."""

    decline: Target
    accept: Target


NotOfferedReason = Literal["region", "page"]


class LoginSpec(StrictModel):
    """How to tell the page wants the person to log in (they do it themselves), and that they have.

    `optout-bot login` opens `start`; Meta shows its login form there to someone logged out. The person is
    logged in once `signed_in` (something only a logged-in person sees) is on screen.
    """

    url_paths: list[str] = Field(min_length=1)  # e.g. /login/, /accounts/login/, /checkpoint/, /i/flow/login
    start: GotoStep
    signed_in: Target


WORD_FIELDS = frozenset({"name", "text", "label", "within", "question", "headings", "wrong_form", "confirmation",
                         "code_prompt", "region", "page"})  # fmt: skip


OWN_FLOW = "own"  # the flow of <platform>.yaml; others are <platform>-<flow>.yaml


class _FlowBase(StrictModel):
    """What every flow has, whatever its place: the routes there, and what may stand in the way."""

    schema_version: Literal[2]
    platform: Platform
    flow: str = Field(default=OWN_FLOW, pattern=r"^[a-z][a-z-]*$")  # `run --flow third-party`
    title: str
    routes: list[Route] = Field(min_length=1)
    not_offered: dict[NotOfferedReason, list[WordKey]] = Field(default_factory=dict)
    # What the person is told for each reason (in English, translated by the catalogue); else a general line.
    not_offered_says: dict[NotOfferedReason, NoticeMessage] = Field(default_factory=dict)
    consent: ConsentSpec | None = None
    login: LoginSpec | None = None  # None: the place needs no login (WhatsApp's public contact form)
    # What the person reads about this opt-out, in English: the message catalogue translates it (scripts/i18n
    # extracts these from the flow files, flows/messages.py). None / empty: the tool's general words.
    looking_for: Message | None = None  # said as the walk starts ("Looking for LinkedIn's objection form…")
    notes: list[Message] = Field(default_factory=list)  # said before the walk: what the form is for, what is left

    @property
    def site(self) -> Site:
        return site_of(self.platform)

    def word_keys(self) -> list[tuple[tuple[str | int, ...], str]]:
        """Every word key the flow uses, with where it is used (for checking against the languages)."""
        # (not_offered_says is keyed by reason like not_offered, but holds sentences, not word keys)
        return list(_word_keys(self.model_dump(exclude_none=True, exclude={"not_offered_says"}), ()))


class FormFlow(_FlowBase):
    """`kind: form`: a form the tool pre-fills and the person submits (Meta's objection forms, WhatsApp's)."""

    kind: Literal["form"]
    form: FormSpec
    confirmation: list[WordKey] = Field(min_length=1)  # what the page says after Submit
    code_prompt: list[WordKey] = Field(default_factory=list)  # a one-time code asked after Submit
    # "What happens next", once the platform confirmed the person's submission (translated like looking_for).
    after: list[Message] = Field(default_factory=list)

    @property
    def headings(self) -> list[str]:
        return self.form.headings

    @property
    def wrong_form(self) -> list[str]:
        return self.form.wrong_form

    @property
    def questions(self) -> list[Question]:
        return self.form.questions

    @property
    def fills(self) -> frozenset[str]:
        """The person's values its form has a field for, under their one name (values.PERSON_VALUES)."""
        return frozenset(name for name in _PERSONS_FIELDS if getattr(self.form, name) is not None)

    def final_control(self) -> tuple[Target, str]:
        return self.form.submit, "the form's Submit control: the person submits, never the tool"

    def place_clicks(self) -> Iterator[tuple[tuple[str | int, ...], Target]]:
        """What the walker clicks on the form itself: its choice and the answers to its questions."""
        if self.form.choice is not None:
            yield ("form", "choice"), self.form.choice
        for q, question in enumerate(self.form.questions):
            yield ("form", "questions", q, "answer"), question.answer


class SettingFlow(_FlowBase):
    """`kind: setting`: a setting the tool reads and the person switches off (LinkedIn's, X's)."""

    kind: Literal["setting"]
    setting: SettingSpec

    @property
    def headings(self) -> list[str]:
        return self.setting.headings

    @property
    def wrong_form(self) -> list[str]:
        return []

    @property
    def fills(self) -> frozenset[str]:
        """None of the person's values: the person switches the setting, nothing is typed."""
        return frozenset()

    @property
    def questions(self) -> list[Question]:
        return []

    def final_control(self) -> tuple[Target, str]:
        return self.setting.control, "the setting's switch: the person switches it, never the tool"

    def place_clicks(self) -> Iterator[tuple[tuple[str | int, ...], Target]]:
        return iter(())  # nothing on a setting's page is the tool's to click


def _flow_kind(value: Any) -> str | None:
    if isinstance(value, dict):
        kind = value.get("kind")
        return kind if isinstance(kind, str) else None
    return getattr(value, "kind", None)


# A flow is one of the kinds; `kind:` says which (schema 2: it is required, see flows/README.md).
Flow = Annotated[
    Annotated[FormFlow, Tag("form")] | Annotated[SettingFlow, Tag("setting")],
    Discriminator(
        _flow_kind,
        custom_error_type="unknown_kind",
        custom_error_message="'kind' says what the flow leads to: 'form' (the tool pre-fills it) or 'setting' "
        "(the tool reads it)",
    ),
]
FLOW_KINDS = ("form", "setting")
FLOW = TypeAdapter[Flow](Flow)


def _word_keys(value: Any, loc: tuple[str | int, ...]) -> Iterator[tuple[tuple[str | int, ...], str]]:
    if isinstance(value, dict):
        for key, child in value.items():
            if key in WORD_FIELDS and isinstance(child, str):
                yield (*loc, key), child
            elif key in WORD_FIELDS and isinstance(child, list) and all(isinstance(c, str) for c in child):
                yield from (((*loc, key, i), c) for i, c in enumerate(child))
            else:
                yield from _word_keys(child, (*loc, key))
    elif isinstance(value, list):
        for i, child in enumerate(value):
            yield from _word_keys(child, (*loc, i))
