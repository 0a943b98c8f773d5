"""Recognising a label by meaning: which word key a page's text says, whatever its wording's details.

Real labels differ from the word files by conjugation ("Opõe-te" / "Opor-te"), articles, word order,
accents, typographic quotes and case. So a label is not compared with whole phrases; both are reduced to
*content stems* and the label is scored by how many of a phrase's stems it carries:

1. normalise: Unicode NFKC, case-fold; every apostrophe, quote, dash, hyphen and punctuation mark is a space;
   a one-letter prefix joined by a hyphen stays joined ("e-mail" → "email");
2. tokenise on spaces; drop numbers and anything with a digit or "@" (the person's own values never matter);
3. drop stop words (articles, prepositions, pronouns, a small list per language, below), unless that leaves
   nothing (then the label *is* a pronoun: LinkedIn's "Me", "Ich", "Vous");
4. stem each token with the Snowball stemmer of the phrase's language (`snowballstemmer`, pure Python),
   after a few irregular forms Snowball cannot join (pt "opõe"/"opor", de "Widerspruch"/"widersprechen")
   and enclitic pronouns (es "oponerte", it "opporsi"); then strip accents (pl "ł" → "l" too);
5. score: recall × (0.8 + 0.2 × precision), where recall is the share of the phrase's stems found in the
   label and precision the share of the label's stems that are the phrase's. Order never matters. Two stems
   are the same when equal, or when they share a prefix of at least 5 letters covering 70 % of the shorter
   and differ in length by at most 3 (Snowball's uneven cuts: "wykorzystywan"/"wykorzystan");
6. a phrase of one content stem ("Settings", "Grok", "Datenschutz") matches only a label of exactly that
   stem: "Settings" is not "Settings and privacy", "Account" is not "Delete account".

A label is recognised as a key when its best phrase scores at least THRESHOLD (0.7): for a phrase of four
stems, three of them in a label with no other words. The walk and `optout-bot flows match` use this module
alone, so what a contributor sees with the command is what the walk sees. No Playwright here.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from optout_bot.flows.vocabulary import Vocabulary

THRESHOLD = 0.7
PRECISION_WEIGHT = 0.2  # extra words in a label cost at most this much: headings and checkboxes run long

_SNOWBALL = {
    "en": "english", "fr": "french", "de": "german", "es": "spanish", "it": "italian",
    "nl": "dutch", "pt": "portuguese", "pl": "polish",
}  # fmt: skip

# Articles, prepositions, conjunctions, pronouns and possessives, accent-free (compared after stripping).
_STOP_WORDS = {
    "en": "a an the to of for in on at by with from about as and or & your yours you my me i we us our "
    "it its this that these those is are be being been will was were ve s re ll d t m",
    "fr": "le la les l un une des de du d a au aux et ou pour par sur avec en dans chez vos votre vous "
    "mon ma mes me m nous notre nos te t ton ta tes se s qui que qu ce cette est sont",
    "de": "der die das den dem des ein eine einen einem einer und oder zu zur zum fur von vom mit bei auf "
    "in im an am aus uber gegen dein deine deinen deiner deinem deines ihr ihre ihren ihrer ihrem ich du sie "
    "wir uns dich dir mich mir mein meine meiner meinen es ist sind",
    "es": "el la los las un una unos unas de del a al y o e u para por en con sobre tu tus su sus mi mis "
    "te se me nos os que lo le les",
    "it": "il lo la i gli le l un una uno di del della dello dei degli delle a al alla allo ai agli alle da "
    "dal dalla in nel nella con su sul sulla per e o tuo tua tuoi tue suo sua ti si mi ci vi che",
    "nl": "de het een van voor in op met en of aan bij door je jouw jij uw u mijn mij ik we wij ons is zijn "
    "te om naar over die dat",
    "pt": "o a os as um uma uns umas de do da dos das ao aos em no na nos nas por pela pelo pelas pelos "
    "para com e ou tu te ti teu tua teus tuas seu sua seus suas meu minha meus minhas me se que voce",
    "pl": "w we i oraz z ze do na o od dla przez po a lub twoj twoja twoje twoich twoim twoja twoimi "
    "moj moja moje moich moim sie ci cie ciebie mnie jest sa to ktory ktore",
}
STOP_WORDS: dict[str, frozenset[str]] = {lang: frozenset(words.split()) for lang, words in _STOP_WORDS.items()}

# Forms of one verb Snowball leaves apart (irregular verbs, vowel changes), accent-free → the stem to use.
_IRREGULAR = {
    "pt": dict.fromkeys(["opoe", "opoem", "opoes", "opor", "oponha", "oponho", "opomos", "opos"], "opor"),
    "de": dict.fromkeys(["widerspruch", "widerspruchs", "widersprich", "widerspricht", "widersprechen"], "widersprech"),
    "en": {"centre": "center", "centres": "center"},
    "it": dict.fromkeys(["opponi", "opponiti", "oppongo", "opponga", "opporre", "oppor"], "oppor"),
    "es": dict.fromkeys(["opon", "oponte", "oponga", "opongo", "oponer"], "opon"),
}
# An infinitive with an enclitic pronoun: es "oponerte", it "opporti"/"opporsi" (long words only: "parte" stays).
_ENCLITIC = re.compile(r"^(.{4,}[aeiouáéíó]r)(te|se|me|nos|os|ti|si|mi|ci|vi)$")

_ADDRESS = re.compile(r"\S+@\S+|\S+://\S+")  # an email address or a link: the person's, never Meta's words
_NOT_A_LETTER = re.compile(r"[^\w@]+")
_JOINED_LETTER = re.compile(r"\b(\w)-(\w{2,})")  # "e-mail" → "email", not "opõe-te" → "opõete"


def strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.replace("ł", "l").replace("Ł", "L"))
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def tokens(text: str) -> list[str]:
    """The words of `text`, case-folded, accents kept (the stemmers need them), without numbers or addresses."""
    folded = _JOINED_LETTER.sub(r"\1\2", _ADDRESS.sub(" ", unicodedata.normalize("NFKC", text).casefold()))
    words = _NOT_A_LETTER.sub(" ", folded.replace("_", " ")).split()
    return [word for word in words if not any(char.isdigit() or char == "@" for char in word)]


@lru_cache(maxsize=65536)
def stem(word: str, lang: str) -> str:
    """The accent-free stem of one case-folded word in `lang` (English rules for a language we do not know)."""
    plain = strip_accents(word)
    irregular = _IRREGULAR.get(lang, {}).get(plain)
    if irregular:
        return irregular
    if lang in ("es", "it") and (enclitic := _ENCLITIC.match(word)):
        word = enclitic.group(1)
    return strip_accents(_stemmer(lang).stemWord(word))


@lru_cache(maxsize=16)
def _stemmer(lang: str) -> Any:  # snowballstemmer has no type hints
    # Imported on first use: a walk that follows its routes never reads a label by meaning (30 ms saved at start).
    import snowballstemmer  # type: ignore[import-untyped]

    return snowballstemmer.stemmer(_SNOWBALL.get(lang, "english"))


@lru_cache(maxsize=65536)
def content_stems(text: str, lang: str) -> tuple[str, ...]:
    """The stems that carry `text`'s meaning in `lang`, each once, in order."""
    words = tokens(text)
    stop = STOP_WORDS.get(lang, STOP_WORDS["en"])
    content = [word for word in words if strip_accents(word) not in stop] or words
    return tuple(dict.fromkeys(stem(word, lang) for word in content))


def same_stem(one: str, other: str) -> bool:
    if one == other:
        return True
    if one[:5] != other[:5]:
        return False
    shorter, longer = sorted((one, other), key=len)
    if len(longer) - len(shorter) > 3:
        return False
    common = 0
    for a, b in zip(shorter, longer, strict=False):
        if a != b:
            break
        common += 1
    return common >= 5 and common >= 0.7 * len(shorter)


def _found(stem_: str, label: tuple[str, ...]) -> bool:
    if stem_ in label:
        return True
    if len(stem_) < 5:  # same_stem needs five letters in common
        return False
    head = stem_[:5]
    return any(other.startswith(head) and same_stem(stem_, other) for other in label)


def phrase_score(label: tuple[str, ...], phrase: tuple[str, ...]) -> tuple[float, int]:
    """How well a label's content stems carry a phrase's (0 to 1; order-free), and how many of them it carries."""
    if not label or not phrase:
        return 0.0, 0
    found = sum(1 for stem_ in phrase if _found(stem_, label))
    recall = found / len(phrase)
    precision = sum(1 for stem_ in label if _found(stem_, phrase)) / len(label)
    score = recall * (1 - PRECISION_WEIGHT + PRECISION_WEIGHT * precision)
    if len(phrase) == 1 and len(label) > 1:
        # One word alone must be the whole label; kept below the threshold, still shown as "nearest".
        score = min(score * precision, THRESHOLD - 0.01)
    return round(score, 4), found


@dataclass(frozen=True)
class Match:
    """How well a label says a word key: its best phrase (and that phrase's language) and the score."""

    key: str
    phrase: str
    lang: str
    score: float
    words: int = 0  # how many of the phrase's content words the label has: the more, the more specific

    @property
    def rank(self) -> tuple[bool, int, float]:
        """Recognised first; among them the most specific phrase ("Opõe-te à utilização … IA na Meta" is the
        form's title before it is "IA na Meta"); then the score."""
        return (self.recognised, self.words if self.recognised else 0, self.score)

    @property
    def recognised(self) -> bool:
        return self.score >= THRESHOLD


@dataclass(frozen=True)
class _Phrase:
    text: str
    lang: str
    stems: tuple[str, ...]

    @property
    def buckets(self) -> frozenset[str]:
        return _buckets(self.stems)


def _buckets(stems: tuple[str, ...]) -> frozenset[str]:
    """Stems that may be the same word share their first five letters (`same_stem`): a cheap first filter."""
    return frozenset(stem_[:5] for stem_ in stems)


class Recogniser:
    """A vocabulary's phrases, stemmed once, to score labels against (the walk scores every visible control).

    Each language's phrases are stemmed the first time a label is read in it: a page in English needs only the
    English phrases, not all eight languages' (80 ms of stemming on the walk's path, the first time it reads by
    meaning)."""

    def __init__(self, vocabulary: Vocabulary) -> None:
        self.vocabulary = vocabulary
        self._languages = vocabulary.languages
        self._indexes: dict[str, _LanguageIndex] = {}

    def _index(self, lang: str) -> _LanguageIndex:
        index = self._indexes.get(lang)
        if index is None:
            index = self._indexes[lang] = _LanguageIndex(self.vocabulary, lang)
        return index

    def _read_in(self, lang: str | None) -> list[str]:
        """The languages a label is read in, in a stable order: the page's and English, or all when not known."""
        return sorted({lang, "en"}) if lang is not None else self._languages

    @property
    def keys(self) -> list[str]:
        return sorted(self.vocabulary.phrases)

    def score(self, label: str, key: str, lang: str | None = None) -> Match:
        """The best phrase of `key` for `label`: in `lang` and English when the page's language is known, else any."""
        best = Match(key, "", lang or "", 0.0)
        # A language's file lacking the key uses English (Vocabulary.phrases_in); English is always tried,
        # as Meta leaves many labels untranslated.
        for language in self._read_in(lang):
            stems = content_stems(label, language)
            label_buckets = _label_buckets(stems)
            for phrase, buckets in self._index(language).phrases.get(key, ()):
                if buckets.isdisjoint(label_buckets):
                    continue  # not one word in common: scores 0
                candidate = Match(key, phrase.text, phrase.lang, *phrase_score(stems, phrase.stems))
                if candidate.rank > best.rank:
                    best = candidate
        return best

    def ranked(self, label: str, keys: Iterable[str] | None = None, lang: str | None = None) -> list[Match]:
        """Every key's best match for `label`, best first (`Match.rank`; ties: the key's name, for a stable order)."""
        sharing = self._keys_sharing_a_word(label, lang)
        matches = [
            self.score(label, key, lang) if key in sharing else Match(key, "", lang or "", 0.0)
            for key in (self.keys if keys is None else keys)
        ]
        return sorted(matches, key=lambda m: (not m.rank[0], -m.rank[1], -m.rank[2], m.key))

    def _keys_sharing_a_word(self, label: str, lang: str | None) -> set[str]:
        sharing: set[str] = set()
        for language in self._read_in(lang):
            keys_by_bucket = self._index(language).keys_by_bucket
            for bucket in _label_buckets(content_stems(label, language)):
                sharing |= keys_by_bucket.get(bucket, set())
        return sharing

    def best(self, label: str, keys: Iterable[str] | None = None, lang: str | None = None) -> Match | None:
        """The key `label` is recognised as, or None."""
        ranked = self.ranked(label, keys, lang)
        return ranked[0] if ranked and ranked[0].recognised else None

    def recognise(self, label: str, keys: Iterable[str] | None = None, lang: str | None = None) -> list[Match]:
        """Every key `label` is recognised as, best first ("Right to object" is two keys' words)."""
        return [match for match in self.ranked(label, keys, lang) if match.recognised]


class _LanguageIndex:
    """One language's phrases of every key, stemmed, and which keys have a stem in each bucket: a label is scored
    only against the keys it shares a word with (the rest score 0), so scoring every control of a page is cheap."""

    def __init__(self, vocabulary: Vocabulary, lang: str) -> None:
        self.phrases: dict[str, list[tuple[_Phrase, frozenset[str]]]] = {}
        self.keys_by_bucket: dict[str, set[str]] = {}
        for key, by_lang in vocabulary.phrases.items():
            for text in by_lang.get(lang, []):
                phrase = _Phrase(text, lang, content_stems(text, lang))
                self.phrases.setdefault(key, []).append((phrase, phrase.buckets))
                for bucket in phrase.buckets:
                    self.keys_by_bucket.setdefault(bucket, set()).add(key)


@lru_cache(maxsize=4096)
def _label_buckets(stems: tuple[str, ...]) -> frozenset[str]:
    return _buckets(stems)


_recognisers: dict[int, Recogniser] = {}


def recogniser(vocabulary: Vocabulary) -> Recogniser:
    """The (cached) recogniser of one vocabulary object."""
    cached = _recognisers.get(id(vocabulary))
    if cached is None or cached.vocabulary is not vocabulary:
        cached = _recognisers[id(vocabulary)] = Recogniser(vocabulary)
    return cached


def score(label: str, key: str, vocabulary: Vocabulary, lang: str | None = None) -> Match:
    return recogniser(vocabulary).score(label, key, lang)


def best(label: str, keys: Iterable[str], vocabulary: Vocabulary, lang: str | None = None) -> Match | None:
    return recogniser(vocabulary).best(label, keys, lang)


def recognise(label: str, vocabulary: Vocabulary, lang: str | None = None) -> list[Match]:
    return recogniser(vocabulary).recognise(label, None, lang)
