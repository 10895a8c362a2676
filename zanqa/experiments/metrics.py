"""IR metrics (ranx), abstention scores and the JSON summary of DESIGN.md,
over the results of one retriever on a pairs file."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from zanqa.experiments.pairs import Pair

METRICS = ("hit_rate@1", "hit_rate@3", "hit_rate@5", "recall@5", "mrr@10", "ndcg@10")
DEPTH = 10


@dataclass
class QuestionResult:
    pair: Pair
    ranked: list[str]
    abstained: bool
    first_sentence_paragraph: str | None = None
    reason: str = ""  # the answer's refusal reason code ("" when it answered)


def ranking_metrics(results: list[QuestionResult]) -> dict:
    """ranx metrics over the answerable questions among ``results``, plus "n"."""
    from ranx import Qrels, Run, evaluate

    answerable = [r for r in results if r.pair.answerable]
    if not answerable:
        return {**{m: 0.0 for m in METRICS}, "n": 0}
    qrels = Qrels({r.pair.id: {p: 1 for p in r.pair.paragraphs} for r in answerable})
    # ranks → strictly decreasing scores; an empty ranking gets a sentinel that matches nothing
    run = Run(
        {
            r.pair.id: ({p: float(DEPTH - i) for i, p in enumerate(r.ranked)} or {"__none__": 0.0})
            for r in answerable
        }
    )
    scores = evaluate(qrels, run, list(METRICS), make_comparable=True)
    out = {m: round(float(scores[m]), 4) for m in METRICS}
    out["n"] = len(answerable)
    return out


def abstention_metrics(results: list[QuestionResult]) -> dict:
    tp = sum(r.abstained and not r.pair.answerable for r in results)
    fp = sum(r.abstained and r.pair.answerable for r in results)
    fn = sum(not r.abstained and not r.pair.answerable for r in results)
    n_answerable = sum(r.pair.answerable for r in results)
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "f1": round(f1, 4),
        "false_abstain_rate": round(fp / n_answerable, 4) if n_answerable else 0.0,
    }


def refusal_scores(refused: np.ndarray, unanswerable: np.ndarray) -> tuple[float, float]:
    """Abstention F1 and false-abstain rate of boolean arrays (one entry per question), for the
    tuners' grids; ``abstention_metrics`` gives the same figures for evaluated results."""
    tp = int((refused & unanswerable).sum())
    fp = int((refused & ~unanswerable).sum())
    fn = int((~refused & unanswerable).sum())
    f1 = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
    return f1, fp / max(int((~unanswerable).sum()), 1)


def first_sentence_rate(results: list[QuestionResult]) -> float:
    """Share of answerable questions whose extractive answer opens with a gold paragraph's sentence."""
    answerable = [r for r in results if r.pair.answerable]
    if not answerable:
        return 0.0
    return round(
        sum(r.first_sentence_paragraph in r.pair.paragraphs for r in answerable) / len(answerable), 4
    )


def summarize(results: list[QuestionResult], retriever: str, pairs_file: str) -> dict:
    """The JSON contract of DESIGN.md."""
    return {
        "retriever": retriever,
        "pairs_file": pairs_file,
        "n_questions": len(results),
        "metrics": {
            "all": ranking_metrics(results),
            "kk": ranking_metrics([r for r in results if r.pair.lang == "kk"]),
            "ru": ranking_metrics([r for r in results if r.pair.lang == "ru"]),
        },
        "abstention": abstention_metrics(results),
    }
