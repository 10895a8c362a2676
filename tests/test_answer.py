"""Extractive answers: verbatim sentences, citations, abstention."""

import pytest

from zanqa.answer import MAX_QUESTION_CHARS, answer
from zanqa.text import split_sentences


def test_kazakh_answer_quotes_the_corpus_and_cites(engine):
    ans = answer(engine, "Адамды тасу қашан аяқталды деп есептеледі?")
    assert not ans.abstained and ans.lang == "kk"
    assert 1 <= len(ans.citations) <= 3
    assert ans.citations[0].paragraph_id == "6"
    for c in ans.citations:
        assert c.sentence in split_sentences(engine.corpus.get(c.paragraph_id).kk)
        assert f"{c.sentence} ({c.paragraph_id}-тармақ)" in ans.text
        assert not c.unofficial


def test_russian_answer_uses_the_translation_marked_unofficial(engine):
    ans = answer(engine, "Когда перевозка человека считается оконченной?")
    assert ans.lang == "ru" and not ans.abstained
    first = ans.citations[0]
    assert first.paragraph_id == "6" and first.unofficial
    assert first.sentence in split_sentences(engine.corpus.get("6").ru)
    assert "(п. 6)" in ans.text
    # the authoritative Kazakh text is attached
    assert first.sentence_kk and first.sentence_kk in engine.corpus.get("6").kk


def test_every_answer_line_is_corpus_text(engine):
    for q in ["Что такое вербовка?", "Қылмыстық топ деген не?", "Какие способы совершения преступлений?"]:
        ans = answer(engine, q)
        lines = [line for line in ans.text.split("\n")[2:] if line]
        for line, c in zip(lines, ans.citations, strict=True):
            assert line == f"{c.sentence} ({c.label})"
            source = engine.corpus.get(c.paragraph_id)
            assert c.sentence in (source.ru if c.unofficial else source.kk)


def test_amendment_questions_quote_the_amendment_notes(engine):
    # Fails if an amendment question is answered with the paragraphs' content
    # sentences (which do not say what was added or when) instead of their notes.
    kk = answer(engine, "2021 жылғы 8 желтоқсандағы № 3 қаулымен қандай жаңа тармақтар толықтырылды?")
    assert {c.paragraph_id for c in kk.citations} == {"9-1", "9-2", "17-1"}
    for c in kk.citations:
        notes = [n.text for n in engine.corpus.get(c.paragraph_id).notes]
        assert c.sentence in notes and not c.unofficial and "08.12.2021 № 3" in c.sentence
    ru = answer(engine, "Какие изменения внесены в пункт 13?")  # names the paragraph, no resolution
    (note,) = engine.corpus.get("13").notes
    assert [(c.paragraph_id, c.sentence, c.sentence_kk) for c in ru.citations] == [
        ("13", note.text_ru, note.text)
    ]
    assert ru.citations[0].unofficial and f"{note.text_ru} (п. 13)" in ru.text
    # a question about the paragraph's content still quotes its sentences
    content = answer(engine, "Что понимается под перевозкой? п. 6")
    assert all(c.sentence_index >= 0 for c in content.citations)


@pytest.mark.parametrize(
    ("question", "reason"),
    [
        ("", "empty"),
        ("   \u200b  ", "empty"),
        ("How do I register a company?", "language"),
        ("如何登记公司", "language"),
        ("Как зарегистрировать ИП?", "not_covered"),
        ("Алимент қалай өндіріледі?", "not_covered"),
        ("а" * (MAX_QUESTION_CHARS + 1), "too_long"),
        ("б" * 100_000, "too_long"),
    ],
)
def test_abstention_reasons(engine, question, reason):
    ans = answer(engine, question)
    assert ans.abstained and ans.reason == reason
    assert ans.citations == ()


def test_abstention_speaks_the_question_language(engine):
    kk = answer(engine, "Алимент қалай өндіріледі?")
    ru = answer(engine, "Как зарегистрировать ИП?")
    assert kk.lang == "kk" and "қаулыда" in kk.text.lower()
    assert ru.lang == "ru" and "постановление" in ru.text.lower()
    assert ru.related and "Возможно" in ru.text
