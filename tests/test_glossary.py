"""The glossary: terms read from the resolution's own defining sentences, and the
definition signal they give the engine."""

import pytest

from zanqa.glossary import GlossaryMatcher, definitions, extract_glossary
from zanqa.text import split_sentences

# What the resolution defines, in order: paragraph, a word of the Kazakh and of the Russian term.
EXPECTED = [
    ("2", "объективті", "Объективная"),
    ("3", "сатып", "куплей-продажей"),
    ("5", "азғырып-көндіру", "вербовкой"),
    ("6", "тасу", "Перевозка"),
    ("7", "беру", "передачей"),
    ("8", "жасыру", "укрывательством"),
    ("9", "қанау", "эксплуатация"),
    ("9-1", "іс-әрекеттер", "деяниями"),
    ("11", "жәбірленушілер", "Потерпевшими"),
    ("16", "тәуелділік", "зависимостью"),
    ("18", "топ", "группой"),  # "Қылмыстық топ - ҚК-нің 3-бабы 24-тармағының түсініктемесіне сәйкес …"
    ("19", "зардаптар", "последствиями"),
]


def test_glossary_finds_the_defined_terms_verbatim(corpus):
    # Fails if a defined term is missed, a sentence that defines nothing is read as a definition,
    # or a term or its sentence is not the resolution's own text.
    terms = extract_glossary(corpus)
    assert [t.paragraph_id for t in terms] == [pid for pid, *_ in EXPECTED]
    for term, (_, *words) in zip(terms, EXPECTED, strict=True):
        paragraph = corpus.get(term.paragraph_id)
        for lang, word in zip(("kk", "ru"), words, strict=True):
            d = term.get(lang)
            assert d is not None and word in d.term.split(), (term.paragraph_id, lang, d)
            assert d.term in d.sentence
            assert split_sentences(getattr(paragraph, lang))[d.sentence_index] == d.sentence
    assert [t.paragraph_id for t in terms if t.subject] == ["2"]


@pytest.mark.parametrize(
    ("text", "lang", "term"),
    [
        ("Адамды сатып алу-сату деп бір тарап адамды беретін мәмілені түсінген жөн.", "kk", "Адамды сатып алу-сату"),
        ("Клиенттер іздестіруді адамды қанау мақсатындағы өзге де іс-әрекеттер деп түсінген жөн.", "kk",
         "қанау мақсатындағы өзге де іс-әрекеттер"),
        ("Жәбірленушінің тәуелді болуын (мысалы, отбасылық қатынастар) өзге тәуелділік деп түсіну қажет.", "kk",
         "өзге тәуелділік"),
        ('"Адамды қанау" ұғымын айқындау кезінде ҚК-нің 3-бабын басшылыққа алған жөн.', "kk", "Адамды қанау"),
        ("Под вербовкой человека понимается достижение согласия потерпевшего.", "ru", "вербовкой человека"),
        ("Потерпевшими следует признавать лиц, в отношении которых совершено деяние.", "ru", "Потерпевшими"),
        ("Перевозка человека представляет собой умышленные действия.", "ru", "Перевозка человека"),
        ("Қылмыстық топ - ҚК-нің 3-бабы 24-тармағының түсініктемесіне сәйкес ұйымдасқан топ.", "kk", "Қылмыстық топ"),
        ("Кража, совершенная группой – согласно разъяснению статьи 3 УК банда.", "ru", "Кража, совершенная группой"),
    ],
)  # fmt: skip
def test_definition_patterns(text, lang, term):
    # Fails if a defining construction of either language is not read, or its term is cut wrongly.
    assert [d.term for d in definitions(text, lang)] == [term]


@pytest.mark.parametrize(
    "text",
    [
        "мұндай мәмілелер оларды жасасқан сәттен бастап жарамсыз деп танылады.",
        "Перевозка считается оконченной с момента начала осуществления доставки.",
        "Судам следует учитывать, что сводничество является самостоятельным действием.",
    ],
)
def test_sentences_that_define_nothing(text):
    # Fails if a sentence that only qualifies ("deemed invalid", "considered completed") becomes a term.
    lang = "kk" if "деп" in text else "ru"
    assert definitions(text, lang) == []


@pytest.mark.parametrize(
    ("question", "paragraph"),
    [
        ("Что такое эксплуатация человека?", "9"),
        ("кто такой потерпевший", "11"),
        ("жәбірленуші деген кім", "11"),
        ("вербовка деген не", "5"),
        ("укрывательство", "8"),
        ("Адам саудасы деген не?", "2"),
        ("торговля людьми", "2"),
        # the person acted on, in any of its words: the term says "потерпевшего", "человека"
        ("что значит передача жертвы", "7"),
        ("что означает вербовка потерпевшего", "5"),
        ("перевозка человека это что вообще", "6"),
        ("перевозка людей это что", "6"),
        ("что такое вербовка людей", "5"),
        ("жәбірленушіні беру деген не өзі", "7"),  # a particle of the question's form
        ("эксплуатация деген не ози", "9"),  # the particle typed without Kazakh letters
        # a quoted word is the subject, the words around it its context
        ("Адам саудасы кезінде «беру» дегеніміз не?", "7"),
        ('что в торговле людьми значит "укрывательство"', "8"),
        ("что такое торговля людьми простыми словами", "2"),  # words about the answer's form
        ("что считается эксплуатацией и какие ее виды бывают", "9"),
        ("адам саудасы белгілері", "2"),  # its signs: what its defining paragraph sets out
        ("признаки торговли людьми", "2"),
        # the notion named by "ұғымы" / "понятие", the question going on about it
        ("адамды қанау ұғымын анықтағанда ҚК-нің қай бабын басшылыққа алу керек", "9"),
        ("эксплуатация ұғымын анықтағанда УК-ның қай статьясына сүйенеміз", "9"),
        ("какие статьи применяются при определении понятия эксплуатация человека", "9"),
    ],
)
def test_matcher_finds_the_subject_not_the_form(corpus, question, paragraph):
    # Fails if the defining paragraph of the question's subject is not the single best match,
    # or if the question's template words ("что такое", "деген не") decide the match.
    matcher = GlossaryMatcher(extract_glossary(corpus), corpus)
    scores = matcher.scores(question, len(corpus.paragraphs))
    best = [corpus.paragraphs[i].id for i in range(len(scores)) if scores[i] == scores.max()]
    assert scores.max() > 0 and best == [paragraph]
    for template_only in ("что такое", "деген не", "кто такой это"):
        assert matcher.scores(template_only, len(corpus.paragraphs)).max() == 0


def test_matcher_needs_the_whole_subject_in_the_term(corpus):
    # Fails if a question about more than a term ("consent of the victim") is taken for its definition.
    matcher = GlossaryMatcher(extract_glossary(corpus), corpus)
    assert matcher.scores("жәбірленушінің келісімі", len(corpus.paragraphs)).max() == 0


@pytest.mark.parametrize(
    ("question", "paragraph"),
    [
        ("жасыру деп кандай арекеттерди тусинемиз", "8"),  # typed without Kazakh letters
        ("вербовка деп қандай әрекеттерді атаймыз", "5"),  # a Russian term
        ("жасыру деп қандай әрекеттерді атайды", "8"),
        ("жасыру деп кандай арекеттерди айтады", "8"),  # "айтады" after a question word
    ],
)
def test_what_is_called_x_is_a_definition_question(engine, question, paragraph):
    # Fails if "X деп … атайды / түсінеміз" ("what is called X") is not read as a definition
    # question, or if its subject's defining paragraph does not rank first; "X деп айтады"
    # without a question word ("says that X", reported speech in a story) is not one.
    assert engine.parse(question).intent == "definition"
    assert engine.search(question).hits[0].paragraph_id == paragraph
    story = "Жұмыс беруші паспортты өзімде сақтаймын деп айтады, бұл адам саудасы ма?"
    assert engine.parse(story).intent != "definition"


def test_glossary_command_shows_terms_with_their_sentences(capsys, corpus):
    # Fails if `zanqa glossary` misses a term, its citation or its defining sentence, or if a
    # Russian listing is not labelled unofficial, or an unknown term is not a clear error.
    from zanqa.cli import main

    assert main(["glossary", "--lang", "ru"]) == 0
    out = capsys.readouterr().out
    assert "Неофициальный" in out
    for term in extract_glossary(corpus):
        assert f"п. {term.paragraph_id} — {term.ru.term}" in out and term.ru.sentence in out
    assert main(["glossary", "жабирленуши"]) == 0  # typed without Kazakh letters
    out = capsys.readouterr().out
    assert "11-тармақ — жәбірленушілер" in out and "9-тармақ" not in out
    assert main(["glossary", "вербовка", "--lang", "ru"]) == 0  # any form of the term's words
    assert "п. 5 — вербовкой человека" in capsys.readouterr().out
    assert main(["glossary", "развод"]) == 2
    assert "no term matches" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("question", "paragraph", "lang"),
    [("Адам саудасы деген не?", "2", "kk"), ("Что такое иные тяжкие последствия?", "19", "ru")],
)
def test_a_definition_question_is_answered_by_the_definition_first(engine, question, paragraph, lang):
    # Fails if "what is X" quotes other sentences of X's paragraph before the one defining X.
    from zanqa.answer import answer

    ans = answer(engine, question, log=False)
    term = next(t for t in engine.glossary if t.paragraph_id == paragraph)
    assert not ans.abstained and ans.citations[0].paragraph_id == paragraph
    assert ans.citations[0].sentence == term.get(lang).sentence
