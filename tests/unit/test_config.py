"""The settings file is edited by hand: every mistake must name the file, the line and the fix."""

from __future__ import annotations

import os
import stat
import sys
import tomllib
from pathlib import Path

import pytest
from pydantic import ValidationError

from optout_bot.errors import ExitStatus, UsageError
from optout_bot.settings.config import Account, Config, ConfigFileError, load_config, to_toml, write_config

GOOD = """\
# my settings
schema_version = 1
email = "jane@example.com"
country = "FR"
language = "fr"
reason = \"\"\"
My photos are my own.
email = not a key, just text
\"\"\"

[[accounts]]
name = "personal"
platform = "instagram"

[[accounts]]
name = "work"
platform = "facebook"
email = "jane@work.example.org"
"""


def problems(tmp_path: Path, text: str) -> list[str]:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigFileError) as caught:
        load_config(path)
    assert caught.value.status is ExitStatus.USAGE
    assert "\n" not in str(caught.value)
    assert str(caught.value).startswith(f"invalid settings: {caught.value.problems[0]}")
    return [str(problem).replace(str(path), "config.toml") for problem in caught.value.problems]


def variant(old: str, new: str) -> str:
    assert old in GOOD, f"test setup: {old!r} not in GOOD"
    return GOOD.replace(old, new, 1)


# --- Reading and writing --------------------------------------------------------------------------------------


def test_a_good_file_is_read(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text(GOOD, encoding="utf-8")
    config = load_config(path)
    assert (config.email, config.country, config.language) == ("jane@example.com", "FR", "fr")
    assert config.reason == "My photos are my own.\nemail = not a key, just text"
    assert config.accounts == (
        Account(name="personal", platform="instagram"),
        Account(name="work", platform="facebook", email="jane@work.example.org"),
    )
    assert config.account("work") == config.accounts[1]
    assert config.account("nobody") is None


def test_a_missing_file_gives_the_defaults(tmp_path: Path) -> None:
    config = load_config(tmp_path / "nowhere" / "config.toml")
    assert config == Config()
    assert (config.email, config.country, config.reason, config.accounts) == (None, None, None, ())
    assert config.language == "en"


def test_values_are_normalised_as_on_the_command_line(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('email = " jane@example.com "\ncountry = "de"\nreason = "   "\n', encoding="utf-8")
    config = load_config(path)
    assert (config.email, config.country, config.reason) == ("jane@example.com", "DE", None)


def test_written_settings_read_back_the_same(tmp_path: Path) -> None:
    path = tmp_path / "config" / "optout-bot" / "config.toml"
    config = Config(
        email="jane@example.com",
        country="BE",
        language="fr",
        # Everything TOML must escape that a value may hold: quotes, backslashes, newlines, tabs; and accents.
        # (Other control characters and DEL are refused in every value: optout_bot.settings.values.)
        reason='Mes photos "à moi"\\ pas les vôtres.\nSecond line\twith a tab.',
        accounts=[
            Account(name="perso", platform="instagram"),
            Account(name="w.2", platform="facebook", email="j@w.org"),
        ],
    )
    assert write_config(config, path) == path
    assert load_config(path) == config
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert [p.name for p in path.parent.iterdir()] == ["config.toml"]  # no temporary file left behind
    assert tomllib.loads(path.read_text(encoding="utf-8"))["schema_version"] == 1


def test_the_defaults_are_written_as_a_valid_file(tmp_path: Path) -> None:
    path = write_config(Config(), tmp_path / "config.toml")
    assert path.read_text(encoding="utf-8") == (
        '# optout-bot settings. Command-line options override them.\nschema_version = 1\nlanguage = "en"\n'
    )
    assert load_config(path) == Config()


def test_writing_replaces_the_old_file_whole(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text("old, and not even TOML", encoding="utf-8")
    path.chmod(0o644)
    write_config(Config(email="jane@example.com"), path)
    assert load_config(path) == Config(email="jane@example.com")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_a_config_that_would_not_read_back_is_never_written(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    twins = Config.model_construct(accounts=[Account(name="a", platform="instagram")] * 2)
    with pytest.raises(ConfigFileError, match="already the name"):
        write_config(twins, path)
    assert not path.exists()


def test_the_written_text_is_plain_toml() -> None:
    text = to_toml(Config(email="jane@example.com", accounts=[Account(name="perso", platform="instagram")]))
    assert text == (
        "# optout-bot settings. Command-line options override them.\n"
        "schema_version = 1\n"
        'email = "jane@example.com"\n'
        'language = "en"\n'
        "\n"
        "[[accounts]]\n"
        'name = "perso"\n'
        'platform = "instagram"\n'
    )


def test_name_and_phone_are_written_and_read_back(tmp_path: Path) -> None:
    config = Config(full_name="Jane Doe", phone="+33 6 12 34 56 78", accounts=[Account(name="wa", platform="whatsapp")])
    path = tmp_path / "config.toml"
    write_config(config, path)
    assert 'full_name = "Jane Doe"\nphone = "+33 6 12 34 56 78"\n' in path.read_text()
    assert load_config(path) == config


def test_a_file_of_an_older_version_with_name_for_the_full_name_is_read(tmp_path: Path) -> None:
    # Versions before the values' table wrote `name = "…"` for the person's full name; it is read as full_name,
    # and written back under its one name.
    path = tmp_path / "config.toml"
    path.write_text(GOOD.replace('language = "fr"\n', 'language = "fr"\nname = " Jane  Doe "\n'), encoding="utf-8")
    config = load_config(path)
    assert config.full_name == "Jane Doe" and config.accounts[0].name == "personal"
    write_config(config, path)
    assert 'full_name = "Jane Doe"' in path.read_text() and "\nname = " not in path.read_text().split("[[")[0]


def test_a_bad_full_name_under_its_older_key_is_reported_at_that_line(tmp_path: Path) -> None:
    assert problems(tmp_path, variant('language = "fr"\n', 'language = "fr"\nname = "jane@example.com"\n')) == [
        "config.toml:6: name: 'jane@example.com' does not look like a person's name"
    ]


def test_the_full_name_under_both_its_names_is_refused(tmp_path: Path) -> None:
    text = variant('language = "fr"\n', 'language = "fr"\nname = "Jane Doe"\nfull_name = "Jane Doe"\n')
    (problem,) = problems(tmp_path, text)
    assert problem.startswith("config.toml:6: name: unknown setting")


def test_a_phone_without_its_country_code_is_refused_at_its_line(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('schema_version = 1\nphone = "06 12 34 56 78"\n', encoding="utf-8")
    with pytest.raises(ConfigFileError, match=r"config.toml:2: phone: .*country code"):
        load_config(path)


def test_the_default_place_is_the_user_config_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    if sys.platform != "linux":
        pytest.skip("XDG_CONFIG_HOME only steers platformdirs on Linux")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    assert write_config(Config(country="FR")) == tmp_path / "optout-bot" / "config.toml"
    assert load_config().country == "FR"


# --- Mistakes, each at its line -------------------------------------------------------------------------------


def test_a_toml_syntax_error_gives_tomllibs_line_and_column(tmp_path: Path) -> None:
    assert problems(tmp_path, variant('country = "FR"', "country = FR")) == [
        'config.toml:4: not valid TOML: Invalid value (column 11): text needs double quotes, such as country = "FR"'
    ]


def test_a_key_given_twice_is_a_toml_error_at_its_line(tmp_path: Path) -> None:
    assert problems(tmp_path, variant('name = "work"\n', 'name = "work"\nname = "job"\n')) == [
        "config.toml:17: not valid TOML: Cannot overwrite a value (column 13): a setting is given twice here: keep one"
    ]


def test_an_unclosed_string_at_the_end_is_reported_at_the_last_line(tmp_path: Path) -> None:
    assert problems(tmp_path, GOOD + 'reason = """never closed\n\n') == [
        "config.toml:20: not valid TOML: Unterminated string (at the end): see https://toml.io"
    ]


def test_an_unknown_key_is_named_with_the_known_ones(tmp_path: Path) -> None:
    assert problems(tmp_path, variant('language = "fr"\n', 'language = "fr"\ncontry = "BE"\n')) == [
        "config.toml:6: contry: unknown setting: remove it or correct its spelling "
        "(known here: schema_version, email, country, language, reason, full_name, phone, accounts, flows_dir)"
    ]


def test_an_unknown_key_in_an_account_is_found_in_its_block(tmp_path: Path) -> None:
    text = variant('platform = "facebook"\n', 'platform = "facebook"\nprofil = "work"\n')
    assert problems(tmp_path, text) == [
        "config.toml:18: accounts.1.profil: unknown setting: remove it or correct its spelling "
        "(known here: name, platform, email, profile)"
    ]


def test_an_unknown_table_is_found_at_its_header(tmp_path: Path) -> None:
    assert problems(tmp_path, GOOD + '\n[browser]\nchannel = "chrome"\n') == [
        "config.toml:20: browser: unknown setting: remove it or correct its spelling "
        "(known here: schema_version, email, country, language, reason, full_name, phone, accounts, flows_dir)"
    ]


def test_a_bad_email_reads_like_the_command_lines_message(tmp_path: Path) -> None:
    assert problems(tmp_path, variant('email = "jane@work.example.org"', 'email = "jane@work"')) == [
        "config.toml:18: accounts.1.email: 'jane@work' is not an email address "
        "(expected something like name@example.com)"
    ]


def test_a_bad_country_reads_like_the_command_lines_message(tmp_path: Path) -> None:
    assert problems(tmp_path, variant('country = "FR"', 'country = "Atlantis"')) == [
        "config.toml:4: country: 'Atlantis' is not a two-letter country code (ISO 3166-1), for example FR, DE, BE or CH"
    ]


def test_an_unknown_language_or_platform_lists_the_choices(tmp_path: Path) -> None:
    text = variant('language = "fr"', 'language = "de"').replace('platform = "instagram"', 'platform = "threads"')
    assert problems(tmp_path, text) == [
        "config.toml:5: language: Input should be 'en' or 'fr'",
        "config.toml:13: accounts.0.platform: Input should be 'instagram', 'facebook', 'whatsapp', 'linkedin' or 'x'",
    ]


def test_a_missing_account_field_is_reported_at_its_block(tmp_path: Path) -> None:
    assert problems(tmp_path, variant('platform = "instagram"\n', "")) == [
        'config.toml:11: accounts.0.platform: required: add a line such as platform = "…"'
    ]


def test_a_bad_account_name_gives_the_rule(tmp_path: Path) -> None:
    assert problems(tmp_path, variant('name = "work"', 'name = "my work"')) == [
        "config.toml:16: accounts.1.name: 'my work' is not allowed: use letters, digits, '.', '_' or '-' (up to 64)"
    ]


def test_account_names_are_unique_ignoring_case(tmp_path: Path) -> None:
    assert problems(tmp_path, variant('name = "work"', 'name = "Personal"')) == [
        "config.toml:16: accounts.1.name: 'Personal' is already the name of the account at line 12: give each its own"
    ]


def test_settings_built_in_code_cannot_hold_two_accounts_of_one_name() -> None:
    with pytest.raises(ValidationError, match="'Work' is the name of two accounts"):
        Config(accounts=[Account(name="work", platform="instagram"), Account(name="Work", platform="facebook")])


def test_a_number_where_text_belongs(tmp_path: Path) -> None:
    assert problems(tmp_path, variant('email = "jane@example.com"', "email = 42")) == [
        'config.toml:3: email: should be text in double quotes, such as "…"'
    ]


def test_a_quoted_version_and_an_account_that_is_not_a_table(tmp_path: Path) -> None:
    text = 'schema_version = "1"\naccounts = ["work"]\n'
    assert problems(tmp_path, text) == [
        "config.toml:1: schema_version: should be a whole number without quotes, such as 1",
        "config.toml:2: accounts.0: write each account as its own [[accounts]] block (with double brackets)",
    ]


def test_a_single_bracket_account_table(tmp_path: Path) -> None:
    assert problems(tmp_path, 'email = "jane@example.com"\n\n[accounts]\nname = "a"\nplatform = "instagram"\n') == [
        "config.toml:3: accounts: write each account as its own [[accounts]] block (with double brackets)"
    ]


def test_a_settings_file_from_a_newer_optout_bot(tmp_path: Path) -> None:
    assert problems(tmp_path, variant("schema_version = 1", "schema_version = 2")) == [
        "config.toml:2: schema_version: this file is for a newer optout-bot (version 2; this one reads 1): "
        "update optout-bot"
    ]


def test_several_mistakes_are_all_kept_and_counted(tmp_path: Path) -> None:
    text = variant('country = "FR"', 'country = "XX"').replace('name = "work"', 'name = "a b"')
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(UsageError) as caught:
        load_config(path)
    assert str(caught.value) == (
        f"invalid settings: {path}:4: country: 'XX' is not a two-letter country code (ISO 3166-1), "
        "for example FR, DE, BE or CH (and 1 more)"
    )


def test_a_file_that_is_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_bytes('country = "FR"\nreason = "caf\xe9"\n'.encode("latin-1"))
    with pytest.raises(ConfigFileError) as caught:
        load_config(path)
    assert (
        str(caught.value) == f"invalid settings: {path}: not UTF-8 text (invalid continuation byte): save it as UTF-8"
    )


def test_a_folder_where_the_file_should_be(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.mkdir()
    with pytest.raises(ConfigFileError, match=r"config.toml: cannot read the file: Is a directory"):
        load_config(path)


def test_an_account_may_name_the_browser_profile_it_shares(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text(GOOD + 'profile = "personal"\n', encoding="utf-8")
    assert load_config(path).accounts[1].profile == "personal"
    path.write_text(GOOD + 'profile = "../elsewhere"\n', encoding="utf-8")
    with pytest.raises(ConfigFileError, match=r"config.toml:\d+: accounts.1.profile: '../elsewhere' is not allowed"):
        load_config(path)
    written = write_config(load_config(path.with_name("none.toml")).model_copy(update={"accounts": (
        Account(name="fb", platform="facebook", profile="personal"),)}), tmp_path / "out.toml")  # fmt: skip
    assert load_config(written).accounts[0].profile == "personal"


# --- Files that are not what they claim (issue 14) --------------------------------------------------------------


@pytest.mark.parametrize(
    "nested",
    ["a = " + "[" * 100_000 + "]" * 100_000, "a = " + "{b = " * 100_000 + "1" + "}" * 100_000],
    ids=["arrays", "inline-tables"],
)
def test_a_deeply_nested_value_is_one_line_not_a_recursion_error(tmp_path: Path, nested: str) -> None:
    found = problems(tmp_path, f'country = "FR"\n{nested}\n')
    assert found == [
        "config.toml: lists or tables nested too deeply to read: a settings file needs no nesting beyond "
        "[[accounts]]; remove them"
    ]


def test_a_fifo_is_refused_without_waiting_for_a_writer(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    os.mkfifo(path)
    with pytest.raises(ConfigFileError, match=r"config.toml: cannot read the file: not a regular file"):
        load_config(path)


def test_a_device_is_refused_without_reading_it(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.symlink_to("/dev/zero")
    with pytest.raises(ConfigFileError, match=r"config.toml: cannot read the file: not a regular file"):
        load_config(path)


def test_a_huge_file_is_refused_unread(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text("# " + "x" * 2_000_000 + "\n")
    with pytest.raises(ConfigFileError, match=r"config.toml: cannot read the file: larger than 1 MB"):
        load_config(path)
