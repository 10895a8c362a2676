"""The index stage: chunks → a FAISS vector index and two BM25 indexes (one
per language), saved under ``index/`` with a manifest that records what they
were built from.

Nothing here is pickled: FAISS writes its own format, chunks are JSON, bm25s
saves JSON and ``.npy`` arrays (loaded with ``allow_pickle=False``).
The manifest holds the corpus hash, the embedder's ``model_id``, the chunking
parameters, the FAISS index type and a SHA-256 of every file, so a stale or
damaged index is refused on load with the command that fixes it. A build is
written to a temporary folder and renamed into place under a lock, so an
interrupted or concurrent build never leaves a half-written index.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import shutil
import tempfile
import time
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import bm25s
import faiss
import numpy as np

from zanqa.chunk import LANGS, Chunk, ChunkParams, load_keys, make_chunks
from zanqa.corpus import Corpus
from zanqa.embed import Embedder
from zanqa.text import KK_PREFIX, TOKENIZER_VERSION, tokenize

FORMAT_VERSION = 2
MANIFEST = "manifest.json"
FLAT_MAX = 50_000  # exact search up to this many vectors
HNSW_MAX = 2_000_000  # HNSW up to this many; IVF-PQ beyond


class IndexProblem(RuntimeError):
    """The index cannot be used; the message says why and which command fixes it."""


class MissingIndexError(IndexProblem):
    pass


class StaleIndexError(IndexProblem):
    pass


class DamagedIndexError(IndexProblem):
    pass


def choose_index_type(n_vectors: int) -> str:
    """Exact inner product for small corpora, HNSW for large, IVF-PQ for huge."""
    if n_vectors <= FLAT_MAX:
        return "flat"
    if n_vectors <= HNSW_MAX:
        return "hnsw"
    return "ivfpq"


# Approximate-index parameters, tuned with ``zanqa bench --scale`` (docs/scaling.md)
# for recall@10 >= 0.95 against exact search at a million chunks; the values
# each index carries are recorded in the manifest by ``faiss_params``.
HNSW_M = 32  # graph links per vector
HNSW_EF_CONSTRUCTION = 80
HNSW_EF_SEARCH = 1024  # recall@10 0.974 at 1M synthetic chunks, p95 6.3 ms (docs/scaling.md)
IVF_LISTS_PER_SQRT_N = 4  # nlist = 4 * sqrt(n)
IVF_NPROBE = 32
PQ_DIMS_PER_CODE_BYTE = 8  # dim // 8 sub-quantizers of 8 bits: 48 bytes per 384-dim vector
PQ_NBITS = 8
TRAIN_SAMPLE = 100_000
ADD_BATCH = 65_536


def make_faiss_index(
    vectors: np.ndarray, index_type: str, progress: Callable[[int, int], None] | None = None
) -> faiss.Index:
    """An inner-product FAISS index of ``index_type`` holding ``vectors`` (rows,
    L2-normalized float32); ``progress(done, total)`` is called as they are added."""
    dim = vectors.shape[1]
    if index_type == "flat":
        index = faiss.IndexFlatIP(dim)
    elif index_type == "hnsw":
        index = faiss.IndexHNSWFlat(dim, HNSW_M, faiss.METRIC_INNER_PRODUCT)
        index.hnsw.efConstruction = HNSW_EF_CONSTRUCTION
        index.hnsw.efSearch = HNSW_EF_SEARCH
    elif index_type == "ivfpq":
        nlist = int(IVF_LISTS_PER_SQRT_N * np.sqrt(len(vectors)))
        quantizer = faiss.IndexFlatIP(dim)
        index = faiss.IndexIVFPQ(
            quantizer, dim, nlist, dim // PQ_DIMS_PER_CODE_BYTE, PQ_NBITS, faiss.METRIC_INNER_PRODUCT
        )
        sample = vectors[
            np.random.default_rng(0).choice(len(vectors), min(len(vectors), TRAIN_SAMPLE), replace=False)
        ]
        index.train(sample)
        index.nprobe = IVF_NPROBE
    else:
        raise ValueError(f"unknown index type {index_type!r}")
    # added in batches only so a long build can report progress; the result is the same
    for start in range(0, len(vectors), ADD_BATCH):
        index.add(vectors[start : start + ADD_BATCH])
        if progress:
            progress(min(start + ADD_BATCH, len(vectors)), len(vectors))
    return index


def faiss_params(index: faiss.Index) -> dict:
    """The search-relevant parameters a FAISS index carries, for the manifest."""
    if isinstance(index, faiss.IndexHNSW):
        hnsw = index.hnsw
        return {
            "M": int(hnsw.nb_neighbors(1)),
            "efConstruction": int(hnsw.efConstruction),
            "efSearch": int(hnsw.efSearch),
        }
    if isinstance(index, faiss.IndexIVFPQ):
        return {
            "nlist": int(index.nlist),
            "nprobe": int(index.nprobe),
            "pq_m": int(index.pq.M),
            "pq_nbits": int(index.pq.nbits),
        }
    return {}


BM25_PARAMS = {"k1": 1.2, "b": 0.75}


def make_bm25(token_lists: list[list[str]], show_progress: bool = False) -> bm25s.BM25:
    """A BM25 index over documents given as token lists (``zanqa.text.tokenize``)."""
    retriever = bm25s.BM25(**BM25_PARAMS)
    retriever.index(token_lists, show_progress=show_progress)
    return retriever


@dataclass
class Index:
    """A loaded index: the chunks, their vectors' FAISS index, BM25 per language."""

    chunks: list[Chunk]
    faiss_index: faiss.Index
    bm25: dict[str, bm25s.BM25]
    bm25_chunk_ids: dict[str, list[int]]  # BM25 document position → chunk id
    manifest: dict
    out_of_scope: np.ndarray  # query vectors of questions the corpus does not answer (may be 0 rows)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


@contextmanager
def _lock(directory: Path):
    directory.parent.mkdir(parents=True, exist_ok=True)
    lock_path = directory.parent / f".{directory.name}.lock"
    with lock_path.open("w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def build_index(
    corpus: Corpus,
    embedder: Embedder,
    directory: Path,
    params: ChunkParams = ChunkParams(),
    progress: Callable[[int, int], None] | None = None,
    batch_size: int = 16,
) -> Index:
    """Chunk, embed and index the corpus, and save it atomically to ``directory``."""
    started = time.time()
    keys = load_keys(corpus)
    chunks = make_chunks(corpus, params, keys)
    out_of_scope = [q for lang in LANGS for q in keys.out_of_scope.get(lang, [])]
    texts = [c.text for c in chunks]
    total = len(texts) + len(out_of_scope)

    def embed(items: list[str], embed_batch, done: int) -> np.ndarray:
        parts = []
        for i in range(0, len(items), batch_size):
            parts.append(embed_batch(items[i : i + batch_size]))
            if progress:
                progress(done + min(i + batch_size, len(items)), total)
        return np.vstack(parts) if parts else np.zeros((0, embedder.dim), dtype=np.float32)

    vectors = embed(texts, embedder.embed_passages, 0)
    off_topic = embed(out_of_scope, embedder.embed_queries, len(texts))
    index_type = choose_index_type(len(vectors))
    faiss_index = make_faiss_index(vectors, index_type)
    bm25, bm25_ids = {}, {}
    for lang in LANGS:
        ids = [c.id for c in chunks if c.lang == lang]
        bm25[lang] = make_bm25([tokenize(chunks[i].text, lang) for i in ids])
        bm25_ids[lang] = ids
    manifest = {
        **index_key(corpus, embedder.model_id, params, keys.sha256),
        "n_out_of_scope": len(out_of_scope),
        "documents": sorted({p.doc_id for p in corpus.paragraphs}),
        "dim": int(embedder.dim),
        "n_chunks": len(chunks),
        "index_type": index_type,
        "faiss_params": faiss_params(faiss_index),
        "built_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "build_seconds": round(time.time() - started, 3),
    }
    index = Index(chunks, faiss_index, bm25, bm25_ids, manifest, off_topic.astype(np.float32))
    save_index(index, directory)
    return index


def save_index(index: Index, directory: Path) -> None:
    """Write to a temporary sibling folder, then swap it in under a lock."""
    directory = Path(directory)
    directory.parent.mkdir(parents=True, exist_ok=True)
    with _lock(directory):
        tmp = Path(tempfile.mkdtemp(prefix=f".{directory.name}-", dir=directory.parent))
        try:
            faiss.write_index(index.faiss_index, str(tmp / "dense.faiss"))
            (tmp / "chunks.json").write_text(
                json.dumps([c.to_dict() for c in index.chunks], ensure_ascii=False), encoding="utf-8"
            )
            (tmp / "bm25_ids.json").write_text(json.dumps(index.bm25_chunk_ids), encoding="utf-8")
            np.save(tmp / "out_of_scope.npy", index.out_of_scope, allow_pickle=False)
            for lang, retriever in index.bm25.items():
                retriever.save(str(tmp / f"bm25_{lang}"))
            files = sorted(p for p in tmp.rglob("*") if p.is_file())
            index.manifest["files"] = {str(p.relative_to(tmp)): _sha256(p) for p in files}
            (tmp / MANIFEST).write_text(
                json.dumps(index.manifest, indent=2, ensure_ascii=False), encoding="utf-8"
            )
            old = None
            if directory.exists():
                old = directory.parent / f".{directory.name}-old-{os.getpid()}"
                directory.rename(old)
            tmp.rename(directory)
            if old is not None:
                shutil.rmtree(old, ignore_errors=True)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise


def read_manifest(directory: Path) -> dict:
    path = Path(directory) / MANIFEST
    if not path.exists():
        raise MissingIndexError(f"no index in {directory}: run `zanqa build`")
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise DamagedIndexError(f"{path} is not valid JSON: run `zanqa build`") from None


def index_key(corpus: Corpus, embedder_id: str, params: ChunkParams, keys_sha256: str) -> dict:
    """Everything that shapes the index, compared as a whole on load: format,
    corpus, retrieval keys, embedder, chunking, tokenizer, BM25 parameters, and
    the versions of the libraries whose output is stored."""
    from importlib.metadata import version

    return {
        "format_version": FORMAT_VERSION,
        "corpus_sha256": corpus.sha256,
        "keys_sha256": keys_sha256,
        "embedder": embedder_id,
        "chunking": params.to_dict(),
        "tokenizer": {"version": TOKENIZER_VERSION, "kk_prefix": KK_PREFIX},
        "bm25": dict(BM25_PARAMS),
        "libraries": {name: version(name) for name in ("faiss-cpu", "bm25s", "PyStemmer")},
    }


_KEY_NAMES = {
    "format_version": "another version of ZanQA",
    "corpus_sha256": "another corpus",
    "keys_sha256": "other retrieval keys (zanqa/data/questions.json, zanqa/data/out_of_scope.json)",
    "embedder": "another embedder",
    "chunking": "other chunk parameters",
    "tokenizer": "another tokenizer",
    "bm25": "other BM25 parameters",
    "libraries": "other library versions",
}


def check_manifest(
    manifest: dict, corpus: Corpus, embedder_id: str, params: ChunkParams = ChunkParams()
) -> None:
    """Refuse an index whose key (``index_key``) differs from what this code would build,
    naming what changed."""
    expected = index_key(corpus, embedder_id, params, load_keys(corpus).sha256)
    changed = [name for name in expected if manifest.get(name) != expected[name]]
    if changed:
        what = ", ".join(_KEY_NAMES[name] for name in changed)
        detail = ""
        if "embedder" in changed:
            detail = f" (built with {manifest.get('embedder')!r}, asked for {embedder_id!r})"
        raise StaleIndexError(f"the index was built with {what}{detail}: run `zanqa build`")


def load_index(directory: Path, corpus: Corpus, embedder_id: str, verify: bool = True) -> Index:
    """Load and check an index; raise an ``IndexProblem`` saying what to run."""
    directory = Path(directory)
    manifest = read_manifest(directory)
    check_manifest(manifest, corpus, embedder_id)
    files = manifest.get("files", {})
    for rel, digest in files.items():
        path = directory / rel
        if not path.exists():
            raise DamagedIndexError(f"index file {rel} is missing: run `zanqa build`")
        if verify and _sha256(path) != digest:
            raise DamagedIndexError(f"index file {rel} does not match its checksum: run `zanqa build`")
    try:
        faiss_index = faiss.read_index(str(directory / "dense.faiss"))
        rows = json.loads((directory / "chunks.json").read_text(encoding="utf-8"))
        chunks = [Chunk(**row) for row in rows]
        bm25_ids = json.loads((directory / "bm25_ids.json").read_text(encoding="utf-8"))
        bm25 = {lang: bm25s.BM25.load(str(directory / f"bm25_{lang}"), allow_pickle=False) for lang in LANGS}
        out_of_scope = np.load(directory / "out_of_scope.npy", allow_pickle=False)
    except Exception as exc:  # any parse failure means the files are not what the manifest says
        raise DamagedIndexError(
            f"the index in {directory} cannot be read ({exc}): run `zanqa build`"
        ) from None
    if faiss_index.ntotal != len(chunks) or len(chunks) != manifest.get("n_chunks"):
        raise DamagedIndexError("the index's vectors and chunks disagree: run `zanqa build`")
    if out_of_scope.shape != (manifest.get("n_out_of_scope"), faiss_index.d):
        raise DamagedIndexError("the out-of-scope vectors do not match the manifest: run `zanqa build`")
    return Index(chunks, faiss_index, bm25, bm25_ids, manifest, out_of_scope.astype(np.float32))


def index_is_current(directory: Path, corpus: Corpus, embedder_id: str) -> bool:
    try:
        load_index(directory, corpus, embedder_id)
    except IndexProblem:
        return False
    return True
