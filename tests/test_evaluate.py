"""Metrics against hand-computed values, pairs-file validation, the JSON contract."""

import json

import pytest

from zanqa.experiments.metrics import METRICS, QuestionResult, abstention_metrics, ranking_metrics, summarize
from zanqa.experiments.pairs import Pair, PairsError, load_pairs
from zanqa.experiments.report import refusal_type_table, split_table, type_table


def qr(pid, lang, gold, ranked, abstained=False):
    pair = Pair(pid, lang, f"question {pid}", tuple(gold), bool(gold))
    return QuestionResult(pair, ranked, abstained)


RESULTS = [
    # gold first
    qr("q1", "kk", ["6"], ["6", "4", "5"]),
    # gold third
    qr("q2", "kk", ["9"], ["1", "2", "9", "3"]),
    # two gold paragraphs at ranks 2 and 7
    qr("q3", "ru", ["4", "5"], ["6", "4", "1", "2", "3", "7", "5"]),
    # gold missing from the top 10
    qr("q4", "ru", ["21"], ["1", "2", "3"]),
    # unanswerable, correctly refused / wrongly answered
    qr("q5", "ru", [], ["1"], abstained=True),
    qr("q6", "kk", [], ["2"], abstained=False),
]


def test_ranking_metrics_match_hand_computed_values():
    m = ranking_metrics(RESULTS)
    assert m["n"] == 4
    assert m["hit_rate@1"] == pytest.approx(1 / 4)
    assert m["hit_rate@3"] == pytest.approx(3 / 4)
    assert m["hit_rate@5"] == pytest.approx(3 / 4)
    # recall@5: q1 1, q2 1, q3 1/2 (only "4" in the top 5), q4 0
    assert m["recall@5"] == pytest.approx((1 + 1 + 0.5 + 0) / 4)
    # mrr@10: 1, 1/3, 1/2, 0
    assert m["mrr@10"] == pytest.approx((1 + 1 / 3 + 1 / 2 + 0) / 4, abs=1e-4)
    # ndcg@10 q3: (1/log2(3) + 1/log2(8)) / (1 + 1/log2(3))
    import math

    q3 = (1 / math.log2(3) + 1 / math.log2(8)) / (1 + 1 / math.log2(3))
    assert m["ndcg@10"] == pytest.approx((1 + 1 / math.log2(4) + q3 + 0) / 4, abs=1e-4)


def test_abstention_metrics_match_hand_computed_values():
    results = RESULTS + [qr("q7", "kk", ["1"], ["1"], abstained=True)]
    a = abstention_metrics(results)
    # refused: q5 (right), q7 (wrong) → precision 1/2; unanswerable q5, q6 → recall 1/2
    assert a["precision"] == 0.5
    assert a["recall"] == 0.5
    assert a["f1"] == 0.5
    assert a["false_abstain_rate"] == pytest.approx(round(1 / 5, 4))


def test_split_table_reports_each_split_and_language():
    from dataclasses import replace

    results = [
        QuestionResult(
            replace(r.pair, split="test" if r.pair.id in ("q1", "q4") else "dev"), r.ranked, r.abstained
        )
        for r in RESULTS
    ]
    rows = [line.split(" | ") for line in split_table(results).splitlines()[2:]]
    assert [(row[0].strip("| "), row[1]) for row in rows] == [
        ("dev", "kk"), ("dev", "ru"), ("test", "kk"), ("test", "ru"), ("all", "kk"), ("all", "ru"),
    ]  # fmt: skip
    by_key = {(row[0].strip("| "), row[1]): row for row in rows}
    # test kk: q1 only (gold first); test ru: q4 only (gold missing)
    assert by_key[("test", "kk")][2:4] == ["1", "1.000"]
    assert by_key[("test", "ru")][2:4] == ["1", "0.000"]
    # all kk: q1 hit, q2 third → hit@1 0.5; q6 unanswerable and answered → abstain F1 0
    assert by_key[("all", "kk")][3] == "0.500" and by_key[("all", "kk")][6] == "0.000"


def test_type_tables_give_all_splits_and_the_test_split():
    # Fails if the per-type tables lose the test split's own figures (the split nothing is chosen
    # on) or count another split's questions in them.
    from dataclasses import replace

    results = [
        QuestionResult(
            replace(r.pair, type="t", split="test" if r.pair.id in ("q1", "q5") else "dev"),
            r.ranked,
            r.abstained,
            reason="not_covered" if r.abstained else "",
        )
        for r in RESULTS
    ]
    rows = {
        tuple(c.strip() for c in line.split("|")[1:3]): line for line in type_table(results).splitlines()[2:]
    }
    # kk answerable: q1 (test, gold first), q2 (dev, third) → all 0.500, test 1 question 1.000
    assert rows[("t", "kk")].endswith("| 0.500 | 1.000 | 0.667 | 1 | 1.000 |")
    # ru answerable: q3, q4, both dev → no test questions
    assert rows[("t", "ru")].endswith("| 2 | 0.000 | 0.500 | 0.250 | 0 | — |")
    refusals = {
        tuple(c.strip() for c in line.split("|")[1:4]): line
        for line in refusal_type_table(results).splitlines()[2:]
    }
    # ru unanswerable: q5 (test), refused → 1 of 1, test 1 of 1
    assert refusals[("t", "ru", "no")].endswith("| 1 | 1.000 | not_covered 1 | 1 | 1.000 |")
    # kk unanswerable: q6 (dev), answered → no test questions
    assert refusals[("t", "kk", "no")].endswith("| 1 | 0.000 | — | 0 | — |")


def test_summary_follows_the_json_contract():
    s = summarize(RESULTS, "hybrid", "pairs.jsonl")
    assert set(s) == {"retriever", "pairs_file", "n_questions", "metrics", "abstention"}
    assert s["n_questions"] == 6
    assert set(s["metrics"]) == {"all", "kk", "ru"}
    for block in s["metrics"].values():
        assert set(block) == set(METRICS) | {"n"}
    assert s["metrics"]["kk"]["n"] == 2 and s["metrics"]["ru"]["n"] == 2
    assert set(s["abstention"]) == {"precision", "recall", "f1", "false_abstain_rate"}
    json.dumps(s)


def write(tmp_path, lines):
    path = tmp_path / "pairs.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


GOOD = '{"id": "kk-1", "lang": "kk", "question": "Адамды тасу деген не?", "paragraphs": ["6"], "answerable": true, "extra": 1}'


def test_valid_file_loads_and_ignores_unknown_keys(tmp_path):
    pairs = load_pairs(write(tmp_path, [GOOD, ""]), {"6"})
    assert pairs[0].paragraphs == ("6",) and pairs[0].split == ""


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("{not json", "not valid JSON"),
        (
            '{"id": "x", "lang": "kk", "question": "  ", "paragraphs": ["6"], "answerable": true}',
            "empty question",
        ),
        (
            '{"id": "x", "lang": "kk", "question": "q?", "paragraphs": ["99"], "answerable": true}',
            "unknown paragraph id '99'",
        ),
        (
            '{"id": "x", "lang": "en", "question": "q?", "paragraphs": ["6"], "answerable": true}',
            "lang must be",
        ),
        (
            '{"id": "x", "lang": "kk", "question": "q?", "paragraphs": [], "answerable": true}',
            "empty exactly when",
        ),
        ('{"id": "x", "lang": "kk", "question": "q?", "answerable": true}', "missing key 'paragraphs'"),
    ],
)
def test_bad_lines_are_named(tmp_path, line, message):
    path = write(tmp_path, [GOOD, line])
    with pytest.raises(PairsError) as err:
        load_pairs(path, {"6"})
    assert f"{path}:2" in str(err.value)
    assert message in str(err.value)


def test_duplicate_ids_and_empty_files_are_refused(tmp_path):
    with pytest.raises(PairsError, match="duplicate id"):
        load_pairs(write(tmp_path, [GOOD, GOOD]), {"6"})
    with pytest.raises(PairsError, match="no pairs"):
        load_pairs(write(tmp_path, [""]), {"6"})
