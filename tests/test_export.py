"""One answer to take away (zanqa.export): the downloaded text holds the
question, every citation, the act's full citation from the corpus record,
the unofficial-translation notice for Russian, and the date."""

import dataclasses
import datetime as dt

import pytest

from zanqa.answer import answer
from zanqa.corpus import Corpus
from zanqa.export import act_citation, answer_markdown, view_link

DAY = dt.date(2026, 12, 1)
QUESTIONS = [
    "Адамды тасу қашан аяқталды деп есептеледі?",
    "Когда перевозка человека считается оконченной?",
    "Как квалифицировать торговлю людьми в отношении двух потерпевших, один из которых несовершеннолетний?",
    "Какие изменения внесены в пункт 13?",  # answered with amendment notes
]


@pytest.mark.parametrize("question", QUESTIONS)
def test_download_holds_every_citation_of_the_answer(engine, question):
    """Fails if the downloaded text leaves out the question, a quoted sentence,
    its citation label, the act's full citation with that label, the date, or
    the unofficial-translation notice of a Russian answer (or shows it for Kazakh)."""
    ans = answer(engine, question, log=False)
    assert ans.citations, question
    text = answer_markdown(ans, engine.corpus, day=DAY)
    act = act_citation(engine.corpus.document, ans.lang)
    assert question in text
    for c in ans.citations:
        assert f"{c.sentence} ({c.label})" in text
        assert f"{act}, {c.label}" in text
        if c.unofficial:
            assert c.sentence_kk in text  # the authoritative Kazakh beside the translation
    assert "2026-12-01" in text
    assert ("неофициальный рабочий перевод" in text) == (ans.lang == "ru")


def test_act_citation_comes_from_the_corpus_record(engine):
    """Fails if the act's citation is hard-coded instead of read from the
    corpus's document record (requisites and title)."""
    doc = dataclasses.replace(
        engine.corpus.document, requisites_ru="Постановление X от 1 января 2000 года № 99"
    )
    corpus = Corpus(document=doc, paragraphs=engine.corpus.paragraphs)
    ans = answer(engine, QUESTIONS[1], log=False)
    text = answer_markdown(ans, corpus, day=DAY)
    assert f"Постановление X от 1 января 2000 года № 99 «{doc.title_ru}», {ans.citations[0].label}" in text
    assert engine.corpus.document.requisites_ru not in text


def test_refusal_download_names_the_related_paragraphs(engine):
    """Fails if a refusal's download loses its reason or its "may be related" paragraphs."""
    ans = answer(engine, "Как зарегистрировать ИП?", log=False)
    assert ans.abstained
    text = answer_markdown(
        ans, engine.corpus, day=DAY, link=view_link("http://h/", q=ans.question, lang="ru")
    )
    assert ans.message in text and ", ".join(ans.related_labels) in text
    assert "http://h/?q=" in text and "lang=ru" in text


def test_view_link_round_trips_the_question():
    """Fails if a link's query string does not give back the question and language."""
    from urllib.parse import parse_qs, urlsplit

    q = "Что такое вербовка? & ст. 128 ч. 2 п. 6 #1 +50% a=b\u200b"
    link = view_link("http://localhost:8501/", q=q, lang="ru", p=None)
    assert parse_qs(urlsplit(link).query) == {"q": [q], "lang": ["ru"]}
    assert link.startswith("http://localhost:8501/?q=Что%20такое%20вербовка%3F%20%26")  # readable Cyrillic
    assert " " not in link and "#" not in link
    assert view_link("", p="9-1") == "?p=9-1"
    assert view_link("http://127.0.0.1:8501", p="9-1") == "http://127.0.0.1:8501/?p=9-1"
