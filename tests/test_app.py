"""The Streamlit app, driven by AppTest (no browser)."""

import pytest
from streamlit.testing.v1 import AppTest

from zanqa.answer import answer

from .conftest import APP, ROOT
from .fake_llm import FakeLLM


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


# ---------------------------------------------------------------- links, article index, download


def _app_at(real_index_dir, monkeypatch, **params) -> AppTest:
    """The app opened through a link with these query parameters."""
    monkeypatch.setenv("ZANQA_INDEX_DIR", str(real_index_dir))
    at = AppTest.from_file(APP, default_timeout=120)
    for name, value in params.items():
        at.query_params[name] = value
    at.run()
    assert not at.exception, at.exception
    return at


def test_link_opens_a_paragraph_in_either_language(real_index_dir, monkeypatch):
    """Fails if ``?p=9-1`` does not open paragraph 9-1, or ``?lang=ru`` does not
    set the Russian interface."""
    at = _app_at(real_index_dir, monkeypatch, p="9-1")
    assert any(e.label.startswith("9-1-тармақ") for e in at.expander)
    at = _app_at(real_index_dir, monkeypatch, p="9-1", lang="ru")
    assert any(e.label.startswith("п. 9-1 —") for e in at.expander)
    assert "Содержание постановления" in [s.value for s in at.sidebar.subheader]
    at = _app_at(real_index_dir, monkeypatch, p="99")  # no such paragraph: nothing opened, no error
    assert not any(e.label.startswith("99") for e in at.expander)


def test_link_asks_its_question_once_and_offers_its_own_link(real_index_dir, monkeypatch):
    """Fails if ``?q=…`` does not answer the question, asks it again on the
    next rerun, or the answer lacks a copyable link that asks it again."""
    question = "Когда перевозка человека считается оконченной?"
    at = _app_at(real_index_dir, monkeypatch, q=question)
    assert "(п. 6)" in texts(at)
    at.run()
    asked = [m.text[0].value for m in at.main.get("chat_message") if m.name == "user"]
    assert asked == [question]
    links = [c.value for c in at.code if "?q=" in c.value]
    assert len(links) == 1
    from urllib.parse import parse_qs, urlsplit

    assert parse_qs(urlsplit(links[0]).query) == {"q": [question], "lang": ["ru"]}
    # every source paragraph carries a link that opens it
    sources = [e for e in at.expander if " · " in e.label]  # "п. 6 — title · score"
    assert sources
    for source in sources:
        pid = source.label.split(" — ")[0].split("п. ")[1]
        assert any(f'?p={pid}&amp;lang=ru"' in m.value for m in source.markdown), source.label


def test_source_labels_mark_quoted_paragraphs_with_text_not_emoji(app):
    """Fails if a source label uses an emoji (a box where the font lacks it)
    or the quoted paragraph is not marked."""
    app.chat_input[0].set_value("Адамды тасу қашан аяқталды деп есептеледі?").run()
    labels = [e.label for e in app.expander]
    assert not any("📌" in label for label in labels)
    assert any(label.startswith("[дәйексөз] 6-тармақ") for label in labels)


@pytest.mark.parametrize(
    ("lang", "sentence", "paragraph"),
    [
        ("kk", "ҚК-нің 128-бабы екінші бөлігінің 6-тармағы", "12-тармақ"),
        ("ru", "по пункту 6) части второй статьи 128 УК", "п. 12"),
    ],
)
def test_article_index_opens_the_citing_paragraph(real_index_dir, monkeypatch, lang, sentence, paragraph):
    """Fails if the sidebar's article index does not list art. 128, its view
    does not show paragraph 12's sentence on part 2 point 6 (in the interface
    language), or its button does not open paragraph 12 with that sentence marked."""
    at = _app_at(real_index_dir, monkeypatch, lang=lang)
    box = at.sidebar.selectbox(key="article_choice")
    assert ("ҚК 128-бап" if lang == "kk" else "УК, ст. 128") in box.options
    box.set_value("ҚК:128").run()
    assert not at.exception, at.exception
    assert any(sentence in m.value and f"({paragraph})" in m.value for m in at.main.markdown)
    at.button(key="cite-ҚК-128-2-6-resolution-7-2012-12").click().run()
    opened = [e for e in at.expander if e.label.startswith(paragraph + " —")]
    assert opened, [e.label for e in at.expander]
    marked = [m.value for m in opened[0].markdown if "<mark>" in m.value]
    assert marked and sentence in marked[0].split("<mark>", 1)[1]
    at.button(key="article-close").click().run()
    assert not at.session_state.article_choice


def test_link_opens_the_article_index(real_index_dir, monkeypatch):
    """Fails if ``?a=128`` does not open the index at the Criminal Code's art. 128."""
    at = _app_at(real_index_dir, monkeypatch, a="128", lang="ru")
    assert at.session_state.article_choice == "ҚК:128"
    assert any("УК, ст. 128" in s.value for s in at.main.subheader)
    assert any("?a=128&lang=ru" in c.value for c in at.main.caption)  # the view's own link
    at = _app_at(real_index_dir, monkeypatch, a="ҚПК:47")
    assert at.session_state.article_choice == "ҚПК:47"
    assert any("?a=47&lang=kk" in c.value for c in at.main.caption)  # unique number: the short link


def test_download_holds_every_citation_of_the_shown_answer(real_index_dir, monkeypatch):
    """Fails if the file the download button serves lacks a citation of the
    answer on screen, the act's citation, or the unofficial-translation notice."""
    from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage

    served: list[tuple[bytes, str]] = []
    original = MemoryMediaFileStorage.load_and_get_id

    def record(self, path_or_data, mimetype, kind, filename=None):
        served.append((path_or_data, filename))
        return original(self, path_or_data, mimetype, kind, filename)

    monkeypatch.setattr(MemoryMediaFileStorage, "load_and_get_id", record)
    question = "Когда перевозка человека считается оконченной?"
    at = _app_at(real_index_dir, monkeypatch, q=question)
    assert [b.label for b in at.download_button] == ["Скачать ответ (.md)"]
    (data, filename), *_ = [(d, f) for d, f in served if f and f.endswith(".md")]
    text = data.decode("utf-8") if isinstance(data, bytes) else data
    shown = [m.value for m in at.markdown if m.value.startswith("> ")]
    ans = at.session_state.history[0][1]
    assert ans.citations
    for c in ans.citations:
        assert any(c.sentence in s for s in shown)  # the citation is on screen …
        assert f"{c.sentence} ({c.label})" in text  # … and in the file
    assert (
        "Нормативное постановление Верховного Суда Республики Казахстан от 29 декабря 2012 года № 7" in text
    )
    assert "неофициальный рабочий перевод" in text and question in text


def test_the_toolbar_is_minimal_however_the_app_is_started():
    """Fails if `zanqa app` or a plain `streamlit run` from the checkout would
    show Streamlit's "Deploy" button and developer menu (client.toolbarMode)."""
    import tomllib

    from zanqa.serve import streamlit_args

    args = streamlit_args(8501)
    assert args[args.index("--client.toolbarMode") + 1] == "minimal"
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["client"]["toolbarMode"] == "minimal"


@pytest.mark.parametrize(
    ("lang", "term", "paragraph", "sentence"),
    [
        ("kk", "жәбірленушілер", "11-тармақ", "жәбірленушілер деп таныған жөн"),
        ("ru", "Потерпевшими", "п. 11", "Потерпевшими следует признавать лиц"),
    ],
)
def test_glossary_opens_the_defining_paragraph(real_index_dir, monkeypatch, lang, term, paragraph, sentence):
    """Fails if the sidebar's glossary lacks a defined term, or its button does not open the
    defining paragraph with the defining sentence marked, in either interface language."""
    at = _app_at(real_index_dir, monkeypatch, lang=lang)
    buttons = [b for b in at.sidebar.button if b.key and b.key.startswith("term-")]
    assert len(buttons) >= 10
    chosen = [b for b in buttons if b.label.startswith(term + " — ")]
    assert chosen, [b.label for b in buttons]
    chosen[0].click().run()
    assert not at.exception, at.exception
    opened = [e for e in at.expander if e.label.startswith(paragraph + " —")]
    assert opened, [e.label for e in at.expander]
    marked = [m.value for m in opened[0].markdown if "<mark>" in m.value]
    assert marked and sentence in marked[0].split("<mark>", 1)[1].split("</mark>", 1)[0]
