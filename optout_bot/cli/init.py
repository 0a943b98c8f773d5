"""`optout-bot init`: writes the settings file by asking questions, or from options for scripts.

What is given as an option is not asked; `--yes` asks nothing and keeps the saved values (or the defaults)
for the rest. Nothing is written until every answer is valid and the person said yes, and then atomically
(config.write_config), so a run stopped half-way leaves the old file as it was.

This module is imported by the command line at start-up: the settings (pydantic) and the questions are
imported only when `init` runs, so that `optout-bot --help` stays fast.
"""

from __future__ import annotations

import functools
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from optout_bot.cli.shared import person_value_options
from optout_bot.errors import NotSubmittedError, UsageError
from optout_bot.i18n import _

if TYPE_CHECKING:
    from collections.abc import Callable

    from optout_bot.i18n import Language
    from optout_bot.settings.config import Account, Config

T = TypeVar("T")


@dataclass(frozen=True)
class Given:
    """The answers given as options, each None when its option was not given."""

    values: dict[str, str | None]  # the person's values (values.PERSON_VALUES), by key
    language: str | None
    accounts: tuple[str, ...]


@click.command(
    help=_(
        "Save your email, country, language, name, phone number and accounts, by answering a few questions.\n\n"
        "Press Enter to keep a saved answer. The other commands read these settings; their options override them."
    )
)
@person_value_options(init=True)
@click.option(
    "--language",
    type=click.Choice(["en", "fr"], case_sensitive=False),
    help=_("Language of optout-bot's messages (default: your computer's)."),
)
@click.option(
    "--account",
    "accounts",
    multiple=True,
    metavar=_("NAME:PLATFORM[:EMAIL]"),
    help=_("An account to save, such as perso:instagram or work:facebook:me@work.example (repeatable)."),
)
@click.option(
    "--force", is_flag=True, help=_("Start from scratch, ignoring the saved settings (asks before replacing).")
)
@click.option("--yes", "-y", is_flag=True, help=_("Ask nothing: keep the saved values, or the defaults, for the rest."))
def init(language: str | None, accounts: tuple[str, ...], force: bool, yes: bool, **values: Any) -> None:
    """`optout-bot init` (its help, in the person's language, is in the decorator)."""
    from optout_bot.cli.questions import Text

    try:
        _init(Given(values, language, accounts), force=force, ask=not yes)
    except click.Abort:
        # click turns both Ctrl-C and the end of the input into Abort. Without a terminal it is the end of
        # piped answers, or no input at all (a script): say how to run init without questions.
        if sys.stdin is not None and sys.stdin.isatty():
            raise NotSubmittedError(Text.STOPPED) from None
        raise UsageError(Text.NEEDS_ANSWERS) from None


def _init(given: Given, force: bool, ask: bool) -> None:
    from optout_bot.cli import questions as q
    from optout_bot.paths import config_path
    from optout_bot.settings.config import Config, write_config

    path = config_path()
    saved = Config() if force else _saved(path)
    options = _checked_options(given, saved.country)  # a wrong option stops before the first question
    if ask:
        click.echo(q.Text.INTRO.format(path=path))
    config = _answers(given, options, saved, ask)
    click.echo()
    click.echo("\n".join([*q.summary(config), *q.later_notes(config)]))
    if ask and not _confirmed(path, replacing=force):
        click.echo(q.Text.NOT_SAVED)
        return
    write_config(config, path)
    click.echo(q.Text.SAVED.format(path=path))
    click.echo(q.next_step(config))


@dataclass(frozen=True)
class _Options:
    """The option values once checked (normalised as the settings file would be)."""

    values: dict[str, str | None]
    language: Language | None
    accounts: tuple[Account, ...]


def _checked_options(given: Given, saved_country: str | None = None) -> _Options:
    from optout_bot.cli import questions as q
    from optout_bot.settings.values import PERSON_VALUES, check_country

    # A phone number may be written as dialled in the country given, or else saved.
    country = check_country(given.values.get("country")) or saved_country
    values = {value.key: value.checked(given.values.get(value.key), country) for value in PERSON_VALUES}
    accounts = q.merge_accounts((), [q.parse_account_option(value) for value in given.accounts])
    language = q.as_language(given.language) if given.language is not None else None
    return _Options(values=values, language=language, accounts=accounts)


def _saved(path: Path) -> Config:
    """The saved settings, the defaults of the questions. A broken file is never replaced silently."""
    from optout_bot.cli import questions as q
    from optout_bot.settings.config import ConfigFileError, load_config

    try:
        return load_config(path)
    except ConfigFileError as exc:
        raise UsageError(q.Text.INVALID_FILE.format(problem=exc.message)) from None


def _pick(given: bool, option: T, saved: T, question: Callable[[T], T], ask: bool) -> T:
    """The option if it was given, else the person's answer, else (nobody to ask) what was saved."""
    if given:
        return option
    return question(saved) if ask else saved


def _answers(given: Given, options: _Options, saved: Config, ask: bool) -> Config:
    """The accounts first: what the person is then asked depends on their platforms (see _values)."""
    from optout_bot.cli import questions as q
    from optout_bot.settings.config import Config

    if given.accounts:
        accounts = q.merge_accounts(saved.accounts, options.accounts)
    elif ask:
        accounts = q.ask_accounts(saved.accounts, options.values["email"] or saved.email)
    else:
        accounts = saved.accounts
    values, language = _values(given, options, saved, ask, platforms=[account.platform for account in accounts])
    # The folder of flows is no question of init's: kept as written (a folder gone missing too: the person's to fix).
    kept = {"flows_dir": saved.flows_dir}
    return Config.model_validate({**values, "language": language, "accounts": accounts, **kept})


def _values(
    given: Given, options: _Options, saved: Config, ask: bool, platforms: list[str]
) -> tuple[dict[str, str | None], Language]:
    """The person's values, each asked only if one of the platforms needs it (all of them before any account is
    saved: which will be needed is not known yet), and the language."""
    from optout_bot.cli import questions as q
    from optout_bot.platforms import PLATFORMS
    from optout_bot.settings.values import PERSON_VALUES

    # A file without `language` (written by hand) says nothing about it: guess from the locale instead.
    language = saved.language if "language" in saved.model_fields_set else q.guess_language(os.environ)
    chosen_language = language
    values: dict[str, str | None] = {}
    for value in PERSON_VALUES:  # in the table's order, each asked as the table says
        typed = given.values.get(value.key) is not None
        needing = q.platforms_needing(value.key, platforms or PLATFORMS)
        context = q.Context(country=values.get("country"), platforms=tuple(needing))
        question = functools.partial(q.ask_value, value, context=context)
        values[value.key] = _pick(
            typed, options.values[value.key], getattr(saved, value.key), question, ask and bool(needing)
        )
        if value.key == "country":  # the language follows the country
            typed = given.language is not None
            chosen_language = _pick(typed, options.language or language, language, q.ask_language, ask)
    return values, chosen_language


def _confirmed(path: Path, replacing: bool) -> bool:
    from optout_bot.cli import questions as q

    exists = path.exists()
    if exists and _has_own_comments(path):
        click.echo(q.Text.COMMENTS_LOST)
    question = q.Text.REPLACE if replacing and exists else q.Text.SAVE
    return q.confirm(question.format(path=path), default=True)


def _has_own_comments(path: Path) -> bool:
    from optout_bot.cli import questions as q
    from optout_bot.paths import CONFIG_SIZE_LIMIT, read_regular_file

    try:
        return q.has_own_comments(read_regular_file(path, CONFIG_SIZE_LIMIT).decode("utf-8"))
    except (OSError, UnicodeDecodeError):
        return False  # unreadable: --force replaces it, and there is nothing of it to keep
