"""The measurement behind "Why `ask` stays a little slower than the naive
baseline" in docs/performance.md: a lexical-first cascade that would skip the
query embedding when BM25 and the reference signals alone are decisive.

    .venv/bin/python docs/cascade_analysis.py   # about a minute, index/ built

Gates are chosen on the dev split only (the widest gate with no dev error);
the test split is used to judge the rejected design, not to choose it.
Latencies are estimated from measured parts, per question: the real query
embedding, ZanQA's work after it and the naive baseline's work after it.
"""

import dataclasses
import json
import time

import numpy as np

from zanqa.answer import answer
from zanqa.engine import _share_found, content_stems, shared_engine
from zanqa.experiments.baselines import NaiveLangChain
from zanqa.experiments.pairs import load_pairs
from zanqa.fusion import fuse
from zanqa.text import normalize

LEADS = (0.2, 0.3, 0.4, 0.5, 0.6, 0.8, 1.0)
COVERAGES = (0.0, 0.5, 0.7)


def ms(f, x) -> float:
    t0 = time.perf_counter()
    f(x)
    return (time.perf_counter() - t0) * 1e3


def main() -> None:
    engine = shared_engine()
    pairs = load_pairs("eval/pairs.jsonl")
    rows = []
    for pair in pairs:
        q = engine.parse(pair.question)
        params = engine.fusion_for(pair.lang)
        tokens = engine.query_tokens(q, pair.lang)
        sig = engine.signals(q, pair.lang, "hybrid", tokens)
        lexical = fuse(sig, dataclasses.replace(params, w_dense=0.0, w_dense_lang=0.0))
        first, second = np.argsort(-lexical, kind="stable")[:2]
        result = engine.search(q, lang=pair.lang)
        rows.append(
            {
                "pair": pair,
                "lead": float(lexical[first] - lexical[second]),
                "coverage": _share_found(content_stems(tokens), engine._stems[first]),
                "lexical_top": engine.corpus.paragraphs[first].id,
                "same": result.confident
                and result.hits[0].paragraph_id == engine.corpus.paragraphs[first].id,
            }
        )

    def passes(row, gate):
        return row["lead"] >= gate[0] and row["coverage"] >= gate[1]

    def error(row):  # a skipped question answered differently, or answered though unanswerable
        return not row["pair"].paragraphs or not row["same"]

    gates = {}
    for lang in ("kk", "ru"):
        dev = [r for r in rows if r["pair"].lang == lang and r["pair"].split != "test"]
        safe = [
            g
            for g in ((a, c) for a in LEADS for c in COVERAGES)
            if not any(error(r) for r in dev if passes(r, g))
        ]
        gates[lang] = max(safe, key=lambda g: sum(passes(r, g) for r in dev))
    skip = np.array([passes(r, gates[r["pair"].lang]) for r in rows])
    print("gates (lead, coverage), chosen on dev:", gates)
    for split in ("dev", "test"):
        for lang in ("kk", "ru"):
            sel = [
                i
                for i, r in enumerate(rows)
                if r["pair"].lang == lang and (r["pair"].split == "test") == (split == "test")
            ]
            print(f"{split} {lang}: skipped {skip[sel].mean():.3f} of {len(sel)}")
    for r, s in zip(rows, skip, strict=True):
        if s and error(r):
            print("  would change the engine's verdict:", r["pair"].id, r["pair"].split, r["pair"].question)

    naive = NaiveLangChain(engine.corpus, engine.embedder)
    questions = [normalize(p.question) for p in pairs]
    vectors = {q: engine.embedder.embed_queries([q]) for q in questions}
    embed, real = [], engine.embedder.embed_queries
    for q in questions:
        embed.append(ms(real, [q]))
    # the parts after the embedding (the naive store embeds through the same embedder)
    engine.embedder.embed_queries = lambda texts: vectors[texts[0]]
    own = np.array([ms(lambda x: answer(engine, x), q) for q in questions])
    naive_part = np.array([ms(naive.rank, q) for q in questions])
    engine.embedder.embed_queries = real
    embed = np.array(embed)
    zanqa, baseline = embed + own, embed + naive_part
    cascade = np.where(skip, own, zanqa)  # a skipped question: ZanQA's own part, at most
    print(
        f"medians ms: embedding {np.median(embed):.2f}, ZanQA's own part {np.median(own):.2f}, naive's {np.median(naive_part):.2f}"
    )
    print(
        f"ask median ms: naive {np.median(baseline):.2f}, ZanQA {np.median(zanqa):.2f}, cascade {np.median(cascade):.2f}"
    )
    print(json.dumps({"skip_share": round(float(skip.mean()), 3)}))


if __name__ == "__main__":
    main()
