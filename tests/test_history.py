"""The amendment timeline (zanqa.history): `zanqa corpus history` and the app's
sidebar, in both languages, checked against the notes of the corpus."""

from __future__ import annotations

import html
import re
import subprocess
import sys

import pytest

from zanqa.answer import answer
from zanqa.corpus import Amendment
from zanqa.history import KINDS, amendment_kinds, display_date, timeline
from zanqa.messages import t

from .conftest import ROOT

ACTS = ["31.03.2017 № 3", "11.12.2020 № 6", "08.12.2021 № 3", "29.11.2024 № 6"]
IN_FORCE_RU = "(вводится в действие со дня первого официального опубликования)"


def cited(amendment: Amendment) -> str:
    """How the notes cite an amending resolution: "08.12.2021 № 3"."""
    return f"{display_date(amendment.date)} № {amendment.number}"


def paragraph_notes(corpus):
    return [(p.id, note) for p in corpus.paragraphs for note in p.notes]


def test_each_resolution_a_note_cites_gets_the_kind_of_change_the_note_names_before_it(corpus):
    """Fails if paragraph 9-1, which the Kazakh note says was added by 08.12.2021 № 3
    and changed ("өзгеріс енгізілді") by 29.11.2024 № 6, is taken as added twice, or if
    a note's first resolution is given another kind than the note's own."""
    (note,) = corpus.get("9-1").notes
    assert [(cited(a), kind) for a, kind in amendment_kinds(note)] == [
        ("08.12.2021 № 3", "added"),
        ("29.11.2024 № 6", "changed"),
    ]
    for where, note in paragraph_notes(corpus):
        kinds = amendment_kinds(note)
        assert kinds and kinds[0][1] == note.kind, (where, note.text)


def test_the_timeline_has_every_resolution_and_paragraph_the_notes_cite(corpus):
    """Fails if an amending resolution, or a paragraph a note says it amended, is
    missing from its row, or a paragraph is listed under a resolution its notes do not cite."""
    acts = timeline(corpus)
    assert [cited(a.amendment) for a in acts] == ACTS
    cited_by = {}  # resolution → paragraphs whose notes cite it
    for where, note in paragraph_notes(corpus):
        for amendment in note.amendments:
            cited_by.setdefault(cited(amendment), set()).add(where)
    for act in acts:
        listed = [pid for kind in KINDS for pid in act.paragraphs(kind)]
        assert len(listed) == len(set(listed)) and set(listed) == cited_by[cited(act.amendment)], act
    document = {cited(a): [] for a in (a for n in corpus.document.notes for a in n.amendments)}
    for note in corpus.document.notes:
        for amendment in note.amendments:
            document[cited(amendment)].append(note)
    assert {cited(a.amendment): list(a.document_notes) for a in acts if a.document_notes} == document


# ------------------------------------------------------------ the CLI


def corpus_history(lang: str) -> str:
    """What `zanqa corpus history --lang LANG` prints."""
    command = [sys.executable, "-m", "zanqa", "corpus", "history", "--lang", lang]
    return subprocess.run(command, capture_output=True, text=True, cwd=ROOT, check=True).stdout


def blocks_by_act(out: str) -> dict[str, str]:
    """The printed blocks (separated by blank lines) by the resolution their first line names."""
    found = {}
    for block in out.split("\n\n")[1:]:
        heading = block.split("\n", 1)[0]
        (act,) = re.findall(r"\d{2}\.\d{2}\.\d{4} № \d+", heading)
        found[act] = block
    return found


def listed(block: str, lang: str, kind: str) -> list[str]:
    """The paragraph ids a block lists on its line for ``kind`` ("added", ...)."""
    prefix = f"  {t(lang, f'history_{kind}')}: "
    lines = [line[len(prefix) :] for line in block.split("\n") if line.startswith(prefix)]
    return lines[0].split(", ") if lines else []


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_cli_history_shows_each_resolution_with_the_paragraphs_its_notes_name(corpus, lang):
    """Fails if `zanqa corpus history` is missing, leaves out 2017, 2020, 2021 or 2024,
    puts them out of order, or leaves out a paragraph of one of them: each paragraph
    note's resolutions are checked against the block of that resolution."""
    out = corpus_history(lang)
    blocks = blocks_by_act(out)
    assert list(blocks) == ACTS
    assert ("Неофициальный рабочий перевод" in out.split("\n\n")[0]) == (lang == "ru")
    for where, note in paragraph_notes(corpus):
        for amendment, kind in amendment_kinds(note):
            assert where in listed(blocks[cited(amendment)], lang, kind), (lang, where, cited(amendment))
    assert "9-1" in listed(blocks["08.12.2021 № 3"], lang, "added")
    assert "9-1" in listed(blocks["29.11.2024 № 6"], lang, "changed")
    assert "9-1" not in listed(blocks["29.11.2024 № 6"], lang, "added")
    assert "13" in listed(blocks["11.12.2020 № 6"], lang, "new_wording")


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_cli_history_shows_the_document_wide_replacements_verbatim(corpus, lang):
    """Fails if a row leaves out a document-level note (the 2017 figures, the 2021 and
    2024 words replaced throughout the text, the 2024 title) or shows it in the other language."""
    blocks = blocks_by_act(corpus_history(lang))
    for note in corpus.document.notes:
        text = note.text_ru if lang == "ru" else note.text
        other = note.text if lang == "ru" else note.text_ru
        for amendment in note.amendments:
            block = blocks[cited(amendment)]
            for line in text.split("\n"):
                assert line in block, (lang, cited(amendment), line)
            assert other.split("\n")[0] not in block


def test_cli_corpus_show_9_1_in_russian_says_how_and_when_it_came_in():
    """Fails if the Russian view of 9-1 does not say that the resolution was supplemented
    with paragraph 9-1 by the normative resolution of 08.12.2021 No. 3, in force from its
    first official publication."""
    command = [sys.executable, "-m", "zanqa", "corpus", "show", "9-1", "--lang", "ru"]
    out = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, check=True).stdout
    assert (
        "Нормативное постановление дополнено пунктом 9-1 в соответствии с нормативным постановлением "
        f"Верховного Суда РК от 08.12.2021 № 3 {IN_FORCE_RU}" in out
    )


def test_russian_amendment_answers_quote_the_russian_notes(engine):
    """Fails if a Russian question about what a resolution added is answered with the
    Kazakh notes, or with the Russian without the unofficial mark."""
    ans = answer(
        engine,
        "Какими пунктами дополнено постановление нормативным постановлением от 8 декабря 2021 года № 3?",
    )
    assert ans.citations and ans.lang == "ru"
    for c in ans.citations:
        notes = engine.corpus.get(c.paragraph_id).notes
        assert c.sentence in [n.text_ru for n in notes] and c.sentence_kk in [n.text for n in notes]
        assert c.unofficial and "08.12.2021 № 3" in c.sentence and f"{c.sentence} ({c.label})" in ans.text


# ------------------------------------------------------------ the app


def sidebar_rows(at) -> dict[str, str]:
    """The sidebar's timeline: expander label → its HTML."""
    return {e.label: "\n".join(m.value for m in e.markdown) for e in at.sidebar.expander}


def test_sidebar_shows_the_timeline_in_both_languages(app, corpus):
    """Fails if the sidebar has no amendment timeline, leaves out a resolution or a
    paragraph of one, shows the notes in the other language than the interface, or
    shows the Russian without the unofficial mark."""
    for lang in ("kk", "ru"):
        if lang == "ru":
            app.sidebar.radio[0].set_value("ru").run()
        assert t(lang, "history_title") in [s.value for s in app.sidebar.subheader]
        unofficial = t("ru", "unofficial") in [c.value for c in app.sidebar.caption]
        assert unofficial == (lang == "ru")
        rows = sidebar_rows(app)
        acts = timeline(corpus)
        assert [label for label in rows if any(act in label for act in ACTS)] == [
            a.heading(lang) for a in acts
        ]
        for act in acts:
            shown = rows[act.heading(lang)]
            for kind in KINDS:
                if act.paragraphs(kind):
                    row = f"<strong>{html.escape(t(lang, f'history_{kind}'))}:</strong> "
                    assert row + ", ".join(act.paragraphs(kind)) in shown, (lang, act.heading(lang), kind)
            for note in act.document_notes:
                first_line = (note.text_ru if lang == "ru" else note.text).split("\n")[0]
                assert html.escape(first_line) in shown
        added_2021 = rows[t(lang, "history_act", date="08.12.2021", number="3")]
        assert re.search(
            rf"{re.escape(html.escape(t(lang, 'history_added')))}:</strong> [^<]*\b9-1\b", added_2021
        )


def test_a_paragraph_opened_in_russian_shows_its_russian_note(app, corpus):
    """Fails if the Russian interface shows a paragraph's amendment notes in Kazakh
    (or the Kazakh interface shows them in Russian)."""
    (note,) = corpus.get("9-1").notes
    app.sidebar.button(key="toc-9-1").click().run()
    (opened,) = [e for e in app.main.expander if e.label.startswith("9-1-тармақ")]
    shown = "\n".join(m.value for m in opened.markdown)
    assert f"{t('kk', 'amendments')}</strong><br>{html.escape(note.text)}" in shown
    app.sidebar.radio[0].set_value("ru").run()
    (opened,) = [e for e in app.main.expander if e.label.startswith("п. 9-1")]
    shown = "\n".join(m.value for m in opened.markdown)
    assert f"{t('ru', 'amendments')}</strong><br>{html.escape(note.text_ru)}" in shown
    assert t("ru", "unofficial") in shown
