"""The person's values (email, country, reason, full name, phone): their one table, and their checks.

`PERSON_VALUES` defines each value once: its name (the settings key, the option's, the flow's form field's,
`FormValues`'), its check, its help texts, how `init` asks for it and shows it, and how it goes into a form.
The command-line options (cli_shared), `init` (cli_setup, setup_questions), the settings file (config), the
flow model (flows/model.FormSpec) and the filling (filling) all loop over it; tests/unit/test_values.py checks
that each of them holds exactly the table's values.

Every value is checked before any browser starts (exit 2 if wrong). This module stays light (no pydantic, no
Playwright): the command line imports it to build its options.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from optout_bot.errors import UsageError
from optout_bot.i18n import LANGUAGES, N_, _

# Deliberately simple: one @, a dot in the domain, no spaces. Meta validates the address itself; we only
# want to stop obvious typos before opening a browser.
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]{2,}$")

MAX_REASON_LENGTH = 5000
MAX_NAME_LENGTH = 200
MAX_EMAIL_LENGTH = 254  # the longest address mail servers carry (RFC 5321's path, less its brackets)
# Invisible characters that change what a value looks like or how a terminal shows it: controls (escape
# sequences), bidi overrides and isolates (which make an address read differently from what it is), other
# format characters, and code points with no character. Zero-width (non-)joiners stay in names and reasons,
# where Persian and Indic names need them; an email or a phone number takes none of them.
_INVISIBLE = frozenset({"Cc", "Cf", "Cs", "Co", "Cn"})
_JOINERS = frozenset("\u200c\u200d")
_LINE_BREAKS = frozenset("\n\r\t")  # a reason may run over several lines (a multi-line string in the settings)
# An international number: "+", the country code and the number (E.164: up to 15 digits), spaces, dots,
# dashes and brackets allowed between digits as people write them. WhatsApp identifies the account by it.
_PHONE = re.compile(r"^\+[0-9][0-9 .()\-]{5,22}[0-9]$")


class BadValueError(UsageError):
    """A value that cannot go in the form: `problem` says why, `option` names it on the command line.

    The message is "--email 'jane@' is not an email address (…)"; the settings file shows `problem` after the
    key's own name instead (config.py), and `init` after the `--account` it came from.
    """

    def __init__(self, option: str, problem: str) -> None:
        super().__init__(f"{option} {problem}")
        self.option = option
        self.problem = problem


@dataclass(frozen=True)
class FormValues:
    email: str | None = None
    country: str | None = None  # ISO 3166-1 alpha-2, upper case
    reason: str | None = None
    full_name: str | None = None  # the third-party form asks for it
    phone: str | None = None  # WhatsApp's form asks for it: "+" and the country code, as given


def _refuse_invisible(option: str, value: str, allowed: frozenset[str] = frozenset()) -> None:
    """BadValueError naming the first invisible character of `value` (see _INVISIBLE) as U+XXXX."""
    found = next((ch for ch in value if unicodedata.category(ch) in _INVISIBLE and ch not in allowed), None)
    if found is not None:
        # After "--email" or "email:". The value is not shown again: it may be what hides the character.
        problem = _("contains an invisible or control character (U+{code:04X}): type it again without it")
        raise BadValueError(option, problem.format(code=ord(found)))


def _refuse_too_long(option: str, value: str, limit: int) -> None:
    if len(value) > limit:
        problem = _("is {length} characters long; keep it under {limit}")  # after "--reason" or "reason:"
        raise BadValueError(option, problem.format(length=len(value), limit=limit))


def check_email(email: str | None) -> str | None:
    if email is None:
        return None
    email = email.strip()
    _refuse_too_long("--email", email, MAX_EMAIL_LENGTH)
    _refuse_invisible("--email", email)
    if not _EMAIL.match(email):
        problem = _("{email!r} is not an email address (expected something like name@example.com)")
        raise BadValueError("--email", problem.format(email=email))
    return email


def comparable(name: str) -> str:
    """A name as people may type it: any case, with or without accents ("etats-unis" for "États-Unis")."""
    decomposed = unicodedata.normalize("NFKD", name.strip().casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@functools.cache
def _country_codes_by_name() -> dict[str, str]:
    """Every country's name in each language optout-bot speaks (from babel's CLDR data), to its code."""
    from babel import Locale  # only when a name was typed

    codes: dict[str, str] = {}
    for language in LANGUAGES:
        for code, name in Locale(language).territories.items():
            if len(code) == 2 and code.isalpha():  # not the regions ("150" Europe) or groups ("EU", "UN")
                codes.setdefault(comparable(name), code)
    return codes


def check_country(code: str | None) -> str | None:
    """The country's two-letter code (ISO 3166-1), from its code or its name in English or French."""
    if code is None:
        return None
    import pycountry  # only when a country was given: its database takes a moment to load

    typed = code.strip()
    if len(typed) != 2:
        typed = _country_codes_by_name().get(comparable(typed), "")
    country = pycountry.countries.get(alpha_2=typed.upper()) if len(typed) == 2 else None
    if country is None:
        raise BadValueError(
            "--country",
            _("{code!r} is not a two-letter country code (ISO 3166-1), for example FR, DE, BE or CH").format(code=code),
        )
    return str(country.alpha_2)


def check_reason(reason: str | None) -> str | None:
    if reason is None or not reason.strip():
        return None
    _refuse_too_long("--reason", reason, MAX_REASON_LENGTH)
    _refuse_invisible("--reason", reason, _JOINERS | _LINE_BREAKS)
    return reason.strip()


def check_full_name(name: str | None) -> str | None:
    if name is None or not name.strip():
        return None
    _refuse_too_long("--full-name", name, MAX_NAME_LENGTH * 2)  # before reading every character of a long one
    _refuse_invisible("--full-name", name, _JOINERS)
    name = " ".join(name.split())
    if len(name) > MAX_NAME_LENGTH or any(ch in name for ch in "<>@"):
        raise BadValueError("--full-name", _("{name!r} does not look like a person's name").format(name=name))
    return name


def check_phone(phone: str | None, country: str | None = None) -> str | None:
    """A phone number with its country code, kept as typed; or, given the person's country, one dialled as at
    home ("06 12 34 56 78" in France), written with its code (+33612345678). The `phonenumbers` library (Google's
    libphonenumber data) knows each country's numbers."""
    if phone is None or not phone.strip():
        return None
    phone = phone.strip()
    _refuse_invisible("--phone", phone)
    if _PHONE.match(phone) and _possible_number(phone, None) is not None:
        return phone
    national = _possible_number(phone, country) if country and not phone.startswith("+") else None
    if national is None:
        raise BadValueError(
            "--phone",
            _("{phone!r} is not a phone number with its country code, for example +33 6 12 34 56 78").format(
                phone=phone
            ),
        )
    return national


def _possible_number(phone: str, country: str | None) -> str | None:
    """The number in international form (E.164) if it can be one (in `country`, when it has no code), else None."""
    import phonenumbers  # only when a number was given

    try:
        number = phonenumbers.parse(phone, country)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_possible_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


# --- The table -----------------------------------------------------------------------------------------------

# How `init` asks for a value (setup_questions): required, with a default; the country, shown back by its name;
# the optional free text; or an optional value that Enter skips.
Asked = Literal["required", "country", "reason", "optional"]
# How a value goes into the form (filling): the email (Meta may have filled one in), the country (a list to
# choose from), the optional free text, or a plain text field.
Filled = Literal["email", "country", "reason", "text"]


@dataclass(frozen=True)
class PersonValue:
    """One of the person's values, as every part of the tool knows it. The texts are N_() messages."""

    key: str  # its one name: settings key, FormValues field, flow form field, option (`--full-name`)
    check: Callable[[str | None], str | None]  # normalises it, or raises BadValueError
    help: str  # `run` and `demo`'s option
    init_help: str  # `init`'s option
    asked: Asked
    question: str  # `init`'s question
    bad_answer: str  # `init`, when the answer is refused ({answer})
    intro: str | None  # `init`, said before the question
    label: str  # `init`'s summary: "email:"
    none: str  # `init`'s summary when there is none, saying why that is fine
    filled: Filled
    filled_line: str | None = None  # a plain text field, once filled ({value})
    missing_line: str | None = None  # a plain text field left empty: what the person should do
    older_keys: tuple[str, ...] = ()  # its settings key in files of older versions, still read
    older_options: tuple[str, ...] = ()  # its option's older spellings, still accepted
    # Asked whatever the platforms: the country also chooses the data-protection authority (`letter complaint`).
    # The others are asked only for the platforms whose forms fill them (their flow files say which).
    every_platform: bool = False
    # `init`, when a chosen platform's form will ask for it and it is left empty: that, and how to save it now.
    later: str | None = None
    # Its check given the person's country, for a value people write as at home (a phone number); else `check`.
    check_in_country: Callable[[str | None, str | None], str | None] | None = None

    @property
    def option(self) -> str:
        return "--" + self.key.replace("_", "-")

    def checked(self, value: str | None, country: str | None) -> str | None:
        """The value checked as written by someone living in `country` (a two-letter code, or None)."""
        return self.check_in_country(value, country) if self.check_in_country else self.check(value)


PERSON_VALUES: tuple[PersonValue, ...] = (
    PersonValue(
        key="email",
        check=check_email,
        help=N_("Email to put in the form (Meta usually pre-fills yours). Default: settings."),
        init_help=N_("Your email address, the one your accounts use."),
        asked="required",
        question=N_("Email address of your {platforms} account"),
        bad_answer=N_("{answer!r} is not an email address: type it like name@example.com"),
        intro=None,
        label=N_("email:"),
        none=N_("(none: the form pre-fills the email of your account)"),
        filled="email",
    ),
    PersonValue(
        key="country",
        check=check_country,
        help=N_("Country of residence, two letters (FR, BE, DE…), if asked. Default: settings."),
        init_help=N_("Country where you live: its name, or its two letters (FR, BE, CH, DE…)."),
        asked="country",
        question=N_("Country where you live (its name, or its code: FR, BE, CH, DE…)"),
        bad_answer=N_("{answer!r} is not a country: type its name, such as Belgium, or its two letters, such as BE"),
        intro=None,
        label=N_("country:"),
        none=N_("(none: chosen in the form if it asks)"),
        filled="country",
        every_platform=True,
    ),
    PersonValue(
        key="reason",
        check=check_reason,
        help=N_("Optional text: how this processing affects you. Default: settings, or empty."),
        init_help=N_("Optional text for Meta's form: how this use of your data affects you (empty: none)."),
        asked="reason",
        question=N_("Your text (optional)"),
        bad_answer=N_("this text is {length} characters long: keep it under {limit}"),
        intro=N_(
            "The form ({platforms}) has an optional box to say how this use of your data affects you.\n"
            "It is not required: press Enter to leave it empty."
        ),
        label=N_("reason:"),
        none=N_("(none: no form requires one)"),
        filled="reason",
    ),
    PersonValue(
        key="full_name",
        check=check_full_name,
        help=N_("Your full name, where the form asks (third-party). Default: settings."),
        init_help=N_("Your full name, for Meta's form for information others shared about you (empty: none)."),
        asked="optional",
        question=N_("Your first and last names"),
        bad_answer=N_("{answer!r} does not look like a name: type your first and last names, such as Jane Doe"),
        intro=N_("Your full name: only some forms ask for it ({platforms})."),
        label=N_("name:"),
        none=N_("(none: only some forms ask for it)"),
        filled="text",
        filled_line=N_("Full name: {value}."),
        missing_line=N_("Full name: empty — please type it (or save it with optout-bot init, or give --full-name)."),
        older_keys=("name",),
        later=N_(
            "Note: a form ({platforms}) will ask for your full name: type it there, or save it now with "
            "optout-bot init --full-name 'Jane Doe'."
        ),
        older_options=("--name",),
    ),
    PersonValue(
        key="phone",
        check=check_phone,
        help=N_("Your phone number (WhatsApp): with its country code, or as you dial it at home. Default: settings."),
        init_help=N_(
            "Your phone number with its country code, such as '+33 6 12 34 56 78', for WhatsApp's form (empty: none)."
        ),
        asked="optional",
        question=N_("Your phone number (such as +33 6 12 34 56 78, or as you dial it at home)"),
        bad_answer=N_("{answer!r} is not a phone number: type it like +33 6 12 34 56 78, or as you dial it at home"),
        intro=N_("Your phone number: only {platforms}'s form asks for it (the number of your account there)."),
        label=N_("phone:"),
        none=N_("(none: only WhatsApp's form asks for it)"),
        filled="text",
        filled_line=N_("Phone number: {value}."),
        missing_line=N_("Phone number: empty — please type it with its country code (or give --phone)."),
        check_in_country=check_phone,
        later=N_(
            "Note: {platforms}'s form will ask for your phone number: type it there, or save it now with "
            "optout-bot init --phone '+33 6 12 34 56 78'."
        ),
    ),
)
PERSON_VALUE = {value.key: value for value in PERSON_VALUES}
PERSON_KEYS = tuple(PERSON_VALUE)


def form_values(given: dict[str, str | None]) -> FormValues:
    """The values as the form takes them, each checked by its own rule; a key not given is None. A value written
    as at home (a phone number: "06 12 34 56 78") is read in the country given with it, as `init` reads it."""
    country = check_country(given.get("country"))
    return FormValues(**{value.key: value.checked(given.get(value.key), country) for value in PERSON_VALUES})


def country_names(code: str) -> list[str]:
    """The country's name in every language Meta may show it in, for forms whose options carry names."""
    import gettext

    import pycountry

    country = pycountry.countries.get(alpha_2=code)
    if country is None:
        return []
    names = {country.name, getattr(country, "common_name", country.name)}
    for lang in ("fr", "de", "es", "it", "nl", "pt", "pl"):
        try:
            translation = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[lang])
        except OSError:
            continue
        names.add(translation.gettext(country.name))
    return sorted(names)
