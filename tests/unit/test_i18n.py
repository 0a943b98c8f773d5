"""Every sentence the person reads exists in every language, and the language is the one they chose."""

from __future__ import annotations

import gettext
import re
import string
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from optout_bot.bundled import FLOWS_DIR
from optout_bot.flows.model import Flow, FormFlow
from optout_bot.i18n import DOMAIN, LANGUAGES, LOCALE_DIR, choose_language

PACKAGE = Path(__file__).resolve().parents[2] / "optout_bot"
TRANSLATED = [language for language in LANGUAGES if language != "en"]  # English is the code's own language


def code_messages() -> set[str]:
    """Every message the code marks with _(), N_() or ngettext() (the mock Meta site is not ours to translate),
    and every sentence the flow files say to the person (`looking_for`, `notes`, `after`)."""
    found: set[str] = set()
    code = extract_from_dir(str(PACKAGE), method_map=[("mock_site/**.py", "ignore"), ("**.py", "python")])
    flows = extract_from_dir(str(FLOWS_DIR), method_map=[("*.yaml", "optout_bot.flows.messages.extract_flow_messages")])
    for _file, _line, message, _comments, _context in [*code, *flows]:
        found.add(message[0] if isinstance(message, tuple) else message)
    return found


def test_the_flow_files_sentences_are_messages_to_translate() -> None:
    from optout_bot.flows.loader import bundled_flow_paths, load_flow

    said = {text for path in bundled_flow_paths() for text in _sentences(load_flow(path))}
    assert said and said <= code_messages()


def _sentences(flow: Flow) -> list[str]:
    """Every sentence a flow says to the person: its own lines, each step's, and why a place is not offered."""
    after = flow.after if isinstance(flow, FormFlow) else []  # "what happens next" follows a form only
    steps = [step.says for route in flow.routes for step in route.steps if step.says]
    return [
        *([flow.looking_for] if flow.looking_for else []),
        *flow.notes,
        *after,
        *steps,
        *flow.not_offered_says.values(),
    ]


def catalogue(language: str) -> Catalog:
    with (LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po").open("rb") as po:
        return read_po(po, locale=language)


def placeholders(text: str) -> set[str]:
    braces = {field for _, field, _, _ in string.Formatter().parse(text) if field is not None}
    return braces | set(re.findall(r"%\((\w+)\)s", text))


def test_the_code_has_messages_to_translate() -> None:
    assert len(code_messages()) > 20  # guards the check below against an extraction that finds nothing


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_message_of_the_code_is_translated_and_nothing_else_is_there(language: str) -> None:
    wanted = code_messages()
    po = catalogue(language)
    present = {(m.id[0] if isinstance(m.id, tuple) else m.id) for m in po if m.id}
    missing = sorted(wanted - present)
    assert not missing, f"{len(missing)} message(s) missing from {language}.po — run scripts/i18n: {missing[:5]}"
    stale = sorted(present - wanted)
    assert not stale, f"{language}.po has messages the code no longer uses — run scripts/i18n: {stale[:5]}"
    untranslated = [m.id for m in po if m.id and (not m.string or not all(m.string if m.pluralizable else [m.string]))]
    assert not untranslated, f"untranslated in {language}.po: {untranslated[:5]}"
    fuzzy = [m.id for m in po if m.id and m.fuzzy]
    assert not fuzzy, f"fuzzy (to check) in {language}.po: {fuzzy[:5]}"


@pytest.mark.parametrize("language", TRANSLATED)
def test_translations_keep_every_placeholder(language: str) -> None:
    for message in catalogue(language):
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        expected = set().union(*(placeholders(i) for i in ids))
        for translated in strings:
            assert placeholders(translated) <= expected, f"{message.id!r}: {translated!r} has unknown placeholders"
            if not message.pluralizable:
                assert placeholders(translated) == expected, f"{message.id!r}: {translated!r} lost a placeholder"


@pytest.mark.parametrize("language", TRANSLATED)
def test_the_shipped_mo_file_is_compiled_from_the_po_file(language: str) -> None:
    with (LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.mo").open("rb") as mo:
        shipped = gettext.GNUTranslations(mo)
    for message in catalogue(language):
        if message.id and not message.pluralizable:
            assert shipped.gettext(message.id) == message.string, f"{message.id!r}: run scripts/i18n compile"


@pytest.mark.parametrize(
    ("argv", "environ", "settings", "expected"),
    [
        (["--lang", "fr", "run"], {"LANG": "en_US.UTF-8"}, 'language = "en"', "fr"),
        (["run", "--lang=en"], {"LANG": "fr_FR.UTF-8"}, 'language = "fr"', "en"),
        (["run"], {"LANG": "en_GB.UTF-8"}, 'language = "fr"', "fr"),
        (["run"], {"LANG": "fr_BE.UTF-8"}, None, "fr"),
        (["run"], {"LC_ALL": "C", "LANG": "fr_FR.UTF-8"}, None, "en"),  # LC_ALL wins, and C means no language
        (["run"], {"LC_MESSAGES": "fr_CH", "LANG": "de_DE.UTF-8"}, None, "fr"),
        (["run"], {"LANG": "de_DE.UTF-8"}, None, "en"),  # not spoken yet: English
        (["run"], {}, "this is = not TOML [", "en"),  # a broken settings file is reported by the command
        (["--lang", "xx"], {"LANG": "fr_FR.UTF-8"}, None, "fr"),  # click then refuses "xx" itself
    ],
)
def test_the_language_is_the_option_then_the_settings_then_the_locale(
    argv: list[str], environ: dict[str, str], settings: str | None, expected: str, tmp_path: Path
) -> None:
    config = tmp_path / "config.toml"
    if settings is not None:
        config.write_text(settings + "\n", encoding="utf-8")
    assert choose_language(argv, environ, config) == expected


def cli(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {"PATH": "/usr/bin:/bin", "HOME": "/nonexistent", **env}
    return subprocess.run([sys.executable, "-m", "optout_bot", *args], capture_output=True, text=True, env=clean)


def test_help_speaks_french_to_a_french_computer() -> None:
    result = cli("run", "--help", LANG="fr_FR.UTF-8")
    assert result.returncode == 0, result.stderr
    assert "Utilisation" in result.stdout and "Afficher ce message et quitter." in result.stdout


def test_a_usage_error_is_french_with_lang_fr_anywhere_on_the_line() -> None:
    result = cli("run", "--lang", "fr", "--platform", "myspace", LANG="en_US.UTF-8")
    assert result.returncode == 2
    assert "Valeur invalide" in result.stderr


# --- click's own words ------------------------------------------------------------------------------------------

# click's messages a person never meets: mistakes in the program's own definition of its commands, shells and
# Windows consoles optout-bot does not use, and click features it does not use (editors, colours, shell completion).
CLICK_DEVELOPER_ONLY = {
    "d", "{editor}: Editing failed", "{editor}: Editing failed: {e}", "Windows error: {error}",
    "Name '{name}' defined twice", "Boolean option {decl!r} cannot use the same flag for true/false.",
    "Could not determine name for option with declarations {decls!r}",
    "Arguments take exactly one parameter declaration, got {length}: {decls}.",
    "Shell completion is not supported for Bash versions older than 4.4.",
    "Couldn't detect Bash version, shell completion is not supported.", "Unknown color {colour!r}",
    "Unknown standard stream '{name}'", "Value must be an iterable.", "Choice({choices})",
}  # fmt: skip


def clicks_messages() -> set[str]:
    """Every message the installed click translates with gettext (read from its source, as scripts/i18n reads ours)."""
    import click

    found = extract_from_dir(str(Path(click.__file__).parent), keywords={"_": None, "ngettext": (1, 2)})
    messages = {message[0] if isinstance(message, tuple) else message for _f, _l, message, _c, _x in found}
    for_developers = {message for message in messages if message.startswith(("DeprecationWarning", "No options"))}
    # "required" (the help's `[required]`) is translated from a variable, so no extractor finds it.
    return {*messages, "required"} - {""} - CLICK_DEVELOPER_ONLY - for_developers


def test_every_word_click_shows_a_person_is_in_our_catalogue() -> None:
    """click calls gettext for its own words (Usage:, Error:, Missing option…); ours says each of them in French."""
    missing = sorted(clicks_messages() - code_messages())
    assert not missing, f"add these to optout_bot/i18n.py's CLICK_WORDS and translate them: {missing}"
