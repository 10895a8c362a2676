"""The resolution's amendment timeline, built from its "Ескерту." notes only.

``timeline(corpus)`` gives one ``AmendingAct`` per amending resolution, oldest
first: the paragraphs it added, changed or set out in a new wording (from the
paragraph notes' amendments, each amendment with the kind of change the
Kazakh note names before it) and the document-level notes that cite it
(the title, the replacements throughout the text), verbatim. ``rows(lang)``
puts one act into label/text pairs for the CLI and the app; the only words it
adds are the labels of ``zanqa.messages``. In Russian the note texts are the
working translation (``Note.text_ru``), to be shown labelled unofficial.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from zanqa.corpus import Amendment, Corpus, Note
from zanqa.messages import t

# The kinds of change a paragraph note names, by the Kazakh words that name them.
_KIND_MARKERS = (
    (re.compile(r"толықтырыл", re.I), "added"),
    (re.compile(r"жаңа редакцияда", re.I), "new_wording"),
    (re.compile(r"өзгеріс", re.I), "changed"),
)
KINDS = ("added", "new_wording", "changed")  # the order of a row's paragraph lists


def amendment_kinds(note: Note) -> list[tuple[Amendment, str]]:
    """Each resolution a note cites, with the kind of change the note says it
    made: the kind named last before the resolution's date in the Kazakh text
    ("9-1-тармақпен толықтырылды – … 08.12.2021 № 3 …; өзгеріс енгізілді –
    … 29.11.2024 № 6": added in 2021, changed in 2024), else the note's kind."""
    markers = sorted(
        (m.start(), kind) for pattern, kind in _KIND_MARKERS for m in pattern.finditer(note.text)
    )
    found = []
    for amendment in note.amendments:
        y, m, d = amendment.date.split("-")
        at = note.text.find(f"{d}.{m}.{y} № {amendment.number}")
        before = [kind for start, kind in markers if start < at]
        found.append((amendment, before[-1] if at >= 0 and before else note.kind))
    return found


def display_date(iso: str) -> str:
    """ "2021-12-08" → "08.12.2021", as the notes write dates."""
    y, m, d = iso.split("-")
    return f"{d}.{m}.{y}"


@dataclass(frozen=True)
class AmendingAct:
    """One amending resolution and what its notes say it changed."""

    amendment: Amendment
    added: tuple[str, ...] = ()  # paragraph ids, in the resolution's order
    new_wording: tuple[str, ...] = ()
    changed: tuple[str, ...] = ()
    document_notes: tuple[Note, ...] = ()  # the title, replacements throughout the text

    @property
    def date(self) -> str:
        return display_date(self.amendment.date)

    def paragraphs(self, kind: str) -> tuple[str, ...]:
        return getattr(self, kind)

    def heading(self, lang: str) -> str:
        """ "08.12.2021 № 3 нормативтік қаулы" / "Нормативное постановление от 08.12.2021 № 3"."""
        return t(lang, "history_act", date=self.date, number=self.amendment.number)

    def rows(self, lang: str) -> list[tuple[str, str]]:
        """(label, text): the paragraph lists that are not empty, then each
        document-level note verbatim (Russian: the working translation)."""
        found = [
            (t(lang, f"history_{kind}"), ", ".join(self.paragraphs(kind)))
            for kind in KINDS
            if self.paragraphs(kind)
        ]
        for note in self.document_notes:
            found.append(
                (t(lang, "history_document"), note.text_ru if lang == "ru" and note.text_ru else note.text)
            )
        return found


def timeline(corpus: Corpus) -> list[AmendingAct]:
    """Every resolution that amended the corpus's own act, oldest first, with the
    paragraphs of that act it added, set out anew or changed, and its document notes."""
    by_act: dict[Amendment, dict[str, list]] = {}

    def entry(amendment: Amendment) -> dict[str, list]:
        return by_act.setdefault(
            amendment, {"added": [], "new_wording": [], "changed": [], "document_notes": []}
        )

    for paragraph in corpus.paragraphs:
        if paragraph.doc_id != corpus.document.id:
            continue
        for note in paragraph.notes:
            for amendment, kind in amendment_kinds(note):
                ids = entry(amendment)[kind if kind in KINDS else "changed"]
                if paragraph.id not in ids:
                    ids.append(paragraph.id)
    for note in corpus.document.notes:
        for amendment in note.amendments:
            entry(amendment)["document_notes"].append(note)
    return [
        AmendingAct(amendment, **{key: tuple(value) for key, value in by_act[amendment].items()})
        for amendment in sorted(by_act, key=lambda a: (a.date, a.number))
    ]
