"""The chunk stage: paragraphs → retrievable pieces of text.

Each paragraph gives, in Kazakh and in the Russian working translation, its
whole text (kind "paragraph"), overlapping windows of ``window`` consecutive
sentences (kind "window") and its amendment notes (kind "notes": the Kazakh
notes verbatim, a generated Russian rendering beside them). Every chunk knows its paragraph and
language; retrieval scores paragraphs from their chunks.

Two more kinds of retrieval keys, never shown to users, come from reviewed
files beside the corpus in ``zanqa/data/`` (see docs/retrieval-keys.md):

- ``questions.json``: questions each paragraph answers, in Kazakh and
  Russian (doc2query), indexed as chunks of kind "question";
- ``out_of_scope.json``: questions the resolution does not answer; their
  vectors tell the engine what "not covered" looks like.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

from zanqa.config import OUT_OF_SCOPE_PATH, QUESTIONS_PATH
from zanqa.corpus import Corpus, CorpusError
from zanqa.text import split_sentences

KEYS_DOCUMENT = "resolution-7-2012"  # the document questions.json is written for

LANGS = ("kk", "ru")


@dataclass(frozen=True)
class ChunkParams:
    window: int = 2  # sentences per window; 0 turns windows off
    stride: int = 1
    paragraphs: bool = True  # also index each paragraph whole
    notes: bool = True  # index amendment notes (kind "notes"); document notes go with the preamble
    questions: bool = True  # index the questions of questions.json (kind "question")

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class Chunk:
    id: int
    paragraph_id: str
    lang: str
    kind: str  # "paragraph" | "window" | "notes" | "question" (a retrieval key, never shown)
    text: str
    first_sentence: int  # index into the paragraph's sentences in ``lang``
    last_sentence: int  # inclusive
    doc_id: str = ""

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class Keys:
    """Retrieval keys that are not resolution text."""

    questions: dict[str, dict[str, list[str]]] = field(default_factory=dict)  # id → lang → questions
    out_of_scope: dict[str, list[str]] = field(default_factory=dict)  # lang → questions
    sha256: str = ""


def load_keys(
    corpus: Corpus, questions_path: Path | None = None, out_of_scope_path: Path | None = None
) -> Keys:
    """The key files for ``corpus`` (empty when it does not hold KEYS_DOCUMENT)."""
    if KEYS_DOCUMENT not in {p.doc_id for p in corpus.paragraphs}:
        return Keys()
    questions_path = questions_path or QUESTIONS_PATH
    out_of_scope_path = out_of_scope_path or OUT_OF_SCOPE_PATH
    digest = hashlib.sha256()
    data = []
    for path in (questions_path, out_of_scope_path):
        raw = path.read_bytes() if path.exists() else b""
        digest.update(raw + b"\0")
        try:
            data.append(json.loads(raw) if raw else {})
        except json.JSONDecodeError as exc:
            raise CorpusError(f"{path}: not valid JSON ({exc})") from None
    questions, out_of_scope = data
    known = {p.id for p in corpus.paragraphs if p.doc_id == KEYS_DOCUMENT}
    unknown = sorted(set(questions) - known)
    if unknown:
        raise CorpusError(f"{questions_path}: unknown paragraph ids {unknown}")
    return Keys(questions, out_of_scope, digest.hexdigest())


def make_chunks(corpus: Corpus, params: ChunkParams = ChunkParams(), keys: Keys | None = None) -> list[Chunk]:
    chunks: list[Chunk] = []

    def add(paragraph, lang, kind, text, first=0, last=0):
        chunks.append(Chunk(len(chunks), paragraph.id, lang, kind, text, first, last, paragraph.doc_id))

    for paragraph in corpus.paragraphs:
        if params.notes:
            notes = corpus.notes_of(paragraph)
            if notes:
                add(paragraph, "kk", "notes", "\n".join(n.text for n in notes))
                ru = "\n".join(n.text_ru for n in notes if n.text_ru)
                if ru:
                    add(paragraph, "ru", "notes", ru)
        for lang in LANGS:
            sentences = split_sentences(getattr(paragraph, lang))
            spans: list[tuple[str, int, int]] = []
            if params.paragraphs or len(sentences) <= max(params.window, 1):
                spans.append(("paragraph", 0, len(sentences) - 1))
            if params.window and len(sentences) > params.window:
                last_start = len(sentences) - params.window
                starts = list(range(0, last_start + 1, params.stride))
                if starts[-1] != last_start:
                    starts.append(last_start)
                spans += [("window", s, s + params.window - 1) for s in starts]
            for kind, first, last in spans:
                add(paragraph, lang, kind, " ".join(sentences[first : last + 1]), first, last)
            if params.questions and keys and paragraph.doc_id == KEYS_DOCUMENT:
                for question in keys.questions.get(paragraph.id, {}).get(lang, []):
                    add(paragraph, lang, "question", question)
    return chunks
