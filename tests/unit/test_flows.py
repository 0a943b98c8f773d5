"""The flow files are data a contributor edits when Meta changes a page; mistakes must point at file:line."""

from __future__ import annotations

from pathlib import Path

import pytest

from optout_bot.errors import UsageError
from optout_bot.flows import FlowFileError, check_all, load_flow, load_vocabulary
from optout_bot.flows.loader import WORDS_DIR, bundled_flow_paths, bundled_flows
from optout_bot.flows.model import FormFlow, SettingFlow

FLOW = Path(__file__).resolve().parents[2] / "flows" / "instagram.yaml"


def write_variant(tmp_path: Path, old: str, new: str, flow: Path = FLOW) -> Path:
    text = flow.read_text(encoding="utf-8")
    assert old in text, f"test setup: {old!r} not in the bundled flow"
    path = tmp_path / flow.name
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def line_of(path: Path, needle: str) -> int:
    return next(i for i, line in enumerate(path.read_text().splitlines(), start=1) if needle in line)


def test_the_bundled_flows_and_words_are_valid() -> None:
    assert check_all() == []
    assert {p.stem for p in bundled_flow_paths()} == {"instagram", "facebook", "facebook-third-party", "whatsapp",
                                                      "linkedin", "linkedin-objection",
                                                      "x", "x-business-partners"}  # fmt: skip
    assert bundled_flows("facebook") == ["own", "third-party"]
    assert load_flow("facebook", flow="third-party").flow == "third-party"
    assert [load_flow(p).kind for p in ("whatsapp", "linkedin", "x")] == ["form", "setting", "setting"]
    assert bundled_flows("x") == ["own", "business-partners"] and bundled_flows("linkedin") == ["own", "objection"]
    assert load_flow("x", flow="business-partners").kind == "setting"
    assert load_flow("linkedin", flow="objection").kind == "form"


def test_a_flow_may_only_go_to_its_own_platforms_domains(tmp_path: Path) -> None:
    # The domains are the code's (platforms.site_of), not the flow's: a LinkedIn flow cannot reach Meta, nor X.
    linkedin = FLOW.with_name("linkedin.yaml")
    path = write_variant(tmp_path, "goto: https://www.linkedin.com/feed/", "goto: https://x.com/home", linkedin)
    (problem,) = check_all([path])
    assert problem.line == line_of(path, "https://x.com/home")
    assert "not an https address on LinkedIn's domains (linkedin.com)" in problem.message


def test_a_route_may_not_click_the_settings_switch(tmp_path: Path) -> None:
    x = FLOW.with_name("x.yaml")
    path = write_variant(tmp_path, "name: x_grok_title}", "name: x_grok_checkbox}", x)
    (problem,) = check_all([path])
    assert "the setting's switch: the person switches it, never the tool" in problem.message


def test_a_flow_in_the_wrong_file_is_named_with_the_right_one(tmp_path: Path) -> None:
    third_party = FLOW.with_name("facebook-third-party.yaml")
    path = write_variant(tmp_path, "flow: third-party", "flow: others", third_party)
    (problem,) = check_all([path])
    assert (
        problem.where == "flow" and "belong in facebook-others.yaml, not facebook-third-party.yaml" in problem.message
    )


def test_an_unknown_flow_names_the_platforms_flows() -> None:
    with pytest.raises(UsageError, match="no flow 'others' for facebook; its flows: own, third-party"):
        load_flow("facebook", flow="others")


@pytest.mark.parametrize("platform", ["instagram", "facebook"])
def test_each_flow_has_a_walk_a_topic_route_and_form_addresses_as_last_resort(platform: str) -> None:
    flow = load_flow(platform)
    names = [route.id for route in flow.routes]
    assert names[0] == "settings-privacy-center"
    assert "privacy-topics-ai-at-meta" in names
    assert names[-1].startswith("form-address")
    assert all(route.source for route in flow.routes)


def test_a_misspelt_field_is_reported_at_its_line(tmp_path: Path) -> None:
    path = write_variant(
        tmp_path, "click: {role: link, name: privacy_topics}", "click: {rol: link, name: privacy_topics}"
    )
    problems = check_all([path])
    assert [str(p) for p in problems] == [
        f"{path.relative_to(Path.cwd()) if path.is_relative_to(Path.cwd()) else path}:"
        f"{line_of(path, 'rol: link')}: routes.1.steps.1.click.rol: Extra inputs are not permitted"
    ]


def test_there_is_no_submit_step_type(tmp_path: Path) -> None:
    path = write_variant(
        tmp_path,
        "- goto: https://help.instagram.com/contact/233964459562201",
        "- submit: {role: button, name: submit_button}",
    )
    (problem,) = check_all([path])
    assert problem.line == line_of(path, "- submit:")
    assert problem.where == "routes.5.steps.0"  # the last route, form-address-app
    assert "there is no submit step" in problem.message


def test_a_click_on_the_forms_submit_words_is_rejected(tmp_path: Path) -> None:
    path = write_variant(tmp_path, "name: submit_objection}", "name: submit_button}")
    (problem,) = check_all([path])
    assert "the person submits, never the tool" in problem.message


def test_an_address_off_metas_domains_is_rejected(tmp_path: Path) -> None:
    path = write_variant(
        tmp_path, "goto: https://privacycenter.instagram.com/", "goto: https://privacycenter-instagram.com/"
    )
    (problem,) = check_all([path])
    assert problem.line == line_of(path, "privacycenter-instagram.com")
    assert "not an https address on Meta's domains" in problem.message


def test_an_unknown_word_is_reported_where_it_is_used(tmp_path: Path) -> None:
    path = write_variant(tmp_path, "name: ai_at_meta}", "name: ai_at_meat}")
    (problem,) = check_all([path])
    assert problem.line == line_of(path, "ai_at_meat")
    assert problem.message == "unknown word 'ai_at_meat': add it to every words/*.yaml"


def test_a_duplicated_key_is_reported(tmp_path: Path) -> None:
    path = write_variant(tmp_path, "confirmation: [confirmation]", "confirmation: [confirmation]\nconfirmation: []")
    problems = check_all([path])
    assert any(p.message == "key given twice" and p.line == line_of(path, "confirmation: []") for p in problems)


def test_broken_yaml_is_reported_with_its_line(tmp_path: Path) -> None:
    path = write_variant(tmp_path, "form:\n", "form: [\n")
    (problem,) = check_all([path])
    assert problem.line is not None and problem.message.startswith("not valid YAML")


def test_a_wrong_schema_version_is_refused(tmp_path: Path) -> None:
    path = write_variant(tmp_path, "schema_version: 2", "schema_version: 3")
    (problem,) = check_all([path])
    assert problem.where == "schema_version" and problem.line == line_of(path, "schema_version: 3")


def test_a_schema_1_flow_is_told_how_to_become_schema_2(tmp_path: Path) -> None:
    # Schema 1 let `kind` default to "form" and let a flow carry both kinds' fields; schema 2 makes the kind a type.
    path = write_variant(tmp_path, "schema_version: 2", "schema_version: 1")
    (problem,) = check_all([path])
    assert problem.where == "schema_version" and problem.line == line_of(path, "schema_version: 1")
    assert "schema_version: 2" in problem.message and "'kind: form' or 'kind: setting'" in problem.message


def test_a_flow_without_its_kind_is_refused_at_the_top(tmp_path: Path) -> None:
    path = write_variant(tmp_path, "kind: form\n", "")
    (problem,) = check_all([path])
    assert "'kind' says what the flow leads to" in problem.message


@pytest.mark.parametrize(
    ("old", "new", "where"),
    [
        # A form flow has no setting, and a setting flow no form nor confirmation: each kind has its own fields.
        ("kind: form\n", "kind: setting\n", "setting"),
        ("confirmation: [confirmation]", "confirmation: []", "confirmation"),
    ],
)
def test_each_kind_has_only_its_own_fields(tmp_path: Path, old: str, new: str, where: str) -> None:
    path = write_variant(tmp_path, old, new)
    problems = check_all([path])
    assert problems and all(p.line is not None for p in problems)
    assert any(p.where == where or p.where.startswith(where) for p in problems), problems


def test_a_setting_flow_has_no_what_happens_next(tmp_path: Path) -> None:
    # `after` is said once the platform confirmed a form; a setting has no confirmation to follow.
    x = Path(__file__).resolve().parents[2] / "flows" / "x.yaml"
    path = write_variant(tmp_path, "kind: setting\n", 'kind: setting\nafter: ["Nothing follows."]\n', flow=x)
    problems = check_all([path])
    assert [p.where for p in problems] == ["after"] and problems[0].line == line_of(path, "after:")


def test_the_kind_is_a_type_with_each_kinds_own_fields() -> None:
    form, setting = load_flow("instagram"), load_flow("x")
    assert isinstance(form, FormFlow) and isinstance(setting, SettingFlow)
    assert form.headings == form.form.headings and setting.headings == setting.setting.headings
    assert not hasattr(setting, "form") and not hasattr(form, "setting")


def words_without(tmp_path: Path, missing: dict[str, list[str]]) -> Path:
    """A copy of the bundled word files where each language in `missing` lacks those word keys."""
    words = tmp_path / "words"
    words.mkdir()
    for source in WORDS_DIR.glob("*.yaml"):
        lines = source.read_text(encoding="utf-8").splitlines()
        dropped = tuple(f"{key}:" for key in missing.get(source.stem, []))
        kept = [line for line in lines if not (dropped and line.strip().startswith(dropped))]
        assert len(lines) - len(kept) == len(dropped), f"test setup: not every key of {dropped} in {source.name}"
        (words / source.name).write_text("\n".join(kept) + "\n", encoding="utf-8")
    return words


def test_a_word_missing_in_one_language_is_a_warning_per_language(tmp_path: Path) -> None:
    words = words_without(tmp_path, {"fr": ["privacy_topics"], "de": ["more_menu", "x_home"]})
    problems = check_all(words_dir=words)
    # One warning per language, naming every missing word and where English has it; no error.
    assert [(p.file.name, p.warning) for p in problems] == [("de.yaml", True), ("fr.yaml", True)]
    de, fr = problems
    en = WORDS_DIR / "en.yaml"
    assert f"more_menu (words/en.yaml:{line_of(en, 'more_menu:')})" in de.message
    assert f"x_home (words/en.yaml:{line_of(en, 'x_home:')})" in de.message
    assert "privacy_topics" in fr.message and "more_menu" not in fr.message
    assert "de.yaml: warning: words: 2 words missing, English used instead: " in str(de)


def test_a_flow_loads_with_a_word_missing_in_de(tmp_path: Path) -> None:
    # Instagram's German "Mehr" and X's "Startseite" are missing: every flow still loads (X's too, which
    # used to fail for an Instagram word), and German pages are read with the English phrases for those words.
    vocabulary = load_vocabulary(words_without(tmp_path, {"de": ["more_menu", "x_home"]}))
    for platform in ("instagram", "x", "facebook", "whatsapp", "linkedin"):
        assert load_flow(platform, vocabulary).platform == platform
    assert vocabulary.phrases_in("more_menu", "de") == vocabulary.phrases_in("more_menu", "en")
    assert vocabulary.missing == {"de": ["more_menu", "x_home"]}
    assert vocabulary.pattern("more_menu", exact=True).search("More")
    assert vocabulary.phrases_in("settings", "de") == ["Einstellungen", "Einstellungen und Aktivität"]


def test_flows_check_passes_with_warnings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from click.testing import CliRunner

    from optout_bot.cli.app import cli
    from optout_bot.flows import loader

    monkeypatch.setattr(loader, "WORDS_DIR", words_without(tmp_path, {"pl": ["x_home"]}))
    result = CliRunner().invoke(cli, ["flows", "check"])
    assert result.exit_code == 0, result.output
    assert "pl.yaml: warning: " in result.output and "x_home" in result.output
    assert "flows OK" in result.output


def test_load_flow_raises_one_clear_line(tmp_path: Path) -> None:
    path = write_variant(tmp_path, "name: ai_at_meta}", "name: ai_at_meat}")
    with pytest.raises(FlowFileError) as caught:
        load_flow(path)
    assert caught.value.message.startswith("invalid flow data: ")
    assert "\n" not in caught.value.message


def test_an_unknown_platform_names_the_known_ones() -> None:
    with pytest.raises(UsageError, match="known platforms: facebook, instagram, linkedin, whatsapp, x"):
        load_flow("myspace")


def test_words_match_both_apostrophes_and_any_case() -> None:
    vocabulary = load_vocabulary()
    assert vocabulary.matches("ai_at_meta", "L'IA chez Meta")
    assert vocabulary.matches("ai_at_meta", "l’ia CHEZ meta")
    assert vocabulary.pattern("object_link", exact=True).search("opposer")
    assert not vocabulary.pattern("object_link", exact=True).search("Submit an objection request")
    # "object" is a whole word: it does not match inside "objection"
    assert not vocabulary.matches("object_link", "objection")
    assert vocabulary.matches("privacy_center", "Centre de confidentialité")


# Labels of the real sites, quoted by public sources, that the words missed (issue 15, part 3). The source of
# each is in the comment next to the phrase in flows/words/<lang>.yaml.
REAL_LABELS = [
    ("form_title", "Opõe-te à utilização das tuas informações pela IA na Meta", False),  # pt-PT
    ("privacy_center", "Centrum ochrony prywatności", False),  # pl
    ("ai_at_meta", "SI w Meta", True),  # pl
    ("submit_objection", "Information you've shared with Meta Products", False),  # en, 2025
    ("submit_objection", "Informações que partilhaste nos Produtos da Meta", False),  # pt-PT, 2025
    ("object_to_processing", "How can I make an objection to the processing of my information", False),  # WhatsApp
    ("object_to_processing", "Wie kann ich der Verarbeitung meiner Informationen widersprechen?", False),  # WhatsApp de
    ("settings_and_privacy", "Einstellungen und Datenschutz", False),  # X and LinkedIn, de
    ("li_ai_switch", "Ihre Daten zum Schulen von KI-Modellen verwenden, um Inhalte zu erstellen", False),  # de
    ("li_ai_switch", "Mijn gegevens gebruiken voor training van AI-modellen waarmee content wordt gemaakt", False),
    ("li_ai_switch", "Usar meus dados para treinar modelos de IA para criar conteúdos", False),  # pt
    ("li_ai_switch", "Użyj moich danych do trenowania modeli AI służących do tworzenia treści", False),  # pl
    ("li_ai_setting_title", "Dados para aprimoramento da IA generativa", False),  # pt
    ("x_grok_checkbox", "Allow your posts as well as your interactions, inputs, and results with Grok to be used for "
     "training and fine-tuning.", False),  # en, 2024
]  # fmt: skip


@pytest.mark.parametrize(("key", "label", "exact"), REAL_LABELS, ids=[f"{k}:{t[:30]}" for k, t, _ in REAL_LABELS])
def test_the_words_recognise_the_real_sites_labels(key: str, label: str, exact: bool) -> None:
    assert load_vocabulary().pattern(key, exact=exact).search(label), f"{label!r} is not recognised as {key}"
