"""Text handling for the full-text search of needs: folding, query words, light stemming. No database access.

PostgreSQL (production) searches a stored tsvector generated from `Need.search_text` with the German
snowball configuration, each query word as a prefix (`hausaufgaben:*` finds "Hausaufgabenhilfe"), through a
GIN index. SQLite (the embedded default) has no German stemmer: there each query word is cut back to a
rough stem by `light_stem` and matched as a substring of the folded text, which finds the same compound
words on the small data of a local installation.
"""

import re
import unicodedata

MAX_QUERY_WORDS = 8
MIN_WORD_LENGTH = 2
MAX_WORD_LENGTH = 40
_WORD = re.compile(r"\w+", re.UNICODE)
# Umlauts fold like the German snowball stemmer folds them, so both backends see the same letters.
_FOLD = str.maketrans({"ä": "a", "ö": "o", "ü": "u", "ß": "ss"})
# Inflection endings, longest first; what stays has at least three letters.
_ENDINGS = ("innen", "ungen", "ern", "en", "er", "es", "e", "n", "s")


def fold(text: str) -> str:
    """Returns `text` in lower case with umlauts folded (ä → a, ß → ss) and control characters removed."""
    text = unicodedata.normalize("NFC", text).casefold().translate(_FOLD)
    return "".join(character if character.isprintable() else " " for character in text)


def query_words(query: str) -> list[str]:
    """Returns the searchable words of a visitor's query: folded, letters and digits only, at most eight.

    Words are plain `\\w+` runs, so no search operator of any backend can be smuggled in.
    """
    words = [word for word in _WORD.findall(fold(query)) if MIN_WORD_LENGTH <= len(word) <= MAX_WORD_LENGTH]
    return list(dict.fromkeys(words))[:MAX_QUERY_WORDS]


def light_stem(word: str) -> str:
    """Returns `word` without one common German inflection ending (the SQLite fallback's stemmer)."""
    for ending in _ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= 3:
            return word[: -len(ending)]
    return word


def prefix_tsquery(words: list[str]) -> str:
    """Returns a PostgreSQL `to_tsquery` text that matches documents containing every word as a prefix."""
    return " & ".join(f"{word}:*" for word in words)


def search_text(*parts: str) -> str:
    """Returns the folded text the search indexes, from the given parts (empty ones skipped)."""
    return fold("\n".join(part for part in parts if part))
