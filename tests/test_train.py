"""escalsignal train: deterministic, loadable, and the shipped model is what data/ builds."""
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from escalsignal import Detector
from escalsignal.corpus import corpus_digest, data_files, split_of
from escalsignal.detector import default_model_dir
from escalsignal.types import SIGNALS

ROOT = Path(__file__).resolve().parent.parent


from conftest import train  # noqa: E402  (tests/ is on the path: pytest's rootdir conftest)


def test_training_is_deterministic(small_data, tmp_path):
    a = train(small_data, tmp_path / "a", "--no-cv-thresholds")
    b = train(small_data, tmp_path / "b", "--no-cv-thresholds")
    assert a["arrays_sha256"] == b["arrays_sha256"] and a["artifact_sha256"] == b["artifact_sha256"]
    assert (tmp_path / "a" / "manifest.json").read_bytes() == (tmp_path / "b" / "manifest.json").read_bytes()


def test_trained_model_loads_and_scores(small_data, tmp_path):
    manifest = train(small_data, tmp_path / "m", "--no-cv-thresholds")
    assert manifest["training"]["data_sha256"] == corpus_digest(data_files(small_data))
    assert set(manifest["metrics"]["heldout"]) >= {"frustration", "manager_request"}
    det = Detector.load(tmp_path / "m")
    assert det.score_text("I want to speak to a manager").signals["manager_request"].score > 0.5


def test_split_is_by_group_and_stable():
    assert split_of("call:hcall-001") == split_of("call:hcall-001")
    share = sum(split_of(f"g{i}") == "heldout" for i in range(5000)) / 5000
    assert 0.17 < share < 0.23


def test_cross_validation_folds_follow_each_group_not_the_other_groups():
    """Thresholds are chosen on out-of-fold predictions; a group's fold must not move when lines of other groups
    are added, or every corpus change reshuffles the folds and the thresholds with them."""
    from escalsignal.train import group_folds

    groups = [f"g{i // 3}" for i in range(300)]  # 100 groups of three lines
    folds = group_folds(groups, 5, seed=0, repeat=0)
    assert all(len(set(folds[k:k + 3])) == 1 for k in range(0, 300, 3))  # a group's lines share a fold
    assert set(folds.tolist()) == set(range(5))
    grown = group_folds(["new1", "new2"] + groups, 5, seed=0, repeat=0)
    assert grown[2:].tolist() == folds.tolist()
    assert group_folds(groups, 5, seed=0, repeat=1).tolist() != folds.tolist()  # another partition per repeat


def test_out_of_fold_predicts_every_line_when_no_group_hashes_to_some_fold(nlp, rules):
    from escalsignal.train import group_folds, out_of_fold

    names = [g for g in (f"g{i}" for i in range(200)) if group_folds([g], 5, seed=0, repeat=0)[0] != 0][:16]
    texts, Y, groups = [], [], []
    for k, g in enumerate(names):
        texts += [f"I want a manager now, this is the {k}th time I call and it is urgent",
                  f"thanks, order {k} arrived fine"]
        Y += [[1] * len(SIGNALS), [0] * len(SIGNALS)]
        groups += [g, g]
    P = out_of_fold(nlp, rules, texts, np.array(Y), groups, C=0.5, seed=0, repeats=1)  # fold 1 of 5 is empty
    assert P.shape == (32, len(SIGNALS)) and ((P > 0) & (P < 1)).all()
    assert (P[0::2] > P[1::2]).all()  # each line was predicted, by a model that never saw its group


def test_shipped_model_was_built_from_the_shipped_data():
    manifest = json.loads((default_model_dir() / "manifest.json").read_text())
    assert manifest["training"]["data_sha256"] == corpus_digest(data_files(ROOT / "data"))
    assert manifest["training"]["seed"] == 0


# --- a team's own data -------------------------------------------------------------------------------------
PARTLY_LABELLED = ("churn_threat", "legal_threat")


@pytest.fixture(scope="module")
def team_model(small_data, tmp_path_factory):
    """A team's data in the project's format, with churn and legal labels left out (unlabelled) on odd lines;
    trained with cross-validation, as a team would."""
    folder = tmp_path_factory.mktemp("team")
    for path in sorted(small_data.glob("*.jsonl")):
        records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
        for i, rec in enumerate(records):
            if i % 2:
                for s in PARTLY_LABELLED:
                    rec["labels"].pop(s)
        (folder / path.name).write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    out = tmp_path_factory.mktemp("team_model")
    return folder, out, train(folder, out)


def test_team_model_round_trip_train_load_score_evaluate(team_model, capsys):
    from escalsignal.evaluate import main_evaluate

    data, model_dir, manifest = team_model
    det = Detector.load(model_dir)
    assert det.score_text("I want to speak to a manager").signals["manager_request"].score > 0.5
    assert det.score_text("Thanks, have a nice day").signals["manager_request"].score < 0.5
    assert main_evaluate([str(data), "--model", str(model_dir)]) == 0
    assert "manager_request" in capsys.readouterr().out


def test_manifest_holds_cross_validated_figures_of_the_labelled_lines(team_model):
    _, _, manifest = team_model
    cv, labelled = manifest["metrics"]["cv"], manifest["training"]["labelled_lines"]
    assert set(cv) == set(SIGNALS)
    for figures in cv.values():
        assert {"n", "pos", "precision", "recall", "f1", "auc", "ap"} <= set(figures)
        assert 0.5 < figures["auc"] <= 1
    # Lines without a churn or legal label are left out of those signals' figures, not counted as 0.
    for s in PARTLY_LABELLED:
        assert labelled[s] < labelled["frustration"] and cv[s]["n"] < cv["frustration"]["n"]
    assert manifest["training"]["base_files"] == 0


def test_a_signal_nobody_labelled_is_refused_unless_the_bundled_data_is_added(tmp_path):
    lines = [{"text": f"line {i} is {'awful' if i % 2 else 'fine'}", "labels": {"frustration": i % 2}} for i in range(40)]
    (tmp_path / "team.jsonl").write_text("".join(json.dumps(r) + "\n" for r in lines), encoding="utf-8")
    run = subprocess.run([sys.executable, "-m", "escalsignal", "train", str(tmp_path / "team.jsonl"),
                          "-o", str(tmp_path / "m")], capture_output=True, text=True)
    assert run.returncode != 0 and not (tmp_path / "m").exists()
    assert "repeat_contact has 0 lines labelled 1" in run.stderr and "--base default" in run.stderr


def toy(n=300, seed=0):
    rng = np.random.RandomState(seed)
    words = ["manager", "refund", "again", "urgent", "hello", "angry", "cancel", "lawyer", "card", "thanks"]
    X, Y = [], []
    for _ in range(n):
        w = set(rng.choice(words, size=3))
        X.append({f"w={x}": 1.0 for x in w})
        Y.append([int(k in w) for k in ("angry", "again", "manager", "urgent", "cancel", "lawyer")])
    return X, np.array(Y)


def test_unlabelled_lines_are_not_fitted_as_negatives():
    from escalsignal.train import fit_model

    X, Y = toy()
    M = np.ones(Y.shape, dtype=bool)
    j = SIGNALS.index("manager_request")
    hidden = [i for i in range(len(X)) if Y[i, j] and i % 3]  # two thirds of the manager lines lose their label
    Y0 = Y.copy()
    Y0[hidden, j] = 0
    M[hidden, j] = False
    masked = fit_model(X, Y0, M, C=1.0, seed=0).score({"w=manager": 1.0})[j]
    as_zero = fit_model(X, Y0, None, C=1.0, seed=0).score({"w=manager": 1.0})[j]
    assert masked > 0.8 and as_zero < masked - 0.2


def test_fully_labelled_data_takes_the_plain_fitting_path():
    from escalsignal.model import SignalModel
    from escalsignal.train import choose_thresholds, fit_model

    X, Y = toy(200, seed=1)
    a = fit_model(X, Y, np.ones(Y.shape, dtype=bool), C=0.5, seed=0)
    b = SignalModel(C=0.5, random_state=0).fit(X, Y)
    np.testing.assert_array_equal(a.coef_, b.coef_)
    P = b.predict_proba(X)
    assert choose_thresholds(Y, P) == choose_thresholds(Y, P, np.ones(Y.shape, dtype=bool))


def test_a_model_trained_with_own_patterns_loads_only_with_them(custom_patterns_model):
    from escalsignal import ModelIntegrityError

    model, patterns, manifest = custom_patterns_model
    assert "acme.jsonl" in manifest["patterns_sha256"]
    det = Detector.load(model, patterns=patterns)
    ev = det.score_text("just put the boss on").signals["manager_request"].evidence
    assert [e.rule_id for e in ev] == ["acme.boss_please"]
    with pytest.raises(ModelIntegrityError, match="other pattern files"):
        Detector.load(model)  # the bundled files alone: the rule features would mean something else


def test_score_takes_the_same_pattern_files(custom_patterns_model, tmp_path):
    model, patterns, _ = custom_patterns_model
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps({"call_id": "c1", "speaker": "customer", "text": "put the boss on now"}) + "\n")
    args = [a for p in patterns for a in ("--patterns", str(p))]
    proc = subprocess.run([sys.executable, "-m", "escalsignal", "score", str(src), "--model", str(model), *args],
                          capture_output=True, text=True, check=True, cwd=ROOT)
    rec = json.loads(proc.stdout)
    assert [e["rule_id"] for e in rec["signals"]["manager_request"]["evidence"]] == ["acme.boss_please"]
