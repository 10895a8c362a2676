"""Language helpers shared by every stage: normalization, words, sentences,
language detection and the tokenizer that feeds BM25.

Kazakh words are folded to their skeleton (``skeleton``: the letters a
Russian keyboard or Latin script cannot tell apart made one), their endings
stripped and the rest cut to 5 letters (``stem_kk``, ``KK_PREFIX``), so
"жәбірленушінің", "жабирленушинин" and "jábirlenýshiniń" give one token and
"сатқан", "сатса" meet "сату"; Russian words go through PyStemmer's Snowball
Russian stemmer.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from functools import lru_cache

import Stemmer

KK_LETTERS = frozenset("әғқңөұүһіӘҒҚҢӨҰҮҺІ")
# Letters that occur in Ukrainian/Belarusian but never in Kazakh or Russian text.
OTHER_CYRILLIC = frozenset("їєґўЇЄҐЎ")

_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
_WORD_RE = re.compile(r"[^\W\d_]+")
_TOKEN_RE = re.compile(r"\d+(?:-\d+)?|[^\W\d_]+")


_NEWLINES = re.compile(r"\s*\n\s*")
_SPACES = re.compile(r"[ \t\r\f\v]+")


def normalize(text: str) -> str:
    """NFC-normalize, drop zero-width and control characters, fold the Latin
    look-alikes that PDFs and keyboards put into Kazakh words, and collapse
    whitespace to single spaces."""
    text = unicodedata.normalize("NFC", text).translate(_ZERO_WIDTH)
    if not text.isprintable():  # printable text has no control (category C) characters
        text = "".join(ch if ch in "\n\t" or unicodedata.category(ch)[0] != "C" else " " for ch in text)
    text = text.replace("\u2014", "\u2013")
    return _SPACES.sub(" ", _NEWLINES.sub("\n", text)).strip()


def words(text: str) -> list[str]:
    """The letter-only words of ``text`` (digits and punctuation dropped)."""
    return _WORD_RE.findall(text)


def word_counts(text: str) -> Counter[str]:
    return Counter(words(text))


# ---------------------------------------------------------------- sentences

# Abbreviations after which a full stop does not end a sentence.
_ABBREVIATIONS = (
    "т.б",
    "т.с.с",
    "т.с",
    "ст",
    "ч",
    "п",
    "пп",
    "см",
    "т.е",
    "т.к",
    "т.д",
    "т.п",
    "г",
    "гг",
    "стр",
    "прим",
    "им",
    "напр",
    "и.о",
    "ж",
    "б",
    "№",
)
_ABBR_RE = re.compile(
    r"(?:(?<=\s)|(?<=^)|(?<=[(\[]))(?:" + "|".join(re.escape(a) for a in _ABBREVIATIONS) + r")\.$",
    re.IGNORECASE,
)


def split_sentences(text: str) -> list[str]:
    """Split legal text into sentences.

    A sentence ends at ``.``, ``!``, ``?`` or ``;`` followed by a space and an
    upper-case letter, a digit list marker or a quote, or at a line break
    (sub-paragraphs of the resolution are separate lines). Abbreviations
    ("ст.", "ч.", "п.", "т.б.") and dates ("31.03.2017") do not end one.
    """
    sentences: list[str] = []
    for line in text.split("\n"):
        line = line.strip()
        if not line:
            continue
        start = 0
        for match in re.finditer(r"[.!?](?=\s+[\"«(]?[A-ZА-ЯЁӘҒҚҢӨҰҮҺІ0-9])", line):
            end = match.end()
            head = line[start:end]
            if _ABBR_RE.search(head):
                continue
            sentences.append(head.strip())
            start = end
        tail = line[start:].strip()
        if tail:
            sentences.append(tail)
    return sentences


# ---------------------------------------------------------------- language

# Frequent Kazakh words written without Kazakh-specific letters; they tell
# Kazakh from Russian when a short question has none of ә ғ қ ң ө ұ ү һ і.
_KK_MARKERS = frozenset(
    [
        "деген",
        "деп",
        "не",
        "ме",
        "ма",
        "ба",
        "бе",
        "па",
        "пе",
        "ма",
        "бар",
        "жок",
        "жоқ",
        "бойынша",
        "туралы",
        "ушин",
        "үшін",
        "кезде",
        "кезінде",
        "болса",
        "болады",
        "болып",
        "бола",
        "адам",
        "адамды",
        "адамга",
        "адамның",
        "саудасы",
        "саудасына",
        "саудасын",
        "саудасы",
        "кандай",
        "қандай",
        "калай",
        "қалай",
        "кайда",
        "қайда",
        "кашан",
        "қашан",
        "неге",
        "нени",
        "нені",
        "мен",
        "сен",
        "ол",
        "біз",
        "бiз",
        "сiз",
        "сиз",
        "жане",
        "және",
        "немесе",
        "да",
        "де",
        "та",
        "те",
        "бул",
        "бұл",
        "осы",
        "сол",
        "кім",
        "ким",
        "жаза",
        "жазасы",
        "сот",
        "соты",
        "бап",
        "бабы",
        "бабына",
        "бабынын",
        "тармак",
        "тармақ",
        "тармагы",
        "бөлігі",
        "болиги",
    ]
)
RU_MARKERS = frozenset(
    [
        "и",
        "в",
        "во",
        "не",
        "на",
        "что",
        "как",
        "какой",
        "какая",
        "какие",
        "когда",
        "где",
        "кто",
        "чем",
        "ли",
        "или",
        "по",
        "за",
        "от",
        "до",
        "для",
        "при",
        "это",
        "этот",
        "эта",
        "является",
        "ли",
        "ст",
        "статья",
        "статьи",
        "статье",
        "часть",
        "части",
        "пункт",
        "пункта",
        "уголовный",
        "кодекс",
        "человека",
        "людьми",
        "торговля",
        "считается",
        "ответственность",
        "преступление",
        "квалифицировать",
    ]
)


_QUOTED = re.compile(r"«[^»]*»|\"[^\"]*\"|“[^”]*”")
# Citations look Kazakh in a Russian question ("ҚК-нің 128-бабы", "135-бап ҚК"):
# they say nothing about the language of the question around them.
_CITATION = re.compile(r"\b(?:ҚК|ҚПК|ӘҚБтК|УК|УПК|КоАП)(?:-\w+)?\b|\d+\s*-\s*\w+", re.IGNORECASE)
_UK_MARKERS = frozenset(
    ["яке", "який", "яка", "які", "що", "чи", "це", "від", "або", "щодо", "також", "його", "її", "їх"]
)
_RU_ENDINGS = re.compile(r"(ого|его|ому|ему|ыми|ими|ться|тся|ение|ения|ание|ания|ость|ости|ый|ий|ой|ая|ое)$")


def detect_language(text: str) -> str:
    """Return "kk", "ru" or "other" for a (short) question.

    Kazakh-specific letters are strong evidence, counted per word; quoted
    terms and code citations ("ҚК-нің 128-бабы") are set aside first, so a
    Russian question about a Kazakh term stays Russian. Frequent function
    words of each language decide text without Kazakh letters; Latin or
    other scripts, and Ukrainian, are "other". Measured on
    tests/data/lang_questions.jsonl (see README)."""
    text = normalize(text)
    letters = [ch for ch in text if ch.isalpha()]
    if not letters:
        return "other"
    if any(ch in OTHER_CYRILLIC for ch in letters):
        return "other"
    cyrillic = sum("\u0400" <= ch <= "\u04ff" for ch in letters)
    if cyrillic / len(letters) < 0.5:
        return "other"
    core = _CITATION.sub(" ", _QUOTED.sub(" ", text))
    lowered = [w.lower() for w in words(core)] or [w.lower() for w in words(_CITATION.sub(" ", text))]
    lowered = lowered or [w.lower() for w in words(text)]
    if sum(w in _UK_MARKERS for w in lowered) >= 1 and not any(
        c in KK_LETTERS - {"і", "І"} for w in lowered for c in w
    ):
        return "other"
    kk_score = sum(2 for w in lowered if any(c in KK_LETTERS for c in w)) + sum(
        w in _KK_MARKERS for w in lowered
    )
    ru_score = sum(w in RU_MARKERS for w in lowered) + sum(1 for w in lowered if _RU_ENDINGS.search(w))
    return "kk" if kk_score > ru_score else "ru"


# ---------------------------------------------------------------- tokenizer

# Kazakh has no Snowball stemmer. A Kazakh word's endings are stripped (``stem_kk``) and
# what remains cut to its first KK_PREFIX letters: "қанауға", "қанаудың" → "кана". 5 letters
# ranked best against 4 and 6 on the dev pairs, and the stripping before it on the realistic
# questions' stories (docs/tuning.md, "Kazakh tokenization for BM25").
KK_PREFIX = 5
# The tokenizer's identity, recorded in the index manifest: change it with any change to
# ``tokenize`` or ``skeleton`` so that an index built by the old tokenizer is refused.
TOKENIZER_VERSION = "zanqa.text.tokenize v4 (skeleton fold, Kazakh endings stripped, no negation)"
_RU_STEMMER = Stemmer.Stemmer("russian")

# Each Kazakh letter as typed on a Russian keyboard; и, ы and й (one Latin "i"/"y"),
# ё and э as е: a Kazakh word's skeleton is the same however it was typed.
_SKELETON = str.maketrans("әіңғүұқөһыйёэ", "аингуукохииее")


@lru_cache(maxsize=100_000)
def skeleton(word: str) -> str:
    """The lower-case word with the letters that typing loses folded together."""
    return word.lower().translate(_SKELETON).replace("ъ", "").replace("ь", "")


# Kazakh endings, written as skeletons (ы, і → и; ң → н; ғ → г; қ → к): case (нің, ға, да, дан,
# мен…), possessive (ы, сы, ым, ың…), plural (лар…), and the verb's infinitive, converb,
# participles, tenses, conditional and passive (у, ып, ған, атын, са, ады, ыл…); ``stem_kk``
# tries the longest first. No bare "м", "с" or "п" ("адам", "келіс" are roots) and no negation
# (ма, ба, па…): "толмаған" (a minor) must not become "толған" (an adult).
_KK_ENDING_LIST = (
    "нин дин тин ни ди ти н га ге ка ке на не да де та те нда нде нан нен дан ден тан тен "
    "мен бен пен си син сина сине синда синде и ин ина ине инда инде "
    "лар лер дар дер тар тер им иним имиз иниз "
    "у уга уди удин уда уи ип ган ген кан кен гана гене са се сан сен ади еди иди "
    "атин етин итин уши удан мак мек бак бек пак пек ила иле илу илган илген "
    "гани гени кани кени ганда генде канда кенде ганин генин"
)
_KK_ENDINGS = frozenset(_KK_ENDING_LIST.split())
_KK_ENDING_SIZES = sorted({len(e) for e in _KK_ENDINGS}, reverse=True)  # longest ending first
KK_ROOT_MIN = 3  # letters an ending may leave: "сатқан", "сатса", "сату" → "сат"; "алу" stays
# a root (or a Russian stem) shorter than this is a short word, not a root: it finds nothing by itself
# ("ал", "бер" are in everything); coverage and the glossary read a word by its root only from here
MIN_ROOT = KK_ROOT_MIN


def prefix_kk(word: str) -> str:
    """A Kazakh word's first KK_PREFIX letters (of its skeleton): the coverage evidence's token."""
    return skeleton(word)[:KK_PREFIX]


@lru_cache(maxsize=100_000)
def stem_kk(word: str) -> str:
    """A Kazakh word's BM25 token: its skeleton with the endings stripped (while at least
    KK_ROOT_MIN letters remain), cut to KK_PREFIX letters."""
    root = skeleton(word)
    stripped = True
    while stripped:
        stripped = False
        for size in _KK_ENDING_SIZES:
            if len(root) - size >= KK_ROOT_MIN and root[-size:] in _KK_ENDINGS:
                root, stripped = root[:-size], True
                break
    return root[:KK_PREFIX]


@lru_cache(maxsize=100_000)
def stem_ru(word: str) -> str:
    return _RU_STEMMER.stemWord(word)


def is_number(token: str) -> bool:
    """Whether a ``tokenize`` token is a number ("128", "9-1"), not a word's stem."""
    return token[:1].isdigit()


def tokenize_both(text: str, lang: str) -> tuple[list[str], list[str]]:
    """``tokenize(text, lang)`` and ``tokenize(text, lang, roots=False)`` in one pass."""
    roots: list[str] = []
    prefixes: list[str] = []
    for token in _TOKEN_RE.findall(normalize(text).lower().replace("ё", "е")):
        if is_number(token):
            roots.append(token)
            prefixes.append(token)
        elif lang == "kk" or any(c in KK_LETTERS for c in token):
            roots.append(stem_kk(token))
            prefixes.append(prefix_kk(token))
        else:
            stem = stem_ru(token)
            roots.append(stem)
            prefixes.append(stem)
    return roots, prefixes


def tokenize(text: str, lang: str, roots: bool = True) -> list[str]:
    """BM25 tokens: lower-cased stems of words, and article numbers as their
    own tokens ("128-бабының" → "128", "бап"). ``lang`` picks the stemmer;
    a Kazakh-letter word in Russian text is still stemmed as Kazakh. ``roots``: Kazakh
    words to their roots (``stem_kk``); False: to their first letters (``prefix_kk``)."""
    return tokenize_both(text, lang)[0 if roots else 1]
