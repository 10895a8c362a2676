"""The chunk stage: paragraphs → retrievable pieces of text.

Each paragraph gives, in Kazakh and in the Russian working translation, its
whole text (kind "paragraph"), overlapping windows of ``window`` consecutive
sentences (kind "window") and its amendment notes (kind "notes": the Kazakh
notes verbatim, a generated Russian rendering beside them). Every chunk knows its paragraph and
language; retrieval scores paragraphs from their chunks.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from zanqa.corpus import Corpus
from zanqa.text import split_sentences

LANGS = ("kk", "ru")


@dataclass(frozen=True)
class ChunkParams:
    window: int = 2  # sentences per window; 0 turns windows off
    stride: int = 1
    paragraphs: bool = True  # also index each paragraph whole
    notes: bool = True  # index amendment notes (kind "notes"); document notes go with the preamble

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class Chunk:
    id: int
    paragraph_id: str
    lang: str
    kind: str  # "paragraph" | "window" | "notes"
    text: str
    first_sentence: int  # index into the paragraph's sentences in ``lang``
    last_sentence: int  # inclusive
    doc_id: str = ""

    def to_dict(self) -> dict:
        return asdict(self)


def make_chunks(corpus: Corpus, params: ChunkParams = ChunkParams()) -> list[Chunk]:
    chunks: list[Chunk] = []

    def add(paragraph, lang, kind, text, first=0, last=0):
        chunks.append(Chunk(len(chunks), paragraph.id, lang, kind, text, first, last, paragraph.doc_id))

    for paragraph in corpus.paragraphs:
        if params.notes:
            notes = list(paragraph.notes)
            if paragraph.id == "preamble":
                notes = list(corpus.document.notes) + notes
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
    return chunks
