"""The rules behind `optout-bot init`'s questions, and a few questions answered through click's own test input."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TypeVar

import click
import pytest
from click.testing import CliRunner

from optout_bot.cli.questions import (
    account_email,
    as_language,
    ask_accounts,
    ask_country,
    ask_full_name,
    ask_language,
    ask_phone,
    ask_reason,
    asks_account_email,
    check_new_name,
    confirm,
    country_label,
    guess_language,
    has_own_comments,
    later_notes,
    merge_accounts,
    needs_login,
    next_step,
    parse_account_option,
    suggest_name,
    summary,
    values_filled,
)
from optout_bot.errors import UsageError
from optout_bot.flows import load_flow
from optout_bot.i18n import use_language
from optout_bot.platforms import PLATFORMS
from optout_bot.settings.config import Account, Config
from optout_bot.ui import Ui

T = TypeVar("T")


@pytest.fixture
def french() -> Iterator[None]:
    """The person reads French for the test's length."""
    use_language("fr")
    try:
        yield
    finally:
        use_language("en")


def typed(answers: list[str], question: Callable[[], T]) -> tuple[T, str]:
    """`question()` answered with these lines, as if typed; returns its result and what was printed."""
    with CliRunner().isolation(input="".join(f"{line}\n" for line in answers)) as (out, _err, _):
        result = question()
    return result, out.getvalue().decode()


# --- The language ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("environ", "language"),
    [
        ({"LANG": "fr_FR.UTF-8"}, "fr"),
        ({"LANG": "fr"}, "fr"),
        ({"LANG": "FR_ca"}, "fr"),
        ({"LANG": "en_US.UTF-8"}, "en"),
        ({"LANG": "de_DE.UTF-8"}, "en"),  # no German messages yet
        ({}, "en"),
        ({"LANG": "C.UTF-8"}, "en"),
        ({"LC_ALL": "en_GB.UTF-8", "LC_MESSAGES": "fr_FR.UTF-8", "LANG": "fr_FR.UTF-8"}, "en"),  # LC_ALL first
        ({"LC_MESSAGES": "fr_BE.UTF-8", "LANG": "en_US.UTF-8"}, "fr"),  # then LC_MESSAGES
        ({"LC_ALL": "", "LC_MESSAGES": "", "LANG": "fr_CH.UTF-8"}, "fr"),  # empty means unset
    ],
)
def test_the_language_is_guessed_from_the_locale(environ: dict[str, str], language: str) -> None:
    assert guess_language(environ) == language


# --- Account names and options ---------------------------------------------------------------------------------


def test_the_suggested_name_is_the_platform_then_a_number() -> None:
    assert suggest_name("instagram", []) == "instagram"
    assert suggest_name("facebook", ["instagram"]) == "facebook"
    assert suggest_name("facebook", ["Facebook", "facebook-2"]) == "facebook-3"


def test_a_new_name_must_be_allowed_and_free_in_any_case() -> None:
    assert check_new_name(" work ", ["perso"]) == "work"
    with pytest.raises(click.UsageError, match="'Perso' is already the name of an account"):
        check_new_name("Perso", ["perso"])
    for bad in ("", "../x", "a b", "-x", "x" * 65):
        with pytest.raises(click.UsageError, match="cannot be used"):
            check_new_name(bad, [])


def test_an_account_email_is_kept_only_when_it_differs() -> None:
    assert account_email("", "jane@example.com") is None
    assert account_email(" Jane@Example.com ", "jane@example.com") is None
    assert account_email("j@w.org", "jane@example.com") == "j@w.org"
    assert account_email("j@w.org", None) == "j@w.org"
    with pytest.raises(UsageError):
        account_email("j@", None)


def test_account_options_are_read() -> None:
    assert parse_account_option("perso:instagram") == Account(name="perso", platform="instagram")
    assert parse_account_option("w.2:Facebook:j@w.org") == Account(name="w.2", platform="facebook", email="j@w.org")
    assert parse_account_option("w:facebook:") == Account(name="w", platform="facebook")
    assert parse_account_option("wa:WhatsApp") == Account(name="wa", platform="whatsapp")
    assert parse_account_option("pro:linkedin") == Account(name="pro", platform="linkedin")
    assert parse_account_option("x:x") == Account(name="x", platform="x")
    with pytest.raises(
        UsageError, match=r"^--account 'x:threads': the platform must be instagram, facebook, whatsapp, linkedin or x$"
    ):
        parse_account_option("x:threads")
    with pytest.raises(UsageError, match=r"^--account 'x:facebook:j@': 'j@' is not an email address"):
        parse_account_option("x:facebook:j@")


def test_accounts_given_as_options_replace_those_of_the_same_name() -> None:
    perso, work = Account(name="perso", platform="instagram"), Account(name="work", platform="facebook")
    new_work, extra = Account(name="Work", platform="instagram"), Account(name="x", platform="facebook")
    assert merge_accounts([perso, work], [new_work, extra]) == (perso, new_work, extra)
    with pytest.raises(UsageError, match="given twice"):
        merge_accounts([], [work, new_work])


# --- What is shown -----------------------------------------------------------------------------------------------


def test_the_country_is_shown_with_its_usual_name() -> None:
    assert country_label("FR") == "FR — France"
    assert country_label("BO") == "BO — Bolivia"  # common_name, not "Bolivia, Plurinational State of"


def test_the_summary_says_what_is_missing_in_plain_words() -> None:
    assert summary(Config()) == [
        "Your settings:",
        "  email:     (none: the form pre-fills the email of your account)",
        "  country:   (none: chosen in the form if it asks)",
        "  language:  en",
        "  reason:    (none: no form requires one)",
        "  name:      (none: only some forms ask for it)",
        "  phone:     (none: only WhatsApp's form asks for it)",
        "  accounts:",
        "    (none yet)",
    ]
    mine = summary(Config(full_name="Jane Doe", phone="+33 6 12 34 56 78"))
    assert mine[5:7] == ["  name:      Jane Doe", "  phone:     +33 6 12 34 56 78"]
    long = Config(reason="word " * 30, accounts=(Account(name="w", platform="facebook", email="j@w.org"),))
    lines = summary(long)
    assert lines[4] == "  reason:    " + ("word " * 12)[:59] + "…"
    assert lines[-1] == "    w (facebook, j@w.org)"


def test_the_next_step_depends_on_the_accounts() -> None:
    one = (Account(name="perso", platform="instagram"),)
    assert next_step(Config()).startswith(
        "Next: optout-bot run --platform instagram (or facebook, whatsapp, linkedin, x). "
    )
    assert (
        next_step(Config(accounts=one)) == "Next: optout-bot login --account perso, then optout-bot run --account perso"
    )
    two = (*one, Account(name="work", platform="facebook"))
    assert next_step(Config(accounts=two)).endswith("then optout-bot run --all")
    whatsapp = (Account(name="wa", platform="whatsapp"),)
    assert next_step(Config(accounts=whatsapp)) == "Next: optout-bot run --account wa (WhatsApp's form needs no login)"


def test_only_the_persons_own_comments_count() -> None:
    assert not has_own_comments('# optout-bot settings. Command-line options override them.\nemail = "a@b.org"\n')
    assert has_own_comments("  # my note\n")
    assert not has_own_comments('reason = "#1 reason"\n')


# --- Questions ---------------------------------------------------------------------------------------------------


def test_a_changed_country_is_confirmed_by_its_name() -> None:
    code, out = typed(["XX", "by", "n", "be", "y"], lambda: ask_country("FR"))
    assert code == "BE"
    assert "Error: 'XX' is not a country: type its name, such as Belgium, or its two letters" in out
    assert "BY — Belarus: is that right?" in out and "BE — Belgium: is that right?" in out


def test_the_saved_country_is_kept_with_enter() -> None:
    code, out = typed([""], lambda: ask_country("FR"))
    assert code == "FR"
    assert "[FR]" in out and "FR — France" in out


@pytest.mark.parametrize(("line", "reason"), [("", "Mine."), ("-", None), ("  Other.  ", "Other.")])
def test_the_saved_reason_is_kept_removed_or_replaced(line: str, reason: str | None) -> None:
    assert typed([line], lambda: ask_reason("Mine."))[0] == reason


def test_a_reason_too_long_is_asked_again() -> None:
    reason, out = typed(["x" * 5001, ""], lambda: ask_reason(None))
    assert reason is None
    assert "Error: this text is 5001 characters long: keep it under 5000" in out


def test_the_full_name_is_optional_and_said_what_it_is_for() -> None:
    name, out = typed([""], lambda: ask_full_name(None))
    assert name is None
    assert "Your full name: only some forms ask for it (Facebook or LinkedIn)." in out  # from the flow files
    assert "It is optional: press Enter to skip it.\nYour first and last names: " in out
    assert typed(["  Jane   Doe "], lambda: ask_full_name(None))[0] == "Jane Doe"


def test_a_wrong_full_name_is_asked_again() -> None:
    name, out = typed(["jane@example.com", "Jane Doe"], lambda: ask_full_name(None))
    assert name == "Jane Doe"
    assert "Error: 'jane@example.com' does not look like a name: type your first and last names" in out


@pytest.mark.parametrize(
    ("line", "phone"), [("", "+33 6 12 34 56 78"), ("-", None), (" +32 470 12 34 56 ", "+32 470 12 34 56")]
)
def test_the_saved_phone_is_kept_removed_or_replaced(line: str, phone: str | None) -> None:
    answer, out = typed([line], lambda: ask_phone("+33 6 12 34 56 78"))
    assert answer == phone
    assert "press Enter to keep the saved answer, or type - to remove it" in out
    assert "(such as +33 6 12 34 56 78, or as you dial it at home) [+33 6 12 34 56 78]: " in out


def test_a_phone_number_without_its_country_code_is_asked_again() -> None:
    phone, out = typed(["06 12 34 56 78", "+33 6 12 34 56 78"], lambda: ask_phone(None))
    assert phone == "+33 6 12 34 56 78"
    assert "only WhatsApp's form asks for it" in out
    assert "Error: '06 12 34 56 78' is not a phone number: type it like +33 6 12 34 56 78, or as you dial" in out


def test_yes_or_no_is_understood_in_english_and_french() -> None:
    answer, out = typed(["maybe", "oui"], lambda: confirm("Go on?", default=False))
    assert answer is True
    assert "Go on? [y/N]: " in out and "Error: answer y for yes or n for no" in out
    assert [typed([line], lambda: confirm("Go on?", default=True))[0] for line in ("", "o", "Y", "yes")] == [True] * 4
    assert [typed([line], lambda: confirm("Go on?", default=True))[0] for line in ("n", "NON", " no ")] == [False] * 3


def test_saved_accounts_are_kept_and_new_ones_added() -> None:
    saved = (Account(name="instagram", platform="instagram"),)
    accounts, out = typed(["y", "Instagram", "", "", "n"], lambda: ask_accounts(saved, "jane@example.com"))
    assert accounts == (*saved, Account(name="instagram-2", platform="instagram"))
    assert "Accounts already saved (kept):\n    instagram (instagram)\n" in out
    assert "Add another account? [y/N]" in out


def test_every_platform_is_offered_and_a_setting_needs_no_email() -> None:
    answers = ["", "linkedin", "", "y", "WhatsApp", "", "wa@example.org", "n"]
    accounts, out = typed(answers, lambda: ask_accounts((), "jane@example.com"))
    assert accounts == (
        Account(name="linkedin", platform="linkedin"),
        Account(name="whatsapp", platform="whatsapp", email="wa@example.org"),
    )
    assert "Which platform is this account on? (instagram, facebook, whatsapp, linkedin, x): " in out
    assert out.count("Its email, if it is not jane@example.com") == 1  # asked for WhatsApp's form only


def test_what_init_says_of_each_platform_comes_from_its_flow_file() -> None:
    """No email for a platform whose opt-out is a setting, no login where the form needs none: read from the
    flow files, so a new platform's file is all init needs."""
    assert [p for p in PLATFORMS if not asks_account_email(p)] == ["linkedin", "x"]
    assert [p for p in PLATFORMS if not needs_login(p)] == ["whatsapp"]
    for platform in PLATFORMS:
        assert asks_account_email(platform) == (load_flow(platform).kind == "form"), platform


def test_no_account_is_added_when_the_person_says_no() -> None:
    accounts, out = typed(["n"], lambda: ask_accounts((), None))
    assert accounts == ()
    assert "Add an account? [Y/n]" in out


# --- Yes or no, in the person's language -------------------------------------------------------------------------


def test_the_walks_question_is_asked_in_french_and_understands_o(french: None) -> None:
    """The walk's "replace the email?" (Ui.ask): [o/N], « o » is yes, a wrong answer is asked again in French."""
    ui = Ui(interactive=True, fancy=False)
    answer, out = typed(["peut-être", "o"], lambda: ui.ask("Remplacer ?", "refusé"))
    assert answer is True
    assert out.startswith("Remplacer ? [o/N] : ")
    assert "Erreur : répondez o pour oui ou n pour non" in out
    assert "Error" not in out and "invalid input" not in out
    replies = ("oui", "OUI", "y", "yes", "non", "n", "", "no")
    assert [typed([line], lambda: ui.ask("?", "refusé"))[0] for line in replies] == [True] * 4 + [False] * 4


def test_the_walks_question_in_english_takes_y_and_yes(french: None) -> None:
    use_language("en")
    ui = Ui(interactive=True, fancy=False)
    answer, out = typed(["o?", "yes"], lambda: ui.ask("Replace it?", "refused"))
    assert answer is True
    assert out.startswith("Replace it? [y/N]: ")
    assert "Error: answer y for yes or n for no" in out


def test_inits_questions_say_error_in_french(french: None) -> None:
    answer, out = typed(["bof", ""], lambda: confirm("Enregistrer ?", default=True))
    assert answer is True
    assert out.startswith("Enregistrer ? [O/n] : ")
    assert "Erreur : répondez o pour oui ou n pour non" in out and "Error" not in out


# --- Answers as people write them ---------------------------------------------------------------------------------


def test_a_language_is_understood_by_its_name() -> None:
    assert [as_language(name) for name in ("français", "Francais", "French", " fr ")] == ["fr"] * 4
    assert [as_language(name) for name in ("anglais", "English", "EN")] == ["en"] * 3
    language, out = typed(["klingon", "français"], lambda: ask_language("en"))
    assert language == "fr"
    assert "'klingon'" in out


def test_a_country_is_typed_by_its_name_in_french(french: None) -> None:
    code, out = typed(["Atlantide", "Belgique", "o"], lambda: ask_country(None))
    assert code == "BE"
    assert "Erreur : 'Atlantide'" in out
    assert "BE — Belgique : est-ce bien cela ? [O/n]" in out


def test_a_phone_number_is_typed_as_dialled_at_home() -> None:
    phone, out = typed(["06 12", "06 12 34 56 78"], lambda: ask_phone(None, country="FR"))
    assert phone == "+33612345678"
    assert "Error: '06 12' is not a phone number" in out


# --- Only what the chosen platforms need -------------------------------------------------------------------------


def test_what_each_platform_needs_is_read_from_its_flow_files() -> None:
    assert values_filled("x") == frozenset()  # its flows are settings
    assert values_filled("linkedin") == {"email", "full_name", "reason"}  # its objection form
    assert values_filled("instagram") == {"email", "country", "reason"}
    assert values_filled("facebook") == {"email", "country", "reason", "full_name"}  # and the third-party form
    assert "phone" in values_filled("whatsapp")


def test_a_platform_whose_form_needs_an_empty_value_gets_one_plain_line() -> None:
    whatsapp = (Account(name="wa", platform="whatsapp"),)
    assert later_notes(Config(accounts=whatsapp)) == [
        "Note: WhatsApp's form will ask for your phone number: type it there, or save it now with "
        "optout-bot init --phone '+33 6 12 34 56 78'."
    ]
    assert later_notes(Config(accounts=whatsapp, phone="+33 6 12 34 56 78")) == []
    assert later_notes(Config(accounts=(Account(name="x", platform="x"),))) == []
    assert later_notes(Config()) == []  # no platform chosen: nothing to say yet
