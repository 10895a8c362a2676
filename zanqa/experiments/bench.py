"""The benchmark: latency, throughput, build/load time and memory, measured
with warm-up and repeats, reported as min / median / p95 / p99.

    zanqa bench [--json OUT] [--repeat N]
    zanqa bench --scale N [N ...] [--scale-also TYPE ...] [--json OUT]   (synthetic corpora: zanqa/scale.py)

Every figure comes from the same engine the app uses; the naive LangChain
baseline is timed in the same run on the same questions.
"""

from __future__ import annotations

import argparse
import json
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from tqdm import tqdm

from zanqa.config import ROOT
from zanqa.experiments.output import write_json
from zanqa.experiments.timing import stats_ms


def _timed(fns: dict, items, warmup: int, repeat: int) -> dict[str, list[float]]:
    """Seconds per call of each of ``fns`` on each item, interleaved: every
    item goes through all of them (in an order that rotates from item to
    item) before the next, so drift in the machine's speed during the run
    falls on all measures alike and their ratios compare like with like."""
    names = list(fns)
    for item in items[:warmup]:
        for name in names:
            fns[name](item)
    samples: dict[str, list[float]] = {name: [] for name in names}
    calls = [item for _ in range(repeat) for item in items]
    for turn, item in enumerate(
        tqdm(calls, desc="timing", unit="q", file=sys.stderr, leave=False, disable=None)
    ):
        for k in range(len(names)):
            name = names[(turn + k) % len(names)]
            t0 = time.perf_counter()
            fns[name](item)
            samples[name].append(time.perf_counter() - t0)
    return samples


# The child's own peak (VmHWM, kB): getrusage's ru_maxrss survives exec on Linux, so it
# reported at least the benchmarking parent's size (365 MB where the child alone peaks at 285).
_RSS_PROBE = r"""
import json, sys
from zanqa.engine import Engine
from zanqa.answer import answer
engine = Engine.load(sys.argv[1])
for q in json.loads(sys.argv[2]):
    answer(engine, q, log=False)
with open("/proc/self/status") as fh:
    print(next(line.split()[1] for line in fh if line.startswith("VmHWM:")))
"""


def peak_rss_mb(index_dir: Path, questions: list[str]) -> float:
    """Peak resident memory of a fresh process that loads the engine and answers."""
    out = subprocess.run(
        [sys.executable, "-c", _RSS_PROBE, str(index_dir), json.dumps(questions, ensure_ascii=False)],
        check=True,
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    return round(int(out.stdout.strip().splitlines()[-1]) / 1024.0, 1)


def run_bench(
    questions: list[str],
    repeat: int = 3,
    warmup: int = 10,
    embedder_spec: str | None = None,
    corpus=None,
    embedder=None,
) -> dict:
    """Every figure of ``zanqa bench``. ``corpus`` and ``embedder`` default to the
    shipped corpus and ``embedder_spec``; peak RSS is measured (in a fresh process
    on the default corpus) only for the default corpus."""
    from zanqa.answer import answer
    from zanqa.corpus import load_corpus
    from zanqa.embed import get_embedder
    from zanqa.engine import Engine
    from zanqa.experiments.baselines import NaiveLangChain
    from zanqa.index import build_index

    measure_rss = corpus is None
    corpus = corpus or load_corpus()
    embedder = embedder or get_embedder(embedder_spec)
    result: dict = {
        "machine": {"python": platform.python_version(), "cpus": __import__("os").cpu_count()},
        "embedder": embedder.model_id,
        "n_questions": len(questions),
        "repeat": repeat,
    }
    with tempfile.TemporaryDirectory(prefix="zanqa-bench-") as tmp:
        index_dir = Path(tmp) / "index"
        t0 = time.perf_counter()
        index = build_index(corpus, embedder, index_dir)
        result["build_s"] = round(time.perf_counter() - t0, 3)
        result["n_chunks"] = index.manifest["n_chunks"]
        result["passage_throughput_chunks_per_s"] = round(index.manifest["n_chunks"] / result["build_s"], 2)

        load_samples = []
        for _ in range(5):
            t0 = time.perf_counter()
            engine = Engine.load(index_dir, embedder=embedder, corpus=corpus)
            load_samples.append(time.perf_counter() - t0)
        result["load"] = stats_ms(load_samples)

        naive = NaiveLangChain(corpus, embedder)
        samples = _timed(
            {
                "query_embedding": lambda q: embedder.embed_queries([q]),
                "search": engine.search,
                "ask": lambda q: answer(engine, q),
                "naive_ask": naive.rank,
            },
            questions,
            warmup,
            repeat,
        )
        for name, times in samples.items():
            result[name] = stats_ms(times)
        result["ask_vs_naive_median_ratio"] = round(
            result["ask"]["median"] / result["naive_ask"]["median"], 3
        )
        # the same question, timed back to back: ZanQA minus the naive baseline
        paired = np.subtract(samples["ask"], samples["naive_ask"]) * 1000.0
        result["ask_minus_naive_ms"] = {
            "median": round(float(np.median(paired)), 3),
            "share_of_questions_zanqa_faster": round(float(np.mean(paired < 0)), 3),
        }
        result["peak_rss_mb"] = peak_rss_mb(index_dir, questions[:50]) if measure_rss else None
    return result


def format_bench(r: dict) -> str:
    rows = [
        ("ask (question → ranked paragraphs + extractive answer)", r["ask"]),
        ("search only", r["search"]),
    ]
    rows += [
        ("query embedding", r["query_embedding"]),
        ("naive LangChain ask", r["naive_ask"]),
        ("index load", r["load"]),
    ]
    lines = ["| measure | n | min ms | median ms | p95 ms | p99 ms |", "|---|---|---|---|---|---|"]
    for name, s in rows:
        lines.append(f"| {name} | {s['n']} | {s['min']} | {s['median']} | {s['p95']} | {s['p99']} |")
    lines.append("")
    lines.append(
        f"index build {r['build_s']} s for {r['n_chunks']} chunks "
        f"({r['passage_throughput_chunks_per_s']} chunks/s); peak RSS of an answering process "
        f"{r['peak_rss_mb']} MB; ask/naive median ratio {r['ask_vs_naive_median_ratio']}; "
        f"per question, ask minus naive: median {r['ask_minus_naive_ms']['median']} ms "
        f"(ZanQA faster on {r['ask_minus_naive_ms']['share_of_questions_zanqa_faster']:.0%})"
    )
    return "\n".join(lines)


def cmd_bench(args: argparse.Namespace) -> int:
    """``zanqa bench``: time ask, search and the naive baseline."""
    from zanqa.experiments.pairs import load_pairs

    questions = [p.question for p in load_pairs(args.pairs)]
    result = run_bench(questions, repeat=args.repeat, embedder_spec=args.embedder)
    print(format_bench(result))
    if args.json_out:
        write_json(args.json_out, result)
    return 0
