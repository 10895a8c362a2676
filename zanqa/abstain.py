"""The abstention stage: does the resolution answer the question at all?

Three kinds of refusal, in this order (``decide``):

- certain, by rule: the question names a paragraph the resolution does not
  have ("no_paragraph") or only code articles it never cites ("no_article");
- by intent: it asks for what the resolution never provides (the sanction,
  limitation periods, jurisdiction, procedure, aid to victims, the court
  itself), read by the query stage from zanqa/intents.json;
- the in-scope rule for the rest ("not_covered").

``confident`` is the in-scope rule over the top paragraph's signals
(``AbstainInputs``), with thresholds (``AbstainParams``) tuned on the dev
split into ``zanqa/tuned.json``. ``AbstainInputs`` is built in one place,
``Engine.abstain_inputs``, for the search and the tuner alike.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from zanqa.config import TUNED_PATH
from zanqa.query import ARTICLE_ONLY, Query
from zanqa.tuned import TunedParams, load_tuned


@dataclass(frozen=True)
class AbstainParams(TunedParams):
    """Abstain unless the top paragraph's cosine or its lexical coverage is
    high enough, and the question's words are the corpus's words, and the
    question is not closer to a known out-of-scope question than the margin allows."""

    min_cosine: float = 0.82
    min_coverage: float = 0.35
    min_vocabulary: float = 0.0
    min_margin: float = -1.0


def default_abstain(path: Path = TUNED_PATH) -> dict[str, AbstainParams]:
    return {lang: AbstainParams.from_dict(p["abstain"]) for lang, p in load_tuned(path).items()}


@dataclass(frozen=True)
class AbstainInputs:
    """The top paragraph's evidence, as scalars (one question) or arrays (the tuner's grid).

    dense, coverage, article, named: the top paragraph's signals; vocabulary:
    share of the question's content stems found anywhere in the corpus;
    off_topic: the question's best cosine to the known out-of-scope questions."""

    dense: float | np.ndarray
    coverage: float | np.ndarray
    article: float | np.ndarray
    named: float | np.ndarray
    vocabulary: float | np.ndarray
    off_topic: float | np.ndarray = -1.0


def confident(x: AbstainInputs, params: AbstainParams):
    """False where the resolution probably does not cover the question.

    A named paragraph or a cited article stands in for the word checks (a
    bare "128-бап" or "п. 14" has no content words to check), never for the
    out-of-scope margin: "what sentence does art. 128 carry?" cites an
    article the resolution discusses and is still refused."""
    dense, off_topic = np.asarray(x.dense), np.asarray(x.off_topic)
    referenced = (np.asarray(x.article) >= ARTICLE_ONLY) | np.asarray(x.named, dtype=bool)
    known_words = np.asarray(x.vocabulary) >= params.min_vocabulary
    close = (dense >= params.min_cosine) | (np.asarray(x.coverage) >= params.min_coverage)
    return (dense - off_topic >= params.min_margin) & (referenced | (known_words & close))


REFUSAL_REASONS = (
    "no_paragraph", "no_article", "sanction", "limitation", "jurisdiction", "procedure", "aid",
    "about_court", "not_covered",
)  # fmt: skip


@dataclass(frozen=True)
class Verdict:
    """What the abstention stage decided: ``reason`` "" (answer) or one of
    ``REFUSAL_REASONS``; ``ref``: the reference a certain refusal is about."""

    reason: str = ""
    ref: str = ""

    @property
    def refused(self) -> bool:
        return bool(self.reason)


def decide(
    query: Query, in_scope: bool, paragraph_ids: Collection[str], cited_articles: Collection[str]
) -> Verdict:
    """The verdict for ``query``: certain refusals first, then intents, then the in-scope rule
    (``in_scope``: what ``confident`` said for the top paragraph)."""
    named = set(query.refs.paragraphs)
    if named and not named & paragraph_ids:
        return Verdict("no_paragraph", sorted(named)[0])
    articles = set(query.refs.articles)
    if articles and not articles & cited_articles:
        return Verdict("no_article", sorted(articles)[0])
    if query.intent in REFUSAL_REASONS:
        return Verdict(query.intent)
    return Verdict() if in_scope else Verdict("not_covered")
