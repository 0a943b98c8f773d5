"""`optout-bot init` as the person uses it: answers typed (here, fed on stdin), or given as options by a script."""

from __future__ import annotations

import stat
import subprocess
import sys
from pathlib import Path

import pytest

from optout_bot.settings.config import Account, Config, load_config, write_config
from tests.e2e.cli import Home, command, run_cli

# The locale decides the default language: pin it, whatever the machine running the tests uses.
ENGLISH = {"LC_ALL": "", "LC_MESSAGES": "", "LANG": "en_GB.UTF-8"}
NEEDS_ANSWERS = (
    "optout-bot: init needs answers: run it in a terminal, or give them as options with --yes "
    "(see optout-bot init --help)\n"
)


def settings_file(home: Home) -> Path:
    return home.root / "config" / "optout-bot" / "config.toml"


def answer(home: Home, *args: str, lines: list[str], **env: str) -> subprocess.CompletedProcess[str]:
    """Run `optout-bot init ARGS` with the person's answers, one line each ("" is pressing Enter).

    In English (--lang en): settings saved with `language = "fr"` would otherwise make init speak French.
    """
    return subprocess.run(
        command("--lang", "en", "init", *args),
        env=home.env(**{**ENGLISH, **env}),
        input="".join(f"{line}\n" for line in lines),
        capture_output=True,
        text=True,
        timeout=60,
    )


def no_input(home: Home, *args: str) -> subprocess.CompletedProcess[str]:
    """Run `optout-bot init ARGS` as a script would, with nothing on stdin, in an English locale."""
    return run_cli(home, "init", *args, LC_ALL="", LC_MESSAGES="", LANG="en_GB.UTF-8")


def saved(home: Home, config: Config) -> bytes:
    """Settings saved earlier; their exact bytes, to check a refused run leaves them alone."""
    write_config(config, settings_file(home))
    return settings_file(home).read_bytes()


TWO_ACCOUNTS = Config(
    email="jane@example.com",
    country="BE",
    language="fr",
    reason="Mes photos sont à moi.",
    name="Jeanne Dupont",
    phone="+32 470 12 34 56",
    accounts=(Account(name="perso", platform="instagram"), Account(name="work", platform="facebook", email="j@w.org")),
)


def test_the_answers_typed_are_saved_after_wrong_ones_are_asked_again(home: Home) -> None:
    result = answer(home, lines=[
        "", "instagram", "",            # the accounts first: add one (yes by default); platform; name "instagram"
        "y", "facebook", "Instagram", "work",  # a second one; the name is taken
        "",                             # no third account
        "jane@",  "jane@example.com",   # email: a typo, asked again
        "by", "n", "be", "",            # country: BY is Belarus, not what she meant; BE is
        "fr",                           # language
        "Mes photos sont à moi.",       # reason
        "",                             # no full name (Facebook's third-party form asks for it); no phone: no
                                        # WhatsApp account, so not asked
        "",                             # save
    ])  # fmt: skip
    assert result.returncode == 0, result.stderr
    path = settings_file(home)
    assert load_config(path) == Config(
        email="jane@example.com",
        country="BE",
        language="fr",
        reason="Mes photos sont à moi.",
        accounts=(Account(name="instagram", platform="instagram"), Account(name="work", platform="facebook")),
    )
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    out = result.stdout
    assert "Email address of your Instagram or Facebook account: " in out
    assert "Error: 'jane@' is not an email address: type it like name@example.com" in out
    assert "BY — Belarus: is that right?" in out and "BE — Belgium: is that right?" in out
    assert "Error: 'Instagram' is already the name of an account: choose another" in out
    assert "It is not required" in out and "optout-bot login --account NAME" in out
    assert "Your full name: only some forms ask for it (Facebook)." in out
    assert "phone" not in out.split("Your settings:")[0]  # no platform of hers asks for it
    assert "Accounts Center" in out
    assert f"Saved in {path}\n" in out
    assert out.endswith(
        "Next: log in to each account once with optout-bot login --account NAME, then optout-bot run --all\n"
    )
    assert result.stderr == ""


def test_a_script_gives_everything_as_options(home: Home) -> None:
    result = no_input(
        home, "--email", " jane@example.com ", "--country", "de", "--language", "en", "--reason", "",
        "--account", "perso:Instagram", "--yes",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    config = load_config(settings_file(home))
    assert config == Config(
        email="jane@example.com", country="DE", language="en", accounts=(Account(name="perso", platform="instagram"),)
    )
    assert "  country:   DE — Germany\n" in result.stdout
    assert "  reason:    (none: no form requires one)\n" in result.stdout
    assert result.stdout.endswith("Next: optout-bot login --account perso, then optout-bot run --account perso\n")


def test_the_name_and_phone_number_are_asked_with_what_they_are_for(home: Home) -> None:
    result = answer(home, "--email", "jane@example.com", "--country", "FR", "--language", "en", "--reason", "", lines=[
        "", "whatsapp", "", "",                 # one account on WhatsApp: name "whatsapp", the same email
        "y", "facebook", "", "",                # one on Facebook, the same email
        "y", "x", "", "n",                      # one on X: no email asked (nothing is typed there); no fourth one
        "Jane <b>", "  Jane   Doe ",            # full name: a mistake, asked again; spaces tidied
        "06 12", "06 12 34 56 78",              # phone: too short, asked again; then as dialled in France
        "",                                     # save
    ])  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert load_config(settings_file(home)) == Config(
        email="jane@example.com",
        country="FR",
        language="en",
        name="Jane Doe",
        phone="+33612345678",
        accounts=(
            Account(name="whatsapp", platform="whatsapp"),
            Account(name="facebook", platform="facebook"),
            Account(name="x", platform="x"),
        ),
    )
    out = result.stdout
    assert "Your full name: only some forms ask for it (Facebook).\n" in out
    assert "Your phone number: only WhatsApp's form asks for it (the number of your account there).\n" in out
    assert out.count("It is optional: press Enter to skip it.\n") == 2
    assert "Error: 'Jane <b>' does not look like a name: type your first and last names, such as Jane Doe" in out
    assert "Error: '06 12' is not a phone number: type it like +33 6 12 34 56 78, or as you dial it at home" in out
    assert out.count("Which platform is this account on? (instagram, facebook, whatsapp, linkedin, x): ") == 3
    assert out.count("Its email, if it is not jane@example.com") == 2
    assert "  name:      Jane Doe\n  phone:     +33612345678\n" in out
    text = settings_file(home).read_text(encoding="utf-8")
    assert 'full_name = "Jane Doe"\nphone = "+33612345678"\n' in text
    assert '[[accounts]]\nname = "x"\nplatform = "x"\n' in text


def test_a_script_gives_the_name_and_phone_number_as_options(home: Home) -> None:
    saved(home, TWO_ACCOUNTS)
    result = no_input(home, "--name", " Jane  Doe ", "--phone", "+41 79 123 45 67", "--yes")
    assert result.returncode == 0, result.stderr
    assert load_config(settings_file(home)) == TWO_ACCOUNTS.model_copy(
        update={"full_name": "Jane Doe", "phone": "+41 79 123 45 67"}
    )
    # Empty options remove them, like --reason "".
    result = no_input(home, "--name", "", "--phone", "", "--yes")
    assert result.returncode == 0, result.stderr
    config = load_config(settings_file(home))
    assert (config.full_name, config.phone) == (None, None)
    # In French, as the saved settings say; the values aligned after the longest name, "téléphone :".
    assert "  pays :       BE — Belgique\n" in result.stdout
    assert "  téléphone :  (aucun : seul le formulaire de WhatsApp le demande)\n" in result.stdout


def test_with_yes_the_language_is_guessed_from_the_locale(home: Home) -> None:
    result = run_cli(home, "init", "--yes", LC_ALL="", LC_MESSAGES="fr_BE.UTF-8", LANG="en_US.UTF-8")
    assert result.returncode == 0, result.stderr
    assert load_config(settings_file(home)) == Config(language="fr")
    # The locale chose French for init's own words too.
    assert "Ensuite : optout-bot run --platform instagram (ou facebook, whatsapp, linkedin, x)." in result.stdout


def test_running_again_keeps_the_saved_answers_and_accounts(home: Home) -> None:
    saved(home, TWO_ACCOUNTS)
    # One more account (its name suggested, the same email), then Enter everywhere (an unchanged country is not
    # confirmed again). No WhatsApp account: the phone number is not asked, and stays saved.
    result = answer(home, lines=["y", "instagram", "", "", "", "", "", "", "", "", ""])
    assert result.returncode == 0, result.stderr
    assert load_config(settings_file(home)) == TWO_ACCOUNTS.model_copy(
        update={"accounts": (*TWO_ACCOUNTS.accounts, Account(name="instagram", platform="instagram"))}
    )
    assert "Email address of your Instagram or Facebook account [jane@example.com]:" in result.stdout
    assert "Your first and last names [Jeanne Dupont]:" in result.stdout
    assert "Your phone number" not in result.stdout and "  phone:     +32 470 12 34 56\n" in result.stdout
    assert "Accounts already saved (kept):\n    perso (instagram)\n    work (facebook, j@w.org)\n" in result.stdout


def test_a_dash_removes_a_saved_answer_and_options_replace_an_account_of_the_same_name(home: Home) -> None:
    saved(home, TWO_ACCOUNTS)
    # email, language: Enter; reason: removed; phone (WhatsApp's form asks for it): removed; save: Enter. The
    # full name is not asked (no form of Instagram or WhatsApp asks for it): it stays saved.
    result = answer(home, "--account", "WORK:whatsapp", "--country", "FR", lines=["", "", "-", "-", ""])
    assert result.returncode == 0, result.stderr
    config = load_config(settings_file(home))
    assert config.reason is None and config.country == "FR"
    assert (config.full_name, config.phone) == ("Jeanne Dupont", None)
    assert config.accounts == (Account(name="perso", platform="instagram"), Account(name="WORK", platform="whatsapp"))
    assert "Add an account?" not in result.stdout  # accounts given as options are not asked about


def test_an_invalid_file_is_reported_at_its_line_and_left_alone(home: Home) -> None:
    path = settings_file(home)
    path.parent.mkdir(parents=True)
    path.write_text('schema_version = 1\ncountry = "XX"\n', encoding="utf-8")
    before = path.read_bytes()
    for args in (["--yes"], ["--email", "jane@example.com"]):
        result = answer(home, *args, lines=["jane@example.com", "FR", "", "", "n", ""])
        assert result.returncode == 2
        assert result.stderr.startswith(f"optout-bot: invalid settings: {path}:2: country: 'XX' is not a two-letter")
        assert result.stderr.endswith("Fix it, or delete the file, or start again with: optout-bot init --force\n")
        assert result.stdout == ""
        assert path.read_bytes() == before


def test_force_starts_from_scratch_but_asks_before_replacing(home: Home) -> None:
    before = saved(home, TWO_ACCOUNTS)
    options = ["--force", "--email", "new@example.com", "--country", "CH", "--reason", "", "--account", "x:facebook"]
    result = answer(home, *options, lines=["", "", "n"])  # language: Enter (guessed); no name; no
    assert result.returncode == 0, result.stderr
    assert f"Replace the settings in {settings_file(home)}? [Y/n]: Nothing was saved.\n" in result.stdout
    assert settings_file(home).read_bytes() == before

    result = answer(home, *options, lines=["", "", "y"])
    assert result.returncode == 0, result.stderr
    assert load_config(settings_file(home)) == Config(
        email="new@example.com", country="CH", language="en", accounts=(Account(name="x", platform="facebook"),)
    )


def test_force_replaces_an_invalid_file(home: Home) -> None:
    path = settings_file(home)
    path.parent.mkdir(parents=True)
    path.write_text("# my notes\nnot toml at all\n", encoding="utf-8")
    result = no_input(home, "--force", "--yes", "--email", "jane@example.com")
    assert result.returncode == 0, result.stderr
    assert load_config(path) == Config(email="jane@example.com")


def test_hand_written_comments_are_said_to_be_lost_before_saving(home: Home) -> None:
    path = settings_file(home)
    path.parent.mkdir(parents=True)
    path.write_text('# mine\nemail = "jane@example.com"\n', encoding="utf-8")
    result = answer(home, "--country", "FR", "--language", "en", "--reason", "", "--name", "", "--phone", "",
                    "--account", "a:facebook", lines=["", "n"])  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "the comments you wrote in that file will not be kept" in result.stdout
    assert path.read_text(encoding="utf-8") == '# mine\nemail = "jane@example.com"\n'


def test_answers_ending_half_way_save_nothing(home: Home) -> None:
    result = answer(home, lines=["jane@example.com", "fr"])  # then the input ends, at "FR — France: is that right?"
    assert (result.returncode, result.stderr) == (2, NEEDS_ANSWERS)
    assert not settings_file(home).exists()


def test_no_input_and_no_yes_is_a_usage_error(home: Home) -> None:
    result = no_input(home, "--email", "jane@example.com")
    assert (result.returncode, result.stderr) == (2, NEEDS_ANSWERS)
    assert not settings_file(home).exists()


@pytest.mark.parametrize(
    ("option", "message"),
    [
        (["--email", "jane@"], "optout-bot: --email 'jane@' is not an email address"),
        (["--country", "XX"], "optout-bot: --country 'XX' is not a two-letter country code"),
        (["--account", "perso"], "optout-bot: --account 'perso': write it as NAME:PLATFORM or NAME:PLATFORM:EMAIL"),
        (
            ["--account", "p:tiktok"],
            "optout-bot: --account 'p:tiktok': the platform must be instagram, facebook, whatsapp, linkedin or x\n",
        ),
        (
            ["--name", "jane@example.com"],
            "optout-bot: --full-name 'jane@example.com' does not look like a person's name",
        ),
        (["--phone", "06 12 34 56 78"], "optout-bot: --phone '06 12 34 56 78' is not a phone number with its country"),
        (["--account", "p:facebook:x@"], "optout-bot: --account 'p:facebook:x@': 'x@' is not an email address"),
        (["--account", "../p:facebook"], "optout-bot: --account '../p:facebook': '../p' cannot be used"),
        (["--account", "a:facebook", "--account", "A:instagram"], "optout-bot: --account 'A' is given twice"),
    ],
)
def test_a_wrong_option_stops_before_any_question(home: Home, option: list[str], message: str) -> None:
    result = answer(home, *option, lines=["jane@example.com"])
    assert result.returncode == 2
    assert result.stderr.startswith(message), result.stderr
    assert result.stdout == ""
    assert not settings_file(home).exists()


def test_help_does_not_load_the_settings_machinery() -> None:
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "optout_bot", "init", "--help"], capture_output=True, text=True
    )
    assert result.returncode == 0
    assert "--account NAME:PLATFORM[:EMAIL]" in result.stdout
    for module in ("pydantic", "playwright", "loguru", "pycountry"):
        assert f" {module}" not in result.stderr, module  # -X importtime lists every module imported


def test_a_country_by_its_name_and_a_phone_number_as_dialled_at_home(home: Home) -> None:
    result = run_cli(
        home, "--lang", "fr", "init", "--country", "Allemagne", "--phone", "0151 23456789", "--yes", **ENGLISH
    )
    assert result.returncode == 0, result.stderr
    config = load_config(settings_file(home))
    assert (config.country, config.phone) == ("DE", "+4915123456789")
    assert "  pays :       DE — Allemagne\n" in result.stdout
    # Without a country, a number with no country code cannot be read: asked with its code.
    settings_file(home).unlink()
    result = no_input(home, "--phone", "06 12 34 56 78", "--yes")
    assert result.returncode == 2
    assert "--phone '06 12 34 56 78' is not a phone number with its country code" in result.stderr
    # With a saved country, the number is read as dialled there.
    saved(home, Config(country="FR"))
    result = no_input(home, "--phone", "06 12 34 56 78", "--yes")
    assert result.returncode == 0, result.stderr
    assert load_config(settings_file(home)).phone == "+33612345678"


def test_only_what_the_chosen_platforms_need_is_asked(home: Home) -> None:
    """An X-only person: X's opt-out is a setting, it needs no email, reason, name or phone (its flow files say so).
    The country is asked all the same: it chooses the data-protection authority of a complaint letter."""
    result = answer(home, lines=["", "x", "", "", "Germany", "", "", ""])  # an account on X; Germany; en; save
    assert result.returncode == 0, result.stderr
    assert load_config(settings_file(home)) == Config(
        country="DE", language="en", accounts=(Account(name="x", platform="x"),)
    )
    asked = result.stdout.split("Your settings:")[0]
    for question in ("Email address", "optional box", "full name", "phone number"):
        assert question not in asked, question
    assert "DE — Germany: is that right?" in asked


def test_a_whatsapp_account_without_a_phone_number_is_told_what_its_form_will_ask(home: Home) -> None:
    result = answer(home, "--email", "jane@example.com", "--country", "FR", "--language", "en", "--reason", "",
                    lines=["", "whatsapp", "", "", "n", "", ""])  # fmt: skip  # WhatsApp; no phone; save
    assert result.returncode == 0, result.stderr
    assert load_config(settings_file(home)).phone is None
    note = (
        "Note: WhatsApp's form will ask for your phone number: type it there, or save it now with "
        "optout-bot init --phone '+33 6 12 34 56 78'.\n"
    )
    assert result.stdout.count(note) == 1
    assert result.stdout.index(note) < result.stdout.index("Save these settings")
    # Given as options, with --yes: the same one line.
    result = no_input(home, "--account", "wa:whatsapp", "--phone", "", "--yes")
    assert result.returncode == 0, result.stderr
    assert result.stdout.count(note) == 1
