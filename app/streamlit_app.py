"""ZanQA chat UI: a thin Streamlit layer over ``zanqa.answer``.

Run with `make run` (builds the index if it is missing or stale first).
Everything the user typed is shown with ``st.text`` — never as Markdown or HTML.
"""

from __future__ import annotations

import html

import streamlit as st

from zanqa.answer import Answer, answer
from zanqa.generate import Generated, LLMConfig, generate
from zanqa.messages import full_citation, paragraph_label, t
from zanqa.retrieve import Engine
from zanqa.text import split_sentences

EXAMPLES = {
    "kk": [
        "Адамды тасу қашан аяқталды деп есептеледі?",
        "Адамды қанау ұғымына не жатады?",
        "Кәмелетке толмаған адамды сату қалай сараланады?",
    ],
    "ru": [
        "Когда перевозка человека считается оконченной?",
        "Что понимается под эксплуатацией человека?",
        "Как разграничить вербовку и вовлечение в занятие проституцией?",
    ],
}

st.set_page_config(page_title="ZanQA", page_icon="⚖️", layout="wide")


@st.cache_resource(show_spinner=False)
def get_engine() -> Engine:
    """One engine per process, shared by every session (Engine.search is thread-safe)."""
    return Engine.load(build_if_needed=True)


def _state():
    ss = st.session_state
    ss.setdefault("history", [])  # list of (question, Answer, Generated | None)
    ss.setdefault("ui_lang", None)  # None until chosen or set by the first question
    ss.setdefault("open_paragraph", None)
    ss.setdefault("pending", None)
    return ss


def render_paragraph(
    engine: Engine, paragraph_id: str, lang: str, highlight: set[int], score: float | None
) -> None:
    """The full paragraph, quoted sentences highlighted, with notes, articles and citation."""
    paragraph = engine.corpus.get(paragraph_id)

    def marked(text: str, marks: set[int]) -> str:
        parts = []
        for i, sentence in enumerate(split_sentences(text)):
            safe = html.escape(sentence)
            parts.append(f"<mark>{safe}</mark>" if i in marks else safe)
        return " ".join(parts)

    if lang == "ru":
        tab_ru, tab_kk = st.tabs(["Русский (неофициальный перевод)", t("ru", "authoritative")])
        with tab_ru:
            st.caption(t("ru", "unofficial"))
            st.markdown(marked(paragraph.ru, highlight), unsafe_allow_html=True)
        with tab_kk:
            st.markdown(html.escape(paragraph.kk), unsafe_allow_html=True)
    else:
        st.markdown(marked(paragraph.kk, highlight), unsafe_allow_html=True)
    st.markdown(f"**{t(lang, 'amendments')}**")
    if paragraph.notes:
        for note in paragraph.notes:
            st.text(note.text)
    else:
        st.caption(t(lang, "no_amendments"))
    if paragraph.articles:
        refs = []
        for ref in paragraph.articles:
            label = f"{ref.code} {ref.article}"
            if ref.part:
                label += f" ч.{ref.part}" if lang == "ru" else f" {ref.part}-бөлік"
            if ref.point:
                label += f" п.{ref.point}" if lang == "ru" else f" {ref.point}-тармақ"
            refs.append(label)
        st.markdown(f"**{t(lang, 'articles')}:** " + html.escape(", ".join(refs)))
    if score is not None:
        st.caption(f"{t(lang, 'score')}: {score:.3f}")
    st.caption(t(lang, "copy_citation"))
    st.code(full_citation(paragraph_id, lang), language=None)


def render_generated(lang: str, generated: Generated) -> None:
    """The model's sentences that passed the citation check, as plain text."""
    if not generated.usable:
        st.caption(t(lang, "llm_failed"))
        return
    st.markdown(f"**{t(lang, 'generated')}**")
    for sentence in generated.kept:
        st.text(sentence.text)
    if generated.dropped:
        st.caption(t(lang, "dropped", n=generated.dropped))


def render_answer(engine: Engine, ans: Answer, generated: Generated | None = None) -> None:
    lang = ans.lang
    if ans.abstained:
        st.warning(ans.text.split("\n\n")[0])
        if ans.related:
            st.caption(t(lang, "may_be_related"))
            for pid in ans.related:
                hit = next((h for h in ans.hits if h.paragraph_id == pid), None)
                title = getattr(engine.corpus.get(pid), f"title_{lang}")
                with st.expander(f"{paragraph_label(pid, lang)} — {title}"):
                    render_paragraph(engine, pid, lang, set(), hit.score if hit else None)
        return
    if generated is not None:
        render_generated(lang, generated)
    st.markdown(t(lang, "answer_intro"))
    for citation in ans.citations:
        st.markdown(f"> {html.escape(citation.sentence)} **({html.escape(citation.label)})**")
    if lang == "ru":
        st.caption(t("ru", "unofficial"))
    st.markdown(f"**{t(lang, 'sources')}**")
    cited = {}
    for c in ans.citations:
        cited.setdefault(c.paragraph_id, set()).add(c.sentence_index)
    for hit in ans.hits[:5]:
        title = getattr(engine.corpus.get(hit.paragraph_id), f"title_{lang}")
        mark = "📌 " if hit.paragraph_id in cited else ""
        with st.expander(f"{mark}{paragraph_label(hit.paragraph_id, lang)} — {title} · {hit.score:.2f}"):
            render_paragraph(engine, hit.paragraph_id, lang, cited.get(hit.paragraph_id, set()), hit.score)


def _on_lang_change() -> None:
    st.session_state.ui_lang = st.session_state.lang_choice


def llm_settings(lang: str) -> LLMConfig | None:
    """Endpoint and model for the optional generated answer (defaults from ZANQA_LLM_*)."""
    env = LLMConfig.from_env()
    with st.expander(t(lang, "llm_settings"), expanded=False):
        enabled = st.checkbox(t(lang, "llm_enable"), value=env is not None, key="llm_enable")
        base_url = st.text_input(t(lang, "llm_endpoint"), value=env.base_url if env else "", key="llm_url")
        model = st.text_input(t(lang, "llm_model"), value=env.model if env else "", key="llm_model")
    if not (enabled and base_url.strip() and model.strip()):
        return None
    if env and (base_url, model) == (env.base_url, env.model):
        return env
    return LLMConfig(base_url=base_url.strip(), model=model.strip())


def sidebar(engine: Engine, ss) -> tuple[str, str | None, LLMConfig | None]:
    lang = ss.ui_lang or "kk"
    ss.lang_choice = lang  # the switch shows the current language, also when the first question set it
    with st.sidebar:
        st.radio(
            "Тіл / Язык",
            options=["kk", "ru"],
            format_func=lambda code: "Қазақша" if code == "kk" else "Русский",
            horizontal=True,
            key="lang_choice",
            on_change=_on_lang_change,
        )
        st.subheader(t(lang, "examples"))
        for i, example in enumerate(EXAMPLES["kk"] + EXAMPLES["ru"]):
            if st.button(example, key=f"example-{i}", use_container_width=True):
                ss.pending = example
        st.subheader(t(lang, "contents"))
        for p in engine.corpus.paragraphs:
            title = p.title_kk if lang == "kk" else p.title_ru
            if st.button(
                f"{paragraph_label(p.id, lang)} — {title}", key=f"toc-{p.id}", use_container_width=True
            ):
                ss.open_paragraph = p.id
        documents = sorted({p.doc_id for p in engine.corpus.paragraphs})
        doc_id = None
        if len(documents) > 1:
            doc_id = st.selectbox(t(lang, "document_filter"), [None, *documents], key="doc_filter")
        llm = llm_settings(lang)
        if st.button(t(lang, "history_clear"), key="clear"):
            ss.history = []
    return lang, doc_id, llm


def main() -> None:
    ss = _state()
    with st.spinner("ZanQA: индекс жүктелуде / загрузка индекса…"):
        engine = get_engine()
    lang, doc_id, llm = sidebar(engine, ss)
    st.title(t(lang, "app_title"))
    st.caption(t(lang, "app_caption"))
    if ss.open_paragraph:
        pid = ss.open_paragraph
        title = getattr(engine.corpus.get(pid), f"title_{lang}")
        with st.expander(f"{paragraph_label(pid, lang)} — {title}", expanded=True):
            render_paragraph(engine, pid, lang, set(), None)

    question = st.chat_input(t(lang, "input_placeholder"))
    if ss.pending and not question:
        question, ss.pending = ss.pending, None
    if question:
        ans = answer(engine, question, ui_lang=lang, doc_id=doc_id)
        generated = None
        if llm is not None and not ans.abstained:
            with st.spinner(t(lang, "llm_settings")):
                generated = generate(question, ans, engine, llm)  # never raises; falls back below
        if ss.ui_lang is None and ans.detected_lang in ("kk", "ru"):
            ss.ui_lang = ans.detected_lang  # the interface follows the first question
        ss.history.append((question, ans, generated))
        if ss.ui_lang != lang:
            st.rerun()

    for asked, ans, generated in ss.history:
        with st.chat_message("user"):
            st.text(asked)
        with st.chat_message("assistant"):
            render_answer(engine, ans, generated)


main()
