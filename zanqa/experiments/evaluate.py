"""The evaluation: question-paragraph pairs → IR metrics, abstention scores
and an optional Markdown report with a chart.

Retrievers: "hybrid" (the engine; its abstention verdict is what ``answer``
says), "dense" and "bm25" (the engine's single signals) and "naive" (the
LangChain recipe of ``zanqa.experiments.baselines``).
"""

from __future__ import annotations

import sys
import time
from collections import Counter
from pathlib import Path

from tqdm import tqdm

from zanqa.errors import UsageError
from zanqa.experiments.baselines import NaiveLangChain
from zanqa.experiments.metrics import DEPTH, QuestionResult, first_sentence_rate, summarize
from zanqa.experiments.output import write_json
from zanqa.experiments.pairs import Pair, PairsError, load_pairs
from zanqa.experiments.report import format_table, split_table, write_report

RETRIEVER_CHOICES = ("hybrid", "dense", "bm25", "naive")


def run_retriever(
    engine, pairs: list[Pair], retriever: str, naive: NaiveLangChain | None = None
) -> list[QuestionResult]:
    """Rank paragraphs for every pair; for "hybrid" also take ``answer``'s abstention and first sentence."""
    from zanqa.answer import answer

    results = []
    for pair in tqdm(pairs, desc=f"eval {retriever}", unit="q", file=sys.stderr, mininterval=2, disable=None):
        if retriever == "hybrid":
            ans = answer(engine, pair.question, k=DEPTH, log=False)
            ranked = [h.paragraph_id for h in ans.hits]
            first = ans.citations[0].paragraph_id if ans.citations else None
            results.append(QuestionResult(pair, ranked, ans.abstained, first, ans.reason))
        elif retriever == "naive":
            results.append(QuestionResult(pair, naive.rank(pair.question), False))
        else:
            res = engine.search(pair.question, k=DEPTH, retriever=retriever)
            results.append(QuestionResult(pair, [h.paragraph_id for h in res.hits], False))
    return results


def run_eval(
    engine,
    pairs_path: str | Path,
    retriever: str = "hybrid",
    split: str | None = None,
    json_out: str | Path | None = None,
    report_dir: str | Path | None = None,
    command: str = "zanqa eval",
) -> dict:
    """Evaluate ``retriever`` (and, with ``report_dir``, every retriever) on a
    pairs file; print the tables; return the JSON summary of DESIGN.md."""
    if retriever not in RETRIEVER_CHOICES:
        raise UsageError(f"unknown retriever {retriever!r}: choose one of {', '.join(RETRIEVER_CHOICES)}")
    pairs = load_pairs(pairs_path, set(engine.corpus.ids))
    if split:
        pairs = [p for p in pairs if p.split == split]
        if not pairs:
            raise PairsError(f"{pairs_path}: no pairs with split {split!r}")
    names = list(RETRIEVER_CHOICES) if report_dir else [retriever]
    if retriever in names:
        names.remove(retriever)
    names.insert(0, retriever)
    naive = NaiveLangChain(engine.corpus, engine.embedder) if "naive" in names else None
    summaries, results = {}, {}
    started = time.time()
    for name in names:
        results[name] = run_retriever(engine, pairs, name, naive)
        summaries[name] = summarize(results[name], name, str(pairs_path))
    summary = summaries[retriever]
    print(format_table(summaries))
    ab = summary["abstention"]
    print(
        f"\nabstention ({retriever}): precision {ab['precision']:.3f} recall {ab['recall']:.3f} "
        f"f1 {ab['f1']:.3f} false_abstain_rate {ab['false_abstain_rate']:.3f}"
    )
    if "hybrid" in results:
        print("\n" + split_table(results["hybrid"]) + "\n")
        print(f"first answer sentence from a gold paragraph: {first_sentence_rate(results['hybrid']):.3f}")
    counts = Counter(p.lang for p in pairs)
    print(f"{len(pairs)} questions ({dict(counts)}) in {time.time() - started:.1f} s")
    if json_out:
        write_json(json_out, summary)
    if report_dir:
        path = write_report(Path(report_dir), summaries, results, command)
        print(f"report: {path}")
    return summary
