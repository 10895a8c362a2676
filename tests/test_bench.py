"""The benchmark commands' output format (not their timings)."""

import pytest

from zanqa.experiments.bench import format_bench, peak_rss_mb, run_bench
from zanqa.experiments.scale import EF_SEARCH_SWEEP, format_scale, recall_at_k, run_scale
from zanqa.experiments.timing import stats_ms
from zanqa.index import HNSW_EF_SEARCH, choose_index_type

STATS = {"n", "min", "median", "p95", "p99", "mean"}


def test_stats_are_ordered_percentiles():
    s = stats_ms([0.001 * i for i in range(1, 101)])
    assert set(s) == STATS and s["n"] == 100
    assert s["min"] == 1.0 and s["median"] == pytest.approx(50.5)
    assert s["min"] <= s["median"] <= s["p95"] <= s["p99"]


def test_bench_reports_every_figure(tiny_corpus, hash_embedder):
    questions = ["водопровод понятие", "мосты правила", "су құбыры", "жол белгілері"]
    r = run_bench(questions, repeat=2, warmup=1, corpus=tiny_corpus, embedder=hash_embedder)
    for name in ("ask", "search", "query_embedding", "naive_ask"):
        assert set(r[name]) == STATS and r[name]["n"] == 2 * len(questions), name
    assert set(r["load"]) == STATS and r["load"]["n"] == 5
    assert r["embedder"] == "test:hash-64" and r["n_chunks"] > 0
    assert r["build_s"] > 0 and r["passage_throughput_chunks_per_s"] > 0
    assert r["ask_vs_naive_median_ratio"] == pytest.approx(
        r["ask"]["median"] / r["naive_ask"]["median"], rel=1e-2
    )
    paired = r["ask_minus_naive_ms"]
    assert set(paired) == {"median", "share_of_questions_zanqa_faster"}
    assert 0.0 <= paired["share_of_questions_zanqa_faster"] <= 1.0
    table = format_bench({**r, "peak_rss_mb": 1.0})
    assert "| ask (question → ranked paragraphs + extractive answer) | 8 |" in table


def test_peak_rss_of_an_answering_process(real_index_dir):
    assert peak_rss_mb(real_index_dir, ["Адамды тасу қашан аяқталды?"]) > 50


def test_recall_counts_ties_and_misses():
    import numpy as np

    base = np.eye(4, dtype=np.float32)
    queries = np.array([[1, 0, 0, 0]], dtype=np.float32)
    kth = np.array([0.0])  # k=2: exact top 2 are id 0 (1.0) and a tie at 0.0
    assert recall_at_k(queries, base, np.array([[0, 3]]), kth, k=2) == 1.0
    assert recall_at_k(queries, base, np.array([[0, -1]]), kth, k=2) == 0.5


@pytest.mark.slow
def test_scale_benchmark_format(tmp_path):
    result = run_scale([1000], also=("hnsw", "ivfpq"), n_queries=20, reference_dir=tmp_path)
    assert result["vector_model"]["source"].startswith("fallback")  # no index in tmp_path
    (run,) = result["runs"]
    assert run["n_chunks"] == 1000 and run["index_type"] == choose_index_type(1000) == "flat"
    assert set(run["faiss"]) == {"flat", "hnsw", "ivfpq"}
    assert run["faiss"]["flat"]["recall_at_10"] == 1.0
    for kind, e in run["faiss"].items():
        assert 0.0 <= e["recall_at_10"] <= 1.0, kind
        assert set(e["search_top10"]) == STATS and e["search_top10"]["n"] == 20
        assert e["index_bytes"] > 0
    assert run["faiss"]["hnsw"]["params"]["M"] > 0 and run["faiss"]["ivfpq"]["params"]["nprobe"] > 0
    assert run["bm25"]["search"]["n"] > 0 and run["peak_rss_mb"] > 0
    curve = run["faiss"]["hnsw"]["ef_search_curve"]
    assert [p["efSearch"] for p in curve] == list(EF_SEARCH_SWEEP)
    assert all(0.0 <= p["recall_at_10"] <= 1.0 and p["search_top10"]["n"] == 20 for p in curve)
    assert run["faiss"]["hnsw"]["params"]["efSearch"] == HNSW_EF_SEARCH  # the sweep restores it
    table = format_scale(result)
    # flat, hnsw, ivfpq, BM25, one row per efSearch, memory row
    assert table.count("| 1,000 |") == 5 + len(EF_SEARCH_SWEEP)


def test_progress_bars_are_silent_when_stderr_is_not_a_terminal(tiny_corpus, hash_embedder, capsys):
    """Fails if the build's or bench's tqdm bars write their carriage-return
    updates into a log (stderr captured here is not a terminal)."""
    from zanqa.cli import _progress_bar

    update = _progress_bar("embedding")
    for done in range(0, 101, 5):
        update(done, 100)
    run_bench(
        ["водопровод понятие", "мосты правила"],
        repeat=2,
        warmup=1,
        corpus=tiny_corpus,
        embedder=hash_embedder,
    )
    err = capsys.readouterr().err
    assert "\r" not in err and "embedding" not in err and "timing" not in err
