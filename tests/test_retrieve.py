"""The engine on the real corpus with the default embedder."""

import json
import re
import subprocess
import sys

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from zanqa.abstain import AbstainInputs, AbstainParams, confident
from zanqa.adapters import ZanQARetriever
from zanqa.fusion import top_k
from zanqa.query import QuestionRefs, amendment_match, article_match, question_amendments, question_refs

from .conftest import ROOT


@pytest.mark.parametrize(
    "question",
    ["Адамды тасу қашан аяқталды деп есептеледі?", "Когда перевозка человека считается оконченной?"],
)
def test_acceptance_questions_rank_paragraph_6_first(engine, question):
    result = engine.search(question, k=5)
    assert result.hits[0].paragraph_id == "6", [h.paragraph_id for h in result.hits]
    assert result.confident


def test_hits_carry_matching_chunks_and_reasons(engine):
    result = engine.search("Когда перевозка человека считается оконченной?", k=3)
    top = result.hits[0]
    assert result.lang == "ru"
    assert top.chunks and all(c.text for c in top.chunks)
    assert {c.lang for c in top.chunks} <= {"kk", "ru"}
    assert "cos" in top.why
    assert [h.score for h in result.hits] == sorted((h.score for h in result.hits), reverse=True)


def test_question_refs_in_both_languages():
    assert question_refs("ч. 2 ст. 135 п. 5") == QuestionRefs(
        frozenset({"135"}), frozenset({"2"}), frozenset({"5"})
    )
    assert question_refs("статья 361 УК").articles == {"361"}
    assert question_refs("128-бап 2-бөлік 6-тармақ") == QuestionRefs(
        frozenset({"128"}), frozenset({"2"}), frozenset({"6"})
    )
    assert question_refs("ҚК-нің 128-бабының екінші бөлігі").parts == {"2"}
    assert question_refs("статьи 128 и 135").articles == {"128", "135"}
    assert question_refs("просто вопрос").articles == frozenset()
    # the resolution's own paragraphs, named without a code article
    assert question_refs("9-1-тармаққа қай қаулымен өзгеріс енгізілді?").paragraphs == {"9-1"}
    assert question_refs("Каким постановлением изменялся п. 14?").paragraphs == {"14"}
    assert question_refs("Когда добавлен пункт 20-1?").paragraphs == {"20-1"}
    assert question_refs("п. 6 ч. 2 ст. 128 УК").paragraphs == frozenset()


def test_a_named_paragraph_ranks_first_and_is_confident(engine):
    for question in ("Каким постановлением изменялся п. 14?", "17-тармаққа қай қаулымен өзгеріс енгізілді?"):
        result = engine.search(question)
        assert result.hits[0].named and result.confident
    assert engine.search("Каким постановлением изменялся п. 14?").hits[0].paragraph_id == "14"
    assert engine.search("17-тармаққа қай қаулымен өзгеріс енгізілді?").hits[0].paragraph_id == "17"


def test_article_reference_matches_the_citing_paragraph(engine, corpus):
    refs = question_refs("ст. 394 УК")
    citing = [p.id for p in corpus.paragraphs if article_match(refs, p) > 0]
    assert "17-1" in citing
    hits = engine.search("Что сказано про статью 394 УК?", k=5).hits
    assert hits[0].paragraph_id in citing and hits[0].article > 0


def test_amending_resolutions_named_in_questions():
    ru = question_amendments("Какие пункты дополнены постановлением от 11 декабря 2020 года № 6?")
    assert (ru.dates, ru.numbers, ru.kind) == ({"2020-12-11"}, {"6"}, "added")
    kk = question_amendments("2021 жылғы 8 желтоқсандағы № 3 қаулымен қандай тармақтар толықтырылды?")
    assert (kk.dates, kk.numbers, kk.kind) == ({"2021-12-08"}, {"3"}, "added")
    numeric = question_amendments("Что изменено постановлением от 29.11.2024 № 6?")
    assert numeric.dates == {"2024-11-29"} and numeric.kind is None  # "постаНОВлением" is not "new"
    assert question_amendments("Какой пункт изложен в новой редакции в 2020 году?").kind == "new_wording"
    # a year in a story, or the resolution's own date, is not a question about amendments
    assert not question_amendments("В 2020 году Иванов продал девушку. Как квалифицировать?")
    assert not question_amendments("Что изменилось в постановлении от 29 декабря 2012 года № 7?")


def test_amendment_match_tells_added_from_changed(corpus):
    added_2021 = question_amendments("Какие пункты добавлены постановлением от 08.12.2021 № 3?")
    assert amendment_match(added_2021, corpus.get("9-1").notes) == 1.0  # added by it
    assert amendment_match(added_2021, corpus.get("8").notes) == 0.5  # re-worded by it, not added
    assert amendment_match(added_2021, corpus.get("6").notes) == 0.0  # never amended
    changed_2024 = question_amendments("Какие пункты изменены в 2024 году?")
    assert amendment_match(changed_2024, corpus.get("9-1").notes) == 1.0  # added in 2021, changed in 2024


def test_a_question_about_added_paragraphs_ranks_them_first(engine):
    result = engine.search("2020 жылғы 11 желтоқсандағы № 6 қаулымен қандай жаңа тармақтар толықтырылды?")
    assert result.hits[0].paragraph_id in {"12-1", "15-1"}
    assert {h.paragraph_id for h in result.hits[:2]} == {"12-1", "15-1"}


def test_single_signal_retrievers_and_unknown_name(engine):
    for name in ("dense", "bm25"):
        assert engine.search("Адамды тасу қашан аяқталды?", k=3, retriever=name).hits
    with pytest.raises(ValueError, match="hybrid"):
        engine.search("x", retriever="magic")


@pytest.mark.parametrize(
    ("question", "subject", "lang"),
    [
        (
            "жасыру қашан бола ма, 14 жастағы қыздың құжаттарын да ауыстырса ше",
            "жасыру жастағы қыздың құжаттарын ауыстырса",
            "kk",
        ),
        ("что такое вербовка и когда она считается оконченной", "вербовка и она оконченной", "ru"),
        ("9-1 тармақтағы сауда-саттық қашан бола ма", "тармақтағы сауда-саттық", "kk"),  # "9-1" too
    ],
)
def test_question_keys_match_the_subject_not_the_form(engine, question, subject, lang):
    # Fails if a question key (a chunk of kind "question") scores on the words of a question's form
    # ("қашан", "бола ма", "ше", "что такое", "когда") or on a number (an age; a key's number is its
    # own paragraph's), which match the keys' own question style rather than the subject, or if the
    # resolution's own text stops counting them.
    tokens = engine.query_tokens(engine.parse(question), lang)
    _, with_form = engine._bm25(tokens)
    _, subject_only = engine._bm25(engine.query_tokens(engine.parse(subject), lang))
    keys = np.array([c.kind == "question" for c in engine.index.chunks])
    assert np.allclose(with_form[keys], subject_only[keys])
    assert with_form[keys].max() > 0
    texts = np.array([c.kind == "paragraph" for c in engine.index.chunks])
    assert not np.allclose(with_form[texts], subject_only[texts])


def test_kazakh_shorthand_letters_are_not_searched_as_words(engine):
    # Fails if the letters of Kazakh shorthand ("128 б 2 б 9 т": article, part, point) count as
    # BM25 words, where they match other shorthand rather than the paragraph the numbers name.
    query = engine.parse("лауазымды адам 128 б 2 б 9 т жиынтық")
    tokens = engine.query_tokens(query, "kk")
    assert "б" in tokens["kk"] and "т" in tokens["kk"]
    without = {"kk": [t for t in tokens["kk"] if t not in ("б", "т")]}
    assert np.allclose(engine._bm25(tokens)[1], engine._bm25(without)[1])
    assert engine.search(query).hits[0].paragraph_id == "15"


def test_out_of_scope_question_is_not_confident(engine):
    assert not engine.search("Как зарегистрировать ИП в Алматы?").confident
    assert not engine.search("Жеке кәсіпкерді қалай тіркеуге болады?").confident


def test_a_reference_does_not_override_the_out_of_scope_check():
    """Naming an article the top paragraph cites answers a question whose
    cosine and coverage are low, but not one that sits closer to a known
    out-of-scope question ("what sentence does art. 128 part 1 carry?")."""
    params = AbstainParams(min_cosine=0.85, min_coverage=1.0, min_vocabulary=0.3, min_margin=-0.05)
    # dense, coverage, article, named, vocabulary, off_topic
    assert confident(AbstainInputs(0.84, 0.2, 1.0, False, 1.0, 0.80), params)
    assert not confident(AbstainInputs(0.84, 0.2, 1.0, False, 1.0, 0.95), params)
    assert confident(
        AbstainInputs(0.84, 0.2, 0.0, True, 0.0, 0.80), params
    )  # a bare "п. 14": no words to check
    assert not confident(AbstainInputs(0.84, 0.2, 0.0, True, 0.0, 0.95), params)
    assert not confident(AbstainInputs(0.84, 0.2, 0.0, False, 1.0, 0.80), params)  # no reference, not close
    assert not confident(
        AbstainInputs(0.90, 0.2, 0.0, False, 0.1, 0.80), params
    )  # close, but words the corpus lacks


@given(
    st.lists(st.sampled_from([0.0, 0.5, 1.0, 2.0, -np.inf, 0.25]), max_size=40),
    st.integers(min_value=0, max_value=45),
)
def test_top_k_is_the_stable_sort_prefix(scores, k):
    # Fails if the linear-time selection drops a tie at the k-th score or reorders ties.
    scores = np.asarray(scores, dtype=np.float64)
    assert top_k(scores, k).tolist() == np.argsort(-scores, kind="stable")[:k].tolist()


def test_references_match_only_their_paragraphs(engine):
    # Fails if the lookup tables miss a citing paragraph or mark one that does not cite.
    for question in ("ст. 128 ч. 2 п. 5", "135-бап", "п. 14", "9-1-тармақ", "ст. 999"):
        sig = engine.signals(engine.parse(question), "ru", retriever="bm25")
        refs = question_refs(question)
        expected = [article_match(refs, p) for p in engine.corpus.paragraphs]
        assert sig.articles.tolist() == pytest.approx(expected)
        assert sig.named.tolist() == [float(p.id in refs.paragraphs) for p in engine.corpus.paragraphs]


def test_langchain_retriever_returns_documents(engine):
    docs = ZanQARetriever(engine=engine, k=3).invoke("Адамды тасу қашан аяқталды деп есептеледі?")
    assert len(docs) == 3
    assert docs[0].metadata["paragraph_id"] == "6"
    assert docs[0].page_content == engine.corpus.get("6").kk


def test_concurrent_searches_equal_sequential(engine):
    from concurrent.futures import ThreadPoolExecutor

    questions = [
        "Адамды тасу қашан аяқталды деп есептеледі?",
        "Когда перевозка человека считается оконченной?",
        "Что понимается под эксплуатацией человека?",
        "Қылмыстық топ деген не?",
    ] * 50
    sequential = [tuple(h.paragraph_id for h in engine.search(q).hits) for q in questions]
    with ThreadPoolExecutor(8) as pool:
        parallel = list(pool.map(lambda q: tuple(h.paragraph_id for h in engine.search(q).hits), questions))
    assert parallel == sequential


def test_cli_ask_filters_by_document_and_refuses_unknown_ones(real_index_dir):
    ask = [sys.executable, "-m", "zanqa", "--index", str(real_index_dir), "ask", "Что такое вербовка?"]
    ok = subprocess.run(
        [*ask, "--doc", "resolution-7-2012", "--json"], capture_output=True, text=True, cwd=ROOT
    )
    hits = json.loads(ok.stdout)["hits"]
    assert ok.returncode == 0 and hits and {h["doc_id"] for h in hits} == {"resolution-7-2012"}
    bad = subprocess.run([*ask, "--doc", "no-such-act"], capture_output=True, text=True, cwd=ROOT)
    assert bad.returncode == 2
    assert bad.stderr.strip() == "zanqa: unknown document 'no-such-act': the index holds resolution-7-2012"


def test_cli_ask_prints_the_reason_and_the_confidence(real_index_dir):
    # Fails if `zanqa ask` hides why it refused, or the in-scope model's confidence in an answer.
    ask = [sys.executable, "-m", "zanqa", "--index", str(real_index_dir), "ask"]
    run = subprocess.run([*ask, "Как развестись с мужем?"], capture_output=True, text=True, cwd=ROOT)
    assert run.returncode == 0 and "reason: not_covered" in run.stdout and "Уверенность: " in run.stdout
    run = subprocess.run([*ask, "Когда перевозка человека считается оконченной?"], capture_output=True,
                         text=True, cwd=ROOT)  # fmt: skip
    assert "reason:" not in run.stdout and re.search(r"Уверенность: \d+%", run.stdout)


def test_coverage_finds_an_inflected_verb_by_its_root():
    # Fails if the coverage evidence compares only 5-letter prefixes ("сатып" would miss the act's
    # "сату", and a story whose paragraph ranks first gets coverage 0), or if a root of two
    # letters counts.
    from zanqa.engine import _coverage_words, _share_found
    from zanqa.text import tokenize_both

    known = {"kk": _coverage_words("адамды сату", "kk")}
    roots, prefixes = tokenize_both("сатып", "kk")
    assert prefixes[0] not in known["kk"]  # the prefix alone misses it
    assert _share_found({"kk": list(zip(prefixes, roots, strict=True))}, known) == 1.0
    assert _share_found({"kk": [("жоқсөз", "ат")]}, {"kk": frozenset({"√ат"})}) == 0.0
