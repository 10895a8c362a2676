"""The everyday-words thesaurus (zanqa/data/thesaurus.json) and the query expansion it drives."""

import json

from zanqa.text import tokenize, words
from zanqa.thesaurus import THESAURUS_PATH, Thesaurus


def test_every_term_is_a_word_of_its_languages_text(corpus):
    # Fails if a term the expansion maps onto is not a word the act (or its translation) has:
    # it would add a token no paragraph holds.
    data = json.loads(THESAURUS_PATH.read_text(encoding="utf-8"))
    for lang in ("kk", "ru"):
        text_words = {w.lower() for p in corpus.paragraphs for w in words(getattr(p, lang))}
        missing = [e["term"] for e in data[lang] if e["term"].lower().split("-")[0] not in text_words]
        assert missing == [], (lang, missing)
        assert all(e["everyday"] and all(" " not in w for w in e["everyday"]) for e in data[lang])


def test_an_everyday_word_adds_the_acts_term_and_a_word_of_the_act_adds_nothing(tmp_path):
    # Fails if "мұғалім" (teacher, a word the act lacks) does not bring in the act's "оқытушы",
    # or if a word the act has itself ("жұмыс") is expanded too.
    path = tmp_path / "thesaurus.json"
    entries = [{"term": "оқытушыға", "everyday": ["мұғалім"]}, {"term": "еңбек", "everyday": ["жұмыс"]}]
    path.write_text(json.dumps({"kk": entries, "ru": []}, ensure_ascii=False), encoding="utf-8")
    act = set(tokenize("оқытушыға еңбек жұмыс", "kk"))
    thesaurus = Thesaurus.load({"kk": act, "ru": set()}, path)
    question = {"kk": tokenize("мұғалімі жұмыс істетті", "kk")}
    expanded = thesaurus.expand(question)["kk"]
    assert expanded[: len(question["kk"])] == question["kk"]
    assert tokenize("оқытушыға", "kk")[0] in expanded
    assert tokenize("еңбек", "kk")[0] not in expanded


def test_the_engine_finds_the_acts_term_for_an_everyday_word(engine):
    # Fails if the shipped thesaurus does not reach the engine's BM25 query: "шантаж" (a word the
    # act lacks) is its "бопсалау", while the coverage evidence keeps the question's own words.
    query = engine.parse("шантаж жасап көндірді")
    assert set(tokenize("бопсалау", "kk")) <= set(engine.query_tokens(query, "kk")["kk"])
    assert set(tokenize("бопсалау", "kk")) <= set(engine.search(query).tokens["kk"])  # what search uses
    own = set(tokenize("шантаж жасап көндірді", "kk", roots=False))
    assert set(engine.query_tokens(query, "kk", roots=False)["kk"]) == own


def test_a_short_root_is_never_expanded(tmp_path):
    # Fails if a token under four letters (a root many words share: "жақын" → "жак") is
    # expanded, or brings in a term.
    path = tmp_path / "thesaurus.json"
    entries = [{"term": "туыстары", "everyday": ["жақын"]}, {"term": "беруші", "everyday": ["қожайын"]}]
    path.write_text(json.dumps({"kk": entries, "ru": []}, ensure_ascii=False), encoding="utf-8")
    act = set(tokenize("туыстары беруші", "kk"))
    expansions = Thesaurus.load({"kk": act, "ru": set()}, path).expansions["kk"]
    assert all(len(k) >= 4 and all(len(t) >= 4 for t in v) for k, v in expansions.items())
    assert tokenize("жақын", "kk")[0] not in expansions
