"""The person's language: which one, and the catalogue of every sentence they read in it.

Messages are written in English in the code, wrapped in `_()`; `optout_bot/locale/<lang>/LC_MESSAGES/
optout_bot.po` holds each language's translations (gettext, compiled to `.mo` by `scripts/i18n`). A new
language is a new `.po` file and a line in LANGUAGES; tests/unit/test_i18n.py fails when a message of the code is
missing from a catalogue.

The language is chosen before any command is defined, because `--help` texts are read when click builds
the commands: `--lang`, then the settings file, then LC_ALL / LC_MESSAGES / LANG, then English.
"""

from __future__ import annotations

import gettext
import os
import tomllib
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Literal, get_args

if TYPE_CHECKING:
    import click

from optout_bot.invocation import as_typed

DOMAIN = "optout_bot"
LOCALE_DIR = Path(__file__).parent / "locale"
Language = Literal["en", "fr"]  # English is the language of the code: it needs no catalogue
LANGUAGES: tuple[Language, ...] = get_args(Language)
DEFAULT_LANGUAGE = "en"

# POSIX order for messages: the first variable that is set wins.
_LOCALE_VARIABLES = ("LC_ALL", "LC_MESSAGES", "LANG")

_translation: gettext.NullTranslations = gettext.NullTranslations()
_language = DEFAULT_LANGUAGE


# Every message goes out through these two: a command it suggests is written as the person started the tool
# (`scripts/optout-bot init` for a README follower), so that it works when pasted (optout_bot.invocation).
def _(message: str) -> str:
    return as_typed(_translation.gettext(message))


def ngettext(singular: str, plural: str, n: int) -> str:
    return as_typed(_translation.ngettext(singular, plural, n))


def N_(message: str) -> str:
    """Marks a message for the catalogue where it is defined; `_()` translates it where it is shown."""
    return message


def current_language() -> str:
    return _language


def use_language(language: str) -> None:
    """Speak `language` from now on: our messages, and click's own words (Usage:, Options:, errors)."""
    global _translation, _language
    _language = language if language in LANGUAGES else DEFAULT_LANGUAGE
    if _language == DEFAULT_LANGUAGE:
        _translation = gettext.NullTranslations()
    else:
        _translation = gettext.translation(DOMAIN, LOCALE_DIR, languages=[_language], fallback=True)
    _route_clicks_words()


def _route_clicks_words() -> None:
    """click translates its own words with gettext's global domain, in the language of the environment.

    Routing them through our catalogue makes `--help` and usage errors speak the chosen language (their
    French is in our .po, CLICK_WORDS) without changing the environment, which the browser we start would
    inherit. Two of click's words are no gettext message: the metavars of the help (TEXT, PATH…: a type's name
    or the option's own metavar) and the colon after a heading; _translate_clicks_layout covers those.
    """
    import click._termui_impl
    import click.core
    import click.decorators
    import click.exceptions
    import click.formatting
    import click.parser
    import click.shell_completion
    import click.termui
    import click.types
    import click.utils

    for module in (click._termui_impl, click.core, click.decorators, click.exceptions, click.formatting,
                   click.parser, click.shell_completion, click.termui, click.types, click.utils):  # fmt: skip
        if hasattr(module, "_"):
            module._ = _  # type: ignore[attr-defined]
        if hasattr(module, "ngettext"):
            module.ngettext = ngettext  # type: ignore[attr-defined]
    _translate_clicks_layout()


def _translate_clicks_layout() -> None:
    """The help's metavars (`--email TEXTE`) and headings (`Options :`) in the person's language.

    Done once, and by translating what click computes, so it follows a later change of language.
    """
    import click
    import click.core

    if getattr(click.core.Parameter.make_metavar, "translated", False):
        return
    computed = click.core.Parameter.make_metavar

    def make_metavar(self: click.Parameter, *args: object, **kwargs: object) -> str:
        return _(computed(self, *args, **kwargs))  # type: ignore[arg-type]

    make_metavar.translated = True  # type: ignore[attr-defined]
    click.core.Parameter.make_metavar = make_metavar  # type: ignore[method-assign]
    # click's documented way to format help differently: the context's formatter class.
    click.Context.formatter_class = _help_formatter_class()


def _help_formatter_class() -> type[click.HelpFormatter]:
    import click

    class HelpFormatter(click.HelpFormatter):
        def write_heading(self, heading: str) -> None:
            # "Options:" in English, "Options :" in French: the colon as the language writes it.
            self.write(f"{'':>{self.current_indent}}{heading}{_(': ').rstrip()}\n")

    return HelpFormatter


# --- choosing --------------------------------------------------------------------------------------------


def choose_language(argv: Sequence[str], environ: Mapping[str, str], config_file: Path | None) -> str:
    """`--lang`, then the settings file's `language`, then the locale variables, then English.

    A `--lang` optout-bot does not speak is passed over here, so that the error saying so (unknown_language)
    is itself in the person's language.
    """
    for source in (asked_language(argv), _from_settings(config_file), _from_locale(environ)):
        if source in LANGUAGES:
            return source
    return DEFAULT_LANGUAGE


def asked_language(argv: Sequence[str]) -> str | None:
    """The language `--lang` asks for, as typed but in lower case ("" when it has no value); None if not given."""
    for number, argument in enumerate(argv):
        if argument == "--lang":
            return argv[number + 1].strip().lower() if number + 1 < len(argv) else ""
        if argument.startswith("--lang="):
            return argument.removeprefix("--lang=").strip().lower()
    return None


def unknown_language(argv: Sequence[str]) -> str | None:
    """The one-line error for a `--lang` optout-bot does not speak (said in the language chosen), or None."""
    asked = asked_language(argv)
    if asked is None or asked in LANGUAGES:
        return None
    message = _("--lang {language!r} is not a language optout-bot speaks; choose one of: {languages}")
    return message.format(language=asked[:20], languages=", ".join(LANGUAGES))


def _from_settings(config_file: Path | None) -> str | None:
    """The settings' language, read without validating the file: a broken file is reported by the command."""
    if config_file is None:
        return None
    from optout_bot.paths import CONFIG_SIZE_LIMIT, read_regular_file  # here: paths imports this module

    try:  # bounded: the file may be a FIFO or a device (the command then reports it)
        text = read_regular_file(config_file, CONFIG_SIZE_LIMIT).decode("utf-8")
        language = tomllib.loads(text).get("language")
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError, RecursionError):
        return None
    return language.strip().lower() if isinstance(language, str) else None


def _from_locale(environ: Mapping[str, str]) -> str | None:
    for variable in _LOCALE_VARIABLES:
        value = environ.get(variable, "")
        if value:
            # "fr_BE.UTF-8" → "fr"; "C" and "POSIX" mean no particular language.
            return value.split(".")[0].split("_")[0].split("@")[0].lower()
    return None


def locale_language(environ: Mapping[str, str] | None = None) -> str | None:
    """The language the computer's locale asks for, if optout-bot speaks it (init's default)."""
    found = _from_locale(os.environ if environ is None else environ)
    return found if found in LANGUAGES else None


# click's own words that a person meets in `--help` and usage errors, listed so that the catalogue has them
# (scripts/i18n extracts N_() and ngettext() calls). click looks them up through _route_clicks_words.
CLICK_WORDS = (
    N_("Usage:"),
    N_("Options"),
    N_("Commands"),
    N_("Show this message and exit."),
    N_("Show the version and exit."),
    N_("%(prog)s, version %(version)s"),
    N_("Error: {message}"),
    N_("Try '{command} {option}' for help."),
    N_("No such option {name!r}."),
    N_("No such command {name!r}."),
    N_("Missing option"),
    N_("Missing argument"),
    N_("Missing command."),
    N_("Missing parameter"),
    N_("Option {name!r} does not take a value."),
    N_("Invalid value for {param_hint}: {message}"),
    N_("Invalid value: {message}"),
    N_("{value!r} is not a valid {number_type}."),
    N_("{value} is not in the range {range}."),
    N_("default: {default}"),
    N_("Aborted!"),
    N_("{name} {filename!r} is a directory."),
    N_("{name} {filename!r} does not exist."),
    N_("file"),
    N_("path"),
    N_("directory"),
    N_("required"),  # the help's `[required]`
    N_("Choose from:\n\t{choices}"),
    N_("Error: invalid input"),
    N_("Repeat for confirmation"),
    N_("Error: The two entered values do not match."),
    N_("Do you want to continue?"),
    N_("Confirm the action without prompting."),
    N_("Press any key to continue..."),
    N_("Positional arguments"),
    N_("deprecated"),
    N_("(dynamic)"),
    N_("env var: {var}"),
    N_("unknown error"),
    N_("Missing {param_type}"),
    N_("Missing parameter: {param_name}"),
    N_("Argument {name!r} takes {nargs} values."),
    N_("Invalid start character for option ({option})"),
    N_("Could not open file {filename!r}: {message}"),
    N_("{name} {filename!r} is a file."),
    N_("{name} {filename!r} is not readable."),
    N_("{name} {filename!r} is not writable."),
    N_("{name} {filename!r} is not executable."),
    N_("{value!r} is not a valid boolean. Recognized values: {states}"),
    N_("{value!r} is not a valid UUID."),
    # The help's metavars: click's type names, and those our options name themselves.
    N_("TEXT"),
    N_("INTEGER"),
    N_("FLOAT"),
    N_("INTEGER RANGE"),
    N_("FLOAT RANGE"),
    N_("BOOLEAN"),
    N_("FILENAME"),
    N_("PATH"),
    N_("NAME"),
    N_("FLOW"),
    N_("FLAG"),
    N_("CODE"),
    N_("PLATFORM"),
    N_("LANG"),
)


def _click_plurals() -> None:  # never called: lists click's plural messages for the catalogue
    ngettext("{value!r} is not {choice}.", "{value!r} is not one of {choices}.", 1)
    ngettext("Got unexpected extra argument ({args})", "Got unexpected extra arguments ({args})", 1)
    ngettext("Did you mean {possibility}?", "(Did you mean one of: {possibilities}?)", 1)
    ngettext("Option {name!r} requires an argument.", "Option {name!r} requires {nargs} arguments.", 1)
    ngettext("Takes {nargs} values but 1 was given.", "Takes {nargs} values but {len} were given.", 1)
    ngettext("{value!r} does not match the format {format}.", "{value!r} does not match the formats {formats}.", 1)
    ngettext(
        "{len_type} values are required, but {len_value} was given.",
        "{len_type} values are required, but {len_value} were given.",
        1,
    )
