"""The questions `optout-bot init` asks, and the small rules behind them.

Every word the person reads is in `Text`, in the person's language (optout_bot.i18n). The rules
(the language guessed from the locale, a free account name, reading `--account NAME:PLATFORM[:EMAIL]`) are
plain functions, tested on their own; the `ask_*` functions put them behind click's prompts, which re-ask
after a wrong answer and read answers from stdin even when it is not a terminal (how tests play the person).

Imported only when `init` runs: it loads pydantic (through the settings), which `optout-bot --help` must not pay for.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

import click

from optout_bot.errors import OptoutError, UsageError
from optout_bot.i18n import DEFAULT_LANGUAGE, LANGUAGES, N_, Language, _, current_language, locale_language
from optout_bot.paths import ACCOUNT_NAME
from optout_bot.platforms import PLATFORMS, Platform, platform_name
from optout_bot.settings.config import Account, Config
from optout_bot.ui import PROMPT_SUFFIX
from optout_bot.ui import confirm as confirm  # init asks its yes-or-no questions as the walk does

if TYPE_CHECKING:
    from optout_bot.flows import Flow
from optout_bot.settings.values import (
    MAX_REASON_LENGTH,
    PERSON_VALUE,
    PERSON_VALUES,
    BadValueError,
    PersonValue,
    check_country,
    check_email,
    check_reason,
    comparable,
)

_REMOVE = "-"  # typed to empty a saved optional answer (Enter alone keeps it)
_SHORT = 60  # characters of a long reason shown in the summary

T = TypeVar("T")


class _Translated(type):
    """Reading a message of Text gives it in the person's language (its English text is the catalogue's key)."""

    def __getattribute__(cls, name: str) -> Any:
        value = super().__getattribute__(name)
        return _(value) if isinstance(value, str) and not name.startswith("_") else value


class Text(metaclass=_Translated):
    """What `init` says, in one place: each message marked N_() for the catalogue, translated when read.

    What it asks and says about each of the person's values is in their table (values.PERSON_VALUES).
    """

    INTRO = N_(
        "optout-bot will ask a few questions and save your answers in\n  {path}\n"
        "Press Enter to keep the answer shown in [brackets]."
    )
    COUNTRY_RIGHT = N_("{label}: is that right?")
    LANGUAGE = N_("Language of optout-bot's messages (en = English, fr = français)")
    REASON_SAVED = N_("Your saved text: {reason}\nPress Enter to keep it, or type {remove} to leave the box empty.")
    OPTIONAL_SKIP = N_("It is optional: press Enter to skip it.")
    OPTIONAL_SAVED = N_("It is optional: press Enter to keep the saved answer, or type {remove} to remove it.")
    ACCOUNTS_INTRO = N_(
        "Accounts. Each one gets its own browser window and profile, kept by optout-bot: you log in to it\n"
        "once with `optout-bot login --account NAME`. One objection covers every account linked in the same\n"
        "Meta Accounts Center: linked accounts do not need a second one, so add only accounts that are not linked."
    )
    ACCOUNTS_KEPT = N_("Accounts already saved (kept):")
    ADD_FIRST = N_("Add an account?")
    ADD_ANOTHER = N_("Add another account?")
    PLATFORM = N_("Which platform is this account on?")  # click adds the choices: (instagram, facebook, …)
    NAME = N_("A short name for it (letters, digits, '.', '_' or '-')")
    BAD_NAME = N_(
        "{answer!r} cannot be used: use letters, digits, '.', '_' or '-' (up to 64, starting with a letter or digit)"
    )
    TAKEN_NAME = N_("{answer!r} is already the name of an account: choose another")
    ACCOUNT_EMAIL = N_("Its email, if it is not {main} (press Enter if it is the same)")
    BAD_OPTION = N_("--account {value!r}: {problem}")
    OPTION_SHAPE = N_("write it as NAME:PLATFORM or NAME:PLATFORM:EMAIL, for example work:facebook")
    OPTION_PLATFORM = N_("the platform must be {choices}")
    OPTION_TWICE = N_("--account {name!r} is given twice: give each account once")

    SUMMARY = N_("Your settings:")
    SUMMARY_LANGUAGE = N_("language:")
    SUMMARY_ACCOUNTS = N_("accounts:")
    NO_ACCOUNTS = N_("(none yet)")
    SAVE = N_("Save these settings in {path}?")
    REPLACE = N_("Replace the settings in {path}?")
    COMMENTS_LOST = N_("Note: the comments you wrote in that file will not be kept.")
    NOT_SAVED = N_("Nothing was saved.")
    SAVED = N_("Saved in {path}")
    NEXT_NONE = N_(
        "Next: optout-bot run --platform {platform} (or {others}). Run optout-bot init again to save accounts."
    )
    NEXT_ONE = N_("Next: optout-bot login --account {name}, then optout-bot run --account {name}")
    NEXT_ONE_NO_LOGIN = N_("Next: optout-bot run --account {name} ({platform}'s form needs no login)")
    NEXT_MANY = N_("Next: log in to each account once with optout-bot login --account NAME, then optout-bot run --all")

    INVALID_FILE = N_("{problem}. Fix it, or delete the file, or start again with: optout-bot init --force")
    NEEDS_ANSWERS = N_(
        "init needs answers: run it in a terminal, or give them as options with --yes (see optout-bot init --help)"
    )
    STOPPED = N_("stopped: nothing was saved")
    BAD_LANGUAGE = N_("--language must be one of {choices}")
    BAD_LANGUAGE_ANSWER = N_("{answer!r} is not a language optout-bot speaks: type en (English) or fr (français)")


# --- Rules ---------------------------------------------------------------------------------------------------


def guess_language(environ: Mapping[str, str]) -> Language:
    """The locale's language for messages when optout-bot speaks it (fr_FR, fr_BE.UTF-8, fr…), else English."""
    return as_language(locale_language(environ) or DEFAULT_LANGUAGE)


def _taken(names: Iterable[str]) -> set[str]:
    # casefold: each name is a profile folder, and "Work" and "work" are one folder on macOS and Windows.
    return {name.casefold() for name in names}


def suggest_name(platform: str, names: Iterable[str]) -> str:
    """The platform's name, or platform-2, -3…: the first one no account has yet."""
    taken = _taken(names)
    name, number = platform, 2
    while name.casefold() in taken:
        name, number = f"{platform}-{number}", number + 1
    return name


def check_new_name(answer: str, names: Iterable[str]) -> str:
    """A name for a new account, or click.UsageError (which makes click ask again) saying why not."""
    name = answer.strip()
    if not ACCOUNT_NAME.match(name):
        raise click.UsageError(Text.BAD_NAME.format(answer=name))
    if name.casefold() in _taken(names):
        raise click.UsageError(Text.TAKEN_NAME.format(answer=name))
    return name


def platform_choices() -> str:
    """Every platform, in the person's words: "instagram, facebook, whatsapp, linkedin or x"."""
    return _("{first} or {last}").format(first=", ".join(PLATFORMS[:-1]), last=PLATFORMS[-1])


def as_platform(value: str) -> Platform:
    for platform in PLATFORMS:
        if value.strip().lower() == platform:
            return platform
    raise UsageError(Text.OPTION_PLATFORM.format(choices=platform_choices()))


def asks_account_email(platform: str) -> bool:
    """Whether an account's own email is of any use: a platform whose opt-out is a setting (its flow file's
    `kind: setting`) has no form to put it in."""
    return "email" in _own_flow(platform).fills


def needs_login(platform: str) -> bool:
    """Whether the platform's opt-out needs the person logged in (its flow file has `login:`)."""
    return _own_flow(platform).login is not None


@functools.cache
def _own_flow(platform: str, flow: str = "own") -> Flow:
    from optout_bot.flows import load_flow  # loaded when asked: `init --help` stays fast

    return load_flow(platform, flow=flow)


@functools.cache
def values_filled(platform: str) -> frozenset[str]:
    """The person's values a platform's forms fill (each of its flows: `run --flow` may choose any), read from
    its flow files: a form's fields under the values' names. A setting (LinkedIn's, X's own) fills none."""
    from optout_bot.flows.loader import bundled_flows

    return frozenset(key for name in bundled_flows(platform) for key in _own_flow(platform, name).fills)


def platforms_needing(key: str, platforms: Iterable[str]) -> list[str]:
    """Those of `platforms` whose forms need the value `key` (its own table says if every platform needs it)."""
    if PERSON_VALUE[key].every_platform:
        return list(platforms)
    return [platform for platform in platforms if key in values_filled(platform)]


def _names(platforms: Iterable[str]) -> str:
    """ "Instagram", "Instagram or LinkedIn", "Instagram, Facebook or WhatsApp": the platforms for the person."""
    names = [platform_name(platform) for platform in dict.fromkeys(platforms)]
    if len(names) < 2:
        return "".join(names)
    return _("{first} or {last}").format(first=", ".join(names[:-1]), last=names[-1])


def later_notes(config: Config) -> list[str]:
    """One line for each value a chosen platform's form will ask for and the settings leave empty: that form
    will ask for it, and how to save it now (the value's `later` sentence)."""
    platforms = [account.platform for account in config.accounts]
    notes = []
    for value in PERSON_VALUES:
        needing = platforms_needing(value.key, platforms)
        if value.later and needing and not getattr(config, value.key):
            notes.append(_(value.later).format(platforms=_names(needing)))
    return notes


def as_language(value: str) -> Language:
    """A language optout-bot speaks, from its code or its name in any of them ("fr", "français", "French")."""
    typed = comparable(value)
    for language in LANGUAGES:
        if typed == language or typed in _language_names(language):
            return language
    raise UsageError(Text.BAD_LANGUAGE.format(choices=", ".join(LANGUAGES)))


@functools.cache
def _language_names(language: str) -> set[str]:
    from babel import Locale  # CLDR's names: "français", "French", "anglais", "English"

    return {comparable(Locale(other).languages[language]) for other in LANGUAGES}


def account_email(answer: str | None, main: str | None) -> str | None:
    """An account's own email: none when empty or the same as the main one (the file then says it once)."""
    email = check_email(answer.strip()) if answer and answer.strip() else None
    return None if email is None or (main is not None and email.casefold() == main.casefold()) else email


def parse_account_option(value: str) -> Account:
    """`--account NAME:PLATFORM[:EMAIL]`; a wrong one stops with the fix (exit 2)."""
    parts = value.split(":", 2)
    if len(parts) < 2:
        raise UsageError(Text.BAD_OPTION.format(value=value, problem=Text.OPTION_SHAPE))
    name, platform = parts[0].strip(), parts[1]
    try:
        if not ACCOUNT_NAME.match(name):
            raise UsageError(Text.BAD_NAME.format(answer=name))
        email = check_email(parts[2]) if len(parts) == 3 and parts[2].strip() else None
        return Account(name=name, platform=as_platform(platform), email=email)
    except OptoutError as exc:
        problem = exc.problem if isinstance(exc, BadValueError) else exc.message
        raise UsageError(Text.BAD_OPTION.format(value=value, problem=problem)) from None


def merge_accounts(saved: Sequence[Account], given: Sequence[Account]) -> tuple[Account, ...]:
    """The saved accounts with those given as options on top: same name (any case) replaces, new ones go last."""
    merged = list(saved)
    seen: set[str] = set()
    for account in given:
        key = account.name.casefold()
        if key in seen:
            raise UsageError(Text.OPTION_TWICE.format(name=account.name))
        seen.add(key)
        place = next((i for i, old in enumerate(merged) if old.name.casefold() == key), None)
        if place is None:
            merged.append(account)
        else:
            merged[place] = account
    return tuple(merged)


def country_label(code: str) -> str:
    """The code and the country's usual name in the person's language ("BE — Belgium", "BE — Belgique")."""
    import gettext

    import pycountry  # only here: its database takes a moment to load

    country = pycountry.countries.get(alpha_2=code)
    if country is None:
        return code
    name = getattr(country, "common_name", None) or country.name
    if current_language() != DEFAULT_LANGUAGE:  # pycountry's names are English, with translations of their own
        names = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, [current_language()], fallback=True)
        name = names.gettext(name)
    return f"{code} — {name}"


def _shorten(text: str) -> str:
    line = " ".join(text.split())
    return line if len(line) <= _SHORT else line[: _SHORT - 1] + "…"


def _account_line(account: Account) -> str:
    own = f", {account.email}" if account.email else ""
    return f"    {account.name} ({account.platform}{own})"


def summary(config: Config) -> list[str]:
    """What will be saved, one line per setting, in plain words; the values aligned after their names."""
    accounts = [_account_line(account) for account in config.accounts] or [f"    {Text.NO_ACCOUNTS}"]
    settings = []
    for value in PERSON_VALUES:
        settings.append((_(value.label), _shown(value, getattr(config, value.key))))
        if value.key == "country":  # the language follows the country, as it is asked
            settings.append((Text.SUMMARY_LANGUAGE, config.language))
    width = max(len(name) for name, _value in settings) + 2
    return [
        Text.SUMMARY,
        *(f"  {name.ljust(width)}{value}" for name, value in settings),
        f"  {Text.SUMMARY_ACCOUNTS}",
        *accounts,
    ]


def _shown(value: PersonValue, saved: str | None) -> str:
    """A value in the summary: the country with its name, a long text shortened, or why none is fine."""
    if not saved:
        return _(value.none)
    if value.asked == "country":
        return country_label(saved)
    return _shorten(saved) if value.asked == "reason" else saved


def next_step(config: Config) -> str:
    if not config.accounts:
        return Text.NEXT_NONE.format(platform=PLATFORMS[0], others=", ".join(PLATFORMS[1:]))
    if len(config.accounts) == 1:
        (account,) = config.accounts
        if not needs_login(account.platform):
            return Text.NEXT_ONE_NO_LOGIN.format(name=account.name, platform=platform_name(account.platform))
        return Text.NEXT_ONE.format(name=account.name)
    return Text.NEXT_MANY


def has_own_comments(text: str) -> bool:
    """Whether the file has comments besides the one optout-bot writes: rewriting it would drop them."""
    from optout_bot.settings.config import to_toml

    ours = to_toml(Config()).splitlines()[0]
    return any(line.strip().startswith("#") and line.strip() != ours for line in text.splitlines())


# --- Questions -----------------------------------------------------------------------------------------------


def _ask(question: str, **options: Any) -> Any:
    """click.prompt, its colon as the person's language writes it."""
    return click.prompt(question, prompt_suffix=_(PROMPT_SUFFIX), **options)


def _retry(check: Callable[[str], T], message: str) -> Callable[[str], T]:
    """`check` for click.prompt: a wrong answer is said in `message` (with {answer}) and asked again."""

    def convert(answer: str) -> T:
        try:
            return check(answer)
        except OptoutError:
            raise click.UsageError(message.format(answer=answer.strip())) from None

    return convert


def _required(check: Callable[[str], str | None]) -> Callable[[str], str]:
    def convert(answer: str) -> str:
        checked = check(answer)
        if not checked:
            raise UsageError("empty")
        return checked

    return convert


@dataclass(frozen=True)
class Context:
    """What `init` knows when it asks a value: the country chosen, and the platforms the value is for."""

    country: str | None = None  # a phone number is read as dialled there
    platforms: tuple[str, ...] = PLATFORMS  # named in the question ("your Instagram or LinkedIn account")

    def say(self, message: str) -> str:
        """A message of the values' table, in the person's language, naming the platforms it is for."""
        return _(message).format(platforms=_names(self.platforms))


def ask_value(value: PersonValue, current: str | None, context: Context | None = None) -> str | None:
    """`init`'s question for one of the person's values, asked as its table says (values.PERSON_VALUES)."""
    context = context or Context(platforms=tuple(platforms_needing(value.key, PLATFORMS)))
    check = functools.partial(value.checked, country=context.country)
    if value.asked == "country":
        return _ask_country(value, current)
    if value.asked == "reason":
        return _ask_reason(value, current, context)
    if value.asked == "optional":
        intro = context.say(value.intro or "")
        return _ask_optional(intro, context.say(value.question), current, check, _(value.bad_answer))
    # default="" when there is none: an empty answer then gets the reason, rather than a silent repeat.
    answer: str = _ask(
        context.say(value.question),
        default=current or "",
        show_default=bool(current),
        value_proc=_retry(_required(check), _(value.bad_answer)),
    )
    return answer


def ask_email(current: str | None) -> str | None:
    return ask_value(PERSON_VALUE["email"], current)


def ask_country(current: str | None) -> str | None:
    return ask_value(PERSON_VALUE["country"], current)


def _ask_country(value: PersonValue, current: str | None) -> str:
    """The code, shown back with the country's name: "BE" for Belarus instead of Belgium is an easy slip."""
    while True:
        code: str = _ask(
            _(value.question),
            default=current or "",
            show_default=bool(current),
            value_proc=_retry(_required(check_country), _(value.bad_answer)),
        )
        if code == current:
            click.echo(f"  {country_label(code)}")
            return code
        if confirm(Text.COUNTRY_RIGHT.format(label=country_label(code)), default=True):
            return code


def ask_language(current: Language) -> Language:
    # The choices are spelled out in the question itself (with their names); a name is understood too.
    answer: Language = _ask(Text.LANGUAGE, default=current, value_proc=_retry(as_language, Text.BAD_LANGUAGE_ANSWER))
    return answer


def _reason_answer(value: PersonValue, current: str | None) -> Callable[[str], str | None]:
    def convert(answer: str) -> str | None:
        if answer.strip() == _REMOVE:
            return None
        if not answer.strip():
            return current
        try:
            return check_reason(answer)
        except OptoutError:
            bad = _(value.bad_answer).format(length=len(answer), limit=MAX_REASON_LENGTH)
            raise click.UsageError(bad) from None

    return convert


def ask_reason(current: str | None) -> str | None:
    return ask_value(PERSON_VALUE["reason"], current)


def _ask_reason(value: PersonValue, current: str | None, context: Context) -> str | None:
    # The saved text is shown above rather than as click's [default]: it may be long or span lines.
    click.echo("\n" + context.say(value.intro or ""))
    if current:
        click.echo(Text.REASON_SAVED.format(reason=_shorten(current), remove=_REMOVE))
    answer: str | None = _ask(
        _(value.question), default="", show_default=False, value_proc=_reason_answer(value, current)
    )
    return answer


def _optional_answer(check: Callable[[str], str | None], message: str) -> Callable[[str], str | None]:
    """An optional answer for click.prompt: Enter gives the default (the saved answer, or none), "-" none."""
    checked = _retry(check, message)

    def convert(answer: str) -> str | None:
        return None if answer.strip() == _REMOVE else checked(answer)

    return convert


def _ask_optional(
    intro: str, question: str, current: str | None, check: Callable[[str], str | None], bad: str
) -> str | None:
    click.echo("\n" + intro)
    click.echo(Text.OPTIONAL_SAVED.format(remove=_REMOVE) if current else Text.OPTIONAL_SKIP)
    answer: str | None = _ask(
        question, default=current or "", show_default=bool(current), value_proc=_optional_answer(check, bad)
    )
    return answer


def ask_full_name(current: str | None) -> str | None:
    """The person's full name (Meta's third-party form), or None: Enter skips it or keeps the saved one."""
    return ask_value(PERSON_VALUE["full_name"], current)


def ask_phone(current: str | None, country: str | None = None) -> str | None:
    """The person's phone number (WhatsApp's form), or None, like ask_full_name: with its country code, or as
    dialled at home in `country`."""
    value = PERSON_VALUE["phone"]
    return ask_value(value, current, Context(country, tuple(platforms_needing(value.key, PLATFORMS))))


def ask_account(accounts: Sequence[Account], main_email: str | None) -> Account:
    names = [account.name for account in accounts]
    platform = as_platform(_ask(Text.PLATFORM, type=click.Choice(PLATFORMS, case_sensitive=False)))
    name: str = _ask(
        Text.NAME, default=suggest_name(platform, names), value_proc=lambda answer: check_new_name(answer, names)
    )
    # Without a saved email there is nothing to differ from: the email asked next is every account's.
    if not asks_account_email(platform) or not main_email:
        return Account(name=name, platform=platform)
    question = Text.ACCOUNT_EMAIL.format(main=main_email)
    email: str | None = _ask(
        question,
        default="",
        show_default=False,
        value_proc=_retry(lambda answer: account_email(answer, main_email), _(PERSON_VALUE["email"].bad_answer)),
    )
    return Account(name=name, platform=platform, email=email)


def ask_accounts(saved: Sequence[Account], main_email: str | None) -> tuple[Account, ...]:
    """The saved accounts (kept), and as many new ones as the person adds."""
    click.echo("\n" + Text.ACCOUNTS_INTRO)
    accounts = list(saved)
    if accounts:
        click.echo("\n".join([Text.ACCOUNTS_KEPT, *(_account_line(account) for account in accounts)]))
    # Yes by default for the first account (the point of init), no for more (most people have one or two).
    while confirm(Text.ADD_ANOTHER if accounts else Text.ADD_FIRST, default=not accounts):
        accounts.append(ask_account(accounts, main_email))
    return tuple(accounts)
