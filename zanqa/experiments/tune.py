"""Tuning: grid-search the fusion weights and abstention thresholds per
question language on the pairs that are NOT in the test split.

    zanqa tune --pairs eval/pairs.jsonl

Signals are computed once per question; every weight setting is then a cheap
re-ranking. The best setting per language is printed and, with ``--write``,
saved with the dev metrics it gave to ``zanqa/tuned.json``, the file the
engine reads.
"""

from __future__ import annotations

import itertools
import json
import sys
from dataclasses import replace
from pathlib import Path

import numpy as np
from tqdm import tqdm

from zanqa.abstain import AbstainInputs, AbstainParams, confident
from zanqa.config import TUNED_PATH
from zanqa.experiments.metrics import refusal_scores
from zanqa.fusion import FusionParams, fuse
from zanqa.tuned import save_tuned

W_DENSE = (0.0, 0.5, 1.0)
W_DENSE_LANG = (0.0, 0.5, 1.0)
W_BM25 = (0.0, 0.25, 0.5, 1.0, 1.5, 2.0, 3.0)
W_ARTICLE = (0.0, 0.3, 0.6, 1.0)
W_PARAGRAPH = (0.0, 1.0, 2.0, 3.0)
W_AMENDMENT = (0.0, 0.5, 1.0, 2.0)
MAX_FALSE_ABSTAIN = 0.03


def _rank_of_gold(fused: np.ndarray, gold: set[int]) -> int:
    order = np.argsort(-fused, kind="stable")
    for rank, pos in enumerate(order[:10], 1):
        if pos in gold:
            return rank
    return 0


def tune(engine, pairs) -> dict[str, tuple[FusionParams, AbstainParams, dict]]:
    """The best fusion weights and abstention thresholds per language on ``pairs``, with their metrics."""
    positions = {p.id: i for i, p in enumerate(engine.corpus.paragraphs)}
    prepared = []
    for pair in tqdm(pairs, desc="signals", file=sys.stderr, mininterval=2, disable=None):
        query = engine.parse(pair.question)
        tokens, stems = engine.search_words(query, pair.lang)
        sig = engine.signals(query, pair.lang, tokens=tokens)
        # refused by rule (no such paragraph or article, an intent) whatever the thresholds say
        ruled = engine.verdict(query, True).refused
        prepared.append((pair, stems, sig, {positions[p] for p in pair.paragraphs}, ruled))
    best: dict[str, tuple[FusionParams, AbstainParams, dict]] = {}
    for lang in ("kk", "ru"):
        items = [x for x in prepared if x[0].lang == lang]
        answerable = [x for x in items if x[0].answerable]
        base = engine.fusion_for(lang)
        scored = []
        grid = itertools.product(W_DENSE, W_DENSE_LANG, W_BM25, W_ARTICLE, W_PARAGRAPH, W_AMENDMENT)
        for wd, wdl, wb, wa, wp, wm in grid:
            if wd == wdl == 0:
                continue
            params = replace(
                base, w_dense=wd, w_dense_lang=wdl, w_bm25=wb, w_article=wa, w_paragraph=wp, w_amendment=wm
            )
            ranks = [_rank_of_gold(fuse(sig, params), gold) for _, _, sig, gold, _ in answerable]
            hit1 = np.mean([r == 1 for r in ranks])
            mrr = np.mean([1 / r if r else 0 for r in ranks])
            scored.append((hit1 + mrr, hit1, mrr, params))
        # ties: fewer BM25, more weight on a paragraph or an amending resolution the question names
        _, hit1, mrr, params = max(
            scored, key=lambda s: (s[0], -s[3].w_bm25, s[3].w_paragraph, s[3].w_amendment)
        )
        abstain, abstention = _tune_abstention(engine, items, params, engine.abstain_for(lang))
        metrics = {"hit_rate@1": round(float(hit1), 4), "mrr@10": round(float(mrr), 4), **abstention}
        best[lang] = (params, abstain, metrics)
    return best


def _tune_abstention(engine, items, params: FusionParams, base: AbstainParams) -> tuple[AbstainParams, dict]:
    """Thresholds that maximize abstention F1 with at most MAX_FALSE_ABSTAIN false refusals,
    scored on the verdict the answer stage gives (``Engine.verdict``: the rules refuse first)."""
    rows = [  # the top paragraph's evidence per question, built as the search builds it
        engine.abstain_inputs(sig, int(np.argmax(fuse(sig, params))), stems) for _, stems, sig, _, _ in items
    ]
    ruled = np.array([r for *_, r in items], dtype=bool)
    signals = AbstainInputs(
        *(np.array([getattr(r, name) for r in rows]) for name in AbstainInputs.__dataclass_fields__)
    )
    unanswerable = np.array([not pair.answerable for pair, *_ in items])
    margins = np.arange(-0.15, 0.061, 0.01) if (signals.off_topic > -1).any() else (-1.0,)
    best = (-1.0, -1.0, base, {})
    grid = itertools.product(
        np.arange(0.0, 0.81, 0.1), np.arange(0.78, 0.93, 0.0025), np.arange(0.0, 1.01, 0.05), margins
    )
    for min_voc, min_cos, min_cov, min_margin in grid:
        trial = replace(
            base,
            min_cosine=round(float(min_cos), 4),
            min_coverage=round(float(min_cov), 2),
            min_vocabulary=round(float(min_voc), 2),
            min_margin=round(float(min_margin), 3),
        )
        f1, false_abstain = refusal_scores(ruled | ~confident(signals, trial), unanswerable)
        if false_abstain > MAX_FALSE_ABSTAIN:
            continue
        # among settings of equal F1, the strictest (every threshold as high as it can be):
        # a wrong answer costs a lawyer more than a refusal
        strictness = min_voc / 0.8 + (min_cos - 0.78) / 0.15 + min_cov + (min_margin + 0.15) / 0.21
        if (f1, strictness) > best[:2]:
            stats = {"abstain_f1": round(f1, 4), "false_abstain_rate": round(false_abstain, 4)}
            best = (f1, strictness, trial, stats)
    return best[2], best[3]


def write_tuned(
    best: dict[str, tuple[FusionParams, AbstainParams, dict]], pairs_files: list[str], path: Path = TUNED_PATH
) -> None:
    """Save the tuned parameters with the dev metrics they gave: the file the engine reads."""
    data = {
        "note": "Tuned on the dev split (split != 'test') by `zanqa tune --write`; docs/tuning.md. "
        "The engine reads this file; edit it only through zanqa tune.",
        "pairs": pairs_files,
        "languages": {
            lang: {"fusion": fusion.to_dict(), "abstain": abstain.to_dict(), "dev_metrics": metrics}
            for lang, (fusion, abstain, metrics) in best.items()
        },
    }
    save_tuned(data, path)


def write_in_scope(models: dict, pairs_files: list[str], path: Path = TUNED_PATH) -> None:
    """Save the in-scope models into tuned.json beside the fusion weights, which stay as they are."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    for lang, (model, metrics) in models.items():
        entry = data["languages"].setdefault(lang, {})
        entry["in_scope"] = model.to_dict()
        entry.setdefault("dev_metrics", {})["in_scope"] = metrics
    data["in_scope_pairs"] = pairs_files
    save_tuned(data, path)


def run_tune(engine, pairs_files: list[str], write: bool = False, in_scope: bool = False) -> dict:
    """``zanqa tune``: tune on the non-test pairs of ``pairs_files``; print, and save with ``write``.
    ``in_scope``: fit only the in-scope model (``zanqa.experiments.inscope``)."""
    from zanqa.experiments.pairs import load_pairs

    pairs = [p for f in pairs_files for p in load_pairs(f, set(engine.corpus.ids)) if p.split != "test"]
    print(f"tuning on {len(pairs)} pairs (split != 'test')")
    if in_scope:
        from zanqa.experiments.inscope import tune_in_scope

        by_file = {
            f: [p for p in load_pairs(f, set(engine.corpus.ids)) if p.split != "test"] for f in pairs_files
        }
        models = tune_in_scope(engine, by_file)
        for lang, (model, metrics) in models.items():
            print(f"{lang}: {metrics}\n    {model}")
        if write:
            write_in_scope(models, pairs_files)
            print(f"wrote {TUNED_PATH}")
        return models
    best = tune(engine, pairs)
    for lang, (fusion, abstain, metrics) in best.items():
        print(f"{lang}: {metrics}\n    {fusion}\n    {abstain}")
    if write:
        write_tuned(best, pairs_files)
        print(f"wrote {TUNED_PATH}")
    return best
