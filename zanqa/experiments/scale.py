"""The scale benchmark: what the engine's indexes cost at corpus sizes far
beyond one resolution, on synthetic corpora.

    zanqa bench --scale 10000 100000 1000000 [--scale-also ivfpq] [--json OUT]

For each size N the FAISS index is built by ``zanqa.index.make_faiss_index``
with the type ``zanqa.index.choose_index_type(N)`` picks, and the BM25
indexes by ``zanqa.index.make_bm25``, so the figures are those of the engine
at that size. Exact (flat) search is always measured too: it is the ground
truth for recall@10 of the approximate types. Each size runs in a fresh
process so its peak RSS is its own.

Synthetic vectors (see docs/scaling.md) are not uniform noise, on which ANN
recall means nothing: they follow the real chunk embeddings. The mean and
principal directions come from the built index's vectors (``dense.faiss``);
the variance spectrum is the real one for the leading components and a
power-law fit beyond them. Vectors are drawn around topic centres (a
Gaussian mixture in that shape) and L2-normalized; queries are held-out
points perturbed further, as real questions sit further from their best chunk
than chunks sit from each other. The constants below were calibrated on the
real index.

Synthetic BM25 documents are words drawn from the corpus's own Kazakh and
Russian vocabulary with its word frequencies, with the real chunks' lengths;
the BM25 queries are the evaluation questions.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import faiss
import numpy as np
from tqdm import tqdm

from zanqa.config import ROOT, default_index_dir
from zanqa.errors import UsageError
from zanqa.experiments.output import write_json
from zanqa.experiments.timing import stats_ms

DIM = 384  # the default embedder's (multilingual-e5-small)
K = 10  # recall@K against exact search
N_QUERIES = 200
EF_SEARCH_SWEEP = (64, 128, 256, 512, 1024)  # HNSW query-time settings measured on the same graph
WARMUP = 10
INDEX_TYPES = ("flat", "hnsw", "ivfpq")
SEED = 0

# The synthetic vector distribution, calibrated on the real index (218 chunks):
REAL_COMPONENTS = 64  # leading principal directions taken as they are; a power law beyond
CHUNKS_PER_TOPIC = 8  # the real corpus has ~8 chunks per paragraph
WITHIN_TOPIC_SHARE = 0.3  # of the variance: gives nearest-chunk cosine 0.96 at 218 chunks, as real
QUERY_NOISE = 1.4  # gives question→best-chunk cosine 0.85 at 218 chunks (real: 0.86)
# Used only when no real index is at hand: the real vectors' figures.
FALLBACK_MEAN_SQ = 0.83  # squared norm of the mean vector (= mean pairwise cosine)
FALLBACK_SLOPE = -1.16  # variance spectrum power law
TOKENIZE_SAMPLE = 20_000  # documents whose tokenization is timed; linear beyond
BLOCK = 65_536


# ----------------------------------------------------------------- vectors


@dataclass(frozen=True)
class VectorModel:
    """A Gaussian in the shape of the real embeddings: x = mean + (z * sd) @ basis."""

    mean: np.ndarray  # (dim,)
    sd: np.ndarray  # (dim,) standard deviation along each basis row
    basis: np.ndarray  # (dim, dim) orthonormal rows, the leading ones the real principal directions
    source: str

    def describe(self) -> dict:
        var = self.sd.astype(np.float64) ** 2
        return {
            "source": self.source,
            "dim": int(self.mean.size),
            "mean_norm": round(float(np.linalg.norm(self.mean)), 4),
            "total_variance": round(float(var.sum()), 4),
            "participation_ratio": round(float(var.sum() ** 2 / (var**2).sum()), 2),
            "real_components": REAL_COMPONENTS,
            "chunks_per_topic": CHUNKS_PER_TOPIC,
            "within_topic_share": WITHIN_TOPIC_SHARE,
            "query_noise": QUERY_NOISE,
        }


def reference_vectors(index_dir: Path) -> np.ndarray | None:
    """The real chunk vectors of a built index, or None if there is none of dimension ``DIM``."""
    path = Path(index_dir) / "dense.faiss"
    if not path.exists():
        return None
    index = faiss.read_index(str(path))
    if index.d != DIM or index.ntotal < 2 * REAL_COMPONENTS:
        return None
    return index.reconstruct_n(0, index.ntotal)


def fit_vector_model(reference: np.ndarray | None, dim: int = DIM, seed: int = SEED) -> VectorModel:
    """The synthetic distribution: from ``reference`` (real vectors, rows) when
    given, else from the real index's figures recorded above."""
    rng = np.random.default_rng(seed)
    if reference is not None:
        reference = np.asarray(reference, dtype=np.float64)
        mean = reference.mean(axis=0)
        _, s, vt = np.linalg.svd(reference - mean, full_matrices=False)
        variance = s**2 / (len(reference) - 1)
        k = REAL_COMPONENTS
        # the tail of a ~200-point sample spectrum collapses to zero; continue the power law instead
        ranks = np.arange(8, k)
        slope, intercept = np.polyfit(np.log(ranks + 1), np.log(variance[ranks]), 1)
        spectrum = np.concatenate([variance[:k], np.exp(intercept) * np.arange(k + 1, dim + 1) ** slope])
        spectrum *= variance.sum() / spectrum.sum()
        head = vt[:k]
        source = f"{len(reference)} real chunk vectors"
    else:
        mean = rng.standard_normal(dim)
        mean *= np.sqrt(FALLBACK_MEAN_SQ) / np.linalg.norm(mean)
        spectrum = np.arange(1, dim + 1, dtype=np.float64) ** FALLBACK_SLOPE
        spectrum *= (1.0 - FALLBACK_MEAN_SQ) / spectrum.sum()
        head = np.zeros((0, dim))
        source = "fallback power-law spectrum (no real index)"
    seeds = rng.standard_normal((dim, dim))
    seeds[: len(head)] = head
    q, _ = np.linalg.qr(seeds.T)  # first columns span the real directions, the rest complete them
    return VectorModel(
        mean=mean.astype(np.float32),
        sd=np.sqrt(spectrum).astype(np.float32),
        basis=np.ascontiguousarray(q.T, dtype=np.float32),
        source=source,
    )


def _normalize_rows(x: np.ndarray) -> np.ndarray:
    x /= np.linalg.norm(x, axis=1, keepdims=True)
    return x


def synthetic_vectors(
    model: VectorModel, n: int, n_queries: int = N_QUERIES, seed: int = SEED, progress: bool = True
) -> tuple[np.ndarray, np.ndarray]:
    """``n`` corpus vectors around ``n / CHUNKS_PER_TOPIC`` topic centres, and
    ``n_queries`` queries: held-out points of the same mixture, perturbed."""
    rng = np.random.default_rng(seed)
    shape = model.sd[:, None] * model.basis  # z @ shape has the model's covariance
    dim = model.mean.size
    n_topics = max(1, -(-n // CHUNKS_PER_TOPIC))
    centres = np.empty((n_topics, dim), dtype=np.float32)
    for start in range(0, n_topics, BLOCK):
        z = rng.standard_normal((min(BLOCK, n_topics - start), dim), dtype=np.float32)
        centres[start : start + len(z)] = model.mean + np.sqrt(1.0 - WITHIN_TOPIC_SHARE) * (z @ shape)

    def around_centres(out: np.ndarray, desc: str | None) -> np.ndarray:
        for start in tqdm(
            range(0, len(out), BLOCK),
            desc=desc,
            unit="block",
            file=sys.stderr,
            disable=True if desc is None else None,
        ):
            m = min(BLOCK, len(out) - start)
            z = rng.standard_normal((m, dim), dtype=np.float32)
            topic = rng.integers(0, n_topics, m)
            out[start : start + m] = centres[topic] + np.sqrt(WITHIN_TOPIC_SHARE) * (z @ shape)
            _normalize_rows(out[start : start + m])
        return out

    base = around_centres(np.empty((n, dim), dtype=np.float32), f"{n:,} vectors" if progress else None)
    queries = around_centres(np.empty((n_queries, dim), dtype=np.float32), None)
    queries += QUERY_NOISE * (rng.standard_normal(queries.shape, dtype=np.float32) @ shape)
    return base, _normalize_rows(queries)


def recall_at_k(
    queries: np.ndarray, base: np.ndarray, found: np.ndarray, kth_exact: np.ndarray, k: int = K
) -> float:
    """Mean share of the ``k`` ids found per query that belong to the exact top
    ``k``: an id counts when its exact score reaches the k-th exact score
    (within 1e-5, so ties and float rounding do not count as misses)."""
    hits = 0
    for q, ids, kth in zip(queries, found[:, :k], kth_exact, strict=True):
        ids = ids[ids >= 0]
        hits += min(k, int((base[ids] @ q >= kth - 1e-5).sum()))
    return hits / (k * len(queries))


# ----------------------------------------------------------------- text


@dataclass(frozen=True)
class TextModel:
    """Per language: the corpus's words, each word's BM25 token, its frequency,
    and the word counts of the real chunks."""

    words: dict[str, np.ndarray]
    tokens: dict[str, np.ndarray]
    probs: dict[str, np.ndarray]
    lengths: dict[str, np.ndarray]

    def describe(self) -> dict:
        return {
            lang: {
                "vocabulary_words": int(self.words[lang].size),
                "distinct_tokens": len(set(self.tokens[lang].tolist())),
                "median_chunk_words": float(np.median(self.lengths[lang])),
            }
            for lang in self.words
        }


def fit_text_model(corpus=None) -> TextModel:
    """Word frequencies of the resolution's Kazakh and Russian texts, and its chunk lengths."""
    from collections import Counter

    from zanqa.chunk import LANGS, make_chunks
    from zanqa.corpus import load_corpus
    from zanqa.text import tokenize, words

    corpus = corpus or load_corpus()
    chunks = [c for c in make_chunks(corpus) if c.kind in ("paragraph", "window")]
    model = TextModel({}, {}, {}, {})
    for lang in LANGS:
        counts = Counter(w for p in corpus.paragraphs for w in words(getattr(p, lang)))
        # a letters-only word is exactly one token; the check keeps that an invariant
        vocab = [(w, c, tokenize(w, lang)) for w, c in counts.items()]
        vocab = [(w, c, t[0]) for w, c, t in vocab if len(t) == 1]
        freq = np.array([c for _, c, _ in vocab], dtype=np.float64)
        model.words[lang] = np.array([w for w, _, _ in vocab], dtype=object)
        model.tokens[lang] = np.array([t for _, _, t in vocab], dtype=object)
        model.probs[lang] = freq / freq.sum()
        model.lengths[lang] = np.array([max(1, len(words(c.text))) for c in chunks if c.lang == lang])
    return model


def _sample_docs(model: TextModel, lang: str, n: int, rng: np.random.Generator):
    lengths = rng.choice(model.lengths[lang], n)
    ids = rng.choice(model.probs[lang].size, int(lengths.sum()), p=model.probs[lang])
    ends = np.cumsum(lengths)
    return ids, (ends - lengths).tolist(), ends.tolist()


def synthetic_token_docs(model: TextModel, lang: str, n: int, rng: np.random.Generator) -> list[list[str]]:
    """``n`` documents as BM25 token lists, as ``tokenize`` gives them for the joined words."""
    ids, starts, ends = _sample_docs(model, lang, n, rng)
    flat = model.tokens[lang][ids].tolist()
    return [flat[a:b] for a, b in zip(starts, ends, strict=True)]


def synthetic_texts(model: TextModel, lang: str, n: int, rng: np.random.Generator) -> list[str]:
    """``n`` documents as text (to time the tokenizer on)."""
    ids, starts, ends = _sample_docs(model, lang, n, rng)
    flat = model.words[lang][ids].tolist()
    return [" ".join(flat[a:b]) for a, b in zip(starts, ends, strict=True)]


def load_questions(pairs_path: Path | str | None, model: TextModel, n: int, seed: int = SEED) -> dict:
    """``n`` BM25 queries split over the languages: the evaluation questions
    (cycled if fewer), or 8 corpus words each if there is no pairs file."""
    from zanqa.experiments.pairs import load_pairs

    langs = list(model.words)
    per_lang = {lang: n // len(langs) + (i < n % len(langs)) for i, lang in enumerate(langs)}
    pairs = load_pairs(pairs_path) if pairs_path and Path(pairs_path).exists() else []
    rng = np.random.default_rng(seed)
    out = {}
    for lang in langs:
        questions = [p.question for p in pairs if p.lang == lang]
        if questions:
            out[lang] = [questions[i % len(questions)] for i in range(per_lang[lang])]
        else:
            ids = rng.choice(model.probs[lang].size, (per_lang[lang], 8), p=model.probs[lang])
            out[lang] = [" ".join(model.words[lang][row]) for row in ids]
    return out


# ----------------------------------------------------------------- measuring


def _rss_now_mb() -> float | None:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return round(int(line.split()[1]) / 1024.0, 1)
    except OSError:
        pass
    return None


def _peak_rss_mb() -> float:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return round(peak / (1024.0 * 1024.0 if sys.platform == "darwin" else 1024.0), 1)


def _dir_bytes(path: Path) -> int:
    return sum(p.stat().st_size for p in Path(path).rglob("*") if p.is_file())


def _time_each(fn, items, desc: str) -> list[float]:
    for item in items[:WARMUP]:
        fn(item)
    samples = []
    for item in tqdm(items, desc=desc, unit="q", file=sys.stderr, leave=False, disable=None):
        t0 = time.perf_counter()
        fn(item)
        samples.append(time.perf_counter() - t0)
    return samples


def _bar(desc: str):
    bar = tqdm(desc=desc, unit="vec", unit_scale=True, file=sys.stderr, leave=False, disable=None)

    def update(done: int, total: int) -> None:
        bar.total = total
        bar.update(done - bar.n)
        if done >= total:
            bar.close()

    return update


def _measure_faiss(
    index_type, base, queries, kth_exact, pool, workdir
) -> tuple[dict, faiss.Index, np.ndarray]:
    """Build, save (for its size) and time one FAISS index type. ``kth_exact``
    holds each query's k-th exact score; None means this index is the exact one."""
    from zanqa.index import faiss_params, make_faiss_index

    n = len(base)
    t0 = time.perf_counter()
    index = make_faiss_index(base, index_type, progress=_bar(f"{n:,} {index_type} build"))
    build_s = time.perf_counter() - t0
    path = Path(workdir) / f"{index_type}.faiss"
    faiss.write_index(index, str(path))
    size = path.stat().st_size
    path.unlink()
    top10 = _time_each(lambda q: index.search(q[None], K), queries, f"{n:,} {index_type} k={K}")
    at_pool = _time_each(lambda q: index.search(q[None], pool), queries, f"{n:,} {index_type} k={pool}")
    scores, found = index.search(queries, K)
    if kth_exact is None:
        kth_exact = scores[:, K - 1]
    entry = {
        "params": faiss_params(index),
        "build_s": round(build_s, 3),
        "index_bytes": size,
        "search_top10": stats_ms(top10),
        "search_pool": stats_ms(at_pool),
        "recall_at_10": round(recall_at_k(queries, base, found, kth_exact), 4),
    }
    if index_type == "hnsw":
        entry["ef_search_curve"] = _ef_search_curve(index, base, queries, kth_exact)
    return entry, index, kth_exact


def _ef_search_curve(index: faiss.Index, base, queries, kth_exact) -> list[dict]:
    """Recall@10 and latency of one HNSW graph at several efSearch values (a
    query-time setting: no rebuild), to show where the engine's value sits."""
    chosen = index.hnsw.efSearch
    curve = []
    for ef in EF_SEARCH_SWEEP:
        index.hnsw.efSearch = ef
        samples = _time_each(lambda q: index.search(q[None], K), queries, f"{len(base):,} hnsw efSearch={ef}")
        found = index.search(queries, K)[1]
        curve.append(
            {
                "efSearch": ef,
                "search_top10": stats_ms(samples),
                "recall_at_10": round(recall_at_k(queries, base, found, kth_exact), 4),
            }
        )
    index.hnsw.efSearch = chosen
    return curve


def _measure_bm25(model: TextModel, n: int, questions: dict, seed: int, workdir: Path) -> tuple[dict, dict]:
    from zanqa.index import make_bm25
    from zanqa.text import tokenize

    langs = list(model.words)
    docs = {lang: n // len(langs) + (i < n % len(langs)) for i, lang in enumerate(langs)}
    rng = np.random.default_rng(seed + 1)
    # the tokenizer works word by word, so documents are generated as tokens and
    # its cost is timed on a sample of the same documents as text
    tokenize_s, sampled = 0.0, 0
    for lang in langs:
        texts = synthetic_texts(model, lang, min(docs[lang], TOKENIZE_SAMPLE // len(langs)), rng)
        t0 = time.perf_counter()
        for text in tqdm(texts, desc=f"{n:,} tokenize {lang}", file=sys.stderr, leave=False, disable=None):
            tokenize(text, lang)
        tokenize_s += (time.perf_counter() - t0) * docs[lang] / len(texts)
        sampled += len(texts)
    indexes, build_s, size = {}, 0.0, 0
    for lang in langs:
        token_docs = synthetic_token_docs(model, lang, docs[lang], rng)
        t0 = time.perf_counter()
        indexes[lang] = make_bm25(token_docs, show_progress=sys.stderr.isatty())
        build_s += time.perf_counter() - t0
        del token_docs
        indexes[lang].save(str(Path(workdir) / f"bm25_{lang}"))
        size += _dir_bytes(Path(workdir) / f"bm25_{lang}")
    queries = [(lang, q) for lang in langs for q in questions[lang]]
    nonzero = []

    def search(item):
        # what retrieve.py does per language: tokenize, keep known tokens, score every document
        lang, question = item
        retriever = indexes[lang]
        tokens = [t for t in tokenize(question, lang) if t in retriever.vocab_dict]
        if tokens:
            scores = retriever.get_scores(tokens)
            np.argpartition(-scores, min(K, len(scores) - 1))[:K]
            return scores
        return None

    samples = _time_each(search, queries, f"{n:,} bm25 search")
    for item in queries:
        scores = search(item)
        nonzero.append(0 if scores is None else int(np.count_nonzero(scores)))
    entry = {
        "docs": docs,
        "tokenize_s": round(tokenize_s, 3),
        "tokenize_timed_docs": sampled,
        "build_s": round(build_s, 3),
        "index_bytes": size,
        "search": stats_ms(samples),
        "matching_docs_median": float(np.median(nonzero)),
    }
    return entry, indexes


def measure_size(
    n: int,
    also: tuple[str, ...] = (),
    n_queries: int = N_QUERIES,
    reference: np.ndarray | None = None,
    pairs_path: Path | str | None = None,
    seed: int = SEED,
) -> dict:
    """Build and time the engine's indexes for ``n`` synthetic chunks, in this process."""
    from zanqa.fusion import FusionParams
    from zanqa.index import choose_index_type

    started = time.perf_counter()
    index_type = choose_index_type(n)
    pool = min(FusionParams().dense_pool, n)
    vector_model = fit_vector_model(reference, seed=seed)
    t0 = time.perf_counter()
    base, queries = synthetic_vectors(vector_model, n, n_queries, seed)
    run: dict = {
        "n_chunks": n,
        "index_type": index_type,
        "generate_s": round(time.perf_counter() - t0, 3),
        "vectors_bytes": int(base.nbytes),
        "faiss": {},
    }
    sample = base[: min(n, 2000)]
    pair_cos = sample @ sample.T
    run["synthetic"] = {
        "pair_cos_mean": round(float((pair_cos.sum() - len(sample)) / (len(sample) ** 2 - len(sample))), 4)
    }
    del pair_cos
    with tempfile.TemporaryDirectory(prefix="zanqa-scale-") as workdir:
        # exact search first: it is the ground truth for the approximate types
        run["faiss"]["flat"], index, kth = _measure_faiss("flat", base, queries, None, pool, workdir)
        run["synthetic"]["query_top1_cos_mean"] = round(float(index.search(queries, 1)[0].mean()), 4)
        # the engine's pick last, so that it is the index still loaded with BM25 below
        for kind in [t for t in dict.fromkeys((*also, index_type)) if t != "flat"]:
            del index
            run["faiss"][kind], index, _ = _measure_faiss(kind, base, queries, kth, pool, workdir)
        run["faiss_pool"] = pool
        del base
        text_model = fit_text_model()
        questions = load_questions(pairs_path, text_model, n_queries, seed)
        run["bm25"], bm25_indexes = _measure_bm25(text_model, n, questions, seed, workdir)
    # the engine's own indexes, FAISS and BM25, are what is still loaded here
    run["serving_rss_mb"] = _rss_now_mb()
    run["peak_rss_mb"] = _peak_rss_mb()
    run["total_s"] = round(time.perf_counter() - started, 3)
    del index, bm25_indexes
    return run


def _measure_in_child(n: int, also, n_queries: int, reference_dir, pairs_path, seed: int) -> dict:
    """``measure_size`` in a fresh Python process, so the peak RSS is this size's alone."""
    with tempfile.TemporaryDirectory(prefix="zanqa-scale-out-") as tmp:
        out = Path(tmp) / "run.json"
        cmd = [
            sys.executable,
            "-m",
            "zanqa.experiments.scale",
            str(n),
            "--out",
            str(out),
            "--queries",
            str(n_queries),
        ]
        cmd += ["--seed", str(seed), "--reference", str(reference_dir)]
        if also:
            cmd += ["--also", *also]
        if pairs_path:
            cmd += ["--pairs", str(pairs_path)]
        subprocess.run(cmd, check=True, cwd=ROOT, stdout=2)  # the child's stdout to our stderr
        return json.loads(out.read_text(encoding="utf-8"))


def run_scale(
    sizes: list[int],
    also: tuple[str, ...] = (),
    n_queries: int = N_QUERIES,
    reference_dir: Path | None = None,
    pairs_path: Path | str | None = None,
    seed: int = SEED,
) -> dict:
    """The scale benchmark at every size in ``sizes``, each in its own process."""

    reference_dir = Path(reference_dir or default_index_dir())
    reference = reference_vectors(reference_dir)
    result = {
        "benchmark": "scale",
        "machine": {
            "python": platform.python_version(),
            "cpus": os.cpu_count(),
            "faiss": faiss.__version__,
            "faiss_threads": faiss.omp_get_max_threads(),
            "platform": platform.platform(),
        },
        "k": K,
        "n_queries": n_queries,
        "seed": seed,
        "vector_model": fit_vector_model(reference, seed=seed).describe(),
        "text_model": fit_text_model().describe(),
        "runs": [],
    }
    if reference is not None:
        sims = reference @ reference.T
        np.fill_diagonal(sims, np.nan)
        result["reference"] = {
            "n": len(reference),
            "pair_cos_mean": round(float(np.nanmean(sims)), 4),
            "nearest_cos_mean": round(float(np.nanmax(sims, axis=1).mean()), 4),
        }
    for n in sizes:
        result["runs"].append(_measure_in_child(n, also, n_queries, reference_dir, pairs_path, seed))
    return result


def format_scale(result: dict) -> str:
    lines = [
        "| chunks | index | engine's pick | build s | index MB | search ms p50 / p95 / p99 (k=10) "
        "| p95 ms (k=pool) | recall@10 |",
        "|---:|---|---|---:|---:|---|---:|---:|",
    ]
    for run in result["runs"]:
        n = f"{run['n_chunks']:,}"
        for kind, e in run["faiss"].items():
            s = e["search_top10"]
            lines.append(
                f"| {n} | {kind} {_params(e['params'])} | {'yes' if kind == run['index_type'] else ''} "
                f"| {e['build_s']:.1f} | {e['index_bytes'] / 2**20:.1f} "
                f"| {s['median']:.3f} / {s['p95']:.3f} / {s['p99']:.3f} "
                f"| {e['search_pool']['p95']:.3f} | {e['recall_at_10']:.3f} |"
            )
        b = run["bm25"]
        s = b["search"]
        lines.append(
            f"| {n} | BM25 kk+ru | yes | {b['build_s']:.1f} (+{b['tokenize_s']:.1f} tokenize) "
            f"| {b['index_bytes'] / 2**20:.1f} | {s['median']:.3f} / {s['p95']:.3f} / {s['p99']:.3f} | | |"
        )
    curves = [
        (run["n_chunks"], e["ef_search_curve"])
        for run in result["runs"]
        for e in run["faiss"].values()
        if "ef_search_curve" in e
    ]
    if curves:
        lines += [
            "",
            "| chunks | HNSW efSearch | search ms p50 / p95 (k=10) | recall@10 |",
            "|---:|---:|---|---:|",
        ]
        for n, curve in curves:
            for point in curve:
                s = point["search_top10"]
                lines.append(
                    f"| {n:,} | {point['efSearch']} | {s['median']:.3f} / {s['p95']:.3f} | {point['recall_at_10']:.3f} |"
                )
    lines += ["", "| chunks | peak RSS MB | RSS with both indexes MB | run s |", "|---:|---:|---:|---:|"]
    for run in result["runs"]:
        lines.append(
            f"| {run['n_chunks']:,} | {run['peak_rss_mb']} | {run['serving_rss_mb']} | {run['total_s']:.0f} |"
        )
    return "\n".join(lines)


def _params(params: dict) -> str:
    return "(" + ", ".join(f"{k}={v}" for k, v in params.items()) + ")" if params else ""


def cmd_scale(args: argparse.Namespace) -> int:
    """``zanqa bench --scale N [N ...]``."""
    if any(n < 2 * K for n in args.scale):
        raise UsageError(f"--scale sizes must be at least {2 * K} chunks")
    result = run_scale(
        args.scale,
        also=tuple(args.scale_also or ()),
        reference_dir=Path(args.index) if getattr(args, "index", None) else None,
        pairs_path=getattr(args, "pairs", None),
    )
    result["command"] = " ".join(
        ["zanqa bench --scale", *map(str, args.scale)]
        + (["--scale-also", *args.scale_also] if args.scale_also else [])
        + (["--json", str(args.json_out)] if args.json_out else [])
    )
    print(format_scale(result))
    if args.json_out:
        write_json(args.json_out, result)
    return 0


def main(argv: list[str] | None = None) -> int:
    """One size, in the process ``run_scale`` starts for it."""
    parser = argparse.ArgumentParser(prog="python -m zanqa.experiments.scale")
    parser.add_argument("n", type=int)
    parser.add_argument("--out", required=True)
    parser.add_argument("--also", nargs="*", default=[], choices=INDEX_TYPES)
    parser.add_argument("--queries", type=int, default=N_QUERIES)
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--reference", help="index folder whose dense.faiss shapes the vectors")
    parser.add_argument("--pairs", help="pairs file whose questions are the BM25 queries")
    args = parser.parse_args(argv)
    reference = reference_vectors(Path(args.reference)) if args.reference else None
    run = measure_size(args.n, tuple(args.also), args.queries, reference, args.pairs, args.seed)
    write_json(args.out, run)
    return 0


if __name__ == "__main__":
    sys.exit(main())
