"""Fitting the in-scope model (``zanqa.abstain.InScopeModel``): does the resolution
answer a question that no rule refused?

    zanqa tune --pairs eval/pairs.jsonl eval/realistic.jsonl --in-scope [--write]

Training rows, per question language: the dev questions (split != "test") of the
pairs files that the rules do not refuse, and the known out-of-scope questions of
zanqa/data/out_of_scope.json (each with its off-topic similarity computed without
itself, since the index holds it). Features: ``zanqa.abstain.IN_SCOPE_FEATURES`` of
the top paragraph, as the search computes them (``Engine.abstain_inputs``).

The model: scikit-learn's LogisticRegression on standardized features, C chosen by
5-fold cross-validation (log loss), calibrated with CalibratedClassifierCV (sigmoid,
5 folds); the composed logistic function is saved as numbers in tuned.json. The
threshold is chosen on cross-validated probabilities of the dev questions alone (rule
refusals counted as refusals): the best abstention F1 with at most ``MAX_FALSE_ABSTAIN`` of the
answerable questions refused, in each pairs file. Each question's probability is the mean over
``SEEDS`` shuffles of the folds: one shuffle's best threshold moved with the split (at commit
b6ed63d, Russian 0.19 with one shuffle, 0.30 with the mean of five). The threshold so chosen is
then applied to the probabilities of the model refitted on all training rows.
"""

from __future__ import annotations

import json
import sys
import warnings
from dataclasses import replace

import numpy as np
from tqdm import tqdm

from zanqa.abstain import (
    IN_SCOPE_FEATURES,
    AbstainInputs,
    InScopeModel,
    feature_matrix,
    in_scope_by_reference,
)
from zanqa.chunk import OUT_OF_SCOPE_PATH
from zanqa.errors import UsageError
from zanqa.experiments.metrics import refusal_scores
from zanqa.fusion import fuse

MAX_FALSE_ABSTAIN = 0.04  # below the 0.05 target, for the gap between dev and test
CS = np.logspace(-2, 2, 9)
FOLDS = 5
SEEDS = 5


def _inputs(engine, question: str, lang: str) -> tuple[AbstainInputs, bool]:
    """The top paragraph's evidence for ``question`` as the search builds it, and whether a rule refuses it."""
    query = engine.parse(question)
    tokens, stems = engine.search_words(query, lang)
    sig = engine.signals(query, lang, tokens=tokens)
    pos = int(np.argmax(fuse(sig, engine.fusion_for(lang))))
    ruled = engine.verdict(query, True).refused
    return engine.abstain_inputs(sig, pos, stems), ruled


def _leave_one_out_off_topic(engine, question: str, row: int) -> float:
    """The question's best cosine to the known out-of-scope questions other than itself (row ``row``)."""
    vector = engine.embedder.embed_queries([engine.parse(question).text])[0]
    scores = engine.index.out_of_scope @ vector
    scores[row] = -1.0
    return float(scores.max())


def _add(rows: dict[str, list], x: AbstainInputs, ruled: bool, answerable: int, source: str) -> None:
    (
        rows["x"].append(x),
        rows["y"].append(answerable),
        rows["source"].append(source),
        rows["ruled"].append(ruled),
    )


def collect(engine, pairs: dict[str, list]) -> dict[str, dict[str, list]]:
    """Per language: inputs, labels (1: answerable), source (the pairs file, or "anchor") and
    ruled flags; ``pairs``: the dev pairs of each pairs file."""
    rows: dict[str, dict[str, list]] = {
        lg: {"x": [], "y": [], "source": [], "ruled": []} for lg in ("kk", "ru")
    }
    listed = [(name, pair) for name, found in pairs.items() for pair in found]
    for name, pair in tqdm(
        listed, desc="in-scope: dev questions", file=sys.stderr, mininterval=2, disable=None
    ):
        _add(rows[pair.lang], *_inputs(engine, pair.question, pair.lang), int(pair.answerable), name)
    anchors = json.loads(OUT_OF_SCOPE_PATH.read_text(encoding="utf-8"))
    offset = 0
    for lang in ("kk", "ru"):  # the order the index stores them in (zanqa.index.build_index)
        for j, question in enumerate(tqdm(anchors.get(lang, []), desc=f"in-scope: anchors {lang}", file=sys.stderr,
                                          mininterval=2, disable=None)):  # fmt: skip
            x, ruled = _inputs(engine, question, lang)
            x = replace(x, off_topic=_leave_one_out_off_topic(engine, question, offset + j))
            _add(rows[lang], x, ruled, 0, "anchor")
        offset += len(anchors.get(lang, []))
    return rows


def _pipeline(c: float):
    from sklearn.calibration import CalibratedClassifierCV
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    return make_pipeline(
        StandardScaler(),
        CalibratedClassifierCV(
            LogisticRegression(C=c, max_iter=1000), method="sigmoid", cv=FOLDS, ensemble=False
        ),
    )


def _as_model(pipeline, threshold: float, embedder: str = "") -> InScopeModel:
    """The fitted pipeline as one logistic function of the standardized features."""
    scaler, calibrated = pipeline[0], pipeline[1]
    inner = calibrated.calibrated_classifiers_[0]
    lr, sigmoid = inner.estimator, inner.calibrators[0]
    # P = expit(-(a * (w·z + b) + c)) = expit((-a w)·z + (-a b - c))
    a, c = float(sigmoid.a_), float(sigmoid.b_)
    return InScopeModel(
        embedder=embedder,
        features=tuple(IN_SCOPE_FEATURES),
        mean=tuple(round(float(v), 6) for v in scaler.mean_),
        scale=tuple(round(float(v), 6) for v in scaler.scale_),
        coef=tuple(round(-a * float(w), 6) for w in lr.coef_[0]),
        intercept=round(-a * float(lr.intercept_[0]) - c, 6),
        threshold=round(float(threshold), 4),
    )


def _choose_threshold(
    p: np.ndarray, y: np.ndarray, ruled: np.ndarray, source: np.ndarray
) -> tuple[float, dict]:
    """The threshold of best abstention F1 with false-abstain ≤ MAX_FALSE_ABSTAIN in each
    pairs file (``source``) alike (rule refusals count)."""
    best = (-1.0, 0.0, {})
    unanswerable = y == 0
    files = [source == name for name in np.unique(source)]
    for t in np.unique(np.concatenate([[0.0], np.round(p, 4)])):
        refused = ruled | (p < t)
        if max(refusal_scores(refused[f], unanswerable[f])[1] for f in files) > MAX_FALSE_ABSTAIN:
            continue
        f1, false_abstain = refusal_scores(refused, unanswerable)
        if f1 > best[0]:
            stats = {"abstain_f1": round(f1, 4), "false_abstain_rate": round(false_abstain, 4)}
            best = (f1, float(t), stats)
    return best[1], best[2]


def _sklearn() -> None:
    try:
        import sklearn  # noqa: F401
    except ImportError:
        raise UsageError("fitting the in-scope model needs scikit-learn: pip install 'zanqa[tune]'") from None


def fit(rows: dict[str, list], embedder: str = "") -> tuple[InScopeModel, dict]:
    """The calibrated in-scope model of one language and its cross-validated dev metrics."""
    _sklearn()
    from sklearn.linear_model import LogisticRegressionCV
    from sklearn.metrics import brier_score_loss, log_loss
    from sklearn.model_selection import StratifiedKFold, cross_val_predict
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    x = np.vstack([feature_matrix(r) for r in rows["x"]])
    y = np.array(rows["y"])
    ruled = np.array(rows["ruled"], dtype=bool)
    source = np.array(rows["source"])
    dev = source != "anchor"
    # the model decides only what no rule refused, and a reference may put a question in scope whatever it says
    by_reference = np.array([bool(in_scope_by_reference(r)) for r in rows["x"]])
    train = ~ruled
    folds = StratifiedKFold(FOLDS, shuffle=True, random_state=0)
    search = make_pipeline(
        StandardScaler(), LogisticRegressionCV(Cs=CS, cv=folds, scoring="neg_log_loss", max_iter=1000)
    )
    with warnings.catch_warnings():  # scikit-learn 1.9 announces LogisticRegressionCV's new attributes
        warnings.simplefilter("ignore", FutureWarning)
        c = float(search.fit(x[train], y[train])[1].C_[0])
    p_train = np.mean(
        [
            cross_val_predict(
                _pipeline(c),
                x[train],
                y[train],
                cv=StratifiedKFold(FOLDS, shuffle=True, random_state=seed),
                method="predict_proba",
            )[:, 1]
            for seed in range(SEEDS)
        ],
        axis=0,
    )
    p = np.ones(len(y))  # ruled rows: refused whatever p says
    p[train] = p_train
    p[by_reference & ~ruled] = 1.0
    threshold, metrics = _choose_threshold(p[dev], y[dev], ruled[dev], source[dev])
    scored = dev & train
    metrics.update(
        C=c,
        n_dev=int(dev.sum()),
        n_anchors=int((~dev).sum()),
        cv_brier=round(float(brier_score_loss(y[scored], p[scored])), 4),
        cv_log_loss=round(float(log_loss(y[scored], p[scored], labels=[0, 1])), 4),
    )
    model = _as_model(_pipeline(c).fit(x[train], y[train]), threshold, embedder)
    return model, metrics


def tune_in_scope(engine, pairs: dict[str, list]) -> dict[str, tuple[InScopeModel, dict]]:
    """The in-scope model per language, fitted on ``pairs`` (each file's dev pairs) and the anchors."""
    _sklearn()
    return {lang: fit(rows, engine.embedder.model_id) for lang, rows in collect(engine, pairs).items()}
