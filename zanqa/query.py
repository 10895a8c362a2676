"""What a question cites, matched against what each paragraph cites.

- code articles, parts and points: "ст. 135 ч. 2 п. 5", "128-бап 2-бөлік 6-тармақ";
- the resolution's own paragraphs: "9-1-тармақ", "п. 14";
- amending resolutions: "постановлением от 11 декабря 2020 года № 6",
  "2021 жылғы 8 желтоқсандағы № 3", with the kind of change asked about.

The retrieval engine turns the matches into fused signals; the answer stage
uses the amendment notes that match to answer amendment questions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from zanqa.corpus import Note, Paragraph

# ------------------------------------------------------------ article references

_RU_ARTICLE = re.compile(
    r"(?:\bст\.?|\bстат\w*)\s*((?:\d+(?:-\d+)?)(?:\s*(?:,|и|или)\s*\d+(?:-\d+)?)*)", re.IGNORECASE
)
_RU_ARTICLE_AFTER = re.compile(r"(\d+(?:-\d+)?)\s*(?:-?й\s+)?стат", re.IGNORECASE)
_KK_ARTICLE = re.compile(r"(\d+(?:-\d+)?)\s*-\s*ба[пб]", re.IGNORECASE)
_RU_PART = re.compile(r"(?:\bч\.?|\bчаст\w*)\s*(\d+)", re.IGNORECASE)
_KK_PART = re.compile(r"(\d+)\s*-\s*бөлі", re.IGNORECASE)
_RU_POINT = re.compile(r"(?:\bп\.?|\bпункт\w*)\s*(\d+)", re.IGNORECASE)
_KK_POINT = re.compile(r"(\d+)\s*(?:-\s*тармақ|\)\s*тармақ)", re.IGNORECASE)
_KK_PART_WORD = re.compile(r"(бірінші|екінші|үшінші|төртінші|бесінші)\s+бөлі", re.IGNORECASE)
_PART_WORDS = {"бірінші": "1", "екінші": "2", "үшінші": "3", "төртінші": "4", "бесінші": "5"}
# The resolution's own paragraphs: "9-1-тармақ", "п. 14", "пункт 20-1" (when no code article is named).
_KK_PARAGRAPH = re.compile(r"(?<![\d-])(\d+(?:-\d+)?)\s*-\s*тармақ", re.IGNORECASE)
_RU_PARAGRAPH = re.compile(r"(?:\bп\.|\bпункт\w*)\s*(\d+(?:-\d+)?)(?![\d)])", re.IGNORECASE)


# What ``article_match`` gives: the article alone, plus its part, plus its point.
ARTICLE_ONLY = 0.5
ARTICLE_PART = 0.25
ARTICLE_POINT = 0.25


@dataclass(frozen=True)
class QuestionRefs:
    articles: frozenset[str]
    parts: frozenset[str]
    points: frozenset[str]
    paragraphs: frozenset[str] = frozenset()  # the resolution's own paragraph numbers


def question_refs(question: str) -> QuestionRefs:
    """Article, part and point numbers a question cites, in either language."""
    articles: set[str] = set()
    for match in _RU_ARTICLE.finditer(question):
        articles.update(re.findall(r"\d+(?:-\d+)?", match.group(1)))
    articles.update(m.group(1) for m in _RU_ARTICLE_AFTER.finditer(question))
    articles.update(m.group(1) for m in _KK_ARTICLE.finditer(question))
    parts = {m.group(1) for m in _RU_PART.finditer(question)} | {
        m.group(1) for m in _KK_PART.finditer(question)
    }
    parts |= {_PART_WORDS[m.group(1).lower()] for m in _KK_PART_WORD.finditer(question)}
    points = {m.group(1) for m in _RU_POINT.finditer(question)} | {
        m.group(1) for m in _KK_POINT.finditer(question)
    }
    paragraphs: set[str] = set()
    if not articles:
        paragraphs = {m.group(1) for m in _KK_PARAGRAPH.finditer(question)}
        paragraphs |= {m.group(1) for m in _RU_PARAGRAPH.finditer(question)}
    return QuestionRefs(frozenset(articles), frozenset(parts), frozenset(points), frozenset(paragraphs))


def article_match(refs: QuestionRefs, paragraph: Paragraph) -> float:
    """1.0 when a cited article matches with its part and point, less for partial matches."""
    if not refs.articles:
        return 0.0
    best = 0.0
    for ref in paragraph.articles:
        if ref.article not in refs.articles:
            continue
        score = ARTICLE_ONLY
        if refs.parts and ref.part in refs.parts:
            score += ARTICLE_PART
        if refs.points and ref.point in refs.points:
            score += ARTICLE_POINT
        best = max(best, score)
    return best


# ------------------------------------------------------------ amendment references

_RU_MONTHS = ("январ", "феврал", "март", "апрел", "ма", "июн", "июл", "август", "сентябр", "октябр", "ноябр", "декабр")  # fmt: skip
_KK_MONTHS = ("қаңтар", "ақпан", "наурыз", "сәуір", "мамыр", "маусым", "шілде", "тамыз", "қыркүйек", "қазан", "қараша", "желтоқсан")  # fmt: skip
_NUMERIC_DATE = re.compile(r"\b(\d{1,2})\.(\d{1,2})\.((?:19|20)\d\d)\b")
_RU_DATE = re.compile(r"\b(\d{1,2})\s+([а-яё]+)\s+((?:19|20)\d\d)", re.IGNORECASE)
_KK_DATE = re.compile(
    r"\b((?:19|20)\d\d)\s*(?:жылғы|ж\.)?\s+(\d{1,2})\s*-?\s*([а-яәғқңөұүһі]+)", re.IGNORECASE
)
_YEAR = re.compile(r"\b((?:19|20)\d\d)\b")
_RESOLUTION_NUMBER = re.compile(r"№\s*(\d+)")
# what the question asks was done to the paragraphs ("added" also covers "which new paragraphs")
_AMENDMENT_KINDS = (
    (
        "added",
        re.compile(
            r"(?<![а-яёәғқңөұүһі])(добав|дополн|нов[а-я]*\s+пункт|толықтыр|қосыл|жаңа\s+тармақ)", re.I
        ),
    ),
    ("new_wording", re.compile(r"редакци", re.I)),
)
# the question must ask about changes, not merely mention a year ("в 2020 году он продал…")
_AMENDMENT_CUES = ("измен", "поправ", "редакци", "добав", "дополн", "өзгеріс", "толықтыр", "қосыл", "жаңа тармақ", "енгізіл")  # fmt: skip


# What ``amendment_notes`` gives a note: it names the resolution and the kind of change asked
# about, or only the resolution.
AMENDMENT_EXACT = 1.0
AMENDMENT_OTHER_KIND = 0.5


@dataclass(frozen=True)
class AmendmentRefs:
    """Amending resolutions a question names: exact dates (ISO), bare years, numbers."""

    dates: frozenset[str] = frozenset()
    years: frozenset[str] = frozenset()
    numbers: frozenset[str] = frozenset()
    kind: str | None = None  # "added", "new_wording", or None (any change)
    asked: bool = False  # the question asks about changes at all, with or without naming a resolution

    def __bool__(self) -> bool:
        return bool(self.dates or self.years)


def _month(word: str, months: tuple[str, ...]) -> int | None:
    word = word.lower()
    for i, stem in enumerate(months, 1):
        if word.startswith(stem) and (stem != "ма" or word in ("мая", "май")):
            return i
    return None


def question_amendments(question: str) -> AmendmentRefs:
    """The amending resolutions (date or year, number) a question asks about,
    when it asks about changes to the resolution at all."""
    lowered = question.lower()
    if not any(cue in lowered for cue in _AMENDMENT_CUES):  # "изменен", "толықтырылды", …
        return AmendmentRefs()
    dates = {f"{y}-{int(m):02d}-{int(d):02d}" for d, m, y in _NUMERIC_DATE.findall(question)}
    for d, word, y in _RU_DATE.findall(question):
        if (m := _month(word, _RU_MONTHS)) is not None:
            dates.add(f"{y}-{m:02d}-{int(d):02d}")
    for y, d, word in _KK_DATE.findall(question):
        if (m := _month(word, _KK_MONTHS)) is not None:
            dates.add(f"{y}-{m:02d}-{int(d):02d}")
    years = set(_YEAR.findall(question)) - {"2012"}  # 2012: the resolution's own year
    dates = {d for d in dates if not d.startswith("2012-12-29")}
    kind = next((k for k, cue in _AMENDMENT_KINDS if cue.search(lowered)), None)
    numbers = set(_RESOLUTION_NUMBER.findall(question)) - {"7"}
    return AmendmentRefs(frozenset(dates), frozenset(years), frozenset(numbers), kind, asked=True)


def amendment_notes(refs: AmendmentRefs, paragraph: Paragraph) -> list[tuple[float, Note]]:
    """The paragraph's amendment notes that name the question's resolution
    (date or year, and number if given), each with 1.0 when it made the kind
    of change the question asks about and 0.5 otherwise."""
    if not refs:
        return []
    found = []
    for note in paragraph.notes:
        best = 0.0
        for i, amendment in enumerate(note.amendments):
            if refs.dates and amendment.date not in refs.dates:
                continue
            if not refs.dates and amendment.date[:4] not in refs.years:
                continue
            if refs.numbers and amendment.number not in refs.numbers:
                continue
            kind = note.kind if i == 0 else "changed"  # an "added" note's later resolutions changed it
            best = max(best, AMENDMENT_EXACT if refs.kind in (None, kind) else AMENDMENT_OTHER_KIND)
        if best:
            found.append((best, note))
    return found


def amendment_match(refs: AmendmentRefs, paragraph: Paragraph) -> float:
    """How well the paragraph's amendment history answers the resolution the
    question names: 1.0, 0.5 (that resolution, another kind of change) or 0."""
    return max((score for score, _ in amendment_notes(refs, paragraph)), default=0.0)
