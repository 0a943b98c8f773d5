"""Bad input stops before any browser starts, with one line saying what to do."""

from __future__ import annotations

import pytest

from optout_bot.domains import is_meta_url
from optout_bot.errors import UsageError
from optout_bot.promises.scrub import scrub_html, scrub_url
from optout_bot.settings.values import (
    PERSON_KEYS,
    PERSON_VALUE,
    PERSON_VALUES,
    check_country,
    check_email,
    check_full_name,
    check_phone,
    check_reason,
    country_names,
    form_values,
)


@pytest.mark.parametrize("email", ["jane", "jane@", "jane@example", "ja ne@example.com", "a@b@example.com"])
def test_malformed_emails_are_refused(email: str) -> None:
    with pytest.raises(UsageError, match="is not an email address"):
        check_email(email)


def test_a_plain_email_is_kept() -> None:
    assert check_email(" jane.doe+meta@example.co.uk ") == "jane.doe+meta@example.co.uk"


@pytest.mark.parametrize("code", ["ZZ", "FRA", "Atlantis", "1", "Europe"])
def test_unknown_country_codes_are_refused(code: str) -> None:
    with pytest.raises(UsageError, match="is not a two-letter country code"):
        check_country(code)


@pytest.mark.parametrize(
    ("typed", "code"),
    [("France", "FR"), (" allemagne ", "DE"), ("Belgique", "BE"), ("Germany", "DE"), ("etats-unis", "US"),
     ("Suisse", "CH"), ("be", "BE")],
)  # fmt: skip
def test_a_country_is_understood_by_its_name_in_french_or_english(typed: str, code: str) -> None:
    assert check_country(typed) == code


def test_a_phone_number_dialled_as_at_home_is_read_with_the_country() -> None:
    phone = PERSON_VALUE["phone"]
    assert phone.checked("06 12 34 56 78", country="FR") == "+33612345678"
    assert phone.checked("0470 12 34 56", country="BE") == "+32470123456"
    assert phone.checked(" +41 79 123 45 67 ", country="FR") == "+41 79 123 45 67"  # as typed, with its code
    assert phone.checked("", country="FR") is None
    with pytest.raises(UsageError, match="with its country code"):
        phone.checked("06 12 34 56 78", country=None)  # no country to read it with
    for wrong in ("06 12", "+33 6 12", "12 34 56 78 90 12 34"):
        with pytest.raises(UsageError, match="--phone"):
            phone.checked(wrong, country="FR")
    assert PERSON_VALUE["email"].checked(" a@b.org ", country="FR") == "a@b.org"  # the others need no country


def test_run_reads_a_phone_number_dialled_as_at_home_in_the_country_it_is_given() -> None:
    """`run --phone "06 12 34 56 78" --country FR` (or the country of the settings) is what init already took."""
    values = form_values({"phone": "06 12 34 56 78", "country": "France"})
    assert (values.phone, values.country) == ("+33612345678", "FR")
    assert form_values({"phone": "+41 79 123 45 67", "country": "FR"}).phone == "+41 79 123 45 67"
    with pytest.raises(UsageError, match="with its country code"):
        form_values({"phone": "06 12 34 56 78"})  # no country to read it with


def test_country_codes_are_normalised_and_named_in_several_languages() -> None:
    assert check_country("de") == "DE"
    assert {"Germany", "Allemagne", "Deutschland"} <= set(country_names("DE"))


@pytest.mark.parametrize(
    "url",
    [
        "https://www.facebook.com/help/contact/712876720715583",
        "https://privacycenter.instagram.com/",
        "https://help.instagram.com/contact/767264225370182",
        "https://www.meta.com/",
        "https://www.whatsapp.com/contact/forms/382532939919295/",
    ],
)
def test_metas_own_addresses_are_accepted(url: str) -> None:
    assert is_meta_url(url)


@pytest.mark.parametrize(
    "url",
    [
        "http://www.facebook.com/",  # not https
        "https://facebook.com.privacy-center.help/",  # Meta's name as a prefix of another domain
        "https://www.faceb00k.com/",
        "https://notfacebook.com/",
        "https://www.facebook.com@evil.example/",  # credentials trick
        "https://www.facebook.com:8443/",
        "javascript:alert(1)",
    ],
)
def test_look_alike_addresses_are_refused(url: str) -> None:
    assert not is_meta_url(url)


def test_scrubbing_removes_personal_data_and_tokens() -> None:
    html = (
        '<html><head><script>{"fb_dtsg":"AQH-secret-dtsg","USER_ID":"100012345678901"}</script></head>'
        '<body><span>Jane Doe</span><a href="/profile.php?id=100012345678901">me</a>'
        '<input type="hidden" name="lsd" value="AVq-secret-lsd"><input type="email" value="jane@example.com">'
        '<input name="jazoest" value="21987"><textarea name="reason">my private reason</textarea>'
        '<p>contact jane@example.com</p><a href="/x?fb_dtsg=AQH-other&amp;ok=1">x</a></body></html>'
    )
    clean = scrub_html(html, names=["Jane Doe"])
    for secret in ("AQH-secret-dtsg", "100012345678901", "AVq-secret-lsd", "jane@example.com", "21987",
                   "my private reason", "Jane Doe", "AQH-other"):  # fmt: skip
        assert secret not in clean
    assert '<input type="email" value="[removed]">' in clean
    assert "<textarea" in clean and "[name]" in clean


def test_a_user_id_in_a_path_is_scrubbed_and_a_forms_number_is_kept() -> None:
    assert (
        scrub_url("https://www.facebook.com/100012345678901/about?fb_dtsg=x")
        == "https://www.facebook.com/[number]/about"
    )
    assert scrub_url(FORM := "https://www.facebook.com/help/contact/712876720715583") == FORM
    assert "100012345678901" not in scrub_html('<a href="https://www.facebook.com/100012345678901">me</a>')


INVISIBLE = {
    "bidi override": "\u202e",
    "bidi isolate": "\u2066",
    "zero-width space": "\u200b",
    "escape": "\x1b",
    "bell": "\x07",
    "DEL": "\x7f",
    "unassigned": "\U000e0fff",
}


@pytest.mark.parametrize("char", INVISIBLE.values(), ids=INVISIBLE.keys())
def test_invisible_and_control_characters_are_refused_in_every_value(char: str) -> None:
    for check, value in (
        (check_email, f"jane{char}@example.com"),
        (check_full_name, f"Jane{char} Doe"),
        (check_phone, f"+33 6 12{char} 34 56 78"),
        (check_reason, f"my photos{char} are mine"),
    ):
        with pytest.raises(UsageError, match=rf"invisible or control character \(U\+{ord(char):04X}\)"):
            check(value)


def test_an_email_longer_than_mail_carries_is_refused_without_being_repeated() -> None:
    with pytest.raises(UsageError) as refused:
        check_email("j" * 100_000 + "@example.com")
    assert refused.value.message == "--email is 100012 characters long; keep it under 254"


def test_joiners_in_names_and_line_breaks_in_reasons_are_kept() -> None:
    assert check_full_name("Fa\u200crid Mo\u200dradi") == "Fa\u200crid Mo\u200dradi"  # Persian needs the ZWNJ
    assert check_reason("Line one.\n\tLine two.") == "Line one.\n\tLine two."


def test_a_page_keeps_only_its_structure() -> None:
    page = (
        '<!DOCTYPE html><html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">'
        '<meta name="csrf-token" content="csrfZ9y8X7w6V5u4T3s2Q1"></head><body>'
        '<h1 aria-label="Object to AI">Right to object</h1>'
        '<a href="https://www.facebook.com/help/contact/712876720715583?ref=x#frag">form</a>'
        '<a href="mailto:jane%40example.com?subject=hi">mail</a><a href="javascript:go(1)">js</a>'
        '<a href="https://www.facebook.com/confirm/AbCdEf0123456789pAtHtOk/">confirm</a>'
        '<img src="/x.png?sig=sRc9tOkEn8Hj7Gf6Ds5A" srcset="/x.png?sig=sRc9 2x">'
        '<div data-user="jane@example.com" onclick="steal()">card</div>'
        '<div contenteditable="true">my draft <b>wIpRoUt</b></div><textarea>typed</textarea>'
        "<p>jane.doe&#64;example.com, jöhn@exämple.fr, call 06.12.34.56.78 or +33 6 12 34 56 78</p>"
        "<p>Authorization: Bearer eyJhbGciOiJIUzI1NiJ9bEaReR5s6D7f8</p><!-- user 100012345678901 -->"
        '<button type="submit" value="secret">Send</button></body></html>'
    )
    clean = scrub_html(page)

    leaks = ("csrfZ9y8", "ref=x", "frag", "jane", "subject", "go(1)", "AbCdEf0123456789", "sRc9", "steal", "wIpRoUt")
    leaks += ("draft", "typed", "jöhn", "12 34", "12.34", "eyJhbGci", "100012345678901", "secret")
    assert [secret for secret in leaks if secret in clean] == []
    for kept in (
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width">',
        '<meta name="csrf-token" content="[removed]">',
        '<h1 aria-label="Object to AI">Right to object</h1>',
        '<a href="https://www.facebook.com/help/contact/712876720715583">form</a>',
        '<a href="mailto:[removed]">mail</a>',
        '<a href="https://www.facebook.com/confirm/[token]/">confirm</a>',
        '<div data-user="[removed]" onclick="[removed]">card</div>',
        '<div contenteditable="true"><b></b></div>',
        '<button type="submit" value="[removed]">Send</button>',
    ):
        assert kept in clean, kept


def test_the_persons_name_and_phone_are_hidden_in_any_form() -> None:
    from optout_bot.promises.scrub import forget_personal, remember_personal

    remember_personal(names=["Zoë Martin-Lefèvre"], phones=["+33 6 71 82 93 04"])
    try:
        clean = scrub_html(
            "<p>Zoë&nbsp;Martin-Lefèvre, ZOË, Lef&egrave;vre, Martin</p>"
            '<a href="/u/zo%C3%AB">0671829304</a><span title="Martin">+33 (0)6 71 82 93 04</span>'
        )
    finally:
        forget_personal()
    for secret in ("Zo", "ZO", "Martin", "Lef", "71", "93"):
        assert secret not in clean, (secret, clean)
    assert "[name]" in clean and "[phone]" in clean


# --- The person's values in one table: every part of the tool holds exactly the table's values ----------------


def test_run_demo_and_init_have_one_option_per_value_of_the_table() -> None:
    import click

    from optout_bot.cli.app import demo, run
    from optout_bot.cli.init import init

    def value_options(command: click.Command) -> list[tuple[str, tuple[str, ...]]]:
        return [
            (param.name or "", tuple(param.opts))
            for param in command.params
            if isinstance(param, click.Option) and param.name in PERSON_VALUE
        ]

    expected = [(value.key, (value.option, *value.older_options)) for value in PERSON_VALUES]
    for command in (run, demo, init):
        assert value_options(command) == expected, command.name
    # init's other options are its own, not values of the person's that escaped the table.
    others = {param.name for param in init.params} - set(PERSON_KEYS)
    assert others == {"language", "accounts", "force", "yes"}


def test_the_full_name_keeps_its_older_option() -> None:
    from click.testing import CliRunner

    from optout_bot.cli.app import cli

    for option in ("--full-name", "--name"):
        result = CliRunner().invoke(cli, ["demo", "--platform", "facebook", option, "jane@example.com"])
        assert isinstance(result.exception, UsageError)  # exit 2, once through optout_bot.cli.main
        assert "--full-name 'jane@example.com' does not look like a person's name" in str(result.exception)


def test_init_asks_for_each_value_of_the_table_in_its_order(monkeypatch: pytest.MonkeyPatch) -> None:
    from optout_bot.cli import init as cli_setup
    from optout_bot.cli import questions as q
    from optout_bot.settings.config import Config

    asked: list[str] = []
    monkeypatch.setattr(q, "ask_value", lambda value, current, context: asked.append(value.key) or None)
    monkeypatch.setattr(q, "ask_language", lambda current: asked.append("language") or current)
    monkeypatch.setattr(q, "ask_accounts", lambda saved, email: ())
    given = cli_setup.Given({}, None, ())
    cli_setup._answers(given, cli_setup._checked_options(given), Config(), ask=True)
    assert [key for key in asked if key != "language"] == list(PERSON_KEYS)


def test_the_settings_file_holds_the_tables_values_under_their_one_name() -> None:
    import tomllib

    from optout_bot.settings.config import Config, to_toml

    tool_settings = ("schema_version", "language", "accounts", "flows_dir")  # the tool's, not the person's values
    fields = [name for name in Config.model_fields if name not in tool_settings]
    assert fields == list(PERSON_KEYS)
    config = Config(email="a@b.org", country="FR", reason="Mine.", full_name="Jane Doe", phone="+33 6 12 34 56 78")
    written = tomllib.loads(to_toml(config))
    assert set(written) - {"schema_version", "language"} == set(PERSON_KEYS)


def test_the_form_values_the_flow_model_and_the_found_form_have_the_tables_fields() -> None:
    from dataclasses import fields

    from optout_bot.flows.model import _PERSONS_FIELDS, FormSpec
    from optout_bot.settings.values import FormValues
    from optout_bot.walk.filling import _FILL
    from optout_bot.walk.walker import FoundForm

    assert [field.name for field in fields(FormValues)] == list(PERSON_KEYS)
    assert set(PERSON_KEYS) <= set(FormSpec.model_fields)
    assert _PERSONS_FIELDS == PERSON_KEYS  # what a flow `fills`: the model may not import the table
    assert set(PERSON_KEYS) <= {field.name for field in fields(FoundForm)}
    assert {value.filled for value in PERSON_VALUES} <= set(_FILL)
    for value in PERSON_VALUES:
        if value.filled == "text":  # a plain field says what it holds, or what the person should do
            assert value.filled_line and value.missing_line, value.key


def test_form_values_checks_each_value_by_its_own_rule() -> None:
    values = form_values({"email": " jane@example.com ", "country": "fr", "full_name": " Jane  Doe "})
    assert (values.email, values.country, values.full_name, values.reason, values.phone) == (
        "jane@example.com",
        "FR",
        "Jane Doe",
        None,
        None,
    )
    with pytest.raises(UsageError, match="--phone"):
        form_values({"phone": "06"})
