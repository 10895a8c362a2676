"""The article index (citator): built from the corpus's ``articles`` field,
code → article → part → point, with the citing paragraphs and their sentences."""

import json
import re

from zanqa.citator import article_index, find
from zanqa.cli import main
from zanqa.text import split_sentences

# How paragraph 12 names ҚК 128 part 2 point 6, written out by hand from the
# resolution's wording ("128-бабы екінші бөлігінің 6-тармағы" / "6) тармағы").
NAMES_128_2_6_KK = re.compile(r"ҚК-нің 128-бабы екінші бөлігінің 6(?:-|\) )тарма")
NAMES_128_2_6_RU = "пункту 6) части второй статьи 128 УК"


def test_every_reference_in_the_corpus_is_in_the_index_with_its_paragraph(corpus):
    """Fails if a reference of any paragraph's ``articles`` (code, article,
    part, point) has no node, or its node does not list that paragraph."""
    index = article_index(corpus)
    nodes = {
        (n.code, n.article, n.part, n.point): n for code in index for n in code.walk() if n.level != "code"
    }
    refs = [(p.id, r) for p in corpus.paragraphs for r in p.articles]
    assert len(refs) > 50  # the resolution cites many provisions
    for pid, r in refs:
        node = nodes.get((r.code, r.article, r.part, r.point))
        assert node is not None, r
        assert pid in [c.paragraph_id for c in node.citing], (pid, r)
    articles = {(r.code, r.article) for _, r in refs}
    listed = {(n.code, n.article) for code in index for n in code.children}
    assert listed == articles
    # nothing invented: every citing paragraph really lists the node's reference
    by_id = {p.id: p for p in corpus.paragraphs}
    for node in nodes.values():
        for c in node.citing:
            assert (node.code, node.article, node.part, node.point) in {
                (r.code, r.article, r.part, r.point) for r in by_id[c.paragraph_id].articles
            }


def test_the_sentence_for_128_2_6_is_the_one_in_paragraph_12_that_names_it(corpus):
    """Fails if the index shows for ҚК 128 part 2 point 6 anything but the
    sentences of paragraph 12 that name that point, or misses one of them, or
    pairs them with Russian sentences that do not name it."""
    (node,) = find(article_index(corpus), "128", "2", "6")
    assert [c.paragraph_id for c in node.citing] == ["12"]
    (citing,) = node.citing
    sentences = split_sentences(corpus.get("12").kk)
    expected = [s for s in sentences if NAMES_128_2_6_KK.search(s)]
    assert expected  # the pattern does match the resolution's wording
    assert list(citing.sentences_kk) == expected
    assert [sentences[i] for i in citing.sentence_indexes] == expected
    assert citing.sentences_ru and all(NAMES_128_2_6_RU in s for s in citing.sentences_ru)


def test_tree_order_and_levels(corpus):
    """Fails if codes, articles, parts or points are out of numeric order, or a
    child is not one level below its parent (a point of an article with no part
    sits directly under the article)."""
    index = article_index(corpus)
    assert index[0].code == "ҚК"
    levels = ("code", "article", "part", "point")
    for code in index:
        numbers = [int(a.article.split("-")[0]) for a in code.children]
        assert numbers == sorted(numbers), code.code
        for node in code.walk():
            for child in node.children:
                assert levels.index(child.level) > levels.index(node.level)
                assert child.article == node.article or node.level == "code"


def test_cli_articles_shows_the_sentence_in_both_languages(capsys):
    """Fails if `zanqa articles 128 2 6` does not print paragraph 12's sentence
    (Kazakh; Russian labelled as the unofficial translation), or if
    `zanqa articles` leaves out an article, or an unknown article is not refused."""
    assert main(["articles", "128", "2", "6"]) == 0
    out = capsys.readouterr().out
    assert NAMES_128_2_6_KK.search(out) and "(12-тармақ)" in out
    assert main(["articles", "128", "2", "6", "--lang", "ru"]) == 0
    out = capsys.readouterr().out
    assert NAMES_128_2_6_RU in out and "(п. 12)" in out and "Неофициальный" in out
    assert main(["articles"]) == 0
    out = capsys.readouterr().out
    for number in ("99", "128", "135", "394", "741", "47"):
        assert re.search(rf"\b{number}-бап", out), number
    assert main(["articles", "190"]) == 2
    assert "does not cite" in capsys.readouterr().err
    assert main(["articles", "47", "--code", "УПК", "--json"]) == 0
    (node,) = json.loads(capsys.readouterr().out)
    assert node["code"] == "ҚПК" and node["citing"][0]["paragraph_id"] == "11"


def test_a_list_of_points_gives_each_point_and_wrong_parts_say_what_is_cited(capsys):
    """Fails if "128-бабы екінші бөлігінің 3) және 4) тармақтары" (paragraph 12-1) loses its
    points, a part or point the resolution does not name is reported as an uncited article, or an
    unknown code is listed as empty instead of refused."""
    assert main(["articles", "128", "2", "3"]) == 0
    assert "12-1-тармақ" in capsys.readouterr().out
    assert main(["articles", "135", "2", "4"]) == 0
    assert "12-1-тармақ" in capsys.readouterr().out
    assert main(["articles", "128", "9"]) == 2
    err = capsys.readouterr().err
    assert "cites article 128 but not that part or point" in err and "ҚК 128-бап, 2-бөлік, 6-тармақ" in err
    assert main(["articles", "--code", "XYZ"]) == 2
    assert "no code 'XYZ'" in capsys.readouterr().err
