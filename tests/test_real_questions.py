"""The examples of the real-questions and refusals issues, through the engine and
the answer stage: each reaches its paragraph, or the refusal it deserves."""

import pytest

from zanqa.answer import answer


@pytest.mark.slow
@pytest.mark.parametrize(
    ("question", "paragraph"),
    [
        ("Адам саудасы деген не?", "2"),
        ("Торговля людьми это что", "2"),
        ("вербовка деген не", "5"),
        ("кауылы кашан кушине енеди", "21"),
        ("adamdy tasu degen ne?", "6"),
        ("Что такое эксплуатация человека?", "9"),
        ("жабирленуши келисим берсе ше", "9"),
        ("жабирленушинин келисими", "9"),
    ],
)
def test_real_questions_reach_their_paragraph(engine, question, paragraph):
    # Fails if a question typed as users type it is refused or answered from another paragraph.
    ans = answer(engine, question, log=False)
    assert not ans.abstained, (ans.reason, [h.paragraph_id for h in ans.hits])
    assert ans.hits[0].paragraph_id == paragraph


@pytest.mark.slow
@pytest.mark.parametrize(
    ("question", "reason", "lang"),
    [
        ("Как развестись с мужем?", "not_covered", "ru"),
        ("Какой срок лишения свободы по ст. 135 УК?", "sanction", "ru"),
        ("Что сказано в пункте 40?", "no_paragraph", "ru"),
        ("45-тармақта не делінген?", "no_paragraph", "kk"),
        ("45-тармакта не делинген?", "no_paragraph", "kk"),
        ("Какая редакция у пункта 27?", "no_paragraph", "ru"),
        ("Что говорится о ст. 190 УК?", "no_article", "ru"),
        ("ҚК-нің 190-бабы туралы не делінген?", "no_article", "kk"),
        ("Адам саудасы үшін қанша жыл береді?", "sanction", "kk"),
        ("адам саудасы ушин канша жыл береди", "sanction", "kk"),
        ("Какой срок давности по торговле людьми?", "limitation", "ru"),
        ("Адам саудасы туралы істі қай сот қарайды?", "jurisdiction", "kk"),
        ("Куда обратиться, если знакомую продали?", "procedure", "ru"),
        ("Жәбірленушіге қандай өтемақы төленеді?", "aid", "kk"),
        ("Кто председатель Верховного суда?", "about_court", "ru"),
        ("В Узбекистане какой закон о торговле людьми?", "other_law", "ru"),
        ("Жоғарғы Соттың судьяларын кім сайлайды?", "about_court", "kk"),
        ("Жогаргы Соттын судьяларын ким сайлайды?", "about_court", "kk"),
        ("Жогаргы Сот кайда орналаскан?", "about_court", "kk"),
        ("Когда был создан Верховный Суд?", "about_court", "ru"),
        ("Ресей заңында адамды қанау қалай анықталған?", "other_law", "kk"),
        ("Ресей занында адамды канау калай аныкталган?", "other_law", "kk"),
        ("15-2 тармакта лауазымды адам туралы не делинген?", "no_paragraph", "kk"),
        ("Қаулының 13-1-тармағы не дейді?", "no_paragraph", "kk"),
        ("Что разъясняет постановление Верховного суда № 4 от 2019 года?", "other_act", "ru"),
        ("2019 жылғы № 4 нормативтік қаулыда не делінген?", "other_act", "kk"),
        ("2019 жылгы № 4 нормативтик каулыда не делинген?", "other_act", "kk"),
    ],
)
def test_refusals_say_why(engine, question, reason, lang):
    # Fails if a question the resolution does not answer is answered, or refused for another reason.
    ans = answer(engine, question, log=False)
    assert ans.abstained and ans.reason == reason, (ans.reason, ans.text[:80])
    assert ans.lang == lang and ans.message and ans.message in ans.text


@pytest.mark.slow
def test_a_foreign_state_alone_is_not_foreign_law(engine):
    # Fails if a case of a person taken abroad (paragraph 17 on crossing the border) is refused
    # as a question about another state's law, or a story with a vacancy or an address as one
    # about the court.
    for question in (
        "Қызды Ресейге алып кетті, бұл адам саудасы ма?",
        "Девушку вывезли в Турцию на работу, это торговля людьми?",
    ):
        ans = answer(engine, question, log=False)
        assert ans.reason != "other_law", question


@pytest.mark.slow
def test_a_missing_paragraph_refusal_lists_the_paragraphs_that_exist(engine):
    # Fails if "п. 40" is refused without telling the user which paragraphs there are.
    ans = answer(engine, "Что сказано в пункте 40?", log=False)
    assert "40" in ans.message and "п. 9-1" in ans.message and "п. 20-1" in ans.message
    ans = answer(engine, "Что говорится о ст. 190 УК?", log=False)
    assert "190" in ans.message and "128" in ans.message and "135" in ans.message


@pytest.mark.slow
def test_the_resolutions_it_is_amended_by_or_cites_are_not_other_acts(engine):
    # Fails if a question naming this resolution, one that amended it, or one its text cites (No. 8
    # of 2003 in paragraph 12-1) is refused as about another act, if a year that is not a
    # resolution's date ("в 2025 году", "2019 жылы") is read as one, if a number alone of an unknown
    # resolution is let through, or if the refusal does not say which resolutions ZanQA knows.
    for question, acts in (
        ("С какой целью принято нормативное постановление № 7 от 29 декабря 2012 года?", {("7", "2012")}),
        ("Какие пункты добавило постановление от 11.12.2020 № 6?", {("6", "2020")}),
        ("2003 жылғы № 8 нормативтік қаулының қай тармақтарын басшылыққа алу керек?", {("8", "2003")}),
        ("Действует ли постановление в 2025 году?", set()),
        ("2019 жылы мені Ресейге алып кетті, қаулы бойынша не болады?", set()),
    ):
        assert engine.parse(question).refs.acts == acts, question
        assert answer(engine, question, log=False).reason != "other_act", question
    assert answer(engine, "Что разъясняет постановление № 4?", log=False).reason == "other_act"
    ans = answer(engine, "Что разъясняет постановление № 4 от 2019 года?", log=False)
    assert (
        "№ 4 (2019 года)" in ans.message
        and "№ 6 (2024 года)" in ans.message
        and "№ 8 (2003 года)" in ans.message
    )
    ans = answer(engine, "2019 жылғы № 4 нормативтік қаулыда не делінген?", log=False)
    assert "2019 жылғы № 4" in ans.message and "2003 жылғы № 8" in ans.message


@pytest.mark.slow
def test_a_paragraph_of_another_resolution_is_not_this_ones(engine):
    # Fails if "paragraph 21 of resolution No. 8 of 2003" is read as this act's paragraph 21 or
    # answered (it asks for the text of an act the resolution only cites), or if a paragraph of an
    # amending resolution's change ("пункт 1", changed by No. 6 of 2024) or of this act named with
    # its number is dropped.
    assert engine.parse("Что сказано в пункте 21 постановления № 8 от 2003 года?").refs.paragraphs == set()
    assert (
        engine.parse("2003 жылғы № 8 нормативтік қаулының 21-тармағында не жазылған?").refs.paragraphs
        == set()
    )
    assert engine.parse(
        "Какие изменения внесло постановление № 6 от 29.11.2024 в пункт 1?"
    ).refs.paragraphs == {"1"}
    assert engine.parse("Пункт 30 нормативного постановления № 7 о чем?").refs.paragraphs == {"30"}
    ans = answer(engine, "Что сказано в пункте 21 постановления № 8 от 2003 года?", log=False)
    assert ans.reason == "other_act" and "№ 8 (2003 года)" in ans.message


@pytest.mark.slow
@pytest.mark.parametrize(
    ("question", "paragraph"),
    [
        ("перевозка кашан аякталган деп саналады", "6"),
        ("когда перевозка считается оконченной", "6"),
        ("с какого момента передача считается оконченной", "7"),
        ("вербовка кашан аякталды", "5"),
        ("адамды сату қылмыс па", "3"),  # whether an act is a crime: its own paragraph
        ("адамды тасу қылмыс па", "6"),
        ("адамды беру кылмыс па", "7"),
        ("адамды сатса қылмыс па", "3"),  # a verb's form the term lacks: read by its root
        ("адамды тасыса кылмыс па", "6"),
    ],
)
def test_a_completion_question_reaches_the_act_it_names(engine, question, paragraph):
    # Fails if "when is X complete" or "is X a crime" is ranked by its template ("аяқталды деп саналады", which
    # the paragraphs on recruitment, transport and transfer all share) instead of by X, the act
    # whose own paragraph says when it is complete.
    ans = answer(engine, question, log=False)
    assert not ans.abstained and ans.hits[0].paragraph_id == paragraph, [h.paragraph_id for h in ans.hits]
