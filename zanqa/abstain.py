"""The abstention stage: does the resolution answer the question at all?

Three kinds of refusal, in this order (``decide``):

- certain, by rule: the question names a resolution that is neither this one,
  nor one that amended it, nor one it cites ("other_act"), a paragraph the
  resolution does not have ("no_paragraph") or only code articles it never
  cites ("no_article");
- by intent: it asks for what the resolution never provides (the sanction,
  limitation periods, jurisdiction, procedure, aid to victims, the court
  itself, another state's law or another act's text), read by the query
  stage from zanqa/intents.json;
- the in-scope decision for the rest ("not_covered"): ``InScopeModel``, a
  calibrated logistic regression over the top paragraph's signals
  (``AbstainInputs``), its numbers and threshold in ``zanqa/tuned.json``
  (``zanqa tune --in-scope``); for an embedder it was not fitted on, the
  threshold rule ``confident`` (``AbstainParams``).

``AbstainInputs`` is built in one place, ``Engine.abstain_inputs``, for the
search and the tuners alike.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from zanqa.config import TUNED_PATH
from zanqa.query import AMENDMENT_EXACT, ARTICLE_ONLY, Query, same_act
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
    defined: float | np.ndarray = 0.0  # 1: the paragraph defines the definition question's subject
    bm25_raw: float | np.ndarray = 0.0  # the top paragraph's best chunk BM25, unscaled
    n_stems: float | np.ndarray = 0.0  # how many content stems the question has
    amendment: float | np.ndarray = 0.0  # 0..1 match of an amending resolution the question names


# The in-scope model's features, each a function of the inputs (plain numbers, no text).
IN_SCOPE_FEATURES = {
    "dense": lambda x: x.dense,
    # how much closer to the act than to any known off-topic question
    "margin": lambda x: x.dense - x.off_topic,
    "coverage": lambda x: x.coverage,
    "vocabulary": lambda x: x.vocabulary,
    # a named paragraph, a cited article, or an amending resolution that changed the paragraph
    "referenced": lambda x: np.maximum.reduce(
        [x.named, x.article >= ARTICLE_ONLY, x.amendment >= AMENDMENT_EXACT]
    ),
    "defined": lambda x: x.defined,
    "bm25": lambda x: np.log1p(x.bm25_raw),
    "stems": lambda x: np.log1p(x.n_stems),
}


def feature_matrix(x: AbstainInputs) -> np.ndarray:
    """The model's features for one question (shape (1, F)) or many (the tuner's arrays)."""
    if all(isinstance(getattr(x, f), (int, float)) for f in _FIELDS):  # one question: no arrays to build
        return np.array([[float(f(x)) for f in IN_SCOPE_FEATURES.values()]])
    arrays = AbstainInputs(*(np.atleast_1d(np.asarray(getattr(x, f), dtype=np.float64)) for f in _FIELDS))
    return np.column_stack(
        [np.broadcast_to(f(arrays), arrays.dense.shape) for f in IN_SCOPE_FEATURES.values()]
    )


@dataclass(frozen=True)
class InScopeModel(TunedParams):
    """P(the resolution answers the question) from the top paragraph's evidence: a
    logistic regression over standardized ``IN_SCOPE_FEATURES``, calibrated by cross-
    validation (sigmoid) and chosen by ``zanqa tune`` (zanqa/experiments/tune.py), saved
    in tuned.json as numbers. ``threshold``: the probability below which it refuses, chosen
    on the dev questions for at most 4 % of each pairs file's answerable questions refused. Another
    embedder's cosines are on another scale: the engine then falls back to the
    threshold rule (``confident``)."""

    embedder: str = ""  # the embedder whose cosines it was fitted on (its model_id)
    features: tuple[str, ...] = ()
    mean: tuple[float, ...] = ()
    scale: tuple[float, ...] = ()
    coef: tuple[float, ...] = ()
    intercept: float = 0.0
    threshold: float = 0.5

    def probability(self, x: AbstainInputs) -> np.ndarray:
        if tuple(self.features) != tuple(IN_SCOPE_FEATURES):
            raise RuntimeError(
                f"tuned.json's in-scope model has features {list(self.features)}, the code "
                f"{list(IN_SCOPE_FEATURES)}: run `zanqa tune --in-scope --write`"
            )
        z = (feature_matrix(x) - np.asarray(self.mean)) / np.asarray(self.scale)
        return 1.0 / (1.0 + np.exp(-(z @ np.asarray(self.coef) + self.intercept)))

    def in_scope(self, x: AbstainInputs, p: float | np.ndarray) -> bool | np.ndarray:
        """``p`` (``probability``) at the threshold or above, or ``in_scope_by_reference``; never
        a question that asks nothing (``nothing_asked``)."""
        return ((np.asarray(p) >= self.threshold) | in_scope_by_reference(x)) & ~nothing_asked(x)


def nothing_asked(x: AbstainInputs) -> bool | np.ndarray:
    """A question with no word of a subject, no reference and no defined term: a particle or a
    letter alone ("ма", "бар", "б"), which the model would score on the top paragraph's cosine."""
    return (
        (np.asarray(x.n_stems) == 0)
        & (IN_SCOPE_FEATURES["referenced"](x) == 0)
        & (np.asarray(x.defined) == 0)
    )


def in_scope_by_reference(x: AbstainInputs) -> bool | np.ndarray:
    """A question the reference alone puts in scope: it names the paragraph of the resolution that
    ranks first ("п.3 иные сделки с человеком перечень": a question about that paragraph's text;
    a sentence or a court, which it never provides, the intents refuse before this, and a
    paragraph of another document, "пункт 5 Правил въезда", is not this one's:
    ``QuestionRefs.other_paragraphs``), or it is nothing but an article or an amending resolution
    the resolution has ("128-бап"), no words to judge."""
    bare = (np.asarray(x.n_stems) == 0) & (IN_SCOPE_FEATURES["referenced"](x) > 0)
    return bare | (np.asarray(x.named) > 0)


def judge(x: AbstainInputs, model: InScopeModel | None, rule: AbstainParams) -> tuple[bool, float | None]:
    """Is the question in scope, and how likely: the in-scope model's decision and probability,
    or, without a model for this embedder, the threshold rule's decision and no probability."""
    if model is None:
        return bool(confident(x, rule)), None
    p = float(model.probability(x)[0])
    return bool(model.in_scope(x, p)), p


def default_in_scope(path: Path = TUNED_PATH) -> dict[str, InScopeModel]:
    return {
        lang: InScopeModel.from_dict(p["in_scope"]) for lang, p in load_tuned(path).items() if "in_scope" in p
    }


_FIELDS = tuple(AbstainInputs.__dataclass_fields__)


def confident(x: AbstainInputs, params: AbstainParams):
    """False where the resolution probably does not cover the question.

    A named paragraph, a cited article or a defined term ("адам саудасы деген
    не") stands in for the word checks (a bare "128-бап" or "п. 14" has no
    content words to check), never for the
    out-of-scope margin: "what sentence does art. 128 carry?" cites an
    article the resolution discusses and is still refused."""
    dense, off_topic = np.asarray(x.dense), np.asarray(x.off_topic)
    referenced = (
        (np.asarray(x.article) >= ARTICLE_ONLY)
        | np.asarray(x.named, dtype=bool)
        | np.asarray(x.defined, dtype=bool)
    )
    known_words = np.asarray(x.vocabulary) >= params.min_vocabulary
    close = (dense >= params.min_cosine) | (np.asarray(x.coverage) >= params.min_coverage)
    return (dense - off_topic >= params.min_margin) & (referenced | (known_words & close))


REFUSAL_REASONS = (
    "no_paragraph", "no_article", "other_act", "sanction", "limitation", "jurisdiction", "procedure", "aid",
    "about_court", "other_law", "not_covered",
)  # fmt: skip


@dataclass(frozen=True)
class Verdict:
    """What the abstention stage decided: ``reason`` "" (answer) or one of
    ``REFUSAL_REASONS``; ``ref``: the paragraph or article a certain refusal is about; ``act``:
    the resolution an "other_act" refusal is about, as (number, year)."""

    reason: str = ""
    ref: str = ""
    act: tuple[str, str] = ()

    @property
    def refused(self) -> bool:
        return bool(self.reason)


def decide(
    query: Query,
    in_scope: bool,
    paragraph_ids: Collection[str],
    cited_articles: Collection[str],
    known_acts: Collection[tuple[str, str]] = (),
) -> Verdict:
    """The verdict for ``query``: certain refusals first, then intents, then the in-scope rule
    (``in_scope``: what ``confident`` said for the top paragraph). ``known_acts``: the
    resolutions the corpus is or names, as (number, year) (``Engine.known_acts``); a question
    naming another one is about another act."""
    named = set(query.refs.paragraphs)
    acts = sorted(query.refs.acts) if not named & paragraph_ids else []
    if acts and query.refs.other_paragraphs:  # a paragraph of a resolution this one only cites: its text
        return Verdict("other_act", act=acts[0])
    unknown = [a for a in acts if known_acts and not any(same_act(a, known) for known in known_acts)]
    if unknown:
        return Verdict("other_act", act=unknown[0])
    if named and not named & paragraph_ids:
        return Verdict("no_paragraph", sorted(named)[0])
    if query.refs.other_paragraphs and not named:  # "Еңбек шартының 4-тармағы": another document's text
        return Verdict("not_covered")
    articles = set(query.refs.articles)
    if articles and not articles & cited_articles:
        return Verdict("no_article", sorted(articles)[0])
    if query.intent in REFUSAL_REASONS:
        return Verdict(query.intent)
    return Verdict() if in_scope else Verdict("not_covered")
