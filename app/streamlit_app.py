"""ZanQA chat UI: a thin Streamlit layer over ``zanqa.answer``.

Run with `make run` (builds the index if it is missing or stale first).
Everything the user typed is shown with ``st.text`` — never as Markdown or HTML.
"""

from __future__ import annotations

import html

import streamlit as st

from zanqa.answer import Answer, answer
from zanqa.engine import Engine, shared_engine
from zanqa.generate import Generated, LLMConfig, generate
from zanqa.history import timeline
from zanqa.messages import full_citation, paragraph_label, t
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
    """One engine per process, shared by every session (Engine.search is thread-safe);
    `zanqa app` has usually loaded it already while the browser was connecting."""
    return shared_engine()


def _state():
    ss = st.session_state
    ss.setdefault("history", [])  # list of (question, Answer, Generated | None)
    ss.setdefault("ui_lang", None)  # None until chosen or set by the first question
    ss.setdefault("open_paragraph", None)
    ss.setdefault("pending", None)
    return ss


def render_paragraph(
    engine: Engine,
    paragraph_id: str,
    lang: str,
    highlight: set[int],
    score: float | None,
    doc_id: str | None = None,
) -> None:
    """The full paragraph, quoted sentences highlighted, with notes, articles and citation.

    One escaped HTML block plus the copyable citation: two elements per
    paragraph keep a long chat history quick to re-render in the browser."""
    paragraph = engine.corpus.get(paragraph_id, doc_id)

    def marked(text: str, marks: set[int]) -> str:
        parts = []
        for i, sentence in enumerate(split_sentences(text)):
            safe = html.escape(sentence)
            parts.append(f"<mark>{safe}</mark>" if i in marks else safe)
        return " ".join(parts)

    if lang == "ru":
        blocks = [
            f"<p><small><em>{html.escape(t('ru', 'unofficial'))}</em></small></p>",
            f"<p>{marked(paragraph.ru, highlight)}</p>",
            f"<details><summary>{html.escape(t('ru', 'authoritative'))}</summary>"
            f"<p>{html.escape(paragraph.kk)}</p></details>",
        ]
    else:
        blocks = [f"<p>{marked(paragraph.kk, highlight)}</p>"]
    notes = "<br>".join(
        html.escape((note.text_ru or note.text) if lang == "ru" else note.text) for note in paragraph.notes
    )
    blocks.append(
        f"<p><strong>{html.escape(t(lang, 'amendments'))}</strong><br>"
        + (notes or f"<small>{html.escape(t(lang, 'no_amendments'))}</small>")
        + "</p>"
    )
    if paragraph.articles:
        refs = []
        for ref in paragraph.articles:
            label = f"{ref.code} {ref.article}"
            if ref.part:
                label += f" ч.{ref.part}" if lang == "ru" else f" {ref.part}-бөлік"
            if ref.point:
                label += f" п.{ref.point}" if lang == "ru" else f" {ref.point}-тармақ"
            refs.append(label)
        blocks.append(
            f"<p><strong>{html.escape(t(lang, 'articles'))}:</strong> {html.escape(', '.join(refs))}</p>"
        )
    if score is not None:
        blocks.append(f"<p><small>{html.escape(t(lang, 'score'))}: {score:.3f}</small></p>")
    blocks.append(f"<p><small>{html.escape(t(lang, 'copy_citation'))}</small></p>")
    st.markdown("\n".join(blocks), unsafe_allow_html=True)
    st.code(full_citation(paragraph_id, lang, engine.corpus.cited_doc(doc_id)), language=None)


def paragraph_expander(
    engine: Engine,
    lang: str,
    paragraph_id: str,
    doc_id: str | None = None,
    highlight: set[int] | None = None,
    score: float | None = None,
    heading: str = "{label} — {title}",
    expanded: bool = False,
) -> None:
    """An expander titled with the paragraph's citation and title, holding the paragraph."""
    title = getattr(engine.corpus.get(paragraph_id, doc_id), f"title_{lang}")
    label = engine.corpus.label(paragraph_id, doc_id, lang)
    with st.expander(heading.format(label=label, title=title, score=score), expanded=expanded):
        render_paragraph(engine, paragraph_id, lang, highlight or set(), score, doc_id)


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


def confidence_caption(ans: Answer) -> None:
    """The in-scope model's probability that the resolution answers the question, when it decided."""
    if ans.confidence is not None:
        st.caption(f"{t(ans.lang, 'confidence')}: {ans.confidence:.0%}")


def render_answer(engine: Engine, ans: Answer, generated: Generated | None = None) -> None:
    lang = ans.lang
    if ans.abstained:
        st.warning(ans.message)
        confidence_caption(ans)
        if ans.related:
            st.caption(t(lang, "may_be_related"))
            for hit in ans.hits[: len(ans.related)]:  # the related paragraphs are the first hits
                paragraph_expander(engine, lang, hit.paragraph_id, hit.doc_id, score=hit.score)
        return
    if generated is not None:
        render_generated(lang, generated)
    st.markdown(ans.message)
    confidence_caption(ans)
    for citation in ans.citations:
        st.markdown(f"> {html.escape(citation.sentence)} **({html.escape(citation.label)})**")
    if lang == "ru":
        st.caption(t("ru", "unofficial"))
    st.markdown(f"**{t(lang, 'sources')}**")
    cited = {}
    for c in ans.citations:
        cited.setdefault((c.doc_id, c.paragraph_id), set()).add(c.sentence_index)
    for hit in ans.hits[:5]:
        key = (hit.doc_id, hit.paragraph_id)
        mark = "📌 " if key in cited else ""
        heading = mark + "{label} — {title} · {score:.2f}"
        paragraph_expander(engine, lang, hit.paragraph_id, hit.doc_id, cited.get(key), hit.score, heading)


def _on_lang_change() -> None:
    st.session_state.ui_lang = st.session_state.lang_choice


def _set(name: str, value) -> None:
    """Button callback: runs before the script, so this run already sees it."""
    st.session_state[name] = value


def llm_config(ss) -> LLMConfig | None:
    """The optional generated answer's endpoint and model: the sidebar's
    settings as last submitted, else the ZANQA_LLM_* environment."""
    env = LLMConfig.from_env()
    enabled = ss.get("llm_enable", env is not None)
    base_url = str(ss.get("llm_url", env.base_url if env else "")).strip()
    model = str(ss.get("llm_model", env.model if env else "")).strip()
    if not (enabled and base_url and model):
        return None
    if env and (base_url, model) == (env.base_url, env.model):
        return env
    return LLMConfig(base_url=base_url, model=model)


def llm_settings(lang: str) -> None:
    env = LLMConfig.from_env()
    with st.expander(t(lang, "llm_settings"), expanded=False):
        st.checkbox(t(lang, "llm_enable"), value=env is not None, key="llm_enable")
        st.text_input(t(lang, "llm_endpoint"), value=env.base_url if env else "", key="llm_url")
        st.text_input(t(lang, "llm_model"), value=env.model if env else "", key="llm_model")


def amendment_timeline(engine: Engine, lang: str) -> None:
    """The resolution's amendment timeline: an expander per amending resolution,
    oldest first, with the paragraphs it added, set out anew or changed and its
    document-wide notes verbatim (Russian: the working translation, so labelled)."""
    st.subheader(t(lang, "history_title"))
    if lang == "ru":
        st.caption(t("ru", "unofficial"))
    acts = timeline(engine.corpus)
    if not acts:
        st.caption(t(lang, "history_none"))
    for act in acts:
        with st.expander(act.heading(lang)):
            rows = (
                f"<p><strong>{html.escape(label)}:</strong> {html.escape(text).replace(chr(10), '<br>')}</p>"
                for label, text in act.rows(lang)
            )
            st.markdown("\n".join(rows), unsafe_allow_html=True)


def sidebar(engine: Engine, ss, lang: str) -> None:
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
            st.button(
                example,
                key=f"example-{i}",
                use_container_width=True,
                on_click=_set,
                args=("pending", example),
            )
        st.subheader(t(lang, "contents"))
        for p in engine.corpus.paragraphs:
            title = p.title_kk if lang == "kk" else p.title_ru
            st.button(
                f"{paragraph_label(p.id, lang)} — {title}",
                key=f"toc-{p.id}",
                use_container_width=True,
                on_click=_set,
                args=("open_paragraph", p.id),
            )
        documents = sorted({p.doc_id for p in engine.corpus.paragraphs})
        if len(documents) > 1:
            st.selectbox(t(lang, "document_filter"), [None, *documents], key="doc_filter")
        amendment_timeline(engine, lang)
        llm_settings(lang)
        st.button(t(lang, "history_clear"), key="clear", on_click=_set, args=("history", []))


def render_exchange(engine: Engine, asked: str, ans: Answer, generated: Generated | None) -> None:
    with st.chat_message("user"):
        st.text(asked)
    with st.chat_message("assistant"):
        render_answer(engine, ans, generated)


def main() -> None:
    ss = _state()
    with st.spinner("ZanQA: индекс жүктелуде / загрузка индекса…"):
        engine = get_engine()
    lang = ss.ui_lang or "kk"
    question = st.chat_input(t(lang, "input_placeholder"))
    if ss.pending and not question:
        question, ss.pending = ss.pending, None
    # Places on the page, filled below in the order that gets the new answer
    # to the browser first (Streamlit sends elements in the order they are made).
    header, past, current = st.container(), st.container(), st.container()
    history = ss.history
    if question:
        ans = answer(engine, question, ui_lang=lang, doc_id=ss.get("doc_filter"))
        generated = None
        llm = llm_config(ss)
        if llm is not None and not ans.abstained:
            with current, st.spinner(t(lang, "llm_settings")):
                generated = generate(question, ans, engine, llm)  # never raises; falls back below
        history = [*ss.history]
        ss.history.append((question, ans, generated))
        if ss.ui_lang is None and ans.detected_lang in ("kk", "ru"):
            ss.ui_lang = ans.detected_lang  # the interface follows the first question
            if ss.ui_lang != lang:
                st.rerun()
        with current:
            render_exchange(engine, question, ans, generated)
    sidebar(engine, ss, lang)
    with header:
        st.title(t(lang, "app_title"))
        st.caption(t(lang, "app_caption"))
        if ss.open_paragraph:
            paragraph_expander(engine, lang, ss.open_paragraph, expanded=True)
    with past:
        for asked, ans, generated in history:
            render_exchange(engine, asked, ans, generated)


main()
