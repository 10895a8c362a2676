"""The chunk stage: paragraphs → retrievable pieces of text.

Each paragraph gives, in Kazakh and in the Russian working translation, its
whole text (kind "paragraph") and overlapping windows of ``window``
consecutive sentences (kind "window"). Every chunk knows its paragraph and
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

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class Chunk:
    id: int
    paragraph_id: str
    lang: str
    kind: str  # "paragraph" | "window"
    text: str
    first_sentence: int  # index into the paragraph's sentences in ``lang``
    last_sentence: int  # inclusive
    doc_id: str = ""

    def to_dict(self) -> dict:
        return asdict(self)


def make_chunks(corpus: Corpus, params: ChunkParams = ChunkParams()) -> list[Chunk]:
    chunks: list[Chunk] = []
    for paragraph in corpus.paragraphs:
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
                chunks.append(
                    Chunk(
                        id=len(chunks),
                        paragraph_id=paragraph.id,
                        lang=lang,
                        kind=kind,
                        text=" ".join(sentences[first : last + 1]),
                        first_sentence=first,
                        last_sentence=last,
                        doc_id=paragraph.doc_id,
                    )
                )
    return chunks
