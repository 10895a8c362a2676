"""The Streamlit app, driven by AppTest (no browser)."""

import pytest
from streamlit.testing.v1 import AppTest

from zanqa.answer import answer

from .conftest import ROOT
from .fake_llm import FakeLLM

APP = str(ROOT / "app" / "streamlit_app.py")


@pytest.fixture()
def app(real_index_dir, monkeypatch):
    monkeypatch.setenv("ZANQA_INDEX_DIR", str(real_index_dir))
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    assert not at.exception, at.exception
    return at


def texts(at) -> str:
    parts = [m.value for m in at.markdown] + [w.value for w in at.warning] + [c.value for c in at.caption]
    parts += [t.value for t in at.text] + [e.label for e in at.expander] + [c.value for c in at.code]
    return "\n".join(str(p) for p in parts)


def test_kazakh_question_gets_a_cited_answer(app):
    app.chat_input[0].set_value("Адамды тасу қашан аяқталды деп есептеледі?").run()
    assert not app.exception
    body = texts(app)
    assert "(6-тармақ)" in body
    assert "ҚР Жоғарғы Сотының 2012 жылғы 29 желтоқсандағы № 7 нормативтік қаулысы, 6-тармақ" in body


def test_russian_question_gets_an_unofficial_translation_answer(app):
    app.chat_input[0].set_value("Когда перевозка человека считается оконченной?").run()
    body = texts(app)
    assert "(п. 6)" in body
    assert "неофициальный рабочий перевод" in body.lower()
    # the interface followed the first question
    assert app.session_state.ui_lang == "ru"


def test_out_of_scope_question_gets_the_abstention_message(app):
    app.chat_input[0].set_value("Как зарегистрировать ИП?").run()
    assert any("не отвечает на ваш вопрос" in w.value for w in app.warning)


def test_language_switch_changes_the_labels(app):
    assert "Қаулының мазмұны" in [s.value for s in app.sidebar.subheader]
    app.sidebar.radio[0].set_value("ru").run()
    assert "Содержание постановления" in [s.value for s in app.sidebar.subheader]
    assert app.chat_input[0].placeholder.startswith("Задайте вопрос")


def test_history_survives_a_rerun(app):
    app.chat_input[0].set_value("Адамды тасу қашан аяқталды деп есептеледі?").run()
    app.chat_input[0].set_value("Қылмыстық топ деген не?").run()
    app.run()
    asked = [m.text[0].value for m in app.main.get("chat_message") if m.name == "user"]
    assert asked == [
        "Адамды тасу қашан аяқталды деп есептеледі?",
        "Қылмыстық топ деген не?",
    ]


def test_user_text_is_never_rendered_as_markup(app):
    hostile = "<script>alert(1)</script> **жирный** [ссылка](http://example.com) что такое вербовка?"
    app.chat_input[0].set_value(hostile).run()
    assert not app.exception
    assert hostile in [t.value for t in app.text]
    assert all("<script>" not in m.value for m in app.markdown)


def test_table_of_contents_opens_a_paragraph(app):
    app.sidebar.button(key="toc-9-1").click().run()
    assert any(e.label.startswith("9-1-тармақ") for e in app.expander)


def test_example_button_asks_it_and_clear_empties_the_history(app):
    app.chat_input[0].set_value("Қылмыстық топ деген не?").run()
    app.sidebar.button(key="example-3").click().run()  # "Когда перевозка человека считается оконченной?"
    asked = [m.text[0].value for m in app.main.get("chat_message") if m.name == "user"]
    assert asked == ["Қылмыстық топ деген не?", "Когда перевозка человека считается оконченной?"]
    assert "(п. 6)" in texts(app)
    app.sidebar.button(key="clear").click().run()
    assert not app.main.get("chat_message")


def _app_with_llm(real_index_dir, monkeypatch, base_url: str) -> AppTest:
    monkeypatch.setenv("ZANQA_INDEX_DIR", str(real_index_dir))
    monkeypatch.setenv("ZANQA_LLM_BASE_URL", base_url)
    monkeypatch.setenv("ZANQA_LLM_MODEL", "canned")
    monkeypatch.setenv("ZANQA_LLM_TIMEOUT", "5")
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    assert not at.exception, at.exception
    return at


def test_generated_answer_shows_only_checked_sentences(real_index_dir, engine, monkeypatch):
    question = "Когда перевозка человека считается оконченной?"
    sentence = answer(engine, question).citations[0].sentence
    reply = f"{sentence} [п. 6]. Луна сделана из сыра и продается на рынке [п. 6]. Без ссылки вообще."
    with FakeLLM(reply) as server:
        at = _app_with_llm(real_index_dir, monkeypatch, server.base_url)
        at.chat_input[0].set_value(question).run()
        assert not at.exception, at.exception
        assert len(server.requests) == 1
    shown = [t.value for t in at.text]
    assert f"{sentence} [п. 6]." in shown
    assert not any("Луна" in s or "Без ссылки" in s for s in shown)
    assert any("Удалено предложений без проверенной ссылки: 2." in c.value for c in at.caption)
    assert "(п. 6)" in texts(at)  # the verbatim quotes stay under the generated answer


def test_model_failure_falls_back_to_quotes(real_index_dir, monkeypatch):
    at = _app_with_llm(real_index_dir, monkeypatch, "http://127.0.0.1:9/v1")  # nothing listens on port 9
    at.chat_input[0].set_value("Адамды тасу қашан аяқталды деп есептеледі?").run()
    assert not at.exception, at.exception
    assert any("Тілдік модель жауап бермеді" in c.value for c in at.caption)
    assert "(6-тармақ)" in texts(at)


def test_app_shows_the_refusal_reason_and_the_answer_confidence(app):
    # Fails if a refusal by intent shows a generic message instead of its own reason, or if an
    # answer decided by the in-scope model hides its confidence.
    app.chat_input[0].set_value("Какой срок лишения свободы по ст. 135 УК?").run()
    assert any("не устанавливает наказаний" in w.value for w in app.warning)
    app.chat_input[0].set_value("Когда перевозка человека считается оконченной?").run()
    confidence = [c.value for c in app.caption if c.value.startswith("Уверенность: ")]
    assert confidence and confidence[-1].endswith("%")
    assert 50 <= int(confidence[-1].split(": ")[1].rstrip("%")) <= 100
