"""The corpus says exactly what the resolution says: structure, repairs, words."""

import json
import re
import subprocess
import sys
from collections import Counter

import pytest

from zanqa.corpus import (
    CORPUS_PATH,
    PARAGRAPH_IDS,
    SOURCE_PATH,
    ArticleRef,
    apply_repairs,
    build_corpus,
    extract_articles,
    load_repairs,
    read_lines,
    to_jsonl,
)
from zanqa.text import words

from .conftest import ROOT

EXPECTED_IDS = ["preamble", *map(str, range(1, 10)), "9-1", "9-2", "10", "11", "12", "12-1", "13", "14"]
EXPECTED_IDS += ["15", "15-1", "16", "17", "17-1", "18", "19", "20", "20-1", "21"]


def all_kk_text(corpus) -> str:
    doc = corpus.document
    parts = [doc.title_kk, doc.requisites_kk, *(n.text for n in doc.notes)]
    for p in corpus.paragraphs:
        parts.append(p.kk)
        parts += [n.text for n in p.notes]
    return "\n".join(parts)


def test_28_paragraphs_in_document_order(corpus):
    assert corpus.ids == EXPECTED_IDS == list(PARAGRAPH_IDS)
    assert len(corpus.paragraphs) == 28


def test_every_record_has_kazakh_and_russian(corpus):
    for p in corpus.paragraphs:
        assert p.kk.strip() and p.ru.strip(), p.id
        assert p.title_kk and p.title_ru, p.id
        assert not p.kk.startswith(f"{p.id}."), "the paragraph number is the id, not text"
        # the Russian is a translation, not a copy of the Kazakh
        assert not any(ch in "әғқңөұүһ" for ch in p.ru.lower().replace("ҚК", "")), p.id


def test_the_jsonl_file_is_what_the_parser_builds():
    assert CORPUS_PATH.read_text(encoding="utf-8") == to_jsonl(build_corpus()), "run `zanqa corpus build`"


def test_every_amendment_note_is_attached_to_its_paragraph(corpus):
    source_notes = sum(1 for line in read_lines() if line.strip().startswith("Ескерту."))
    document_notes = len(corpus.document.notes)
    paragraph_notes = sum(len(p.notes) for p in corpus.paragraphs)
    assert document_notes == 4
    assert document_notes + paragraph_notes == source_notes
    for p in corpus.paragraphs:
        for note in p.notes:
            assert "Ескерту" not in p.kk
            named = re.search(r"(\d+(?:-\d+)?)-тармақ", note.text)
            if named:
                assert named.group(1) == p.id, (p.id, note.text)
            assert note.amendments, f"note of {p.id} without a dated amending resolution: {note.text}"
            for a in note.amendments:
                assert re.fullmatch(r"20\d\d-\d\d-\d\d", a.date) and a.number.isdigit()
    assert {a.date for n in corpus.get("9-1").notes for a in n.amendments} >= {"2021-12-08"}


def test_amendment_dates_and_numbers(corpus):
    dated = {(a.date, a.number) for p in corpus.paragraphs for n in p.notes for a in n.amendments}
    dated |= {(a.date, a.number) for n in corpus.document.notes for a in n.amendments}
    assert dated == {("2017-03-31", "3"), ("2020-12-11", "6"), ("2021-12-08", "3"), ("2024-11-29", "6")}


DISPLACED = [
    re.compile(r"(ҚК|ҚПК)-нің\s*[,-]"),  # "ҚК-нің ," / "ҚК-нің -бабы"
    re.compile(r"(ҚК|ҚПК)-нің\s+(бірінші|екінші|үшінші|бойынша|көзделген|сәйкес|және)"),
    re.compile(r"\s,\s*(,|және|немесе)"),
    re.compile(r"(\d+\s+){1,}\d+-ба[пб]\w*\s*$", re.M),  # a line ending in a bare list of numbers
    re.compile(r"[а-яәғқңөұүһі]\d+-ба[пб]"),  # number glued to a word
    re.compile(r"\.\s*\d+-ба[пб]\w*$", re.M),
    re.compile(r"  "),
]


def test_no_displaced_article_number_remains(corpus):
    text = all_kk_text(corpus)
    for pattern in DISPLACED:
        found = [m.group(0) for m in pattern.finditer(text)]
        assert not found, (pattern.pattern, found[:5])


REPAIRED = {
    "2": [
        "Қылмыстық кодексінің (бұдан әрі – ҚК) 128 және 135-баптарында көзделген қылмыстардың объективті жағы",
        "ҚК-нің 128-бабының бірінші бөлігі және ҚК-нің 135-бабының бірінші бөлігі бойынша әрекеттерді саралау үшін",
        "ҚК-нің 128, 135-баптары бойынша жәбірленушіге қатысты сатып алу-сатуды және өзге де мәмілелер",
        "сонымен қатар ҚК-нің 128, 135-баптарында көзделген өзге де іс-әрекеттерді жасау кезінде адамды қанау мақсаты",
        "Сондықтан әрекетті ҚК-нің 128-бабының бірінші бөлігі бойынша және ҚК-нің 135-бабының бірінші бөлігі "
        "бойынша саралау үшін",
    ],
    "3": ["ҚК-нің 128-бабы бойынша не ҚК-нің 135-бабы бойынша қылмыстық жауаптылыққа"],
    "4": [
        "мәміле жасағаны үшін ҚК-нің 128, 135-баптары бойынша, жезөкшелікпен айналысуға",
        "тартқаны үшін ҚК-нің 134, 308-баптары бойынша, жеңгетайлық немесе притондар ұйымдастырғаны және "
        "ұстағаны үшін ҚК-нің 309-бабы бойынша.",
        "ҚК-нің 134, 308 және 309-баптарында көзделген сексуалдық сипаттағы өзге де қызметтер",
        "ҚК-нің 122-бабына ескертпені басшылыққа алу қажет.",
    ],
    "5": [
        "іс-әрекет ҚК-нің тиісті 308 немесе 134-баптары бойынша қылмыстық-құқықтық бағалауға жатады",
        "ҚК-нің 12-бабының үшінші бөлігінде көзделген бәсекелестік жағдайында болады.",
        "ҚК-нің 128, 135-баптарына қатысты арнайы нормалар болып табылатын қанау нысандарының",
    ],
    "7": [
        "адамдардың іс-әрекеттері ҚК-нің 128-бабының тиісті бөлігі бойынша, ал кәмелетке толмағанға қатысты - "
        "ҚК-нің 135-бабының тиісті бөлігі бойынша саралауға жатады."
    ],
    "9": [
        '"Адамды қанау" ұғымын ҚК-нің 128, 135-баптарына лайықтап айқындау кезінде ҚК-нің 3-бабының 1-тармағын '
        "және оған ескертпелерді басшылыққа алған жөн.",
        "2008 жылғы 4 маусымдағы № 37-IV Заңымен ратификацияланғанын ескеру қажет.",
        "ҚК-нің 128-бабында көзделген қанаудың түрлі нысаны бар",
        "ҚК-нің 308, 134-баптары бойынша қосымша сараланбастан, ҚК-нің 128 немесе 135-баптарында көзделген "
        "бір қылмыс ретінде сараланады.",
        "Егер ҚК-нің 128-бабының екінші бөлігінде көрсетілген ықпал ету құралдарының кез келгені",
        "ҚК-нің 135-бабы бойынша қылмыстық жауаптылыққа тарту үшін жоспарланған қанауға",
    ],
    "9-1": ["ҚК-нің 134, 308 және 309-баптарында көзделген қылмыстар"],
    "9-2": ["ҚК-нің 152, 153, 156, 395-баптарында көзделген әрекеттер үшін қылмыстық жауаптылық"],
    "10": [
        "пайдалану ҚК-нің 128, 135-баптарының диспозициясымен қамтылады және ҚК-нің 134-бабы бойынша не "
        "ҚК-нің 308-бабы бойынша қосымша саралауды талап етпейді.",
        "Соттардың ҚК-нің 309-бабында көзделген притон ұйымдастыру",
    ],
    "11": [
        "ҚК-нің 128, 135-баптарында көрсетілген іс-әрекеттердің ең болмағанда біреуі",
        "ҚПК-нің 47-бабына сәйкес, қылмыстық процесті жүргізуші органдар",
        "ҚК-нің 23, 32, 33, 34, 36, 37-баптарында және Қазақстан Республикасы Әкімшілік құқық бұзушылық туралы "
        "кодексінің 741-бабы бірінші бөлігінің 11) тармақшасында",
    ],
    "17-1": ["Адам саудасын ҚК-нің 394-бабында көзделген заңсыз көші-қонды"],
    "18": ["Қылмыстық топ - ҚК-нің 3-бабы 24-тармағының түсініктемесіне сәйкес"],
    "20-1": ["ҚК-нің 6-бабы үшінші бөлігінің талаптарына сәйкес"],
    "21": ["Қазақстан Республикасы Конституциясының 4-бабына сәйкес, осы нормативтік"],
}


@pytest.mark.parametrize(("pid", "phrase"), [(pid, ph) for pid, phs in REPAIRED.items() for ph in phs])
def test_repaired_phrase(corpus, pid, phrase):
    assert phrase in corpus.get(pid).kk


def test_repaired_notes(corpus):
    note = corpus.get("1").notes[0].text
    assert "ҚР Жоғарғы Сотының 31.03.2017 № 3 (алғашқы ресми жарияланған күнінен бастап" in note
    assert '"133", "132-1", "270" деген цифрлар тиісінше "135", "134", "308" деген цифрлармен' in (
        corpus.document.notes[1].text
    )


def test_the_2017_figures_are_replaced_as_the_text_uses_them(corpus):
    """Fails if the 2017 note maps old article 133 (trafficking in minors) to another
    article than the one the paragraphs cite beside 128, or old 132-1 (involving a
    minor in prostitution) to another than the one they cite beside 308 (old 270)."""
    note = corpus.document.notes[1].text
    old, new = re.findall(r'((?:"[^"]*", )*"[^"]*") деген цифрлар тиісінше ((?:"[^"]*", )*"[^"]*")', note)[0]
    mapping = dict(zip(re.findall(r'"([^"]*)"', old), re.findall(r'"([^"]*)"', new), strict=True))
    assert mapping == {"133": "135", "132-1": "134", "270": "308"}
    text = "\n".join(p.kk for p in corpus.paragraphs)
    assert set(re.findall(r"128(?:,| және| не| немесе) (\d+)-ба", text)) == {mapping["133"]}
    assert set(re.findall(r"(\d+), 308-ба", text)) == {mapping["132-1"]}


def _repair_delta(pattern: str) -> tuple[Counter, Counter]:
    """What the repair table adds and removes, as counts of ``pattern`` matches."""
    added, removed = Counter(), Counter()
    for r in load_repairs():
        before = Counter(re.findall(pattern, " ".join(r["source"])))
        after = Counter(re.findall(pattern, " ".join(r["repaired"])))
        added += after - before
        removed += before - after
    return added, removed


def test_every_kazakh_word_and_number_survives(corpus):
    """The corpus holds the source's words and numbers, up to the listed repairs
    (which only split tokens the extraction glued together, e.g. "7128")."""
    source = SOURCE_PATH.read_text(encoding="utf-8")
    text = all_kk_text(corpus)
    word_re = r"[^\W\d_]+"
    added, removed = _repair_delta(word_re)
    assert Counter(words(text)) - Counter(words(source)) == added
    assert Counter(words(source)) - Counter(words(text)) == removed
    assert sum(added.values()) <= 2  # "Жезөкшелікпенбабының" → "Жезөкшелікпен" + "бабының"
    numbers = Counter(re.findall(r"\d+", text))
    numbers.update(n for pid in corpus.ids[1:] for n in pid.split("-"))  # paragraph numbers became ids
    added, removed = _repair_delta(r"\d+")
    assert numbers - Counter(re.findall(r"\d+", source)) == added
    assert Counter(re.findall(r"\d+", source)) - numbers == removed
    assert sum(removed.values()) <= 1  # "7128" → "7" + "128"


def test_repair_table_is_reviewed_and_exact():
    """Each repair only moves characters: the same non-space characters before and after."""
    repairs = load_repairs()
    assert len(repairs) >= 20
    lines = read_lines()
    for r in repairs:
        assert r["why"].strip()
        assert lines[r["lines"][0] - 1 : r["lines"][1]] == r["source"]
        same = Counter("".join(r["source"]).replace(" ", "")) == Counter(
            "".join(r["repaired"]).replace(" ", "")
        )
        assert same, r["lines"]
    assert apply_repairs(lines, repairs) != lines


def test_a_mismatched_repair_is_refused():
    from zanqa.corpus import CorpusError

    bad = [{"lines": [2, 2], "source": ["something else"], "repaired": ["x"], "why": "test"}]
    with pytest.raises(CorpusError, match="does not match"):
        apply_repairs(read_lines(), bad)


def test_articles_are_extracted(corpus):
    assert ArticleRef("ҚК", "394", None, None) in corpus.get("17-1").articles
    assert {("ҚК", "128"), ("ҚК", "135")} <= {(a.code, a.article) for a in corpus.get("2").articles}
    assert ("ҚПК", "47") in {(a.code, a.article) for a in corpus.get("11").articles}
    refs = extract_articles("ҚК-нің 128-бабының екінші бөлігінің 6-тармағы бойынша")
    assert refs == [ArticleRef("ҚК", "128", "2", "6")]
    assert extract_articles("ҚК-нің 128, 135-баптары бойынша") == [
        ArticleRef("ҚК", "128", None, None),
        ArticleRef("ҚК", "135", None, None),
    ]


def _corpus_show(paragraph_id: str, lang: str) -> str:
    """What `zanqa corpus show ID --lang LANG` prints."""
    command = [sys.executable, "-m", "zanqa", "corpus", "show", paragraph_id, "--lang", lang]
    return subprocess.run(command, capture_output=True, text=True, cwd=ROOT, check=True).stdout


def test_cli_shows_paragraph_12_in_russian_marked_unofficial(corpus):
    out = _corpus_show("12", "ru")
    assert "п. 12" in out and "Неофициальный" in out
    assert corpus.get("12").ru.split("\n")[0] in out


def test_cli_shows_paragraph_9_1_in_russian_with_its_note(corpus):
    """Fails if the Russian view of a paragraph leaves out its amendment notes."""
    out = _corpus_show("9-1", "ru")
    assert "Неофициальный" in out and corpus.get("9-1").notes[0].text_ru in out
    assert "Нормативное постановление дополнено пунктом 9-1" in out
    assert "нормативным постановлением Верховного Суда РК от 08.12.2021 № 3 (вводится в действие" in out


def test_cli_lists_and_refuses_unknown_ids():
    listing = subprocess.run(
        [sys.executable, "-m", "zanqa", "corpus"], capture_output=True, text=True, cwd=ROOT, check=True
    ).stdout
    assert len(listing.strip().splitlines()) == 28
    bad = subprocess.run(
        [sys.executable, "-m", "zanqa", "corpus", "show", "99"], capture_output=True, text=True, cwd=ROOT
    )
    assert bad.returncode == 2 and "no paragraph '99'" in bad.stderr
    assert len(bad.stderr.strip().splitlines()) == 1


def test_corpus_file_is_valid_jsonl():
    rows = [json.loads(line) for line in CORPUS_PATH.read_text(encoding="utf-8").splitlines()]
    assert "document" in rows[0] and len(rows) == 29


# ------------------------------------------------------------ the notes' Russian

IN_FORCE_KK = "(алғашқы ресми жарияланған күнінен бастап қолданысқа енгізіледі)"
IN_FORCE_RU = "(вводится в действие со дня первого официального опубликования)"
NOTE_KINDS_KK = {
    "added": r"толықтырыл",
    "changed": r"өзгеріс",
    "new_wording": r"жаңа редакцияда",
    "replaced": r"ауыстырыл",
}


def all_notes(corpus):
    """(where, Kazakh, Russian) for the document's notes and every paragraph's."""
    found = [("_document", n.text, n.text_ru) for n in corpus.document.notes]
    return found + [(p.id, n.text, n.text_ru) for p in corpus.paragraphs for n in p.notes]


def note_kinds_ru(where: str) -> dict[str, str]:
    added = rf"Нормативное постановление дополнено пунктом {re.escape(where)}(?![\d-])"
    return {
        "added": added,
        "changed": r"внесен[оы] изменени",
        "new_wording": r"в новой редакции",
        "replaced": r"заменены",
    }


def test_every_note_has_the_kazakh_dates_and_numbers_in_russian(corpus):
    """Fails if a note's Russian is missing, still Kazakh, or drops or adds a date, number or figure."""
    number = r"\d+(?:[.-]\d+)*"  # "31.03.2017", "3", "132-1", "9-1"
    for where, kk, ru in all_notes(corpus):
        assert ru.strip() and not any(ch in "әғқңөұүһі" for ch in ru.lower()), (where, ru)
        assert Counter(re.findall(number, ru)) == Counter(re.findall(number, kk)), (where, ru)


def test_every_note_is_of_the_same_kind_in_russian(corpus):
    """Fails if the Russian says a paragraph was changed where the Kazakh says the
    resolution was supplemented with it ("Нормативное постановление дополнено
    пунктом N"), or names another kind of amendment than the Kazakh."""
    for where, kk, ru in all_notes(corpus):
        kinds_kk = {kind for kind, marker in NOTE_KINDS_KK.items() if re.search(marker, kk, re.I)}
        kinds_ru = {kind for kind, marker in note_kinds_ru(where).items() if re.search(marker, ru)}
        assert kinds_kk and kinds_ru == kinds_kk, (where, kinds_kk, ru)


def test_every_note_has_the_entry_into_force_clause_exactly_where_the_kazakh_has_it(corpus):
    """Fails if the Russian drops the entry-into-force clause of an amending act,
    adds one the Kazakh does not have, or words it otherwise."""
    date = r"\d{2}\.\d{2}\.\d{4}"
    for where, kk, ru in all_notes(corpus):
        sequence_kk = re.findall(rf"{date}|{re.escape(IN_FORCE_KK)}", kk)
        sequence_ru = re.findall(rf"{date}|{re.escape(IN_FORCE_RU)}", ru)
        assert [s == IN_FORCE_KK for s in sequence_kk] == [s == IN_FORCE_RU for s in sequence_ru], (where, ru)
        assert [s for s in sequence_kk if s != IN_FORCE_KK] == [s for s in sequence_ru if s != IN_FORCE_RU]
        assert ru.count("вводится") == ru.count(IN_FORCE_RU), (where, ru)


def test_every_note_names_one_or_several_amending_acts_as_the_kazakh_does(corpus):
    """Fails if the Russian puts one amending "нормативтік қаулысымен" in the plural,
    several "қаулыларымен" in the singular, or says "постановление" for "нормативное постановление"."""
    for where, kk, ru in all_notes(corpus):
        several_kk = re.search(r"қаулыларымен", kk, re.I) is not None
        assert several_kk or re.search(r"қаулысымен", kk, re.I), (where, kk)
        acts = {(d, n) for d, n in re.findall(r"(\d{2}\.\d{2}\.\d{4}) № (\d+)", kk)}
        assert (len(acts) > 1) == several_kk, (where, kk)
        plural = ru.count("нормативными постановлениями")
        singular = ru.count("нормативным постановлением")
        several_ru = plural > 0 or singular > 1
        assert (plural, singular) in ((1, 0), (0, 1), (0, len(acts))), (where, ru)
        assert several_ru == several_kk, (where, ru)
        for form in re.finditer(r"(\w+)\s+постановлени", ru):
            assert form.group(1).lower().startswith("нормативн"), (where, form.group(0))


def replaced_pairs_kk(text: str) -> list[tuple[str, str, str]]:
    """(unit, old, new) for a Kazakh "A", "B" деген сөздер тиісінше "C", "D" деген сөздермен note."""
    group = re.compile(r'((?:"[^"]*"[\s,]*)+)деген (сөздер|цифрлар) тиісінше\s*((?:"[^"]*"[\s,]*)+)деген')
    pairs = []
    for old, unit, new in group.findall(text):
        olds, news = re.findall(r'"([^"]*)"', old), re.findall(r'"([^"]*)"', new)
        assert len(olds) == len(news), text
        pairs += [("words" if unit == "сөздер" else "figures", o, n) for o, n in zip(olds, news, strict=True)]
    return pairs


def replaced_pairs_ru(text: str) -> list[tuple[str, str, str]]:
    pair = re.compile(r'(слова|цифры) "([^"]*)" заменены (словами|цифрами) "([^"]*)"')
    found = []
    for unit, old, unit2, new in pair.findall(text):
        assert (unit, unit2) in (("слова", "словами"), ("цифры", "цифрами")), text
        found.append(("words" if unit == "слова" else "figures", old, new))
    return found


def test_every_replacement_note_lists_the_kazakh_pairs_in_russian(corpus):
    """Fails if a document-level replacement note does not list in Russian, pair by
    pair, what was replaced by what: as many pairs, "цифры" for figures and "слова"
    for words as the Kazakh, the same figures, and the replacement different from the replaced."""
    replacement_notes = [(w, kk, ru) for w, kk, ru in all_notes(corpus) if "ауыстырыл" in kk]
    assert [w for w, _, _ in replacement_notes] == ["_document"] * 3
    for _, kk, ru in replacement_notes:
        pairs_kk, pairs_ru = replaced_pairs_kk(kk), replaced_pairs_ru(ru)
        assert pairs_kk and len(pairs_ru) == len(pairs_kk), ru
        for (unit_kk, old_kk, new_kk), (unit_ru, old_ru, new_ru) in zip(pairs_kk, pairs_ru, strict=True):
            assert unit_ru == unit_kk and old_ru != new_ru, (old_ru, new_ru)
            figures = r"\d+(?:-\d+)?"
            assert re.findall(figures, old_ru) == re.findall(figures, old_kk)
            assert re.findall(figures, new_ru) == re.findall(figures, new_kk)
    units = [{u for u, _, _ in replaced_pairs_kk(kk)} for _, kk, _ in replacement_notes]
    assert units == [{"figures"}, {"words"}, {"words"}]  # 2017 figures, 2021 and 2024 words


def test_a_note_without_russian_is_refused(tmp_path):
    """Fails if the corpus is built with a note the translation does not translate."""
    from zanqa.corpus import TRANSLATION_DIR, CorpusError

    for path in TRANSLATION_DIR.glob("*.json"):
        data = json.loads(path.read_text(encoding="utf-8"))
        data.get("7", {}).pop("notes_ru", None)
        (tmp_path / path.name).write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(CorpusError, match="paragraph 7: 1 notes, 0 Russian notes"):
        build_corpus(translation_dir=tmp_path)
