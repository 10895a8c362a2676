"""Query expansion: everyday words → the act's own terms.

People do not use the act's words: they type "мұғалім" where the act says "оқытушы", "билет"
where it says "жол жүру құжаттары", "вебка" or "стрим" where it says "эфир". zanqa/data/
thesaurus.json lists, per language, a term of the act and the everyday words for it (written
from the act's text alone). A question's BM25 tokens get the term's tokens added for each
everyday word it has, only where the act lacks that word itself: a word the act has already
matches its own paragraphs, and expanding it as well moved answers away from them (docs/tuning.md).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from zanqa.config import DATA_DIR
from zanqa.text import tokenize

THESAURUS_PATH = DATA_DIR / "thesaurus.json"
# a shorter token is a root many words share ("жақын" → "жак": "жақсы", "жақта"; "беруші" → "бер")
MIN_TOKEN = 4


@dataclass(frozen=True)
class Thesaurus:
    """Per language: an everyday word's BM25 token → the tokens of the act's terms for it."""

    expansions: dict[str, dict[str, tuple[str, ...]]]

    @classmethod
    def load(cls, vocabulary: dict[str, set[str] | dict], path: Path = THESAURUS_PATH) -> Thesaurus:
        """The thesaurus at ``path``, tokenized as BM25 tokenizes; ``vocabulary``: each language's
        BM25 tokens of the act (an everyday word among them is not expanded; a term's token
        outside them would find nothing)."""
        data = json.loads(path.read_text(encoding="utf-8"))
        expansions: dict[str, dict[str, tuple[str, ...]]] = {}
        for lang, known in vocabulary.items():
            found: dict[str, list[str]] = {}
            for entry in data.get(lang, ()):
                terms = [t for t in tokenize(entry["term"], lang) if t in known and len(t) >= MIN_TOKEN]
                for word in entry["everyday"]:
                    for token in tokenize(word, lang):
                        if token in known or len(token) < MIN_TOKEN:
                            continue
                        targets = found.setdefault(token, [])
                        targets.extend(t for t in terms if t not in targets)
            expansions[lang] = {token: tuple(terms) for token, terms in found.items() if terms}
        return cls(expansions)

    def expand(self, tokens: dict[str, list[str]]) -> dict[str, list[str]]:
        """``tokens`` (a question's BM25 tokens per language) with the act's terms for its
        everyday words added once each, after the question's own."""
        out = {}
        for lang, found in tokens.items():
            table = self.expansions.get(lang, {})
            added = [t for token in found for t in table.get(token, ()) if t not in found]
            out[lang] = found + list(dict.fromkeys(added))
        return out
