import json

import numpy as np
import pytest

from escalsignal.errors import ModelIntegrityError
from escalsignal.features import ngram_scale
from escalsignal.model import ARRAYS, ARTIFACT, MANIFEST, UNMATCHED_PENALTY, SignalModel
from escalsignal.types import SIGNALS

RNG = np.random.RandomState(0)
WORDS = ["manager", "refund", "again", "urgent", "hello", "angry", "cancel", "lawyer", "card", "thanks"]


def toy_data(n=240):
    X, Y = [], []
    for i in range(n):
        words = set(RNG.choice(WORDS, size=3))
        X.append({f"w={w}": 1.0 for w in words} | {"caps_ratio": float(RNG.rand())})
        Y.append([int("angry" in words), int("again" in words), int("manager" in words), int("urgent" in words),
                  int("cancel" in words), int("lawyer" in words)])
    return X, np.array(Y)


@pytest.fixture(scope="module")
def fitted():
    X, Y = toy_data()
    return SignalModel(C=1.0, cv=3).fit(X, Y), X


def test_fast_path_equals_the_scikit_learn_path(fitted):
    model, X = fitted
    fast = np.array([model.score(x) for x in X[:50]])
    np.testing.assert_allclose(fast, model.predict_proba(X[:50]), atol=1e-9)


def test_unknown_features_are_ignored_and_scores_are_probabilities(fitted):
    model, _ = fitted
    p = model.score({"w=never-seen": 1.0})
    assert p.shape == (len(SIGNALS),) and np.all((p > 0) & (p < 1))


@pytest.mark.parametrize("rule_sum, penalised", [(None, True), (-0.25, True), (0.0, True), (0.4, False)])
def test_a_manager_request_no_rule_matched_loses_its_penalty_in_log_odds(fitted, rule_sum, penalised):
    # The toy model never saw "sig=" features, so they leave the linear log-odds alone: only the penalty moves.
    model, _ = fitted
    feats = {"w=manager": 1.0, "w=hello": 1.0}
    if rule_sum is not None:
        feats["sig=manager_request"] = rule_sum
    z = model.decision(feats)[0]
    plain = model.probability_list(z)
    p = model.score(feats)
    logit = lambda q: np.log(q / (1 - q))  # noqa: E731
    mgr = SIGNALS.index("manager_request")
    expected = -UNMATCHED_PENALTY if penalised else 0.0
    assert logit(p[mgr]) - logit(plain[mgr]) == pytest.approx(expected)
    others = [j for j in range(len(SIGNALS)) if j != mgr]
    np.testing.assert_allclose(p[others], np.array(plain)[others])


def test_the_scikit_learn_path_applies_the_same_penalty(fitted):
    model, X = fitted
    X = [dict(x, **{"sig=manager_request": 0.5}) if i % 2 else x for i, x in enumerate(X[:40])]
    fast = np.array([model.score(x) for x in X])
    np.testing.assert_allclose(fast, model.predict_proba(X), atol=1e-9)
    assert model.unmatched_penalty == {"manager_request": UNMATCHED_PENALTY}


def test_explain_names_the_features_that_raised_a_score(fitted):
    model, _ = fitted
    z, rows, vals, scale = model.decision({"w=manager": 1.0, "w=hello": 1.0})
    names = [n for n, _ in model.explain(rows, vals, SIGNALS.index("manager_request"), scale=scale)]
    assert names[0] == "w=manager"


def _ngram_log_odds(model, feats):
    z = model.decision(feats)[0]
    return z - model.intercept_ - model.coef_[model.vocabulary_["caps_ratio"]] * feats["caps_ratio"]


def test_only_frustration_words_are_length_normalised(fitted):
    # 2 known words, then the same 2 among 30 words the model never saw: frustration's word evidence shrinks by
    # (32 / 2) ** -0.25 = 0.5, a manager request's stays whole (one phrase counts the same in a long turn).
    model, _ = fitted
    short = {"w=angry": 1.0, "w=manager": 1.0, "caps_ratio": 0.5}
    long = short | {f"w=unseen{i}": 1.0 for i in range(30)}
    assert ngram_scale(long) / ngram_scale(short) == pytest.approx(0.5)
    zs, zl = _ngram_log_odds(model, short), _ngram_log_odds(model, long)
    fru, mgr = SIGNALS.index("frustration"), SIGNALS.index("manager_request")
    assert zs[fru] > 1.0 and zl[fru] == pytest.approx(0.5 * zs[fru])
    assert zs[mgr] > 1.0 and zl[mgr] == pytest.approx(zs[mgr])


@pytest.mark.parametrize("feats", [
    {},
    {"w=angry": 1.0},
    {"w=angry": 1.0, "b=<s>_angry": 1.0, "r=fru.x": 1.0, "x=frustration:negation": 1.0, "caps_ratio": 0.3},
    {f"w=unseen{i}": 1.0 for i in range(40)} | {"sig=urgency": 0.5, "tag=travel": 1.0, "wb": 1.0, "w": 1.0},
])
def test_serving_counts_ngrams_as_training_does(fitted, feats):
    model, _ = fitted
    assert model.decision(feats)[3] == ngram_scale(feats)


def test_explanations_show_the_length_normalised_contribution(fitted):
    model, _ = fitted
    short = {"w=angry": 1.0, "w=manager": 1.0}
    long = short | {f"w=unseen{i}": 1.0 for i in range(30)}

    def contribution(feats, signal, name):
        z, rows, vals, scale = model.decision(feats)
        return dict(model.explain(rows, vals, SIGNALS.index(signal), scale=scale))[name]

    assert contribution(long, "frustration", "w=angry") == pytest.approx(
        0.5 * contribution(short, "frustration", "w=angry"), abs=1e-4)
    assert contribution(long, "manager_request", "w=manager") == contribution(short, "manager_request", "w=manager")


@pytest.mark.parametrize("estimators", [False, True])
def test_save_load_round_trip(fitted, tmp_path, estimators):
    model, X = fitted
    model.thresholds = {s: 0.4 for s in SIGNALS}
    model.save(tmp_path, {"note": "toy"})
    loaded, manifest = SignalModel.load(tmp_path, estimators=estimators)
    assert manifest["note"] == "toy" and manifest["thresholds"]["urgency"] == 0.4
    assert loaded.normalized == ("frustration",) and manifest["length_normalized"] == ["frustration"]
    assert loaded.unmatched_penalty == pytest.approx({"manager_request": UNMATCHED_PENALTY})
    assert manifest["unmatched_penalty"] == {"manager_request": round(UNMATCHED_PENALTY, 4)}
    for x in X[:20]:
        np.testing.assert_allclose(loaded.score(x), model.score(x))


def test_default_load_reads_no_pickle_and_imports_no_sklearn(fitted, tmp_path):
    import subprocess
    import sys

    model, _ = fitted
    model.save(tmp_path, {})
    code = (f"import sys; from escalsignal.model import SignalModel; SignalModel.load({str(tmp_path)!r}); "
            "print('sklearn' in sys.modules, 'joblib' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False", "False"]


def test_arrays_saved_before_length_normalisation_load_as_not_normalised_nor_penalised(fitted, tmp_path):
    import hashlib

    model, X = fitted
    model.save(tmp_path, {})
    with np.load(tmp_path / ARRAYS) as data:
        old = {k: data[k] for k in data.files if k not in ("normalized", "unmatched_penalty")}
    with (tmp_path / ARRAYS).open("wb") as fh:
        np.savez_compressed(fh, **old)
    manifest = json.loads((tmp_path / MANIFEST).read_text())
    manifest["arrays_sha256"] = hashlib.sha256((tmp_path / ARRAYS).read_bytes()).hexdigest()
    (tmp_path / MANIFEST).write_text(json.dumps(manifest))
    loaded, _ = SignalModel.load(tmp_path)
    assert loaded.normalized == () and loaded.unmatched_penalty == {}
    feats = X[0]
    raw = (np.array([feats.get(n, 0.0) for n in model.feature_names_]) @ model.coef_) + model.intercept_
    np.testing.assert_allclose(loaded.decision(feats)[0], raw)
    np.testing.assert_allclose(loaded.score(feats), loaded.probability_list(raw.tolist()))


def test_a_negative_penalty_in_the_arrays_is_refused(fitted, tmp_path):
    import hashlib

    model, _ = fitted
    model.save(tmp_path, {})
    with np.load(tmp_path / ARRAYS) as data:
        arrays = {k: data[k] for k in data.files}
    arrays["unmatched_penalty"] = -arrays["unmatched_penalty"]
    with (tmp_path / ARRAYS).open("wb") as fh:
        np.savez_compressed(fh, **arrays)
    manifest = json.loads((tmp_path / MANIFEST).read_text())
    manifest["arrays_sha256"] = hashlib.sha256((tmp_path / ARRAYS).read_bytes()).hexdigest()
    (tmp_path / MANIFEST).write_text(json.dumps(manifest))
    with pytest.raises(ModelIntegrityError, match="unmatched_penalty"):
        SignalModel.load(tmp_path)


def test_saving_twice_gives_identical_bytes(fitted, tmp_path):
    model, _ = fitted
    model.save(tmp_path / "a", {})
    model.save(tmp_path / "b", {})
    for name in (ARTIFACT, ARRAYS, MANIFEST):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()


def test_tampered_arrays_are_refused(fitted, tmp_path):
    model, _ = fitted
    model.save(tmp_path, {})
    arr = tmp_path / ARRAYS
    arr.write_bytes(arr.read_bytes()[:-10])
    with pytest.raises(ModelIntegrityError, match="sha256"):
        SignalModel.load(tmp_path)


@pytest.mark.parametrize("damage", ["flip", "truncate", "replace"])
def test_tampered_model_is_refused_before_unpickling(fitted, tmp_path, damage, monkeypatch):
    model, _ = fitted
    model.save(tmp_path, {})
    art = tmp_path / ARTIFACT
    data = art.read_bytes()
    if damage == "flip":
        art.write_bytes(data[:100] + bytes([data[100] ^ 1]) + data[101:])
    elif damage == "truncate":
        art.write_bytes(data[: len(data) // 2])
    else:
        import pickle

        art.write_bytes(pickle.dumps({"evil": True}))
    import joblib

    def no_unpickle(*a, **k):
        raise AssertionError("joblib.load must not be reached")

    monkeypatch.setattr(joblib, "load", no_unpickle)
    with pytest.raises(ModelIntegrityError, match="sha256"):
        SignalModel.load(tmp_path, estimators=True)


@pytest.mark.parametrize("edit, message", [
    (lambda m: m.update(format_version=99), "format 99"),
    (lambda m: m.pop("artifact_sha256"), "lacks 'artifact_sha256'"),
    (lambda m: m.update(arrays="../elsewhere.npz"), "plain file name"),
    (lambda m: m.update(signals=["frustration"]), "signals"),
])
def test_bad_manifest_is_refused(fitted, tmp_path, edit, message):
    model, _ = fitted
    model.save(tmp_path, {})
    manifest = json.loads((tmp_path / MANIFEST).read_text())
    edit(manifest)
    (tmp_path / MANIFEST).write_text(json.dumps(manifest))
    with pytest.raises(ModelIntegrityError, match=message):
        SignalModel.load(tmp_path)


def test_missing_manifest_is_refused(tmp_path):
    with pytest.raises(ModelIntegrityError, match="no manifest"):
        SignalModel.load(tmp_path)
