"""One answer to take away: the question, the quoted sentences with their
citations, the full citation of the act (from the corpus's document record),
the unofficial-translation notice where Russian is shown, and the date, as a
Markdown text that also reads as plain text. The app offers it through
``st.download_button``; nothing here imports Streamlit."""

from __future__ import annotations

import datetime as dt
from urllib.parse import quote, urlsplit

from zanqa.answer import Answer
from zanqa.corpus import Corpus, Document
from zanqa.history import timeline
from zanqa.messages import t


def act_citation(document: Document, lang: str) -> str:
    """The act's full citation from its record: requisites and title,
    "… № 7 нормативтік қаулысы «Адам саудасы …»" / "Нормативное постановление … № 7 «О практике …»"."""
    requisites = document.requisites_kk if lang == "kk" else document.requisites_ru or document.requisites_kk
    title = document.title_kk if lang == "kk" else document.title_ru or document.title_kk
    return f"{requisites} «{title}»" if title else requisites


def _quote(value: str) -> str:
    """Percent-encode what a query value cannot hold (ASCII punctuation, spaces,
    control characters) and keep letters beyond ASCII as they are, so a Kazakh
    or Russian question stays readable in the link (browsers encode it on use)."""
    return "".join(
        ch if ord(ch) > 127 and ch.isprintable() and not ch.isspace() else quote(ch, safe="-_.~")
        for ch in value
    )


def view_link(base: str, **params: str | None) -> str:
    """A link that opens the same view: ``base`` + "?q=…&lang=…" (``p`` for a
    paragraph); empty values are left out. ``base`` may be "" (a relative link)."""
    if base and not urlsplit(base).path:
        base += "/"  # "http://host:8501" → "http://host:8501/"
    query = "&".join(f"{k}={_quote(v)}" for k, v in params.items() if v)
    return f"{base}?{query}" if query else base


def answer_markdown(ans: Answer, corpus: Corpus, day: dt.date | None = None, link: str = "") -> str:
    """The whole answer as Markdown (also readable as plain text)."""
    lang = ans.lang
    day = day or dt.date.today()
    act = act_citation(corpus.document, lang)
    lines = [f"# {t(lang, 'export_title')}", "", f"## {t(lang, 'export_question')}", "", ans.question, ""]
    lines += [f"## {t(lang, 'export_answer')}", "", ans.message, ""]
    if ans.abstained and ans.related_labels:
        lines += [t(lang, "may_be_related") + " " + ", ".join(ans.related_labels), ""]
    for c in ans.citations:
        lines += [f"> {c.sentence} ({c.label})", ">"]
        if c.doc_id == corpus.document.id:
            lines.append(f"> — {act}, {c.label}")
        else:
            lines.append(f"> — {c.doc_id}, {c.label}")
        if c.unofficial and c.sentence_kk:
            lines += [">", f"> {t(lang, 'export_kk_original')}: {c.sentence_kk}"]
        lines.append("")
    if lang == "ru" or any(c.unofficial for c in ans.citations):
        lines += [f"*{t('ru', 'unofficial')}*", ""]
    lines += [f"## {t(lang, 'export_source')}", "", act]
    acts = timeline(corpus)  # the act's amending resolutions, oldest first
    if acts:
        lines.append(t(lang, "export_amended", date=acts[-1].date, number=acts[-1].amendment.number))
    lines += ["", f"{t(lang, 'export_date')}: {day.isoformat()}"]
    if link:
        lines.append(f"{t(lang, 'link')}: {link}")
    return "\n".join(lines) + "\n"


def answer_filename(ans: Answer, day: dt.date | None = None) -> str:
    return f"zanqa-answer-{(day or dt.date.today()).isoformat()}.md"
