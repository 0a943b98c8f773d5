"""The values the person asked to put in the form, checked before any browser starts (exit 2 if wrong)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from optout_bot.errors import UsageError
from optout_bot.i18n import _

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


def check_country(code: str | None) -> str | None:
    if code is None:
        return None
    import pycountry  # only when a country was given: its database takes a moment to load

    country = pycountry.countries.get(alpha_2=code.strip().upper()) if len(code.strip()) == 2 else None
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
    _refuse_too_long("--name", name, MAX_NAME_LENGTH * 2)  # before reading every character of a long one
    _refuse_invisible("--name", name, _JOINERS)
    name = " ".join(name.split())
    if len(name) > MAX_NAME_LENGTH or any(ch in name for ch in "<>@"):
        raise BadValueError("--name", _("{name!r} does not look like a person's name").format(name=name))
    return name


def check_phone(phone: str | None) -> str | None:
    if phone is None or not phone.strip():
        return None
    phone = phone.strip()
    _refuse_invisible("--phone", phone)
    digits = sum(ch.isdigit() for ch in phone)
    if not _PHONE.match(phone) or not 7 <= digits <= 15:
        raise BadValueError(
            "--phone",
            _("{phone!r} is not a phone number with its country code, for example +33 6 12 34 56 78").format(
                phone=phone
            ),
        )
    return phone


def form_values(
    email: str | None,
    country: str | None,
    reason: str | None,
    full_name: str | None = None,
    phone: str | None = None,
) -> FormValues:
    return FormValues(
        check_email(email), check_country(country), check_reason(reason), check_full_name(full_name), check_phone(phone)
    )


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
