"""The answer stage: question → ``Answer`` (ranked paragraphs, answer text,
citations, or an honest abstention).

The default answer is extractive: one to three sentences of the top
paragraphs quoted verbatim from the corpus, each followed by its citation.
A Russian question is answered from the Russian working translation (flagged
unofficial) with the parallel Kazakh sentences attached. Nothing in the text
is anything but corpus sentences and citation labels.

Questions are recorded only when $ZANQA_LOG_QUESTIONS names a file (one JSON
line per question, see ``log_question``); by default none is written or logged.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from dataclasses import dataclass, field, replace
from functools import lru_cache

from zanqa.citator import cited_summary
from zanqa.config import ENV_LOG_QUESTIONS, env
from zanqa.engine import Engine, Hit
from zanqa.messages import act_label, paragraph_label, t
from zanqa.query import AmendmentRefs, amendment_notes
from zanqa.text import detect_language, normalize, split_sentences, tokenize

MAX_QUESTION_CHARS = 2000
MAX_SENTENCES = 3
# A second paragraph contributes a sentence only when it ranks this close to the first.
SECOND_PARAGRAPH_MARGIN = 1.0
# The opt-in question log, $ZANQA_LOG_QUESTIONS: a file path to append one JSON line per question.
# Unset (the default), nothing about questions is written anywhere or passed to ``logging``.
LOG_QUESTIONS_ENV = ENV_LOG_QUESTIONS

_log = logging.getLogger(__name__)
_log_lock = threading.Lock()


@dataclass(frozen=True)
class Citation:
    paragraph_id: str
    doc_id: str
    label: str  # "6-тармақ" / "п. 6"
    sentence: str  # verbatim, in the answer's language
    sentence_index: int
    sentence_kk: str  # the authoritative Kazakh sentence(s) it stands for
    unofficial: bool  # True when ``sentence`` is from the Russian working translation


@dataclass(frozen=True)
class Answer:
    question: str
    lang: str  # language of the answer: "kk" or "ru"
    detected_lang: str  # "kk", "ru" or "other"
    text: str
    citations: tuple[Citation, ...]
    hits: tuple[Hit, ...]
    abstained: bool
    reason: str = ""  # "", "empty", "too_long", "language", or a zanqa.abstain.REFUSAL_REASONS code
    related: tuple[str, ...] = ()  # ids of the first hits, offered as "may be related" when abstaining
    extra: dict = field(default_factory=dict)
    message: str = ""  # the refusal's reason, or the answer's introduction, without the quotes
    related_labels: tuple[str, ...] = ()  # how ``related`` is cited, in the answer's language
    confidence: float | None = None  # P(the resolution answers it), the in-scope model's; None: rule-decided


def _refuse(question: str, lang: str, detected: str, reason: str, hits=(), corpus=None, **fmt) -> Answer:
    related = tuple(h.paragraph_id for h in hits[:3])
    message = t(lang, reason, **fmt)
    labels = tuple(corpus.label(h.paragraph_id, h.doc_id, lang) for h in hits[:3]) if related else ()
    text = message + ("\n\n" + t(lang, "may_be_related") + " " + ", ".join(labels) if labels else "")
    return Answer(question, lang, detected, text, (), tuple(hits), True, reason, related, {}, message, labels)


def _existing(engine: Engine, reason: str, lang: str) -> str:
    """What the resolution does have, for a refusal of a reference it does not."""
    if reason == "no_paragraph":
        return ", ".join(paragraph_label(pid, lang) for pid in engine.corpus.ids)
    if reason == "other_act":
        return ", ".join(act_label(n, y, lang) for n, y in sorted(engine.known_acts, key=lambda a: a[::-1]))
    return cited_summary(engine.article_index, lang)


def _answer_lang(detected: str, ui_lang: str | None) -> str:
    if detected in ("kk", "ru"):
        return detected
    return ui_lang if ui_lang in ("kk", "ru") else "ru"


@lru_cache(maxsize=4096)  # the corpus's paragraphs: the same few dozen for every question
def _sentences(text: str) -> tuple[str, ...]:
    return tuple(split_sentences(text))


@lru_cache(maxsize=8192)  # corpus sentences: the same few hundred for every question
def _sentence_stems(sentence: str, lang: str) -> frozenset[str]:
    return frozenset(tokenize(sentence, lang))


def _sentence_scores(
    engine: Engine, hit: Hit, sentences: list[str], lang: str, question_stems: set[str]
) -> list[float]:
    """Score a paragraph's sentences: retrieval score of the chunks that hold
    them plus the share of the question's stems each contains."""
    scores = [0.0] * len(sentences)
    for chunk in hit.chunks:
        if chunk.lang != lang or chunk.kind == "notes":
            continue
        for i in range(chunk.first_sentence, min(chunk.last_sentence, len(sentences) - 1) + 1):
            scores[i] = max(scores[i], chunk.score)
    if question_stems:
        for i, sentence in enumerate(sentences):
            stems = _sentence_stems(sentence, lang)
            scores[i] += 0.2 * len(question_stems & stems) / len(question_stems)
    for i in _defining(engine, hit, lang):
        if i < len(scores):
            scores[i] += 2.0  # above any chunk score (a cosine) plus word overlap: the definition first
    return scores


def _defining(engine: Engine, hit: Hit, lang: str) -> list[int]:
    """The sentences of ``hit``'s paragraph that define the definition question's subject."""
    if not hit.definition:
        return []
    return [
        d.sentence_index
        for term in engine.glossary
        if (term.paragraph_id, term.doc_id) == (hit.paragraph_id, hit.doc_id) and (d := term.get(lang))
    ]


def _note_citations(
    engine: Engine, refs: AmendmentRefs, hits: tuple[Hit, ...], lang: str
) -> tuple[Citation, ...]:
    """For a question about amendments — naming an amending resolution ("which
    paragraphs did resolution No. 3 of 8 December 2021 add?") or a paragraph
    ("what was changed in paragraph 13?") — the amendment notes that answer
    it, verbatim (the Russian note text is the working translation). ``refs``:
    what the question asks about amendments, as the search parsed it."""
    best = max((h.amendment for h in hits), default=0.0)
    if refs and best >= 0.5 and hits[0].amendment == best:
        chosen = [
            (hit, note)
            for hit in hits
            if hit.amendment == best
            for score, note in amendment_notes(
                refs, engine.corpus.notes_of(engine.corpus.get(hit.paragraph_id, hit.doc_id))
            )
            if score == best
        ]
    elif hits[0].named and refs.asked:
        top = engine.corpus.get(hits[0].paragraph_id, hits[0].doc_id)
        chosen = [(hits[0], note) for note in engine.corpus.notes_of(top)]
    else:
        return ()
    citations = []
    for hit, note in chosen[:MAX_SENTENCES]:
        shown = note.text_ru if lang == "ru" and note.text_ru else note.text
        citations.append(
            Citation(
                paragraph_id=hit.paragraph_id,
                doc_id=hit.doc_id,
                label=engine.corpus.label(hit.paragraph_id, hit.doc_id, lang),
                sentence=shown,
                sentence_index=-1,  # a note, not a sentence of the paragraph's text
                sentence_kk=note.text,
                unofficial=shown is not note.text,
            )
        )
    return tuple(citations)


def extract(
    engine: Engine,
    question: str,
    hits: tuple[Hit, ...],
    lang: str,
    amended: AmendmentRefs,
    tokens: list[str] | None = None,
) -> tuple[Citation, ...]:
    """Pick up to three verbatim sentences: the best of the top paragraph, and
    of the second paragraph when it ranks close; for a question about an
    amending resolution, the amendment notes that answer it. ``tokens``: the
    question's tokens in ``lang``, if the search has them."""
    if not hits:
        return ()
    notes = _note_citations(engine, amended, hits, lang)
    if notes:
        return notes
    question_stems = {s for s in (tokenize(question, lang) if tokens is None else tokens) if not s.isdigit()}
    picks = [(hits[0], 2)]
    if len(hits) > 1 and hits[0].score - hits[1].score <= SECOND_PARAGRAPH_MARGIN:
        picks.append((hits[1], 1))
    citations: list[Citation] = []
    for hit, n in picks:
        paragraph = engine.corpus.get(hit.paragraph_id, hit.doc_id)
        sentences = _sentences(getattr(paragraph, lang))
        kk_sentences = _sentences(paragraph.kk)
        scores = _sentence_scores(engine, hit, sentences, lang, question_stems)
        best = sorted(sorted(range(len(sentences)), key=lambda i: -scores[i])[:n])
        first = [i for i in _defining(engine, hit, lang) if i in best][:1]
        for i in first + [i for i in best if i not in first]:
            if len(citations) >= MAX_SENTENCES:
                break
            if lang == "kk":
                kk = sentences[i]
            elif len(kk_sentences) == len(sentences):
                kk = kk_sentences[i]
            else:  # sentence boundaries differ: the whole authoritative paragraph
                kk = paragraph.kk
            citations.append(
                Citation(
                    paragraph_id=paragraph.id,
                    doc_id=paragraph.doc_id,
                    label=engine.corpus.label(paragraph.id, paragraph.doc_id, lang),
                    sentence=sentences[i],
                    sentence_index=i,
                    sentence_kk=kk,
                    unofficial=lang == "ru",
                )
            )
    return tuple(citations)


def _answer(
    engine: Engine, question: str, k: int = 5, ui_lang: str | None = None, doc_id: str | None = None
) -> Answer:
    raw = question if isinstance(question, str) else str(question)
    if len(raw) > MAX_QUESTION_CHARS * 4:  # do not even normalize megabytes
        lang = _answer_lang("other", ui_lang)
        return _refuse(raw[:200], lang, "other", "too_long", n=len(raw), limit=MAX_QUESTION_CHARS)
    question = normalize(raw)
    if not question:
        return _refuse(question, _answer_lang("other", ui_lang), "other", "empty")
    if len(question) > MAX_QUESTION_CHARS:
        lang = _answer_lang(detect_language(question), ui_lang)
        return _refuse(question[:200], lang, "other", "too_long", n=len(question), limit=MAX_QUESTION_CHARS)
    query = engine.parse(question)
    detected = query.lang
    lang = _answer_lang(query.answer_lang or "other", ui_lang)
    if detected == "other":
        return _refuse(question, lang, detected, "language")
    result = engine.search(query, k=k, doc_id=doc_id)
    verdict = engine.verdict(query, result.confident)
    if verdict.refused:
        ref = act_label(*verdict.act, lang) if verdict.act else verdict.ref
        fmt = {"ref": ref, "existing": _existing(engine, verdict.reason, lang)} if ref else {}
        refusal = _refuse(question, lang, detected, verdict.reason, result.hits, engine.corpus, **fmt)
        return replace(refusal, confidence=result.confidence) if verdict.reason == "not_covered" else refusal
    citations = extract(engine, query.text, result.hits, lang, result.amended, result.tokens.get(lang))
    body = "\n".join(f"{c.sentence} ({c.label})" for c in citations)
    text = t(lang, "answer_intro") + "\n\n" + body
    return Answer(
        question,
        lang,
        detected,
        text,
        citations,
        result.hits,
        False,
        message=t(lang, "answer_intro"),
        confidence=result.confidence,
    )


def log_question(ans: Answer) -> None:
    """Append one JSON line about ``ans`` to the file named by $ZANQA_LOG_QUESTIONS;
    do nothing when it is unset. Never raises: a log problem must not cost an answer."""
    path = env(LOG_QUESTIONS_ENV)
    if not path:
        return
    record = {
        "time": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "lang": ans.detected_lang,
        "question": ans.question,
        "top_paragraph": ans.hits[0].paragraph_id if ans.hits else None,
        "abstained": ans.abstained,
        "reason": ans.reason,
    }
    line = json.dumps(record, ensure_ascii=False) + "\n"
    try:
        with _log_lock, open(path, "a", encoding="utf-8", errors="backslashreplace") as fh:
            fh.write(line)
    except OSError as exc:  # the message names the file, never the question
        _log.warning("cannot append to the question log %s: %s", path, exc.strerror or exc)


def answer(
    engine: Engine,
    question: str,
    k: int = 5,
    ui_lang: str | None = None,
    doc_id: str | None = None,
    log: bool = True,
) -> Answer:
    """Answer ``question`` from the resolution, or say why not.

    engine: a loaded ``Engine``.
    question: free text; refused when empty, longer than MAX_QUESTION_CHARS,
        or not in Kazakh or Russian.
    k: how many ranked paragraphs to keep.
    ui_lang: the interface language, used for messages when the question's
        own language cannot be told.
    doc_id: restrict to one document (None: all).
    log: append it to $ZANQA_LOG_QUESTIONS when set (False: the app server's
        own warm-up question, which no user asked).
    """
    result = _answer(engine, question, k=k, ui_lang=ui_lang, doc_id=doc_id)
    if log:
        log_question(result)
    return result
