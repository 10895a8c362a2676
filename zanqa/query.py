"""The query stage: the raw question → ``Query``, the plain data every later
stage reads (nothing downstream re-normalizes or re-parses the raw string).

People in Kazakhstan type Kazakh three ways: with the Kazakh letters, on a
Russian keyboard (ә і ң ғ ү ұ қ ө һ typed as а и н г у у к о х), and in Latin
letters (the 2017 apostrophe alphabet, the 2018 acute one, the 2021 one, and
informal ASCII: sh, ch, zh, q, gh, ng). They mix in Russian legal terms and
make typos. ``parse_query`` turns all of it into Cyrillic text with the
Kazakh letters restored against the corpus's own word forms
(``Lexicon``), a language per token, the references the question cites and
its intent. Two libraries were measured for Latin script and not adopted:
qazaq-transliterator and turkic-translit convert Cyrillic to Latin, the
other direction (README, "How it works").
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from rapidfuzz.distance import Levenshtein

from zanqa.config import hunspell_kk_path
from zanqa.corpus import Note, Paragraph
from zanqa.text import KK_LETTERS, RU_MARKERS, detect_language, normalize, skeleton, stem_ru, words

# ------------------------------------------------------------ Latin → Cyrillic

# Longest first: digraphs and the 2017 apostrophe letters before single letters.
_LATIN = [
    ("shch", "щ"), ("ngh", "нғ"), ("sh", "ш"), ("ch", "ч"), ("zh", "ж"), ("gh", "ғ"), ("kh", "х"),
    ("ng", "ң"), ("yu", "ю"), ("ya", "я"),
    ("a'", "ә"), ("o'", "ө"), ("u'", "ү"), ("g'", "ғ"), ("n'", "ң"), ("i'", "і"), ("s'", "ш"), ("c'", "ч"),
    ("y'", "ұ"),
    ("á", "ә"), ("ä", "ә"), ("ǵ", "ғ"), ("ğ", "ғ"), ("ń", "ң"), ("ñ", "ң"), ("ó", "ө"), ("ö", "ө"),
    ("ú", "ү"), ("ü", "ү"), ("ū", "ұ"), ("ý", "у"), ("ş", "ш"), ("ç", "ч"), ("i", "і"),
    ("a", "а"), ("b", "б"), ("c", "с"), ("d", "д"), ("e", "е"), ("f", "ф"), ("g", "г"), ("h", "х"),
    ("j", "ж"), ("k", "к"), ("l", "л"), ("m", "м"), ("n", "н"), ("o", "о"), ("p", "п"), ("q", "қ"),
    ("r", "р"), ("s", "с"), ("t", "т"), ("u", "у"), ("v", "в"), ("w", "у"), ("x", "х"), ("y", "ы"),
    ("z", "з"),
]  # fmt: skip
_LATIN_RE = re.compile("|".join(re.escape(a) for a, _ in _LATIN), re.IGNORECASE)
_LATIN_MAP = dict(_LATIN)
_LATIN_WORD = re.compile(r"[A-Za-zÁáÄäǴǵĞğŃńÑñÓóÖöÚúÜüŪūÝýŞşÇçİıI'’]+")


# "i" after a vowel is "й" ("deidi" дейді, "paidalanu" пайдалану, "qalai" қалай), except a
# word's last "ui", a possessive ("tergeui" тергеуі).
_I_AFTER_VOWEL = re.compile(r"([aeoáäóö])i|([uúüū])i(?!$)")
# "ts" and "c" are "ц" only in a Russian loanword's "-ция" ("ekspluatatsiya", "migraciya"); a
# Kazakh "ts" is т + с ("satsa" сатса, "ketsin" кетсін): Kazakh has no ц.
_TS_OF_LOANWORD = re.compile(r"(?:ts|c)(?=i[aeouy])")


# "ı" is і in the 2021 alphabet ("bır" бір, "kısı" кісі) but ы for many writers ("bolıp" болып,
# "satıp"): read by vowel harmony (ы among back vowels only), the other reading tried too when the
# lexicon is there (``keep_dotless``: the letter is kept as it is for ``Lexicon.read``)
_DOTLESS = "ı"
_DOTLESS_AFTER_VOWEL = re.compile(r"(?<=[aeoáäóöuúüū])ı")  # the 2018 alphabet's й: "qaı" қай


def latin_to_cyrillic(text: str, keep_dotless: bool = False) -> str:
    """Latin-script Kazakh (2017, 2018, 2021 alphabets or informal ASCII) → Cyrillic.
    Ambiguous letters (i: і, и or й; ng: ң or н + г) come out as one of their
    readings; ``Lexicon`` then picks the spelling it knows (``_latin_spellings``)."""

    def word(match: re.Match) -> str:
        w = match.group(0).replace("’", "'").replace("İ", "i").lower()
        w = _I_AFTER_VOWEL.sub(lambda m: (m.group(1) or m.group(2)) + "й", w)
        w = _TS_OF_LOANWORD.sub("ц", w)
        w = _DOTLESS_AFTER_VOWEL.sub("й", w)
        # (IGNORECASE lets "i" match "ı": the table has no "ı", which stays as it is)
        out = _LATIN_RE.sub(lambda m: _LATIN_MAP.get(m.group(0).lower(), m.group(0)), w).replace("'", "")
        return (
            out if keep_dotless or _DOTLESS not in out else out.replace(_DOTLESS, _dotless_readings(out)[0])
        )

    return _LATIN_WORD.sub(word, text)


def is_latin(text: str) -> bool:
    letters = [ch for ch in text if ch.isalpha()]
    return bool(letters) and sum(
        "a" <= ch.lower() <= "z" or ch in "áäǵğńñóöúüūýşçıİ" for ch in letters
    ) > 0.6 * len(letters)


# ------------------------------------------------------------ the corpus lexicon

# The share of a Latin question's words of 4+ letters that must be Kazakh words of the lexicon.
LATIN_MIN_KNOWN = 0.6
_READ_CACHE = 50_000  # words ``Lexicon.read`` remembers (least recently used dropped first)
MIN_PREFIX = 4  # a restored word shares at least this many letters with a corpus word
_TYPO_MIN_LEN = 6  # shorter words have too many neighbours one edit away


@dataclass
class Lexicon:
    """The corpus's word forms, to restore and classify a question's words.

    kk: skeleton → the Kazakh spelling seen most often; kk_prefixes: skeleton
    prefix → the spelling of that prefix seen most often; ru: Russian word forms;
    ru_stems: their Snowball stems."""

    kk: dict[str, str]
    kk_prefixes: dict[str, str]
    ru: frozenset[str]
    ru_stems: frozenset[str]
    kk_forms: frozenset[str] = frozenset()  # the Kazakh word forms exactly as the corpus spells them
    stems: dict[str, str] = field(default_factory=dict)  # skeleton → a Kazakh lexicon stem (Hunspell)
    # the dictionary's words whose skeleton ``stems`` gives to another spelling ("алып": "әліп"):
    # typed as they are, they are words of their own, not that spelling typed without its letters
    shadowed: frozenset[str] = frozenset()
    _choices: list[str] = field(default_factory=list, repr=False)
    # ``read``: ``_read_word`` memoized per lexicon (never shared by a ``dataclasses.replace`` copy)
    read: Callable[[str, bool, bool], tuple[str, str]] = field(init=False, repr=False, compare=False)
    # every choice and its one-letter deletions → the choices' positions: the candidates one edit
    # away from a word are found by its own deletions (the symmetric-delete idea of SymSpell)
    _deletes: dict[str, list[int]] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.read = lru_cache(maxsize=_READ_CACHE)(self._read_word)
        self._deletes = {}
        for i, choice in enumerate(self._choices):
            for key in {choice, *_deletions(choice)}:
                self._deletes.setdefault(key, []).append(i)

    @classmethod
    def from_texts(
        cls, kk_texts: list[str], ru_texts: list[str], stems: dict[str, str] | None = None
    ) -> Lexicon:
        kk_counts = Counter(w.lower() for t in kk_texts for w in words(t))
        kk: dict[str, str] = {}
        prefixes: dict[str, Counter] = {}
        for word, n in kk_counts.most_common():
            skel = skeleton(word)
            kk.setdefault(skel, word)
            for size in range(MIN_PREFIX, len(word) + 1):
                prefixes.setdefault(skel[:size], Counter())[word[:size]] += n
        # the corpus's Russian and the function words a question has around it
        ru = frozenset(w.lower() for t in ru_texts for w in words(t)) | RU_MARKERS
        return cls(
            kk=kk,
            kk_prefixes={p: c.most_common(1)[0][0] for p, c in prefixes.items()},
            ru=ru,
            ru_stems=frozenset(stem_ru(w) for w in ru),
            kk_forms=frozenset(kk_counts),
            stems=stems if stems is not None else hunspell_stems(),
            shadowed=frozenset() if stems is not None else hunspell_shadowed(),
            _choices=sorted(kk) + sorted(ru),
        )

    @classmethod
    def of_corpus(cls, corpus) -> Lexicon:
        """The lexicon of a corpus (``zanqa.corpus.Corpus``): its Kazakh paragraphs and amendment
        notes, their Russian translation, and the Hunspell-kk stems when installed."""
        paragraphs = corpus.paragraphs
        return cls.from_texts(
            [p.kk for p in paragraphs] + [n.text for p in paragraphs for n in p.notes],
            [p.ru for p in paragraphs] + [n.text_ru for p in paragraphs for n in p.notes],
        )

    def word_lang(self, word: str, letters_tell: bool = True) -> str:
        """ "kk", "ru" or "" (unknown) for one lower-case Cyrillic word.
        letters_tell: a Kazakh letter makes the word Kazakh; False for transliterated
        Latin, whose Kazakh letters came from the table (q → қ), not from the writer."""
        if (letters_tell and _has_kk_letter(word)) or word in self.kk_forms:
            return "kk"
        if word in self.ru:
            return "ru"
        skel = skeleton(word)
        if skel in self.kk:
            return "kk"
        if stem_ru(word) in self.ru_stems:
            return "ru"
        if len(skel) >= 5 and skel[:5] in self.kk_prefixes:
            return "kk"
        # a stem spelled with a Kazakh letter: Kazakh typed without it; a stem without one
        # (a loanword Kazakh shares with Russian) tells nothing, except in Latin script
        if skel in self.stems and (not letters_tell or _has_kk_letter(self.stems[skel])):
            return "kk"
        if not letters_tell and self._stem_prefix(skel) >= max(MIN_PREFIX, len(skel) // 2):
            return "kk"  # Latin: a lexicon stem begins the word (the corpus lacks everyday words)
        return ""

    def _read_word(self, word: str, latin: bool, kazakh: bool) -> tuple[str, str]:
        """A question's lower-case word → (its restored or corrected spelling, "" if unchanged;
        its language: ``word_lang``'s, or for a word no lexicon knows "ru" by a Russian ending,
        "kk" in a Kazakh question). ``latin``: transliterated from Latin; ``kazakh``: the
        question reads as Kazakh. Called as ``read``, memoized: words recur across questions."""
        if latin:
            return self._read_latin(word, kazakh)
        return self._read_spelling(word, False, kazakh)

    def _read_latin(self, word: str, kazakh: bool) -> tuple[str, str]:
        """``_read_word`` for a word transliterated from Latin, whose letters are ambiguous: "ng"
        is ң or н + г ("kunge" күнге), "i" is і or a Russian loanword's и ("normativtik"), "ı" is
        і or ы, and a Russian word typed in Latin has lost its ь ("statya" статья). The table's spelling is
        kept unless it is no word the lexicon knows and another of ``_latin_spellings`` is."""
        spellings = _latin_spellings(word) if len(word) <= _MAX_VARIANT_WORD else [word]
        readings = [(spelling, *self._read_spelling(spelling, True, kazakh)) for spelling in spellings]
        spelling, new, lang = next((r for r in readings if self._known(r[1] or r[0])), readings[0])
        return (new or ("" if spelling == word else spelling)), lang

    def _known(self, word: str) -> bool:
        """A word form the lexicon has whole, spelled as it has it: the corpus's (Kazakh or
        Russian) or a dictionary stem. (A spelling that only shares a known word's skeleton is
        a restoration ``_fits`` refused: "қілміс" read from "qılmıs" is not "қылмыс".)"""
        skel = skeleton(word)
        return (
            word in self.kk_forms
            or word in self.ru
            or self.kk.get(skel) == word
            or self.stems.get(skel) == word
        )

    def _read_spelling(self, word: str, latin: bool, kazakh: bool) -> tuple[str, str]:
        lang = self.word_lang(word, letters_tell=not latin)
        new = ""
        if lang == "kk" and word not in self.kk_forms and word not in self.shadowed:
            new = self.restore(word, latin)
        elif not lang:
            # in a Russian question a short ending is the word's own: "должника" is the genitive
            # of "должник", not "должни" + "ка"; "потерпевшийдин" keeps its Kazakh "дин"
            fixed = self.russian_under_kazakh_suffix(word, 1 if kazakh or latin else 3) or self.correct(word)
            if fixed is not None:
                new, lang = fixed, self.word_lang(fixed, letters_tell=not latin)
            elif not latin and _RU_WORD_ENDING.search(word):
                lang = "ru"  # a Russian term the corpus lacks ("внешность"), in any question
            elif kazakh and not latin:
                lang = "kk"
        return new, lang

    def _stem_prefix(self, skel: str) -> int:
        """The length of the longest lexicon stem that begins the skeleton ``skel`` (0: none)."""
        return next((n for n in range(len(skel), MIN_PREFIX - 1, -1) if skel[:n] in self.stems), 0)

    def restore(self, word: str, latin: bool = False) -> str:
        """The Kazakh spelling of ``word`` typed without some Kazakh letters: the
        corpus's form with the same skeleton, else the longest corpus prefix with
        the rest of the word as typed. ``latin``: transliterated, its "і" the table's
        reading of a Latin "i" or "ı" (і, и or й), not a letter the writer chose."""
        skel = skeleton(word)
        if skel in self.kk and _fits(word, self.kk[skel], latin):
            return self.kk[skel]
        for size in range(len(skel), MIN_PREFIX - 1, -1):
            # a lexicon stem as long as the corpus prefix wins: it is a whole word
            for prefix in (
                self.stems.get(skel[:size]),
                self.kk_prefixes.get(skel[:size]) if size < len(skel) else None,
            ):
                if prefix is not None and _fits(word, prefix, latin) and _agrees(prefix, word[size:]):
                    return prefix + word[size:]
        return word

    def correct(self, word: str) -> str | None:
        """The corpus word ``word`` is a typo of (one edit away, the first letter as typed), or
        None. Two edits turned correct words the corpus lacks into corpus words ("алиментов" →
        "клиентов", "собственников" → "родственников") and were dropped; a changed first letter
        turned a word into another ("кетуге", to leave, → "етуге"), so a typo in the first letter
        ("ербовка") is not fixed."""
        if len(word) < _TYPO_MIN_LEN:
            return None
        skel = skeleton(word)
        near = {i for key in (skel, *_deletions(skel)) for i in self._deletes.get(key, ())}
        # the closest, and among equals the first in the choices' order
        found = min(
            (
                (d, i)
                for i in near
                if skeleton(self._choices[i][:1]) == skel[:1]
                and (d := Levenshtein.distance(skel, self._choices[i], score_cutoff=1)) <= 1
            ),
            default=None,
        )
        if found is None:
            return None
        match = self._choices[found[1]]
        return self.kk.get(match, match)

    def russian_under_kazakh_suffix(self, word: str, min_size: int = 1) -> str | None:
        """A Russian term with a Kazakh ending ("потерпевшийдің", "проституцияға",
        "согласиесы") → the Russian word ("потерпевший"), or None. The ending is read on
        the skeleton, so it is found typed with or without Kazakh letters. ``min_size``: the
        shortest ending taken (in Russian text a short one is the word's own: "должника")."""
        skel = skeleton(word)
        for size in (s for s in _KK_SUFFIX_SIZES if s >= min_size):
            stem = word[: len(word) - size]
            if (
                len(stem) >= 4
                and skel[-size:] in _KK_SUFFIXES
                and (stem in self.ru or stem_ru(stem) in self.ru_stems)
            ):
                return stem
        return None


def _fits(typed: str, spelling: str, latin: bool = False) -> bool:
    """Whether ``spelling`` (of the same skeleton) keeps every Kazakh letter ``typed`` has: a
    restoration adds the letters a Russian keyboard lacks, never changes one typed ("ұрлыққа" is
    not "үрлікқа"). A word typed with "ы" and only back vowels (а, о, у, ы) stays a word of back
    vowels (vowel harmony): "сатты" (sold) is not "сәтті" (successful); with a front vowel typed
    ("жабырленушы", Latin "deyin") the "ы" may be a mistyped "і" or "й". ``latin``: a typed
    "і" is the table's reading of a Latin "i" or "ı", which may be і, и or й (not ы: that is "y")."""
    if "ы" in typed and _back_vowels_only(typed) and any(c in _FRONT_VOWELS for c in spelling):
        return False
    return all(
        t == s or t not in KK_LETTERS or (latin and t == "і" and s in "ий")
        for t, s in zip(typed, spelling, strict=False)
    )


def _latin_spellings(word: str) -> list[str]:
    """The Cyrillic spellings a transliterated word may have, the table's first: each "ң"
    before a vowel read as "нг" or "нғ" (an ASCII "ng": "kunge" күнге); and for a Russian
    loanword, "і" read as "и" ("normativtik"), "тс" or a "с" before и, е, я as "ц" ("protsess",
    the 2021 alphabet's "polisiya"), a "ь" put back after a consonant at the word's end or
    before a consonant or я, ю, е, и ("chast" часть, "statya" статья, "ukryvatelstvo")."""
    if _DOTLESS in word:  # a kept "ı": the reading vowel harmony prefers first, then the other
        first, second = _dotless_readings(word)
        return [
            *_latin_spellings(word.replace(_DOTLESS, first)),
            *_latin_spellings(word.replace(_DOTLESS, second)),
        ]
    spellings = [word]
    if re.search(f"ң[{_VOWELS}]", word):
        spellings += [re.sub(f"ң(?=[{_VOWELS}])", pair, word) for pair in ("нг", "нғ")]
    plain = word.replace("і", "и")
    if plain != word:
        spellings.append(plain)
    for tse in (plain.replace("тс", "ц"), _S_OF_LOANWORD.sub("ц", plain)):  # "protsess", "polisiya"
        if tse != plain:
            spellings.append(tse)
    spellings += [plain[: m.end()] + "ь" + plain[m.end() :] for m in _SOFT_SIGN_PLACE.finditer(plain)]
    return spellings


_VOWELS = "аәеёиіоөуүұыэюя"
_MAX_WORD = 60  # longer than any word of either language (Kazakh's longest run to ~30 letters)
_MAX_VARIANT_WORD = 30  # a longer "word" is no word: its table spelling only (the variants grow with it)
_S_OF_LOANWORD = re.compile(r"с(?=[иея])")
_SOFT_SIGN_PLACE = re.compile(r"[бвгджзклмнпрстфхцчшщ](?=[бвгджзклмнпрстфхцчшщяюеи]|$)")


def _agrees(stem: str, ending: str) -> bool:
    """Vowel harmony across a restored stem and the ending typed after it: an ending's vowels
    follow the stem's last vowel ("сат" + "са", not "сәт" + "са"; "кітап" + "тың")."""
    last = next((c for c in reversed(stem) if c in _BACK_VOWELS or c in _FRONT_VOWELS), "")
    if last in _FRONT_VOWELS:  # a "ы" typed after one may be a mistyped "і" ("жабырленушылер")
        return not any(c in "аоұ" for c in ending)
    if last in _BACK_VOWELS:  # an "е" typed after one may be a Russian word's ("адвокат" + "е")
        return not any(c in "әіөү" for c in ending)
    return True


def _deletions(word: str) -> set[str]:
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


# Kazakh case, possessive and plural endings.
_KK_NOUN_ENDINGS = (
    "ның нің дың дің тың тің ны ні ды ді ты ті н ға ге қа ке на не да де та те нан нен дан ден "
    "тан тен мен бен пен сы сі сын сін сына сіне сында сінде ы і ын ін ына іне ында інде "
    "лар лер дар дер тар тер ларды лерді дарды дерді ларға лерге дарға дерге ларда лерде"
)
_KK_SUFFIXES = frozenset(skeleton(s) for s in _KK_NOUN_ENDINGS.split())  # as skeletons
_KK_SUFFIX_SIZES = sorted({len(s) for s in _KK_SUFFIXES}, reverse=True)  # the longest first


def _has_kk_letter(word: str) -> bool:
    return any(c in KK_LETTERS for c in word)


_FRONT_VOWELS = "еіәөү"
_BACK_VOWELS = "аоұы"


def _back_vowels_only(word: str) -> bool:
    """No front vowel in a word as typed, nor "и", which a Russian keyboard types for "і"."""
    return not any(c in _FRONT_VOWELS or c == "и" for c in word)


def _dotless_readings(word: str) -> tuple[str, str]:
    """A Latin "ı" kept in a transliterated word: ы first among back vowels only ("болıп"), else
    і (the 2021 alphabet's: "бıр"), the other reading second."""
    rest = word.replace(_DOTLESS, "")
    back = _back_vowels_only(rest) and any(c in _BACK_VOWELS or c == "у" for c in rest)
    return ("ы", "і") if back else ("і", "ы")


def _back_velar(word: str) -> bool:
    """A к or г among back vowels only ("жаксы", "койды", "калган"): by Kazakh vowel harmony the
    writer's қ or ғ typed on a Russian keyboard, even where the dictionary lists the other spelling."""
    return any(c in "кг" for c in word) and _back_vowels_only(word)


@lru_cache(maxsize=4)
def _read_stems(path: str) -> tuple[dict[str, str], frozenset[str]]:
    """Skeleton → stem, and the stems spelled without a Kazakh letter that lost their skeleton."""
    stems: dict[str, str] = {}
    spellings: dict[str, set[str]] = {}
    with open(path, encoding="utf-8", errors="replace") as fh:
        next(fh, None)  # the word count
        for line in fh:
            word = line.split("/", 1)[0].strip().lower()
            if len(word) < MIN_PREFIX:
                continue
            skel = skeleton(word)
            spellings.setdefault(skel, set()).add(word)
            # a spelling with a Kazakh letter wins the skeleton: "қашан" over "кашан"
            if skel not in stems or (_has_kk_letter(word) and not _has_kk_letter(stems[skel])):
                stems[skel] = word
    shadowed = frozenset(
        word
        for skel, words_ in spellings.items()
        for word in words_
        if word != stems[skel] and not _has_kk_letter(word) and not _back_velar(word)
    )
    return stems, shadowed


def hunspell_stems() -> dict[str, str]:
    """Skeleton → stem for the Hunspell Kazakh dictionary's stems of 4+ letters; empty
    when the dictionary is not installed."""
    path = hunspell_kk_path()
    return _read_stems(str(path))[0] if path.is_file() else {}


def hunspell_shadowed() -> frozenset[str]:
    """The dictionary's stems spelled without a Kazakh letter whose skeleton another stem
    has ("алып", "тартып", "таныс": "әліп", "тәртіп", "таңыс"); with no word frequencies in
    the dictionary, a word typed as one of them is kept as typed."""
    path = hunspell_kk_path()
    return _read_stems(str(path))[1] if path.is_file() else frozenset()


# ------------------------------------------------------------ intents

INTENTS_PATH = Path(__file__).with_name("intents.json")


@dataclass(frozen=True)
class NearRule:
    """A word beginning with one of ``words`` within ``within`` words of one beginning with one of
    ``with_``; a cue of three letters or fewer ("рф", "акш") must be the whole word or the word with
    a case ending of up to two letters ("рф-та", "сша"), a cue ending in "$" the whole word ("суде$"
    is not "судебный"). ``where``: only a ``words`` word in the
    locative, "where" something is: a Kazakh locative ending ("Польшада", "Ресейде") or after the
    Russian "в"/"во" ("в Беларуси"); a person taken to Russia ("Ресейге", "в Россию") is not.
    ``not_to``: a ``words`` word naming where someone was taken ("в Россию", "Ресейге") does not
    count. ``unless``: words that undo the rule wherever they stand ("УК РК": Kazakhstan's code)."""

    words: tuple[str, ...]
    with_: tuple[str, ...]
    within: int
    where: bool = False
    not_to: bool = False  # skip a ``words`` word naming where a person was taken ("в Россию", "Ресейге")
    unless: tuple[str, ...] = ()  # a word beginning with one of these anywhere: the rule does not hold
    not_after: tuple[str, ...] = ()  # a ``words`` word right after one of these does not count

    @staticmethod
    def _pattern(cues: tuple[str, ...]) -> tuple[re.Pattern, int]:
        """The cues as one pattern, matched at a word on that word and the ones after it joined
        by spaces (a cue of several words, "жалған паспорт", spans them), and the most words a
        cue spans."""
        pattern = re.compile(
            "(?:"
            + "|".join(
                re.escape(c[:-1]) + "(?= |$)"
                if c.endswith("$")
                else re.escape(c) + ("" if len(c) > 3 else r"\w{0,2}(?= |$)")
                for c in cues
            )
            + ")"
        )
        return pattern, max((c.count(" ") + 1 for c in cues), default=1)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_first_re", self._pattern(self.words))
        object.__setattr__(self, "_with_re", self._pattern(self.with_))
        object.__setattr__(self, "_unless_re", self._pattern(self.unless) if self.unless else None)
        # one scan of the whole folded text: no cue of ``words`` or ``with_`` at any word, no match
        for name in ("_first_re", "_with_re"):
            object.__setattr__(self, name + "_any", re.compile("(?<= )" + getattr(self, name)[0].pattern))

    @staticmethod
    def _at(cues: tuple[re.Pattern, int], found: list[str], i: int) -> bool:
        pattern, span = cues
        return bool(pattern.match(found[i] if span == 1 else " ".join(found[i : i + span])))

    def match(self, found: list[str], folded: str | None = None) -> bool:
        """``found``: the question's folded words; ``folded``: their text, a space at both ends."""
        folded = " " + " ".join(found) + " " if folded is None else folded
        if not (self._first_re_any.search(folded) and self._with_re_any.search(folded)):
            return False
        first = [i for i in range(len(found)) if self._at(self._first_re, found, i)]
        if self.where:
            first = [i for i in first if _locative(found, i)]
        if self.not_to:
            first = [i for i in first if not _direction(found, i)]
        if self.not_after:
            first = [i for i in first if not (i and any(found[i - 1].startswith(c) for c in self.not_after))]
        if (
            first
            and self._unless_re is not None
            and any(self._at(self._unless_re, found, k) for k in range(len(found)))
        ):
            return False
        return any(
            self._at(self._with_re, found, j)
            for i in first
            for j in range(max(0, i - self.within), min(len(found), i + self.within + 1))
            if j != i
        )


# Case endings on skeletons (дағы → дагы): where something is, and where someone was taken to.
_KK_LOCATIVE = re.compile(r"(?:да|де|та|те|дагы|деги|тагы|теги)$")
_KK_DIRECTION = re.compile(r"(?:га|ге|ка|ке)$")  # "Ресейге", "Польшаға"
_RU_DIRECTION = re.compile(r"(?:у|ю)$")  # after "в": "в Польшу", "в Россию"


def _after_v(found: list[str], i: int) -> bool:
    return i > 0 and found[i - 1] in ("в", "во")


def _direction(found: list[str], i: int) -> bool:
    """Whether word ``i`` of the folded words names where someone went: "в Россию", "Ресейге"."""
    return bool((_RU_DIRECTION if _after_v(found, i) else _KK_DIRECTION).search(found[i]))


def _locative(found: list[str], i: int) -> bool:
    """Whether word ``i`` of the folded words names a place where something is: "в России", "в
    США" (not "в Россию"), "Ресейде", or an abbreviation with its ending split off ("АҚШ-та")."""
    if _after_v(found, i):
        return not _direction(found, i)
    return bool(i + 1 < len(found) and _KK_LOCATIVE.fullmatch(found[i + 1]) or _KK_LOCATIVE.search(found[i]))


@dataclass(frozen=True)
class IntentCues:
    """How one intent of zanqa/intents.json is recognised in a folded question: a cue (a word
    beginning, or consecutive word beginnings), or one of its ``near`` rules; ``unless``: cues of
    the same kind that undo the intent (a victim asking whether they will be fined or deported is
    asking paragraph 11, not for the crime's sanction)."""

    cues: tuple[str, ...]
    near: tuple[NearRule, ...] = ()
    unless: tuple[str, ...] = ()
    firm: tuple[str, ...] = ()  # cues ``unless`` does not undo ("сколько лет", "неше жыл")

    def __post_init__(self) -> None:  # each list of cues as one pattern: a single scan of the question
        for name in ("cues", "unless", "firm"):
            cues = getattr(self, name)
            object.__setattr__(self, f"_{name}_re", re.compile("|".join(map(re.escape, cues)) or r"(?!)"))

    def match(self, readings: list[tuple[list[str], str]]) -> bool:
        """``readings``: ``_readings`` of the question's folded words, once per reading
        (restored, as typed); a cue or a near rule must hold within one reading."""
        for found, folded in readings:
            if self._firm_re.search(folded):
                return True
            if self._unless_re.search(folded):
                continue
            if self._cues_re.search(folded) or any(rule.match(found, folded) for rule in self.near):
                return True
        return False


def _readings(copies: list[list[str]]) -> list[tuple[list[str], str]]:
    """Each reading's folded words and their text, a space at both ends (a cue ending in a space
    ends on a word's end)."""
    return [(found, " " + " ".join(found) + " ") for found in copies]


@lru_cache(maxsize=1)
def refusal_intents() -> dict[str, IntentCues]:
    """Intent → its cues (folded), for what the resolution never provides (zanqa/intents.json)."""
    return _intent_cues("intents")


@lru_cache(maxsize=1)
def answered_intents() -> dict[str, IntentCues]:
    """Intent → its cues (folded), for a question one rule of the act answers (zanqa/intents.json,
    "answered": a victim asking whether they are liable for their own offence)."""
    return _intent_cues("answered")


@lru_cache(maxsize=1)
def answered_intent_phrases() -> dict[str, dict[str, str]]:
    """Answered intent → per language, the words of the act's sentence that answers it."""
    return {name: spec["act"] for name, spec in _intents_file().get("answered", {}).items()}


@lru_cache(maxsize=1)
def _intents_file() -> dict:
    return json.loads(INTENTS_PATH.read_text(encoding="utf-8"))


def _intent_cues(section: str) -> dict[str, IntentCues]:
    spec_file = _intents_file()
    data, lists = spec_file.get(section, {}), spec_file.get("lists", {})

    def cues(words: list[str] | str) -> tuple[str, ...]:  # "@name": one of the shared lists
        return tuple(skeleton(w) for w in (lists[words[1:]] if isinstance(words, str) else words))

    out = {}
    for name, spec in data.items():
        out[name] = IntentCues(
            tuple(" " + skeleton(c) for c in spec["cues"]),
            tuple(
                NearRule(
                    cues(rule["words"]),
                    cues(rule["with"]),
                    int(rule["within"]),
                    bool(rule.get("where", False)),
                    bool(rule.get("not_to", False)),
                    cues(rule.get("unless", [])),
                    cues(rule.get("not_after", [])),
                )
                for rule in spec.get("near", ())
            ),
            tuple(" " + skeleton(c) for c in spec.get("unless", ())),
            tuple(" " + skeleton(c) for c in spec.get("firm", ())),
        )
    return out


_DEFINITION = re.compile(
    r"(?:что (?:(?:вообще|вобще|же|именно|конкретно|собственно) )?(?:такое|значит|означает|понимается"
    r"|считается|является|признается)|понят(?:ие|ия|ию|ием)\b(?! не име)|кто так|кто считается|кто является|деп (?:не )?са[нң]алады|деп (?:не )?танылады"
    r"|это что|что это|чем является|деген(?:іміз)? не|дегенимиз не|нені? б[іи]лд[іи]ред[іи]|дегеніміз"
    r"|мағынасы|магынасы|анықтамасы|аныктамасы|[қк]алай т[үу]с[іи]н|что подразумева|как понимать|определение"
    r"|деген кім|деп кім|деп нені|ұғымы|түсінігі"
    # whether the act named is a crime at all: its own paragraph says what it is
    r"|[қк]ылмыс (?:па|ма|бола ма|болып табыла ма)|это преступление|преступление ли|является ли преступлением"
    # when the act named is complete: its own paragraph says ("тасу … аяқталды деп есептеледі")
    r"|[қк]ашан (?:\w+ )?ая[қк]тал|когда (?:\w+ ){0,2}(?:считается |будет )?оконч|с какого момента|момент окончания"
    r"|деп(?: \w+){0,3} (?:атайды|атаймыз|атаиды|атаимыз|т[үу]с[іи]н(?:у|еміз|емиз))"
    # "X деп нақты қандай әрекеттерді айтады": with a question word, "деп … айтады" asks what X
    # names; without one it is reported speech in a story ("ол … деп айтады")
    r"|деп(?: \w+){0,2} (?:[қк]андай|нені|кімді)(?: \w+){0,2} (?:айтады|аитады))"
)  # read on the lowered text: IGNORECASE made it five times slower


def question_intent(text: str, amended: AmendmentRefs, typed: str = "") -> str:
    """What the question asks for: a refusal intent of zanqa/intents.json ("sanction",
    "limitation", "jurisdiction", "procedure", "aid", "about_court", "other_law"), an answered
    one ("victim_liability"), "amendment",
    "definition", or "" (anything else: qualification, distinction, completion…).
    ``typed``: the text before restoration, searched too (a restoration or typo
    fix can miss a word the corpus lacks, such as "ескіру")."""
    copies = [[skeleton(w) for w in words(text)]]
    if typed and typed != text:
        copies.append([skeleton(w) for w in words(typed)])
    readings = _readings(copies)
    for name, cues in [*refusal_intents().items(), *answered_intents().items()]:
        if cues.match(readings):
            return name
    if amended.asked:
        return "amendment"
    if _DEFINITION.search(text.lower()) or len(words(text)) <= 3:
        return "definition"
    return ""


@dataclass(frozen=True)
class Query:
    """A question as every stage after this one reads it.

    raw: as typed; text: normalized Cyrillic with the Kazakh letters restored
    and typos fixed (what the embedder reads); lang: "kk", "ru", "mixed" or
    "other"; script: "cyrillic", "latin" or "other"; token_langs: (word, "kk"
    | "ru" | "") in order; restored: the words that were changed, old → new;
    refs, amended: what the question cites; intent: ``question_intent``."""

    raw: str
    text: str
    lang: str
    script: str
    token_langs: tuple[tuple[str, str], ...] = ()
    restored: tuple[tuple[str, str], ...] = ()
    refs: QuestionRefs = field(default_factory=lambda: QuestionRefs(frozenset(), frozenset(), frozenset()))
    amended: AmendmentRefs = field(default_factory=lambda: AmendmentRefs())
    intent: str = ""

    @property
    def search_lang(self) -> str:
        """The language whose chunks and weights the search uses."""
        return "ru" if self.lang == "ru" else "kk"

    @property
    def has_russian_term(self) -> bool:
        """A Kazakh question with a Russian word of five letters or more in it."""
        return self.lang == "kk" and any(lang == "ru" and len(word) >= 5 for word, lang in self.token_langs)

    @property
    def answer_lang(self) -> str | None:
        return {"kk": "kk", "mixed": "kk", "ru": "ru"}.get(self.lang)


# Endings only Russian words have: an unknown word with one is a Russian term, even in Kazakh text.
_RU_WORD_ENDING = re.compile(r"\w{3}(?:ость|ости|ение|ения|ание|ания|ться|тся|ного|ному|ский|ская|ское)$")
_WORD_OR_OTHER = re.compile(r"[^\W\d_]+|[\W\d_]+")


def parse_query(raw: str, lexicon: Lexicon | None = None) -> Query:
    """The raw question → ``Query``. Without a lexicon, only normalization,
    transliteration, language detection and references."""
    text = typed = normalize(raw)
    script = (
        "latin" if is_latin(text) else "cyrillic" if any("\u0400" <= c <= "\u04ff" for c in text) else "other"
    )
    if script == "latin":
        typed = latin_to_cyrillic(text)
        text = latin_to_cyrillic(text, keep_dotless=lexicon is not None)
    detected = detect_language(text) if text else "other"
    token_langs: list[tuple[str, str]] = []
    restored: list[tuple[str, str]] = []
    if lexicon is not None and detected != "other":
        pieces = []
        for piece in _WORD_OR_OTHER.findall(text):
            if not piece[0].isalpha() or "a" <= piece[0].lower() <= "z":
                pieces.append(piece)
                continue
            word = piece.lower()
            if len(word) > _MAX_WORD:  # no word: kept as typed (reading it would cost seconds)
                token_langs.append((word, ""))
                pieces.append(piece)
                continue
            new, lang = lexicon.read(word, script == "latin", detected == "kk")
            new = new or piece
            if new.lower() == word:
                new = piece  # unchanged: keep the writer's case
            else:
                new = new.capitalize() if piece[0].isupper() else new
                restored.append((piece, new))
            token_langs.append((new.lower(), lang))
            pieces.append(new)
        text = "".join(pieces)
    lang = _query_lang(detected, token_langs, script)
    return Query(
        raw=raw,
        text=text,
        lang=lang,
        script=script,
        token_langs=tuple(token_langs),
        restored=tuple(restored),
        refs=question_refs(text),
        amended=(amended := question_amendments(text)),
        intent=question_intent(text, amended, typed),
    )


def _query_lang(detected: str, token_langs: list[tuple[str, str]], script: str) -> str:
    if detected == "other" and script != "latin":
        return "other"
    kk = sum(lang == "kk" for _, lang in token_langs)
    ru = sum(lang == "ru" for _, lang in token_langs)
    if script == "latin" and token_langs:  # Kazakh only if its words are the lexicon's: English is "other"
        long = [lang for word, lang in token_langs if len(word) >= 4]
        # a Russian legal term among them is known too ("ekspluatatsiya degen ne"), if one is Kazakh
        if not kk or sum(lang in ("kk", "ru") for lang in long) < LATIN_MIN_KNOWN * max(len(long), 1):
            return "other"
        return "mixed" if ru >= 2 and ru >= kk / 2 else "kk"
    if not token_langs:
        return detected
    if detected == "kk" or kk > ru:
        return "mixed" if ru >= 2 and ru >= kk / 2 else "kk"
    if kk and kk >= ru / 2:
        return "mixed"
    return detected


# ------------------------------------------------------------ article references

# An article number: "128", "132-1", or another code's "127.1" (the Russian one's numbering).
_ARTICLE_NUMBER = r"\d+(?:-\d+|\.\d+)?"
_RU_ARTICLE = re.compile(
    rf"(?:\bст\.?|\bстат\w*)\s*((?:{_ARTICLE_NUMBER})(?:\s*(?:,|и|или)\s*{_ARTICLE_NUMBER})*)", re.IGNORECASE
)
# an article's part by its noun and its number or ordinal: "части 2", "части второй", "частью третьей"
_PART_BY_NOUN = r"част(?:и|ь|ью|ей)\s+(?:\d+|[а-яё]+(?:ой|ей|ая|ья)\b)"
# a bare code article before its part, as lawyers type it: "128 ч.2 п.5", "135 ч 2", "128 части 2"
_ARTICLE_BEFORE_PART = re.compile(
    rf"(?<![\d.,-])(\d{{3}}(?:-\d+)?)\s*(?=ч\.?\s*\d|{_PART_BY_NOUN})", re.IGNORECASE
)
_RU_ARTICLE_AFTER = re.compile(rf"({_ARTICLE_NUMBER})\s*(?:-?й\s+)?стат", re.IGNORECASE)
# "128-бап", and without the hyphen "128 бабы", "128 баптың" (not "2 бабушки", "2 бабам")
_KK_ARTICLE = re.compile(rf"({_ARTICLE_NUMBER})(?:\s*-\s*ба[пб]|\s*(?:бап|баб[ыи]))", re.IGNORECASE)
_RU_PART = re.compile(r"(?:\bч\.?|\bчаст\w*)\s*(\d+)", re.IGNORECASE)
_KK_PART = re.compile(
    r"(\d+)(?:\s*-\s*бөлі|\s*бөлі[гк])", re.IGNORECASE
)  # "2-бөлігі", "2 бөлігі", not "2 бөліп"
_RU_POINT = re.compile(r"(?:\bп\.?|\bпункт\w*)\s*(\d+)", re.IGNORECASE)
_KK_POINT = re.compile(
    r"(\d+)\s*(?:-|\)\s*-?)\s*тарма[қғкг]", re.IGNORECASE
)  # "3-тармағы", "3) тармағы", "3)-тармақ"
_KK_ORDINALS = ("бірінші", "екінші", "үшінші", "төртінші", "бесінші", "алтыншы", "жетінші", "сегізінші", "тоғызыншы", "оныншы")  # fmt: skip
_KK_PART_WORD = re.compile(rf"({'|'.join(_KK_ORDINALS)})\s+бөлі", re.IGNORECASE)
# The resolution's own paragraphs: "9-1-тармақ", "13-1-тармағы", "15-2 тармакта", "п. 14", "пункт 20-1"
# (when no code article is named). "тармақ" softens to "тармағы"; a Russian keyboard gives "тармак".
_KK_PARAGRAPH = re.compile(r"(?<![\d-])(\d+(?:-\d+)?)\s*-?\s*тарма[қғкг]", re.IGNORECASE)
_RU_PARAGRAPH = re.compile(r"(?:\bп\.|\bпункт\w*)\s*(\d+(?:-\d+)?)(?![\d)])", re.IGNORECASE)
# a point of a code article's part, with the article's number but not the word "статья": "по
# пунктам 3 и 4 части второй 128", "п. 3 ч. 2 128 УК" (the resolution's own paragraphs have parts
# too: "пункт 9, часть 2" is its paragraph 9)
_PART_AFTER = re.compile(
    rf"(?:\s*(?:,|и|или)\s*\d+)*\s*,?\s*(?:ч\.\s*(?:\d+|[а-яё]+(?:ой|ей|ая|ья))|{_PART_BY_NOUN})\s+\d{{3}}(?!\d)",
    re.IGNORECASE,
)
# the number first, as people type it: "в 27 пункте", "15-й пункт" (Russian text, no article named;
# not a count: "из 40 пунктов", "2 пункта")
_RU_PARAGRAPH_AFTER = re.compile(
    r"(?<![\d.,-])(\d+(?:-\d+)?)(?:\s*-?\s*(?:й|м|ом|ый|ой|ого|ому)\b)?\s+пункт(?!ов|а\b)", re.IGNORECASE
)
# A paragraph named by its ordinal: "бірінші тармағында", "он бесінші тармақ", not a point of an
# article's part ("екінші бөлігінің бесінші тармағы") nor another document's ("шартының бірінші
# тармағы"). Russian ordinals are not read: "пятнадцатом пункте", "второй пункт пропуска".
_KK_TENS = {"он": 10, "жиырма": 20}
_KK_ORDINAL_PARAGRAPH = re.compile(
    rf"(?<!\w)(?:(он|жиырма)\s+)?({'|'.join(_KK_ORDINALS)}|жиырмасыншы)\s+тарма[қғкг]", re.IGNORECASE
)
_PART_BEFORE = re.compile(r"б[өо]л[іи]г[іи]\w*\s+$", re.IGNORECASE)


def _ordinal_paragraphs(question: str) -> tuple[set[str], set[str]]:
    """The paragraph numbers named by Kazakh ordinal words (``_KK_ORDINAL_PARAGRAPH``): this
    document's, and another document's."""
    own: set[str] = set()
    other: set[str] = set()
    for m in _KK_ORDINAL_PARAGRAPH.finditer(question):
        if _PART_BEFORE.search(question[: m.start()]):
            continue
        word = m.group(2).lower()
        unit = 20 if word == "жиырмасыншы" else _KK_ORDINALS.index(word) + 1
        number = str(_KK_TENS.get((m.group(1) or "").lower(), 0) + unit)
        (other if _of_another_document(question, m) else own).add(number)
    return own, other


# Kazakh shorthand: "128-б. 2-б. 3), 4) т.", "128 б 2 б 7 т", "152, 153-бб.": in a run of
# abbreviations the first "б" is the article (бап), the next the part (бөлік), "т" a point (тармақ).
_NUMBERS = rf"{_ARTICLE_NUMBER}\)?(?:,\s*{_ARTICLE_NUMBER}\)?)*"
_KK_SHORT = re.compile(rf"(?<![\d.-])({_NUMBERS})\s*-?\s*(бб|б|т)\.?(?=[\s,.;:?!+)]|$)", re.IGNORECASE)
# "ҚК 394", "ҚПК 96, 97": numbers right after a code's name are its articles.
_CODE_NUMBERS = re.compile(
    rf"(?<![\w])(?:ҚК|ҚПК|УК|УПК)\s+({_ARTICLE_NUMBER}(?:,\s*{_ARTICLE_NUMBER})*)(?![\d-]|\.\d)(?!\s*(?:-|б\b|т\b|\)))",
    re.IGNORECASE,
)
_RUN_GAP = 3  # characters between two abbreviations of one run


def _kk_shorthand(question: str) -> tuple[set[str], set[str], set[str]]:
    """Articles, parts and points of Kazakh shorthand references (``_KK_SHORT``, ``_CODE_NUMBERS``)."""
    articles: set[str] = set()
    parts: set[str] = set()
    points: set[str] = set()
    for m in _CODE_NUMBERS.finditer(question):
        articles.update(re.findall(_ARTICLE_NUMBER, m.group(1)))
    last, end = "", -10
    for m in _KK_SHORT.finditer(question):
        numbers = re.findall(_ARTICLE_NUMBER, m.group(1))
        if m.start() - end > _RUN_GAP:
            last = ""  # a new run
        letter = m.group(2).lower()
        if letter == "т":
            points.update(numbers)
            last = "point"
        elif letter == "бб" or last in ("", "part", "point"):
            articles.update(numbers)
            last = "article"
        else:
            parts.update(numbers)
            last = "part"
        end = m.end()
    return articles, parts, points


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
    acts: frozenset[tuple[str, str]] = frozenset()  # resolutions named: (number or "", year or "")
    other_paragraphs: frozenset[str] = frozenset()  # paragraph numbers of another document named


def question_refs(question: str) -> QuestionRefs:
    """Article, part and point numbers a question cites, in either language."""
    # without a digit only the ordinal words can name anything ("екінші бөлігі", "бірінші тармақ")
    numbered = any(ch.isdigit() for ch in question)
    articles: set[str] = set()
    parts = {str(_KK_ORDINALS.index(m.group(1).lower()) + 1) for m in _KK_PART_WORD.finditer(question)}
    points: set[str] = set()
    if numbered:
        for match in _RU_ARTICLE.finditer(question):
            articles.update(re.findall(_ARTICLE_NUMBER, match.group(1)))
        articles.update(m.group(1) for m in _RU_ARTICLE_AFTER.finditer(question))
        articles.update(m.group(1) for m in _ARTICLE_BEFORE_PART.finditer(question))
        articles.update(m.group(1) for m in _KK_ARTICLE.finditer(question))
        parts |= {m.group(1) for m in _RU_PART.finditer(question)}
        parts |= {m.group(1) for m in _KK_PART.finditer(question)}
        points |= {m.group(1) for m in _RU_POINT.finditer(question)}
        points |= {m.group(1) for m in _KK_POINT.finditer(question)}
        short_articles, short_parts, short_points = _kk_shorthand(question)
        articles |= short_articles
        parts |= short_parts
        points |= short_points
    paragraphs: set[str] = set()
    other: set[str] = set()
    if not articles:
        if numbered:
            number_first = list(_RU_PARAGRAPH_AFTER.finditer(question))
            if number_first and detect_language(question) != "ru":
                number_first = []  # in a Kazakh question a "7 пункт" is the code's point ("7 пункт бойынша")
            named = [m for m in _RU_PARAGRAPH.finditer(question) if not _PART_AFTER.match(question, m.end())]
            for m in (*_KK_PARAGRAPH.finditer(question), *named, *number_first):
                (other if _of_another_document(question, m) else paragraphs).add(m.group(1))
        by_ordinal, of_other = _ordinal_paragraphs(question)
        paragraphs |= by_ordinal
        other |= of_other
    return QuestionRefs(
        frozenset(articles),
        frozenset(parts),
        frozenset(points),
        frozenset(paragraphs),
        named_acts(question) if numbered else frozenset(),  # a number or a year names an act
        frozenset(other),
    )


# A document that is not a resolution, named with a paragraph ("пункт 5 Правил въезда", "п. 12
# Инструкции", "Еңбек шартының 4-тармағы"): the paragraph is that document's, not this one's.
_OTHER_DOCUMENT = (
    r"(?:правил|инструкци|положени|договор|контракт|закон|кодекс|конвенци|протокол|устав|приказ|регламент"
    r"|шарт|ереже|нұсқаулы|нускаулы|заң|зан|хаттама|жарғы|жаргы|бұйры|буйры)\w*"
)
_DOCUMENT_AFTER = re.compile(
    rf"\s*(?:\w+\s+){{0,1}}{_OTHER_DOCUMENT}", re.IGNORECASE
)  # ru: "пункте 5 Правил"
_DOCUMENT_BEFORE = re.compile(
    rf"{_OTHER_DOCUMENT}(?:ның|нің|дың|дің|тың|тің|нын|нин|дын|дин|тын|тин)\s+$", re.IGNORECASE
)


def _of_another_document(question: str, match: re.Match) -> bool:
    """Whether the paragraph reference ``match`` belongs to a document named beside it that is
    not a resolution: after it in Russian ("пункт 2 трудового договора"), in the genitive right
    before it in Kazakh ("шартының 4-тармағы")."""
    return bool(
        _DOCUMENT_AFTER.match(question, match.end()) or _DOCUMENT_BEFORE.search(question[: match.start()])
    )


# A resolution named by its number and its date: "2003 жылғы № 8 нормативтік қаулы", "постановление
# № 3 от 8 декабря 2021 года", "29.11.2024 № 6 қаулысы". A year counts only in the form a document's
# date takes ("… жылғы", "от … года", dd.mm.yyyy), never "2019 жылы", "в 2025 году" or a sum.
_ACT_WORD = re.compile(r"[қк]аулы|постановлени", re.IGNORECASE)
_ACT_YEAR = re.compile(
    r"((?:19|20)\d\d)\s*(?:жылғы|жылгы|ж\.)"
    r"|\bот\s+(?:\d{1,2}\s+[а-яё]+\s+)?((?:19|20)\d\d)\s*(?:года|г\.|г\b)"
    r"|\b\d{1,2}\.\d{1,2}\.((?:19|20)\d\d)\b",
    re.IGNORECASE,
)
_ACT_WINDOW = 90  # characters either side of the resolution word ("от 11 июля 2003 года № 8")


def _year(match: re.Match) -> str:
    """The year of an ``_ACT_YEAR`` match, whichever of its forms matched."""
    return next(filter(None, match.groups()))


def _nearest(matches: list[tuple[int, str]], at: int) -> str:
    return min(matches, key=lambda m: abs(m[0] - at))[1] if matches else ""


def act_of(requisites: str) -> tuple[str, str]:
    """(number, year) of an act from its requisites ("2012 жылғы 29 желтоқсандағы № 7 …")."""
    number, year = _RESOLUTION_NUMBER.search(requisites), _ACT_YEAR.search(requisites)
    return (number.group(1) if number else "", _year(year) if year else "")


def same_act(named: tuple[str, str], known: tuple[str, str]) -> bool:
    """Whether a resolution named as (number, year) can be ``known``: what both give agrees."""
    return all(not a or not b or a == b for a, b in zip(named, known, strict=True))


def named_acts(question: str) -> frozenset[tuple[str, str]]:
    """The resolutions ``question`` names, as (number, year) with "" for what it leaves out: the
    number ("№ 8") and the date's year nearest to a resolution word, within _ACT_WINDOW
    characters of it in the same sentence (a one-letter abbreviation, "г.", "ж.", ends none)."""
    acts = set()
    for sentence in re.split(r"(?<=[?!;])\s+|(?<=\w\w\.)\s+", question):
        numbers = [(m.start(), m.group(1)) for m in _RESOLUTION_NUMBER.finditer(sentence)]
        years = [(m.start(), _year(m)) for m in _ACT_YEAR.finditer(sentence)]
        for word in _ACT_WORD.finditer(sentence):
            near = [(pos, v) for pos, v in numbers if abs(pos - word.start()) <= _ACT_WINDOW]
            near_years = [(pos, v) for pos, v in years if abs(pos - word.start()) <= _ACT_WINDOW]
            if near or near_years:
                acts.add((_nearest(near, word.start()), _nearest(near_years, word.start())))
    return frozenset(acts)


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
_RESOLUTION_NUMBER = re.compile(r"(?:№|\b[NnНн](?=\s*\d))\s*(\d{1,3})(?!\d)")
# what the question asks was done to the paragraphs ("added" also covers "which new paragraphs")
_AMENDMENT_KINDS = (
    (
        "added",
        re.compile(
            r"(?<![а-яёәғқңөұүһі])(добав|дополн|нов[а-я]*\s+пункт|толықтыр|қосыл|жаңа\s+тармақ)",
            re.I,
        ),
    ),
    ("new_wording", re.compile(r"редакци", re.I)),
    ("replaced_words", re.compile(r"ауыстырыл|заменен|заменил", re.I)),
)
# the question must ask about changes, not merely mention a year ("в 2020 году он продал…")
_AMENDMENT_CUES = ("измен", "поправ", "редакци", "добав", "дополн", "заменен", "заменил", "өзгеріс", "өзгерді", "өзгертіл", "толықтыр", "қосыл", "жаңа тармақ", "енгізіл", "ауыстырыл")  # fmt: skip
# compared on skeletons (zanqa.text.skeleton), so Kazakh typed without Kazakh letters matches too;
# passive and past forms only: "өзгерту", "ауыстыру" (to change a look, to swap documents) are not amendments,
# nor "дополнительный" (additional: "дополнительная квалификация" is an additional charge)
_AMENDMENT_FOLDED = tuple(skeleton(c) for c in _AMENDMENT_CUES)
_ADDITIONAL = re.compile(r"дополнител[ь]?н\w*")  # set aside before the cues and kinds are read


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
    lowered = _ADDITIONAL.sub("", question.lower())
    folded = skeleton(lowered)
    if not any(cue in folded for cue in _AMENDMENT_FOLDED):  # "изменен", "толықтырылды", …
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


def amendment_notes(refs: AmendmentRefs, notes: Iterable[Note]) -> list[tuple[float, Note]]:
    """The amendment notes (a paragraph's: ``Corpus.notes_of``) that name the question's
    resolution (date or year, and number if given), each with 1.0 when it made the kind
    of change the question asks about and 0.5 otherwise."""
    if not refs:
        return []
    found = []
    for note in notes:
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


def amendment_match(refs: AmendmentRefs, notes: Iterable[Note]) -> float:
    """How well a paragraph's amendment notes answer the resolution the
    question names: 1.0, 0.5 (that resolution, another kind of change) or 0."""
    return max((score for score, _ in amendment_notes(refs, notes)), default=0.0)
