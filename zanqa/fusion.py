"""The fusion stage: per-paragraph signals → one score per paragraph.

The signals (``Signals``) are computed by the engine; the weights
(``FusionParams``) are data, tuned on the dev split by ``zanqa tune --write``
into ``zanqa/tuned.json`` (``zanqa.tuned``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from zanqa.config import TUNED_PATH
from zanqa.tuned import TunedParams, load_tuned


@dataclass(frozen=True)
class FusionParams(TunedParams):
    """How the signals combine for one question language."""

    w_dense: float = 1.0  # best cosine over chunks of both languages
    w_dense_lang: float = 0.0  # best cosine over chunks in the question's language
    w_bm25: float = 0.5
    w_article: float = 0.3
    w_paragraph: float = 2.0  # the question names the paragraph ("7-тармақ", "п. 14")
    w_amendment: float = 0.0  # the question names a resolution that amended the paragraph
    w_definition: float = 0.0  # a definition question's subject is a term the paragraph defines
    dense_scale: float = 0.05  # cosine gaps of ~0.05 are large for e5: the unit of the dense terms
    dense_pool: int = 200  # chunks taken from FAISS before aggregating per paragraph


def default_fusion(path: Path = TUNED_PATH) -> dict[str, FusionParams]:
    return {lang: FusionParams.from_dict(p["fusion"]) for lang, p in load_tuned(path).items()}


@dataclass
class Signals:
    """Per-paragraph evidence for one question, in corpus order."""

    lang: str
    dense: np.ndarray | None
    dense_lang: np.ndarray | None
    bm25: np.ndarray | None  # scaled so the best paragraph has 1
    articles: np.ndarray
    named: np.ndarray  # 1 where the question names the paragraph by its number
    off_topic: float = -1.0  # best cosine to a known out-of-scope question
    dense_chunks: np.ndarray | None = None  # per chunk: cosine (NaN outside the dense pool)
    bm25_chunks: np.ndarray | None = None  # per chunk: BM25 score (0: no query token)
    amendments: np.ndarray | None = None  # 0..1 match of the amending resolutions the question names
    definition: np.ndarray | None = None  # 1 at the paragraphs defining the question's subject best
    answering: np.ndarray | None = None  # 1 at the paragraph whose rule an answered intent asks for


def fuse(sig: Signals, params: FusionParams, retriever: str = "hybrid") -> np.ndarray:
    """One score per paragraph from the signals."""
    if retriever == "dense":
        return sig.dense.astype(np.float64)
    if retriever == "bm25":
        return sig.bm25.astype(np.float64) + 1e-6 * sig.articles
    fused = params.w_bm25 * sig.bm25.astype(np.float64) + params.w_article * sig.articles
    fused += params.w_paragraph * sig.named
    if params.w_amendment and sig.amendments is not None:
        fused += params.w_amendment * sig.amendments
    if params.w_definition and sig.definition is not None:
        fused += params.w_definition * sig.definition
    if params.w_definition and sig.answering is not None:  # the same weight: the act's own answer
        fused += params.w_definition * sig.answering
    fused += params.w_dense * (sig.dense - sig.dense.max()) / params.dense_scale
    if params.w_dense_lang:
        fused += params.w_dense_lang * (sig.dense_lang - sig.dense_lang.max()) / params.dense_scale
    return fused


def top_k(scores: np.ndarray, k: int) -> np.ndarray:
    """Positions of the ``k`` highest scores, best first, ties in position
    order: what ``np.argsort(-scores, kind="stable")[:k]`` gives, in time
    linear in the number of scores."""
    if k >= len(scores):
        return np.argsort(-scores, kind="stable")[:k]
    if k <= 0:
        return np.zeros(0, dtype=np.int64)
    kth = np.partition(-scores, k - 1)[k - 1]
    candidates = np.flatnonzero(-scores <= kth)  # in position order, ties at the k-th score included
    return candidates[np.argsort(-scores[candidates], kind="stable")][:k]
