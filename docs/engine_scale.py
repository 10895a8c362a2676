"""The whole engine's search time as the corpus grows: the resolution plus K
copies of itself as further documents (other doc ids, same text), indexed
with the engine's own chunking, index-type choice and BM25.

    .venv/bin/python docs/engine_scale.py 0 100 1000   # copies; ~3 min for these

Unlike ``zanqa bench --scale`` (FAISS and BM25 alone, on synthetic vectors up
to 1M chunks), this times ``Engine.search`` end to end: both indexes plus the
reference signals, fusion, abstention checks and the hits. Query vectors are
computed once beforehand, so the figures are search minus the embedding; the
copies' passages repeat the resolution's, so each distinct text is embedded
once. Duplicate vectors are a hard case for HNSW's graph, not a realistic one:
the recall figures of docs/scaling.md are the ones to read for quality.
"""

import dataclasses
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from zanqa.corpus import Corpus, load_corpus
from zanqa.embed import get_embedder
from zanqa.engine import Engine
from zanqa.index import build_index
from zanqa.text import normalize


class Memo:
    """The default embedder, each distinct text embedded once."""

    def __init__(self, embedder) -> None:
        self.inner, self.model_id, self.dim = embedder, embedder.model_id, embedder.dim
        self.seen: dict[tuple[str, str], np.ndarray] = {}

    def _embed(self, role: str, texts: list[str], embed) -> np.ndarray:
        new = [t for t in dict.fromkeys(texts) if (role, t) not in self.seen]
        if new:
            self.seen.update(zip([(role, t) for t in new], embed(new), strict=True))
        return np.stack([self.seen[(role, t)] for t in texts])

    def embed_queries(self, texts):
        return self._embed("q", texts, self.inner.embed_queries)

    def embed_passages(self, texts):
        return self._embed("p", texts, self.inner.embed_passages)


def replicated(corpus: Corpus, copies: int) -> Corpus:
    paragraphs = list(corpus.paragraphs)
    for i in range(copies):
        paragraphs += [dataclasses.replace(p, doc_id=f"copy-{i:05d}") for p in corpus.paragraphs]
    return Corpus(corpus.document, paragraphs, corpus.sha256)


def main(copies_list: list[int]) -> None:
    corpus, embedder = load_corpus(), Memo(get_embedder())
    lines = Path("eval/pairs.jsonl").read_text(encoding="utf-8").splitlines()
    questions = [normalize(json.loads(line)["question"]) for line in lines]
    embedder.embed_queries(questions)
    for copies in copies_list:
        big = replicated(corpus, copies)
        with tempfile.TemporaryDirectory() as tmp:
            t0 = time.perf_counter()
            index = build_index(big, embedder, Path(tmp) / "index", batch_size=4096)
            built = time.perf_counter() - t0
        engine = Engine(big, index, embedder)
        for q in questions[:20]:
            engine.search(q)
        times = []
        for q in questions:
            t0 = time.perf_counter()
            engine.search(q)
            times.append((time.perf_counter() - t0) * 1e3)
        times.sort()
        print(
            f"copies {copies}: {len(big.paragraphs):,} paragraphs, {index.manifest['n_chunks']:,} chunks, "
            f"{index.manifest.get('index_type')}, built in {built:.0f} s; search minus embedding "
            f"median {statistics.median(times):.2f} ms, p95 {times[int(0.95 * len(times))]:.2f} ms"
        )


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [0, 100, 1000])
