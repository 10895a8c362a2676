"""The glossary: the terms the resolution defines, read from its own defining sentences.

A defining sentence names a term and says what it means:

- Kazakh: "X деп … түсінген жөн / түсініледі / түсіну қажет / таныған жөн /
  танылуы мүмкін", "«X» ұғымын …", "X … білдіреді";
- Russian: "Под X следует понимать / понимается …", "X следует признавать …",
  "X могут быть признаны …", "X представляет собой / означает …", "понятия
  «X»".

A sentence that only says where a term is defined elsewhere ("… насихаттау
ұғымын айқындау кезінде ҚК-нің 134-бабына ескертпені басшылыққа алған жөн",
paragraph 9-1) is not a definition by the resolution and is left out; the
quoted «X» ұғымы of paragraph 9 stays, since the paragraph goes on to set out
the forms of exploitation.

Each term is the span of the sentence that names it, verbatim, so the
glossary says nothing the resolution does not. One more entry is the act's
own subject, taken from its title ("Адам саудасы" / "торговля людьми"): it is
defined by the sentence that sets out the objective side of the crimes the act
is about.

The engine uses the glossary as a definition signal ("what is X", "X дегеніміз
не", a bare "X" rank X's defining paragraph first): ``GlossaryMatcher``
compares the question's words with each term's, after the question's template
words ("что такое", "деген не") are dropped, so the form of a question never
matches, only its subject.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from zanqa.chunk import LANGS
from zanqa.corpus import Corpus
from zanqa.text import MIN_ROOT, skeleton, split_sentences, tokenize, tokenize_both


@dataclass(frozen=True)
class Definition:
    """One term as one language's defining sentence names it."""

    lang: str
    term: str  # verbatim span of the sentence
    sentence: str  # the defining sentence, verbatim
    sentence_index: int  # its position among the paragraph's sentences (zanqa.text.split_sentences)


@dataclass(frozen=True)
class Term:
    """A defined term: its paragraph and its definitions in each language the text has."""

    paragraph_id: str
    doc_id: str
    kk: Definition | None
    ru: Definition | None
    subject: bool = False  # the act's own subject (from its title)

    def get(self, lang: str) -> Definition | None:
        return self.kk if lang == "kk" else self.ru

    def label(self, lang: str) -> str:
        found = self.get(lang) or self.get("ru" if lang == "kk" else "kk")
        return found.term if found else ""


# The term is group "t"; the patterns are tried in order, first match wins per sentence.
_PATTERNS: dict[str, tuple[re.Pattern, ...]] = {
    "ru": (
        re.compile(r"^Под (?P<t>.+?) (?:следует понимать|понимается|понимаются|необходимо понимать)\b"),
        re.compile(r"понятия «(?P<t>[^»]+)»"),
        re.compile(r"^(?P<t>[А-ЯЁ][^,()]+?) (?:следует признавать|могут быть признаны)\b"),
        re.compile(r"^(?P<t>[А-ЯЁ][^,()]+?)(?:,[^()]*?)?(?: \([^)]*\))?,? (?:представляет собой|означает)\b"),
        # "Торговля людьми, совершенная преступной группой – согласно разъяснению пункта 24 статьи 3 УК …"
        re.compile(r"^(?P<t>[^–]+?) – согласно разъяснению\b"),
    ),
    "kk": (
        re.compile(r"[«\"](?P<t>[^»\"]+)[»\"]\s+ұғым"),
        re.compile(r"(?P<t>\S+ объективті жағы)\b.* білдіреді"),
        # "Қылмыстық топ - ҚК-нің 3-бабы 24-тармағының түсініктемесіне сәйкес …"
        re.compile(r"^(?P<t>[^,–-]+?) [-–] [^,]*?түсініктемесіне сәйкес\b"),
    ),
}
# "X деп … түсінген жөн": X is named just before "деп"; what it means is the rest of the clause.
_KK_DEFINED_AS = re.compile(
    r" деп (?:.+ )?(?:түсінген жөн|түсініледі|түсіну қажет|таныған жөн|танылуы мүмкін)"
)
_KK_ACCUSATIVE = re.compile(r"(?:ды|ді|ны|ні|ты|ті|ын|ін|ларды|лерді|дарды|дерді)$")


def _first_words_before_repeat(sentence: str, most: int = 3) -> str:
    """ "Адамды тасу адамды қанау … білдіреді" → "Адамды тасу": the subject of a Kazakh
    "X … білдіреді" sentence, up to the first word that repeats (at most ``most`` words)."""
    found = sentence.split()
    seen: list[str] = []
    for word in found[: most + 1]:
        if word.lower() in seen:
            return " ".join(found[: len(seen)])
        seen.append(word.lower())
    return ""


def _words_before(clause: str, most: int = 6) -> str:
    """The term a Kazakh "… X деп" clause names: the whole clause when it is short
    ("Адамды сатып алу-сату деп"), else the words after the last accusative object or
    the last comma or bracket ("… ұйымдастыруды | адамды қанау мақсатындағы өзге де іс-әрекеттер деп")."""
    found = clause.split()
    if len(found) <= most and not any(w.endswith((",", ")")) for w in found):
        return clause.strip()
    term: list[str] = []
    for word in reversed(found):
        if word.endswith((",", ")", ";")) or (term and _KK_ACCUSATIVE.search(word.lower())):
            break
        term.insert(0, word)
        if len(term) == most:
            break
    return " ".join(term)


def _term_in(sentence: str, lang: str, first: bool) -> str:
    for pattern in _PATTERNS[lang]:
        m = pattern.search(sentence)
        if m:
            return m.group("t").strip(" ,")
    if lang == "kk" and (m := _KK_DEFINED_AS.search(sentence)):
        return _words_before(sentence[: m.start()])
    if lang == "kk" and first and sentence.rstrip(". ").endswith("білдіреді"):
        return _first_words_before_repeat(sentence)
    return ""


def definitions(text: str, lang: str) -> list[Definition]:
    """The defining sentences of one paragraph's ``text`` in ``lang``."""
    found = []
    for i, sentence in enumerate(split_sentences(text)):
        term = _term_in(sentence, lang, first=i == 0)
        if term:
            found.append(Definition(lang, term, sentence, i))
    return found


_OBJECTIVE_SIDE = re.compile(r"объективті жағы|Объективная сторона", re.IGNORECASE)
_TITLE_SUBJECT = {
    "kk": re.compile(r"^(?P<t>.+?) үшін жауаптылық"),
    "ru": re.compile(r"ответственность за (?P<t>.+)$"),
}


def _subject(title: str, lang: str) -> str:
    m = _TITLE_SUBJECT[lang].search(title)
    return m.group("t").strip() if m else ""


def extract_glossary(corpus: Corpus) -> list[Term]:
    """Every term the corpus's paragraphs define, in corpus order: one ``Term`` per
    paragraph and term, its Kazakh and Russian definitions paired in order. The sentence
    on the objective side of the crimes is the act's subject's entry (``Term.subject``)."""
    terms: list[Term] = []
    for p in corpus.paragraphs:
        found = {}
        for lang in LANGS:
            seen: set[frozenset[str]] = set()
            found[lang] = []
            for d in definitions(getattr(p, lang), lang):
                key = frozenset(tokenize(d.term, lang, roots=False))
                if key not in seen:
                    seen.add(key)
                    found[lang].append(d)
        for i in range(max(len(found["kk"]), len(found["ru"]))):
            kk = found["kk"][i] if i < len(found["kk"]) else None
            ru = found["ru"][i] if i < len(found["ru"]) else None
            subject = any(d is not None and _OBJECTIVE_SIDE.search(d.term) for d in (kk, ru))
            terms.append(Term(p.id, p.doc_id, kk, ru, subject))
    return terms


# The words of a question's form, never of its subject: "что такое X", "X деген не",
# "кто такой X", "X дегеніміз не", "понятие X".
TEMPLATE_WORDS = {
    "kk": "деген дегеніміз дегенимиз деп не нені кім кімді кімдер қандай қалай ма ме ба бе ұғымы ұғым "
    "түсінігі түсінік білдіреді мағынасы мәні туралы жөнінде өзі ше шы ші ғой енді нақты жалпы "
    "айтады атайды түсінеміз түсіну әрекет әрекеттер саналады танылады қашан аяқталды аяқталған "
    "аяқталады есептеледі сәттен сәті бастап қылмыс па бола болып табыла қарапайым тілмен қысқаша "
    "түрлері түрі белгілері белгісі",
    "ru": "что такое такой такая такие это кто кого считается является являются значит означает "
    "понятие понимается понимать под определение смысл есть ли и о об про по вообще же вот именно признается "
    "называется называют действия когда оконченным оконченной оконченное окончено окончена с какого "
    "момента момент окончания преступление преступлением ли будет простыми словами простым языком "
    "коротко вкратце виды вид бывают бывает ее её признаки признак",
}

# A quoted word or phrase: «…», "…", “…”, „…“.
_QUOTED = re.compile(r"[«\"“„]([^«»\"“”„]{2,80})[»\"”“]")
# The notion a question names as one, with the words the question goes on about beside it:
# Kazakh "X ұғымы / түсінігі" (up to three words before: the nearest last), Russian "понятие X" (up to
# three after: the nearest first). Each pattern with whether its nearest words are its last.
_NOTION = (
    (re.compile(r"((?:[\w-]+\s+){1,3})(?:ұғым|угым|түсінігі|тусиниги)", re.IGNORECASE), True),
    (re.compile(r"(?:понятие|понятия|понятию|понятием)\s+«?((?:[\w-]+\s*){1,3})", re.IGNORECASE), False),
)

# The person an act is done to, named in a term or a question in any of these words ("передача
# потерпевшего" is the "передача человека" asked about): Kazakh stem beginnings (5-letter
# stems: "адамд", "адамн"), Russian Snowball stems. The glossary compares Kazakh words by their
# first letters (``tokenize(…, roots=False)``), as the terms' qualifiers and its template words
# were chosen for: a stripped root would drop "қала" with the template's "қалай".
_PERSON = {
    "kk": ("адам", "жабир", "тулга", "курба"),
    "ru": ("человек", "лиц", "потерпевш", "жертв", "люд", "людьм"),
}
_PERSON_STEM = "<person>"


def _person_as_one(stems: frozenset[str], lang: str) -> frozenset[str]:
    if lang == "ru":
        return frozenset(_PERSON_STEM if s in _PERSON["ru"] else s for s in stems)
    return frozenset(_PERSON_STEM if s.startswith(_PERSON["kk"]) else s for s in stems)


class GlossaryMatcher:
    """How well a question's subject matches each defined term (``scores``)."""

    MIN_SCORE = 0.5

    def __init__(self, terms: list[Term], corpus: Corpus) -> None:
        self.terms = terms
        # a question mixes languages ("вербовка деген не"): both templates, read in each language
        # the Kazakh words typed without Kazakh letters too ("ози" for "өзі"), as a Russian
        # reading of a Kazakh question stems them
        template = " ".join([*TEMPLATE_WORDS.values(), skeleton(TEMPLATE_WORDS["kk"])])
        self._template = {lang: frozenset(tokenize(template, lang, roots=False)) for lang in LANGS}
        # (term, paragraph position, language, the term's stems), the subject's entry with the title's too
        position = {(p.doc_id, p.id): i for i, p in enumerate(corpus.paragraphs)}
        # (term, paragraph position, language, the term's stems, the same with one person stem)
        self._entries: list[tuple[int, int, str, frozenset[str], frozenset[str]]] = []
        self._root_prefix: dict[str, dict[str, str]] = {lang: {} for lang in LANGS}
        self._term_prefixes: dict[str, set[str]] = {lang: set() for lang in LANGS}
        for k, term in enumerate(terms):
            pos = position[(term.doc_id, term.paragraph_id)]
            for lang in LANGS:
                names = [d.term] if (d := term.get(lang)) else []
                if term.subject and term.doc_id == corpus.document.id:
                    names.append(_subject(getattr(corpus.document, f"title_{lang}"), lang))
                for name in names:
                    roots, prefixes = tokenize_both(name, lang)
                    stems = frozenset(prefixes) - self._template[lang]
                    if stems:
                        self._entries.append((k, pos, lang, stems, _person_as_one(stems, lang)))
                        self._term_prefixes[lang] |= stems
                        # a root of 3+ letters → the term's prefix: "сатса" is the term's "сату"
                        for root, prefix in zip(roots, prefixes, strict=True):
                            if len(root) >= MIN_ROOT and prefix in stems:
                                self._root_prefix[lang].setdefault(root, prefix)

    def _matches(self, text: str):
        """(term index, paragraph position, score) for every entry naming the subject of ``text``:
        every word of the subject is in the term; the score is the fourth root of the share of
        the term's words the question has (a term's qualifiers, "с целью последующей
        эксплуатации", count little)."""
        asked = {lang: self._asked(text, lang) for lang in LANGS}
        # the person's words are one word beside an act ("передача жертвы" is "передача
        # потерпевшего"), never alone ("жәбірленуші" is not every term about a person)
        as_one = {lang: _person_as_one(q, lang) for lang, q in asked.items()}
        for k, pos, lang, stems, person_stems in self._entries:
            q = as_one[lang]
            if q == {_PERSON_STEM}:
                q = asked[lang]
            else:
                stems = person_stems
            if q and q <= stems:
                yield k, pos, (len(q) / len(stems)) ** 0.25

    def _asked(self, text: str, lang: str) -> frozenset[str]:
        """The question's subject: its words' prefixes without the template's, a word whose prefix
        no term has read by its root as the term's word of that root ("сатса" as "сату")."""
        roots, prefixes = tokenize_both(text, lang)
        known, own = self._root_prefix[lang], self._term_prefixes[lang]
        return frozenset(
            known.get(root, prefix) if len(root) >= MIN_ROOT and prefix not in own else prefix
            for root, prefix in zip(roots, prefixes, strict=True)
            if not prefix.isdigit() and prefix not in self._template[lang]
        )

    def scores(self, text: str, n_paragraphs: int) -> np.ndarray:
        """Per paragraph, 0..1: how well one of its terms names the question's subject
        (``_matches``), 0 below ``MIN_SCORE``. A word in quotes is the subject when a term
        holds it ("Адам саудасында «беру» деген не?" asks what "беру" is); when no term holds
        the whole subject, the notion named by "ұғымы" or "понятие" is ("эксплуатация ұғымын
        анықтағанда … қай статьясына сүйенеміз" asks about exploitation)."""
        quoted = " ".join(_QUOTED.findall(text))
        if quoted:
            out = self._scores(quoted, n_paragraphs)
            if out.any():
                return out
        out = self._scores(text, n_paragraphs)
        if out.any():
            return out
        # "адамды қанау ұғымын анықтағанда ҚК-нің қай бабын…": the notion named, the longest run of
        # its words next to "ұғымы" / "понятие" that a term holds
        for pattern, nearest_last in _NOTION:
            for match in pattern.finditer(text):
                named = match.group(1).split()
                for n in range(len(named), 0, -1):
                    out = self._scores(" ".join(named[-n:] if nearest_last else named[:n]), n_paragraphs)
                    if out.any():
                        return out
        return out

    def _scores(self, text: str, n_paragraphs: int) -> np.ndarray:
        out = np.zeros(n_paragraphs, dtype=np.float32)
        for _, pos, score in self._matches(text):
            if score >= self.MIN_SCORE and score > out[pos]:
                out[pos] = score
        return out

    def find(self, text: str) -> list[Term]:
        """The terms whose words hold every word of ``text`` ("вербовка" finds "вербовкой
        человека", "адам саудасы" the act's subject), in glossary order."""
        found = {k for k, _, _ in self._matches(text)}
        return [term for k, term in enumerate(self.terms) if k in found]
