"""Build a model from labelled data: ``escalsignal train`` / ``python -m escalsignal.train``.

Deterministic: same data, patterns and seed give byte-identical artifacts (no timestamps in the manifest).
Steps: read data/ -> split by group (held-out never seen in fitting) -> add the speech-recogniser view of every
training line (lower case, no punctuation) so the model does not lean on cues speech lacks -> features through
the same ``analyze`` path the Detector uses -> fit -> choose thresholds on out-of-fold predictions -> measure on
the held-out split (as written and as ASR) -> save with a manifest.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

import numpy as np

from .corpus import Example, corpus_digest, data_files, iter_calls, iter_examples, label_matrix, split_of
from .types import SIGNALS

REPO = Path(__file__).resolve().parent.parent
DEFAULT_DATA = REPO / "data"
THRESHOLD_RANGE = (0.2, 0.7)


def featurize(nlp: Any, rules: Any, texts: list[str]) -> list[dict[str, float]]:
    from .features import analyze

    return [analyze(nlp, rules, t)[2] for t in texts]


def training_view(examples: list[Example]) -> tuple[list[str], np.ndarray, list[str], np.ndarray]:
    """Texts, labels, groups and a hand-written mask for fitting: every line plus its ASR view when that differs."""
    from .text import asr_view

    texts, labels, groups, hand = [], [], [], []
    for ex in examples:
        views = [ex.text]
        alt = asr_view(ex.text)
        if alt and alt != ex.text:
            views.append(alt)
        for v in views:
            texts.append(v)
            labels.append(ex.labels)
            groups.append(ex.group)
            hand.append(ex.origin == "hand")
    Y = np.array(labels, dtype=np.int64).reshape(len(texts), len(SIGNALS))
    return texts, Y, groups, np.array(hand, dtype=bool)


def choose_thresholds(Y: np.ndarray, P: np.ndarray) -> dict[str, float]:
    """Per signal, the F1-maximising threshold on out-of-fold probabilities, kept inside ``THRESHOLD_RANGE``."""
    out = {}
    grid = np.round(np.arange(THRESHOLD_RANGE[0], THRESHOLD_RANGE[1] + 1e-9, 0.01), 2)
    for j, sig in enumerate(SIGNALS):
        y = Y[:, j]
        best, best_t = -1.0, 0.5
        for t in grid:
            d = P[:, j] >= t
            tp = float((d & (y == 1)).sum())
            f1 = 2 * tp / max(d.sum() + y.sum(), 1)
            if f1 > best + 1e-12:
                best, best_t = f1, float(t)
        out[sig] = best_t
    return out


def signal_metrics(Y: np.ndarray, P: np.ndarray, thresholds: dict[str, float]) -> dict[str, dict[str, float]]:
    from sklearn.metrics import average_precision_score, f1_score, precision_score, recall_score, roc_auc_score

    out = {}
    for j, sig in enumerate(SIGNALS):
        y, p = Y[:, j], P[:, j]
        if len(set(y.tolist())) < 2:
            continue
        d = p >= thresholds[sig]
        out[sig] = {"n": int(len(y)), "pos": int(y.sum()), "auc": round(float(roc_auc_score(y, p)), 4),
                    "ap": round(float(average_precision_score(y, p)), 4),
                    "precision": round(float(precision_score(y, d, zero_division=0)), 4),
                    "recall": round(float(recall_score(y, d, zero_division=0)), 4),
                    "f1": round(float(f1_score(y, d, zero_division=0)), 4)}
    return out


def call_metrics(detector: Any, calls: list[dict[str, Any]]) -> dict[str, float]:
    from sklearn.metrics import roc_auc_score

    y, s, d, leads = [], [], [], []
    for call in calls:
        sess = detector.session(call_id=str(call.get("call_id", "")))
        first, best = None, 0.0
        for i, t in enumerate(call["turns"]):
            r = sess.add(t["text"], speaker=t["speaker"])
            best = max(best, r.score)
            if r.escalate and first is None:
                first = i
        y.append(int(call["labels"]["escalate"]))
        s.append(best)
        d.append(first is not None)
        due = call["labels"].get("escalate_turn")
        if due is not None and first is not None:
            leads.append(due - first)
    y_a, d_a = np.array(y), np.array(d)
    out = {"calls": len(y), "escalate_share": round(float(y_a.mean()), 4) if y else 0.0}
    if len(set(y)) == 2:
        tp = float((d_a & (y_a == 1)).sum())
        out.update({"auc": round(float(roc_auc_score(y_a, s)), 4),
                    "precision": round(tp / max(d_a.sum(), 1), 4), "recall": round(tp / max(y_a.sum(), 1), 4),
                    "false_alerts_per_100": round(100.0 * float((d_a & (y_a == 0)).sum()) / max((y_a == 0).sum(), 1), 2)})
    if leads:
        out["lead_turns_median"] = float(np.median(leads))
    return out


def out_of_fold(nlp: Any, rules: Any, texts: list[str], Y: np.ndarray, groups: list[str], C: float,
                seed: int, folds: int = 5) -> np.ndarray:
    from sklearn.model_selection import GroupKFold

    from .model import SignalModel

    X = featurize(nlp, rules, texts)
    P = np.zeros(Y.shape)
    for tr, te in GroupKFold(n_splits=folds).split(texts, Y[:, 0], groups):
        m = SignalModel(C=C, random_state=seed).fit([X[i] for i in tr], Y[tr])
        P[te] = m.predict_proba([X[i] for i in te])
    return P


def train(data: Path = DEFAULT_DATA, out: Path = REPO / "models", *, C: float = 0.5, seed: int = 0,
          extra_data: list[Path] | None = None, cv_thresholds: bool = True, log=print) -> dict[str, Any]:
    """Train, measure and save. Returns the manifest."""
    import sklearn
    import spacy

    from . import __version__
    from .detector import Detector, patterns_digest
    from .model import SignalModel
    from .policy import EscalationMatrix
    from .rules import PATTERN_DIR, RuleEngine
    from .text import asr_view, make_nlp

    files = data_files(Path(data)) + [f for d in (extra_data or []) for f in data_files(Path(d))]
    files = [f for f in files if f.suffix == ".jsonl"]
    if not files:
        raise SystemExit(f"no *.jsonl training files under {data}")
    examples = [e for e in iter_examples(files) if e.speaker == "customer"]
    train_ex = [e for e in examples if split_of(e.group) == "train"]
    held_ex = [e for e in examples if split_of(e.group) == "heldout"]
    log(f"examples: {len(examples)} customer lines from {len(files)} files; train {len(train_ex)}, held-out {len(held_ex)}")

    nlp = make_nlp()
    pattern_paths = sorted(PATTERN_DIR.glob("*.jsonl"))
    rules = RuleEngine(nlp, pattern_paths)
    texts, Y, groups, hand = training_view(train_ex)
    thresholds = {s: 0.5 for s in SIGNALS}
    if cv_thresholds:
        # Template lines are easier than real traffic; hand-written lines are the better guide to a threshold.
        log("choosing thresholds on out-of-fold predictions of hand-written lines ...")
        P = out_of_fold(nlp, rules, texts, Y, groups, C, seed)
        mask = hand if hand.sum() >= 200 else np.ones(len(texts), dtype=bool)
        thresholds = choose_thresholds(Y[mask], P[mask])
    log(f"fitting on {len(texts)} lines (with ASR views) ...")
    model = SignalModel(C=C, random_state=seed, thresholds=thresholds).fit(featurize(nlp, rules, texts), Y)

    metrics: dict[str, Any] = {}
    if held_ex:
        Yh = label_matrix(held_ex)
        metrics["heldout"] = signal_metrics(Yh, model.predict_proba(featurize(nlp, rules, [e.text for e in held_ex])), thresholds)
        metrics["heldout_asr"] = signal_metrics(
            Yh, model.predict_proba(featurize(nlp, rules, [asr_view(e.text) for e in held_ex])), thresholds)
        held_calls = [c for c in iter_calls(files) if split_of("call:" + str(c.get("call_id"))) == "heldout"]
        if held_calls:
            det = Detector(nlp, rules, model, EscalationMatrix.load(), {})
            metrics["heldout_calls"] = call_metrics(det, held_calls)
    origin = _origin_counts(files)
    extra = {
        "escalsignal_version": __version__,
        "spacy_version": spacy.__version__,
        "training": {"seed": seed, "C": C, "files": [f.name for f in files], "data_sha256": corpus_digest(files),
                     "examples": len(examples), "train_examples": len(train_ex), "heldout_examples": len(held_ex),
                     "fitted_lines_with_asr_views": len(texts), "origin_counts": origin},
        "patterns_sha256": patterns_digest(pattern_paths),
        "metrics": metrics,
    }
    manifest = model.save(Path(out), extra)
    log(json.dumps({"thresholds": manifest["thresholds"], "metrics": metrics}, indent=1))
    return manifest


def _origin_counts(files: list[Path]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for path in files:
        with path.open(encoding="utf-8") as fh:
            for line in fh:
                if line.strip():
                    o = json.loads(line).get("origin", "unknown")
                    counts[o] = counts.get(o, 0) + 1
    return counts


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="escalsignal train", description="Train a model from labelled JSONL data.")
    ap.add_argument("data", nargs="?", default=str(DEFAULT_DATA), help="file or directory of JSONL (default: data/)")
    ap.add_argument("-o", "--out", default=str(REPO / "models"), help="model directory to write (default: models/)")
    ap.add_argument("--base", choices=["none", "default"], default="none",
                    help="'default' also trains on the bundled data/ (for a team's own data)")
    ap.add_argument("--C", type=float, default=0.5, help="inverse regularisation strength")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--no-cv-thresholds", action="store_true", help="use 0.5 thresholds (faster)")
    a = ap.parse_args(argv)
    extra = [DEFAULT_DATA] if a.base == "default" and Path(a.data).resolve() != DEFAULT_DATA.resolve() else None
    train(Path(a.data), Path(a.out), C=a.C, seed=a.seed, extra_data=extra, cv_thresholds=not a.no_cv_thresholds,
          log=lambda m: print(m, file=sys.stderr))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
