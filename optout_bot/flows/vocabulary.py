"""Meta's words in every supported language, turned into patterns that match any of them.

Meta serves its pages in the account's language, and we do not know it in advance, so a word key matches
its phrases in *every* language file. Matching is case-insensitive and treats the typewriter apostrophe
and the typographic one (U+2019, as in « l’IA ») as the same.

A word missing in one language's file does not stop anything: that language uses the English phrases for
it (`phrases_in`), the loader lists it in `missing`, and `flows check` warns about it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

_APOSTROPHES = "'’"
_APOSTROPHE_CLASS = "['’]"


def phrase_pattern(phrase: str) -> str:
    """A regex source for one phrase: apostrophes and runs of spaces are lenient, ASCII words whole."""
    parts: list[str] = []
    for chunk in re.split(r"(\s+|['’])", phrase.strip()):
        if not chunk:
            continue
        if chunk in _APOSTROPHES:
            parts.append(_APOSTROPHE_CLASS)
        elif chunk.isspace():
            parts.append(r"\s+")
        else:
            parts.append(re.escape(chunk))
    body = "".join(parts)
    # \b only where the phrase starts or ends with an ASCII word character: the browser's regex engine
    # (no /u flag) does not see "é" as a word character, so "\b" after "confidentialité" would never match.
    if re.match(r"[A-Za-z0-9]", phrase.strip()):
        body = r"\b" + body
    if re.search(r"[A-Za-z0-9]$", phrase.strip()):
        body = body + r"\b"
    return body


@dataclass
class Vocabulary:
    """word key -> language -> phrases. Built by the loader from `words/<lang>.yaml`."""

    phrases: dict[str, dict[str, list[str]]] = field(default_factory=dict)
    # language -> the word keys its file lacks (it falls back to English for them)
    missing: dict[str, list[str]] = field(default_factory=dict)

    @property
    def languages(self) -> list[str]:
        return sorted({lang for by_lang in self.phrases.values() for lang in by_lang})

    def phrases_in(self, key: str, lang: str) -> list[str]:
        """The phrases for `key` in one language, or the English ones when that language's file lacks it."""
        by_lang = self.phrases[key]
        return by_lang.get(lang) or by_lang.get("en") or []

    def all_phrases(self, key: str) -> list[str]:
        """The phrases for `key` in every language, longest first so the most specific wins in a regex."""
        seen: dict[str, None] = {}
        for phrases in self.phrases[key].values():
            for phrase in phrases:
                seen.setdefault(phrase, None)
        return sorted(seen, key=len, reverse=True)

    def pattern(self, key: str, exact: bool = False) -> re.Pattern[str]:
        return _compiled(tuple(self.all_phrases(key)), exact)

    def matches(self, key: str, text: str) -> bool:
        return self.pattern(key).search(text) is not None

    def pattern_any(self, keys: list[str]) -> re.Pattern[str]:
        """One pattern matching the phrases of several word keys (e.g. every confirmation wording)."""
        return _compiled(tuple(p for key in keys for p in self.all_phrases(key)), False)


# A word's pattern is asked for again and again (the loader's checks, then every locator of the walk): each is
# built and compiled once, for the phrases it is made of (a vocabulary changed since gives other phrases).
@lru_cache(maxsize=1024)
def _compiled(phrases: tuple[str, ...], exact: bool) -> re.Pattern[str]:
    alternatives = "|".join(phrase_pattern(p) for p in phrases)
    source = rf"^\s*(?:{alternatives})\s*$" if exact else f"(?:{alternatives})"
    return re.compile(source, re.IGNORECASE)
