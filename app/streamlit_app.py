"""ZanQA chat UI: a thin Streamlit layer over ``zanqa.answer``.

Run with `make run` (builds the index if it is missing or stale first).
Everything the user typed is shown with ``st.text`` — never as Markdown or HTML.
"""

from __future__ import annotations

import html

import streamlit as st

from zanqa.answer import Answer, answer
from zanqa.citator import Node
from zanqa.engine import Engine, shared_engine
from zanqa.export import answer_filename, answer_markdown, view_link
from zanqa.generate import Generated, LLMConfig, generate
from zanqa.history import timeline
from zanqa.messages import code_name, full_citation, paragraph_label, t
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
    ss.setdefault("open_marks", None)  # (paragraph id, sentence indexes) the article index asked to highlight
    return ss


def base_url() -> str:
    """The app's address in the browser, for links that open the same view ("" when unknown)."""
    try:
        return st.context.url or ""
    except Exception:  # no browser context (e.g. a bare script run)
        return ""


def read_query_params(engine: Engine, ss) -> None:
    """Once per session, the link's view: ``?lang=ru`` sets the interface,
    ``?p=9-1`` opens paragraph 9-1, ``?q=…`` asks the question."""
    if ss.get("query_params_read"):
        return
    ss.query_params_read = True
    params = st.query_params
    if params.get("lang") in ("kk", "ru"):
        ss.ui_lang = params["lang"]
    paragraph = params.get("p")
    if paragraph in engine.corpus.ids:
        ss.open_paragraph = paragraph
    question = (params.get("q") or "").strip()
    if question:
        ss.pending = question
    if params.get("a"):
        ss.article_choice = article_from_link(engine, params["a"])


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
    link = html.escape(view_link(base_url(), p=paragraph_id, lang=lang), quote=True)
    blocks.append(
        f"<p><small>{html.escape(t(lang, 'link'))}: "
        f'<a href="{link}" target="_blank" rel="noopener">{link}</a></small></p>'
    )
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
        mark = f"[{t(lang, 'quoted')}] " if key in cited else ""  # a text marker: no emoji font needed
        heading = mark + "{label} — {title} · {score:.2f}"
        paragraph_expander(engine, lang, hit.paragraph_id, hit.doc_id, cited.get(key), hit.score, heading)


def answer_actions(engine: Engine, ans: Answer) -> None:
    """A copyable link that asks the same question, and the answer as a Markdown file."""
    lang = ans.lang
    link = view_link(base_url(), q=ans.question, lang=lang)
    st.caption(t(lang, "link"))
    st.code(link, language=None, wrap_lines=True)
    st.download_button(
        t(lang, "download"),
        data=answer_markdown(ans, engine.corpus, link=link),
        file_name=answer_filename(ans),
        mime="text/markdown",
        key=f"download-{id(ans)}",  # one per answer object kept in the history
        on_click="ignore",
    )


def _open_cited(paragraph_id: str, marks: tuple[int, ...]) -> None:
    st.session_state.open_paragraph = paragraph_id
    st.session_state.open_marks = (paragraph_id, marks)


def _article_key(node: Node) -> str:
    """How a link and the sidebar name an article: "ҚК:128", "ҚПК:47"."""
    return f"{node.code}:{node.article}"


def article_from_link(engine: Engine, value: str) -> str | None:
    """``?a=128`` (the Criminal Code's, or the first code citing it) or ``?a=ҚПК:47`` → the article's key."""
    keys = [_article_key(a) for code in engine.article_index for a in code.children]
    value = value.strip()
    return next((k for k in keys if k == value or k.split(":", 1)[1] == value), None)


def glossary_sidebar(engine: Engine, lang: str) -> None:
    """The terms the resolution defines (``zanqa.glossary``): each opens its paragraph with
    the defining sentence highlighted."""
    with st.expander(t(lang, "glossary")):
        if lang == "ru":
            st.caption(t("ru", "unofficial"))
        for i, term in enumerate(engine.glossary):
            d = term.get(lang) or term.get("kk")
            label = engine.corpus.label(term.paragraph_id, term.doc_id, lang)
            st.button(
                f"{d.term} — {label}",
                key=f"term-{i}",
                use_container_width=True,
                on_click=_open_cited,
                args=(term.paragraph_id, (d.sentence_index,)),
            )


def article_index_sidebar(engine: Engine, lang: str) -> None:
    """The sidebar's entry to the article index: a choice of every article the resolution cites."""
    index = engine.article_index
    articles = {_article_key(a): a for code in index for a in code.children}
    st.subheader(t(lang, "article_index"))
    st.selectbox(
        t(lang, "article_index"),
        options=list(articles),
        index=None,
        format_func=lambda key: articles[key].label(lang),
        placeholder=t(lang, "article_choose"),
        key="article_choice",
        label_visibility="collapsed",
        help=t(lang, "article_index_help"),
    )


def _article_link_value(engine: Engine, key: str) -> str:
    """The shortest ``?a=`` value that opens ``key``: "128" for the Criminal Code's art. 128."""
    number = key.split(":", 1)[1]
    return number if article_from_link(engine, number) == key else key


def render_article_view(engine: Engine, lang: str, key: str) -> None:
    """One article of the index: the article, its parts and points, one
    expander each, holding the sentences of the citing paragraphs; a button
    opens the paragraph with those sentences marked."""
    index = engine.article_index
    article = next((a for code in index for a in code.children if _article_key(a) == key), None)
    if article is None:
        return
    nodes = [node for node in article.walk() if node.citing]
    with st.container(border=True, key="article-view"):
        st.subheader(f"{t(lang, 'article_index')}: {article.label(lang)}")
        st.caption(
            f"{code_name(article.code, lang)} · {t(lang, 'article_cited_in', n=len(article.paragraph_ids()))}"
            f" · {t(lang, 'link')}: {view_link(base_url(), a=_article_link_value(engine, key), lang=lang)}"
        )
        if lang == "ru":
            st.caption(t("ru", "unofficial"))
        for node in nodes:
            whole = f" ({t(lang, 'whole_article')})" if node.level == "article" else ""
            cited = ", ".join(engine.corpus.label(c.paragraph_id, c.doc_id, lang) for c in node.citing)
            with st.expander(f"{node.label(lang)}{whole} — {cited}", expanded=len(nodes) == 1):
                for c in node.citing:
                    label = engine.corpus.label(c.paragraph_id, c.doc_id, lang)
                    title = getattr(engine.corpus.get(c.paragraph_id, c.doc_id), f"title_{lang}")
                    shown = c.sentences_ru if lang == "ru" and c.sentences_ru else c.sentences_kk
                    quotes = "\n\n".join(
                        f"> {html.escape(sentence)} **({html.escape(label)})**" for sentence in shown
                    )
                    st.markdown(quotes or f"**({html.escape(label)})**")
                    st.button(
                        f"{t(lang, 'open_paragraph')}: {label} — {title}",
                        key=f"cite-{node.code}-{node.article}-{node.part}-{node.point}-{c.doc_id}-{c.paragraph_id}",
                        on_click=_open_cited,
                        args=(c.paragraph_id, c.sentence_indexes),
                        type="tertiary",
                    )
        st.button(t(lang, "article_close"), key="article-close", on_click=_set, args=("article_choice", None))


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
        article_index_sidebar(engine, lang)
        glossary_sidebar(engine, lang)
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
        answer_actions(engine, ans)


def main() -> None:
    ss = _state()
    with st.spinner("ZanQA: индекс жүктелуде / загрузка индекса…"):
        engine = get_engine()
    read_query_params(engine, ss)
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
            marks = ss.open_marks[1] if ss.open_marks and ss.open_marks[0] == ss.open_paragraph else ()
            paragraph_expander(engine, lang, ss.open_paragraph, highlight=set(marks), expanded=True)
        if ss.get("article_choice"):
            render_article_view(engine, lang, ss.article_choice)
    with past:
        for asked, ans, generated in history:
            render_exchange(engine, asked, ans, generated)


main()
