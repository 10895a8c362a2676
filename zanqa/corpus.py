"""The corpus stage: the resolution's source text → one record per paragraph.

``build_records`` reads the PDF extraction in ``corpus/source/`` (in the
source checkout), applies the
reviewed repair table ``corpus/repairs.json`` (hyperlinked article numbers
that the extraction moved to the ends of lines go back into their gaps),
joins wrapped lines, splits paragraphs and their "Ескерту." notes, attaches
the project's Russian working translation (paragraphs and notes) and writes
``zanqa/data/resolution-7-2012.jsonl``, which ships in the package. Everything
else loads that JSONL through ``load_corpus``.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

from zanqa.config import CORPUS_DIR, CORPUS_PATH
from zanqa.messages import paragraph_label
from zanqa.text import normalize

SOURCE_PATH = CORPUS_DIR / "source" / "000_931c66884cb11dc0.txt"
REPAIRS_PATH = CORPUS_DIR / "repairs.json"
TRANSLATION_DIR = CORPUS_DIR / "translation"

DOC_ID = "resolution-7-2012"
PARAGRAPH_IDS = (
    "preamble",
    *[str(n) for n in range(1, 10)],
    "9-1",
    "9-2",
    "10",
    "11",
    "12",
    "12-1",
    "13",
    "14",
    "15",
    "15-1",
    "16",
    "17",
    "17-1",
    "18",
    "19",
    "20",
    "20-1",
    "21",
)
_PARAGRAPH_START = re.compile(r"^(\d+(?:-\d+)?)\.\s")
_NOTE_START = "Ескерту."
_INDENT = "      "
_ORDINALS = {
    "бірінші": "1",
    "екінші": "2",
    "үшінші": "3",
    "төртінші": "4",
    "бесінші": "5",
    "алтыншы": "6",
    "жетінші": "7",
}


class CorpusError(ValueError):
    """The source, the repair table or the corpus file is not as expected."""


@dataclass(frozen=True)
class Amendment:
    """One amending resolution of the Supreme Court, as a note cites it."""

    date: str  # ISO date, e.g. "2017-03-31"
    number: str


@dataclass(frozen=True)
class Note:
    """An "Ескерту." amendment note, verbatim, with the resolutions it cites."""

    text: str
    amendments: tuple[Amendment, ...] = ()
    kind: str = "changed"  # "changed", "added", "new_wording", "replaced_words", "title"
    text_ru: str = ""  # the note in the Russian working translation (corpus/translation)


@dataclass(frozen=True)
class ArticleRef:
    """A code article the text refers to; part and point where it says so."""

    code: str  # "ҚК", "ҚПК", "ӘҚБтК", "Конституция"
    article: str
    part: str | None = None
    point: str | None = None


@dataclass(frozen=True)
class Paragraph:
    id: str
    kk: str
    ru: str
    notes: tuple[Note, ...] = ()
    articles: tuple[ArticleRef, ...] = ()
    title_kk: str = ""
    title_ru: str = ""
    doc_id: str = DOC_ID


@dataclass(frozen=True)
class Document:
    """Document-level metadata: titles and the notes that concern the whole text."""

    id: str
    title_kk: str
    title_ru: str
    requisites_kk: str
    requisites_ru: str
    notes: tuple[Note, ...] = ()


@dataclass
class Corpus:
    document: Document
    paragraphs: list[Paragraph]
    sha256: str = ""
    _by_key: dict[tuple[str, str], Paragraph] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self._by_key = {(p.doc_id, p.id): p for p in self.paragraphs}

    def cited_doc(self, doc_id: str | None) -> str | None:
        """The document id a citation names: None for the corpus's own act."""
        return None if doc_id in (None, self.document.id) else doc_id

    def label(self, paragraph_id: str, doc_id: str | None, lang: str) -> str:
        """How a paragraph is cited: "6-тармақ" / "п. 6", "act-b, п. 2" for another act."""
        return paragraph_label(paragraph_id, lang, self.cited_doc(doc_id))

    def get(self, paragraph_id: str, doc_id: str | None = None) -> Paragraph:
        """Paragraph ``paragraph_id`` of document ``doc_id`` (default: the
        corpus's own document); ids are unique only within a document."""
        doc_id = doc_id or self.document.id
        try:
            return self._by_key[(doc_id, paragraph_id)]
        except KeyError:
            known = ", ".join(p.id for p in self.paragraphs if p.doc_id == doc_id)
            where = "" if doc_id == self.document.id else f" in document {doc_id!r}"
            raise KeyError(f"no paragraph {paragraph_id!r}{where}; known ids: {known}") from None

    def notes_of(self, paragraph: Paragraph) -> tuple[Note, ...]:
        """The amendment notes about ``paragraph``: its own, and for the act's preamble
        also the act's document-level notes (title, replacements throughout the text),
        which are indexed with the preamble."""
        if paragraph.id == "preamble" and paragraph.doc_id == self.document.id:
            return self.document.notes + paragraph.notes
        return paragraph.notes

    @property
    def ids(self) -> list[str]:
        return [p.id for p in self.paragraphs]


# ------------------------------------------------------------ source → text


def read_lines(path: Path = SOURCE_PATH) -> list[str]:
    """The source file's lines, 1-based as editors count them (index 0 is line 1),
    trailing whitespace stripped."""
    return [line.rstrip() for line in path.read_text(encoding="utf-8").split("\n")]


def load_repairs(path: Path = REPAIRS_PATH) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8"))


def apply_repairs(lines: list[str], repairs: list[dict]) -> list[str]:
    """Replace each repaired span of source lines; refuse a repair whose
    recorded source text does not match the file (the table is reviewed
    against one exact extraction)."""
    out: list[str] = []
    cursor = 0
    for repair in sorted(repairs, key=lambda r: r["lines"][0]):
        first, last = repair["lines"]
        if first - 1 < cursor:
            raise CorpusError(f"repair at line {first} overlaps the previous one")
        actual = lines[first - 1 : last]
        if actual != repair["source"]:
            raise CorpusError(
                f"repair at lines {first}-{last} does not match the source: "
                f"expected {repair['source']!r}, found {actual!r}"
            )
        out.extend(lines[cursor : first - 1])
        out.extend(repair["repaired"])
        cursor = last
    out.extend(lines[cursor:])
    return out


def _join(lines: list[str]) -> str:
    """Join the wrapped lines of one block into running text.

    A line break becomes a space, except after an opening bracket or quote,
    after a hyphen that ends a word, and before closing punctuation, so
    "ұстауы" + ", сот" reads "ұстауы, сот" and "№ 37-" + "IV" reads "№ 37-IV".
    """
    text = ""
    for raw in lines:
        line = raw.strip()
        if not line:
            continue
        if not text:
            text = line
            continue
        quote_open = text.count('"') % 2 == 1
        glue = (
            text.endswith("(")
            or re.search(r"\w-$", text) is not None  # "№ 37-" + "IV", "алу-" + "сату"
            or (text.endswith('"') and quote_open)
            or line[0] in ",.;:)"
            or (line[0] == '"' and quote_open)
        )
        text += ("" if glue else " ") + line
    text = re.sub(r" {2,}", " ", text)
    return re.sub(r" +([,.;:)])", r"\1", text).replace("( ", "(")


@dataclass
class _Block:
    lines: list[str]

    @property
    def text(self) -> str:
        return _join(self.lines)


def _blocks(lines: Iterable[str]) -> tuple[list[list[str]], list[_Block]]:
    """Split lines into the untitled head (title lines, grouped by blank
    lines) and indented blocks: a line indented by six spaces starts a block,
    other non-blank lines continue it; blank lines are page breaks."""
    head: list[list[str]] = [[]]
    blocks: list[_Block] = []
    for line in lines:
        if line.startswith(_INDENT) and line.strip():
            blocks.append(_Block([line]))
        elif blocks:
            if line.strip():
                blocks[-1].lines.append(line)
        elif line.strip():
            head[-1].append(line)
        elif head[-1]:
            head.append([])
    return [h for h in head if h], blocks


_DATE_NUMBER = re.compile(r"(\d{2})\.(\d{2})\.(\d{4}) № (\d+)")


_NOTE_KINDS = (
    ("толықтырыл", "added"),
    ("тақырыбы", "title"),
    ("жаңа редакцияда", "new_wording"),
    ("бүкіл мәтін", "replaced_words"),
    ("өзгеріс", "changed"),
)


def parse_note(text: str) -> Note:
    """A Kazakh note with the resolutions it cites and its kind; its Russian
    comes from the translation (``build_corpus``)."""
    amendments = tuple(Amendment(date=f"{y}-{m}-{d}", number=n) for d, m, y, n in _DATE_NUMBER.findall(text))
    lowered = text.lower()
    kind = next((k for marker, k in _NOTE_KINDS if marker in lowered), "changed")
    return Note(text=text, amendments=amendments, kind=kind)


@dataclass
class ParsedSource:
    title: str
    requisites: str
    document_notes: list[Note]
    bodies: dict[str, str]  # paragraph id → Kazakh text, sub-paragraphs on lines
    notes: dict[str, list[Note]]


def parse_source(lines: list[str]) -> ParsedSource:
    """Structure repaired source lines into title, document notes, and
    paragraphs with their notes."""
    head, blocks = _blocks(lines)
    if len(head) < 2:
        raise CorpusError("the source does not start with a title and the act's requisites")
    bodies: dict[str, list[str]] = {}
    notes: dict[str, list[list[str]]] = {}
    document_notes: list[list[str]] = []
    current: str | None = None  # None: before the preamble
    in_note = False
    for block in blocks:
        text = block.text
        match = _PARAGRAPH_START.match(text)
        if text.startswith(_NOTE_START):
            target = document_notes if current is None else notes.setdefault(current, [])
            target.append([text])
            in_note = True
        elif in_note and text.startswith('"'):
            # continuation of a note that lists replaced words line by line
            (document_notes if current is None else notes[current])[-1].append(text)
        elif match:
            current = match.group(1)
            if current in bodies:
                raise CorpusError(f"paragraph {current} appears twice")
            bodies[current] = [text[match.end() :].strip()]
            in_note = False
        else:
            if current is None:
                current = "preamble"
                bodies[current] = []
                in_note = False
            elif in_note:
                raise CorpusError(f"text after the notes of paragraph {current}: {text[:60]!r}")
            bodies[current].append(text)
    if list(bodies) != list(PARAGRAPH_IDS):
        raise CorpusError(f"paragraph ids found {list(bodies)} differ from {list(PARAGRAPH_IDS)}")
    return ParsedSource(
        title=_join(head[0]),
        requisites=_join([line for group in head[1:] for line in group]),
        document_notes=[parse_note("\n".join(n)) for n in document_notes],
        bodies={pid: "\n".join(parts) for pid, parts in bodies.items()},
        notes={pid: [parse_note("\n".join(n)) for n in ns] for pid, ns in notes.items()},
    )


# ------------------------------------------------------------ article references

_CODES = (
    (re.compile(r"ҚПК-нің|\(бұдан әрі\s*[–-]\s*ҚПК\)"), "ҚПК"),
    (re.compile(r"ҚК-нің|\(бұдан әрі\s*[–-]\s*ҚК\)"), "ҚК"),
    (re.compile(r"Әкімшілік құқық бұзушылық туралы кодексінің"), "ӘҚБтК"),
    (re.compile(r"Конституциясының"), "Конституция"),
)
_ARTICLE = re.compile(
    r"(?P<nums>\d+(?:-\d+)?(?:(?:\s*,\s*|\s+және\s+|\s+немесе\s+)\d+(?:-\d+)?)*)-ба[пб]\w*"
    r"(?:\s+(?P<part>бірінші|екінші|үшінші|төртінші|бесінші|алтыншы|жетінші)\s+бөлі\w*)?"
    r"(?:\s+(?P<points>\d+(?:\)?(?:\s*,\s*|\s+және\s+|\s+немесе\s+)\d+)*)(?:\)\s*|-)тарма[қғ]\w*)?"
)


def extract_articles(text: str) -> list[ArticleRef]:
    """Code articles cited in Kazakh text: "ҚК-нің 128-бабының екінші
    бөлігінің 6-тармағы" → ArticleRef("ҚК", "128", "2", "6"). A list of
    numbers before one "-баптары" gives one reference per number, and so does a
    list of points before one "тармақтары" ("3) және 4) тармақтары")."""
    found: list[ArticleRef] = []
    for pattern, code in _CODES:
        for mention in pattern.finditer(text):
            window = text[mention.end() : mention.end() + 160]
            match = _ARTICLE.match(window.lstrip())
            if not match:
                # "ҚК-нің тиісті 128-бабы", "ҚК-нің  ... баптарында": allow a word in between
                match = re.match(r"\s*\S+\s+" + _ARTICLE.pattern, window)
                if not match or match.start("nums") > 40:
                    continue
            part = _ORDINALS.get(match.group("part") or "")
            points = re.findall(r"\d+", match.group("points") or "") or [None]
            for number in re.findall(r"\d+(?:-\d+)?", match.group("nums")):
                found.extend(ArticleRef(code, number, part, point) for point in points)
    unique: dict[tuple, ArticleRef] = {}
    for ref in found:
        unique.setdefault((ref.code, ref.article, ref.part, ref.point), ref)
    return list(unique.values())


# ------------------------------------------------------------ translation


def load_translation(directory: Path = TRANSLATION_DIR) -> dict[str, dict]:
    """The Russian working translation and navigation titles, by paragraph id
    ("_document" for the title, requisites and document-level notes), merged
    from every JSON file in ``directory``. ``notes_ru`` lists the Russian of a
    paragraph's (or the document's) "Ескерту." notes in their order."""
    merged: dict[str, dict] = {}
    for path in sorted(directory.glob("*.json")):
        for pid, entry in json.loads(path.read_text(encoding="utf-8")).items():
            if pid in merged:
                raise CorpusError(f"{path.name}: paragraph {pid} is translated twice")
            merged[pid] = entry
    return merged


def translate_notes(notes: Iterable[Note], entry: dict, where: str) -> tuple[Note, ...]:
    """The notes with their Russian from ``entry["notes_ru"]``, one for each, in order."""
    notes = tuple(notes)
    russian = entry.get("notes_ru", [])
    if len(russian) != len(notes) or not all(ru.strip() for ru in russian):
        raise CorpusError(f"{where}: {len(notes)} notes, {len(russian)} Russian notes in the translation")
    return tuple(replace(note, text_ru=ru) for note, ru in zip(notes, russian, strict=True))


# ------------------------------------------------------------ records


def build_corpus(
    source: Path = SOURCE_PATH,
    repairs: Path = REPAIRS_PATH,
    translation_dir: Path = TRANSLATION_DIR,
) -> Corpus:
    """Parse, repair and translate: the whole corpus stage, in memory."""
    parsed = parse_source(apply_repairs(read_lines(source), load_repairs(repairs)))
    translation = load_translation(translation_dir)
    missing = [pid for pid in PARAGRAPH_IDS if not translation.get(pid, {}).get("ru")]
    if missing:
        raise CorpusError(f"no Russian translation for paragraphs {missing}")
    meta = translation.get("_document", {})
    paragraphs = [
        Paragraph(
            id=pid,
            kk=normalize(parsed.bodies[pid]),
            ru=normalize(translation[pid]["ru"]),
            notes=translate_notes(parsed.notes.get(pid, []), translation[pid], f"paragraph {pid}"),
            articles=tuple(extract_articles(parsed.bodies[pid])),
            title_kk=translation[pid].get("title_kk", ""),
            title_ru=translation[pid].get("title_ru", ""),
        )
        for pid in PARAGRAPH_IDS
    ]
    document = Document(
        id=DOC_ID,
        title_kk=parsed.title,
        title_ru=meta.get("title_ru", ""),
        requisites_kk=parsed.requisites,
        requisites_ru=meta.get("requisites_ru", ""),
        notes=translate_notes(parsed.document_notes, meta, "the document"),
    )
    corpus = Corpus(document=document, paragraphs=paragraphs)
    corpus.sha256 = hashlib.sha256(to_jsonl(corpus).encode("utf-8")).hexdigest()
    return corpus


def to_jsonl(corpus: Corpus) -> str:
    """The corpus file: a first line with the document, then one paragraph a line."""
    lines = [json.dumps({"document": asdict(corpus.document)}, ensure_ascii=False)]
    lines += [json.dumps(asdict(p), ensure_ascii=False) for p in corpus.paragraphs]
    return "\n".join(lines) + "\n"


def write_corpus(corpus: Corpus, path: Path = CORPUS_PATH) -> None:
    path.write_text(to_jsonl(corpus), encoding="utf-8")


def _note(data: dict) -> Note:
    return Note(**{**data, "amendments": tuple(Amendment(**a) for a in data["amendments"])})


def load_corpus(path: Path = CORPUS_PATH) -> Corpus:
    """Load the corpus JSONL written by ``write_corpus``."""
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise CorpusError(f"{path} is missing: run `zanqa corpus build`") from None
    rows = [json.loads(line) for line in raw.splitlines() if line.strip()]
    if not rows or "document" not in rows[0]:
        raise CorpusError(f"{path}: the first line must hold the document record")
    doc = dict(rows[0]["document"])
    doc["notes"] = tuple(_note(n) for n in doc["notes"])
    paragraphs = []
    for row in rows[1:]:
        row = dict(row)
        row["notes"] = tuple(_note(n) for n in row["notes"])
        row["articles"] = tuple(ArticleRef(**a) for a in row["articles"])
        paragraphs.append(Paragraph(**row))
    corpus = Corpus(document=Document(**doc), paragraphs=paragraphs)
    corpus.sha256 = hashlib.sha256(raw.encode("utf-8")).hexdigest()
    return corpus
