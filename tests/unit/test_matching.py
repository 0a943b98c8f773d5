"""Recognition by meaning (issue 15, part 2): real labels match their word whatever their wording's details,
and near-misses (an age check, a delete-account form, a longer menu) do not.

A phishing copy of the form is not a matter of words: it carries Meta's very words, so it is refused by its
address (platforms.py, promise 3), never by this table.
"""

from __future__ import annotations

import time

import pytest

from optout_bot.flows import Vocabulary, load_vocabulary
from optout_bot.flows.matching import THRESHOLD, Recogniser, content_stems, recogniser, same_stem, tokens


@pytest.fixture(scope="module")
def words() -> Vocabulary:
    return load_vocabulary()


# (key, label, language): labels of the real sites as public sources quote them (each source is in the comment
# next to the phrase in flows/words/<lang>.yaml, and in tests/unit/test_flows.py REAL_LABELS), then variants built
# from them: another conjugation, word order, article, accent, apostrophe, case.
MUST_MATCH = [
    # quoted by the sources
    ("form_title", "Opõe-te à utilização das tuas informações pela IA na Meta", "pt"),
    ("privacy_center", "Centrum ochrony prywatności", "pl"),
    ("ai_at_meta", "SI w Meta", "pl"),
    ("submit_objection", "Information you've shared with Meta Products", "en"),
    ("submit_objection", "Informações que partilhaste nos Produtos da Meta", "pt"),
    ("object_to_processing", "How can I make an objection to the processing of my information", "en"),
    ("object_to_processing", "Wie kann ich der Verarbeitung meiner Informationen widersprechen?", "de"),
    ("settings_and_privacy", "Einstellungen und Datenschutz", "de"),
    ("li_ai_switch", "Ihre Daten zum Schulen von KI-Modellen verwenden, um Inhalte zu erstellen", "de"),
    ("li_ai_switch", "Mijn gegevens gebruiken voor training van AI-modellen waarmee content wordt gemaakt", "nl"),
    ("li_ai_switch", "Usar meus dados para treinar modelos de IA para criar conteúdos", "pt"),
    ("li_ai_switch", "Użyj moich danych do trenowania modeli AI służących do tworzenia treści", "pl"),
    ("li_ai_setting_title", "Dados para aprimoramento da IA generativa", "pt"),
    ("x_grok_checkbox", "Allow your posts as well as your interactions, inputs, and results with Grok to be used for "
     "training and fine-tuning.", "en"),
    ("li_ai_setting_title", "Daten zur Verbesserung generativer KI", "de"),
    ("privacy_center", "Centre de confidentialité", "fr"),
    ("ai_at_meta", "L’IA chez Meta", "fr"),
    ("submit_objection", "Informations que vous avez partagées sur les produits Meta", "fr"),
    ("settings_and_privacy", "Paramètres et confidentialité", "fr"),
    ("privacy_and_safety", "Datenschutz und Sicherheit", "de"),
    ("privacy_policy", "Zasady ochrony prywatności", "pl"),
    # built: conjugation, reflexive and imperative forms
    ("form_title", "S’opposer à l’utilisation de vos informations pour l’IA chez Meta", "fr"),
    ("form_title", "Opposez-vous à l'utilisation de vos informations pour l'IA chez Meta", "fr"),
    ("form_title", "Opor-se à utilização das suas informações pela IA na Meta", "pt"),
    ("form_title", "Widerspruch gegen die Verwendung deiner Informationen für KI bei Meta", "de"),
    ("form_title", "Opporsi all'uso delle tue informazioni per l'IA di Meta", "it"),
    ("form_title", "Objecting to your information being used for AI at Meta", "en"),
    ("object_link", "opõe-te", "pt"),
    ("object_link", "Opposez", "fr"),
    # built: word order, articles, case, accents, quotes, plural
    ("form_title", "AI at Meta: object to the use of your information", "en"),
    ("form_title", "OBJECT TO YOUR INFORMATION BEING USED FOR AI AT META", "en"),
    ("form_title", "Vous opposer a l'utilisation de vos informations pour l'IA chez Meta", "fr"),
    ("ai_at_meta", "„KI bei Meta“", "de"),
    ("submit_objection", "Information You Have Shared On Meta Products", "en"),
    ("privacy_center", "Privacy Centre", "en"),
    ("privacy_center", "centrum prywatnosci", "pl"),
    ("settings_and_privacy", "Settings & Privacy", "en"),
    ("settings_and_privacy", "Privacy and settings", "en"),
    ("email_field", "E-mail address", "en"),
    ("third_party_form", "Information others shared about you", "en"),
    ("li_me", "Me", "en"),
    ("confirmation", "We will honour your objection.", "en"),
]  # fmt: skip

# (label, key it must not be recognised as, language or None for any language)
MUST_NOT_MATCH = [
    # an age check is neither the form nor the confirmation
    ("Confirm your age", "form_title", None),
    ("Confirm your age", "confirmation", None),
    ("Bestätige dein Alter", "form_title", None),
    ("Bestätige dein Alter", "confirmation", None),
    ("Confirm your age", "code_prompt", None),
    # account deletion and deactivation: never "your profile", never the objection
    ("Delete account", "your_profile", None),
    ("Supprimer le compte", "your_profile", None),
    ("Deactivate your account", "your_profile", None),
    ("Delete account", "form_title", None),
    # an objection to cookies is not the right to object, nor the object link
    ("Object to cookies", "object_link", None),
    ("Object to cookies", "right_to_object", None),
    ("Object to cookies", "form_title", None),
    ("Object to cookies", "cookie_decline", None),
    # a longer or different menu entry
    ("Privacy Policy", "privacy_center", None),
    ("Politique de confidentialité", "privacy_center", None),
    ("Datenschutzrichtlinie", "privacy_link", None),
    ("Settings", "settings_and_privacy", None),
    ("Settings and privacy", "settings", None),
    ("Einstellungen und Datenschutz", "privacy_link", None),
    # X: the Grok menu link is not the Grok setting's checkbox, nor its title
    ("Grok", "x_grok_checkbox", None),
    ("Grok", "x_grok_title", None),
    # the third-party form is not the own-information form, nor its 2025 link
    ("Information others shared about you", "form_title", None),
    ("Information others shared about you", "submit_objection", None),
    ("Informationen über dich, die andere geteilt haben", "form_title", None),
    ("Informationen über dich, die andere geteilt haben", "submit_objection", None),
    # the general objection form's title is not the AI form's, and the reverse
    ("Object to how Meta processes your information", "form_title", None),
    ("Object to your information being used for AI at Meta", "general_objection_title", None),
    # the person's values and numbers never make a match
    ("jane@example.com 2024", "email_field", None),
    ("12345", "code_prompt", None),
    ("", "settings", None),
]  # fmt: skip


@pytest.mark.parametrize(("key", "label", "lang"), MUST_MATCH, ids=[f"{k}:{t[:28]}" for k, t, _ in MUST_MATCH])
def test_a_real_label_is_recognised_as_its_word(words: Vocabulary, key: str, label: str, lang: str) -> None:
    found = recogniser(words)
    assert found.score(label, key, lang).recognised, (
        f"{label!r} in {lang} is not {key}: {found.score(label, key, lang)}"
    )
    # Without knowing the page's language too (the walk may not know it)
    assert found.score(label, key).recognised


def test_the_best_word_for_a_real_label_is_its_own(words: Vocabulary) -> None:
    """The most specific word wins: the form's title before "IA na Meta", which it also contains."""
    found = recogniser(words)
    bests = [(label, key, found.best(label, lang=lang)) for key, label, lang in MUST_MATCH]
    assert [(label, key, best) for label, key, best in bests if best is None or best.key != key] == []


@pytest.mark.parametrize(("label", "key", "lang"), MUST_NOT_MATCH, ids=[f"{t[:24]}!{k}" for t, k, _ in MUST_NOT_MATCH])
def test_a_near_miss_is_not_recognised(words: Vocabulary, label: str, key: str, lang: str | None) -> None:
    match = recogniser(words).score(label, key, lang)
    assert not match.recognised, f"{label!r} was taken for {key} ({match.score} via {match.phrase!r})"


def test_the_third_party_cue_wins_over_the_own_forms_words(words: Vocabulary) -> None:
    best = recogniser(words).best("Information others shared about you")
    assert best is not None and best.key == "third_party_form"


def test_normalising_tolerates_quotes_case_accents_and_hyphens() -> None:
    assert tokens("L’IA «chez» META – E-mail 42 jane@example.com") == ["l", "ia", "chez", "meta", "email"]
    assert content_stems("Opõe-te", "pt") == content_stems("opor-se", "pt") == content_stems("Opor-te", "pt")
    assert content_stems("opposez-vous", "fr") == content_stems("S’opposer", "fr")
    assert content_stems("Widerspruch", "de") == content_stems("widersprechen", "de")
    assert content_stems("Privacy Centre", "en") == content_stems("privacy center", "en")
    assert content_stems("Me", "en") == ("me",)  # a label that is only a pronoun keeps it


def test_stems_cut_unevenly_by_snowball_are_the_same_word() -> None:
    assert same_stem("wykorzystywan", "wykorzystan")
    assert not same_stem("datenschutz", "datenschutzrichtlini")  # a longer compound is another word
    assert not same_stem("set", "setup")


def test_a_label_in_a_language_is_read_with_that_languages_words_and_english(words: Vocabulary) -> None:
    found = recogniser(words)
    assert found.score("Privacy Center", "privacy_center", "pl").recognised  # Meta leaves English labels
    assert found.score("Centrum ochrony prywatności", "privacy_center", "pl").lang == "pl"
    assert not found.score("Centrum ochrony prywatności", "privacy_center", "fr").recognised


def test_a_page_in_one_language_stems_only_that_languages_phrases_and_englishs(words: Vocabulary) -> None:
    """The walk's first reading by meaning is on its path: a page in Polish must not wait for eight languages'
    phrases to be stemmed; a label of unknown language still reads every language, as before."""
    found = Recogniser(words)
    assert found.best("Centrum ochrony prywatności", None, "pl") is not None
    assert sorted(found._indexes) == ["en", "pl"]
    unknown_language = found.best("Centrum ochrony prywatności")
    assert unknown_language is not None and unknown_language.key == "privacy_center"
    assert sorted(found._indexes) == words.languages


def test_scoring_is_fast_enough_for_every_control_of_a_page(words: Vocabulary) -> None:
    """The walk scores each visible control of each page: a page has a few hundred. (Generous bound for CI.)"""
    found = recogniser(words)
    labels = [f"{label} {n}x" for n in range(20) for _, label, _ in MUST_MATCH]  # new text: no cache hit
    start = time.perf_counter()
    for label in labels:
        found.recognise(label)
    per_second = len(labels) / (time.perf_counter() - start)
    assert per_second > 100, f"{per_second:.0f} labels/s against every word"
    assert THRESHOLD == 0.7
