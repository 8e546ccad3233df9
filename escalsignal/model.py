"""The classifier: scikit-learn estimators for training and safe saving, compiled arrays for serving.

Training uses ``DictVectorizer`` + one ``CalibratedClassifierCV(LogisticRegression, method="sigmoid")`` per
signal. For frustration the word and bigram features are divided by a root of their number
(``features.ngram_scale``): tone spreads over a whole turn, and a long calm turn is no angrier for having more
words, while a request for a manager or a mention of an earlier call is one phrase that counts the same in a long
turn (normalising those signals too cost up to 0.04 AUC and F1 on the public sets that measure them).

A manager request is by definition said outright, so the model does not believe its words alone: without a net
positive rule match for the signal (no ``sig=manager_request`` feature above 0) its calibrated log-odds drop by
``UNMATCHED_PENALTY`` (``unmatched_penalty``, saved with the model). Fitted on our lines, the word "human" or
"agent" was worth +2 log-odds because our requests say them, and real turns say them in stories and praise.

scikit-learn's per-call overhead (~0.5 ms) is too much for one utterance in a live call, so after fitting (or
loading) the linear models are compiled to a weight matrix [n_features, n_signals + n_normalised] (the normalised
signals' n-gram weights in columns of their own), an intercept and Platt coefficients; ``score`` is a dictionary
lookup per feature and one small numpy product. ``predict_proba`` keeps
the scikit-learn path for batch use and tests check both give the same numbers.

A saved model is three files: ``model.npz`` (the compiled arrays and feature names, read with
``allow_pickle=False``: loading it runs no code), ``model.joblib`` (the fitted scikit-learn estimators, for the
scikit-learn path and for inspection) and ``manifest.json`` with both files' sha256. Serving loads only the npz,
so the default Detector never unpickles anything and never imports scikit-learn. joblib files are pickles, and
unpickling runs code: ``load(..., estimators=True)`` checks the sha256 against the manifest *before* unpickling
and refuses a mismatch; only load models whose manifest you trust.
"""
from __future__ import annotations

import hashlib
import json
import math
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Sequence

import numpy as np

from .errors import ModelIntegrityError
from .features import LENGTH_NORM_POWER, NGRAM_PREFIXES, is_ngram, ngram_scale
from .types import SIGNALS

FORMAT_VERSION = 1
#: Log-odds an explicit signal loses when no rule matched it (ln 4: odds divided by 4). Chosen by applying
#: penalties 0 / ln 2 / ln 4 / ln 8 to the scores of the model of 9da9e6b at its thresholds: manager F1 on the
#: public hand-labelled real turns 0.800 / 0.829 / 0.844 / 0.841, on the public contact-a-human requests
#: 0.906 / 0.935 / 0.935 / 0.935, on our held-out lines 0.928 / 0.928 / 0.927 / 0.923. Halving the probability
#: of unmatched repeat contact or urgency, whose cues are often implicit ("the engineer never showed", "my card is
#: gone"), cost F1 on our held-out lines (0.006, 0.010) and on the real turns (0.004, 0.020), though the banking
#: requests' urgency F1 rose 0.62 -> 0.65.
UNMATCHED_PENALTY = math.log(4.0)
ARTIFACT = "model.joblib"
ARRAYS = "model.npz"
MANIFEST = "manifest.json"


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with Path(path).open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


@dataclass
class SignalModel:
    """Per-signal calibrated linear models over named features (scikit-learn estimator conventions)."""

    signals: tuple[str, ...] = SIGNALS
    C: float = 1.0
    cv: int = 5
    random_state: int = 0
    thresholds: dict[str, float] = field(default_factory=dict)
    #: Signals whose word and bigram features are length-normalised (see the module docstring).
    normalized: tuple[str, ...] = ("frustration",)
    #: Signals said outright, and the log-odds each loses without a rule match (see the module docstring).
    unmatched_penalty: dict[str, float] = field(default_factory=lambda: {"manager_request": UNMATCHED_PENALTY})
    # Fitted state (trailing underscore, as in scikit-learn).
    vectorizer_: Any = None
    estimators_: dict[str, Any] = field(default_factory=dict)
    vocabulary_: dict[str, int] = field(default_factory=dict)
    coef_: np.ndarray = field(default_factory=lambda: np.zeros((0, 0)))
    intercept_: np.ndarray = field(default_factory=lambda: np.zeros(0))
    calib_: np.ndarray = field(default_factory=lambda: np.zeros((0, 2)))
    feature_names_: tuple[str, ...] = ()

    # --- training -------------------------------------------------------------------------------------------
    def fit(self, X: Sequence[dict[str, float]], Y: np.ndarray, M: np.ndarray | None = None) -> "SignalModel":
        """``M`` (same shape as ``Y``, optional) marks which lines are labelled for which signal; each signal is
        fitted on its labelled lines only."""
        from sklearn.calibration import CalibratedClassifierCV
        from sklearn.feature_extraction import DictVectorizer
        from sklearn.linear_model import LogisticRegression

        Y = np.asarray(Y)
        if Y.shape != (len(X), len(self.signals)):
            raise ValueError(f"Y must have shape ({len(X)}, {len(self.signals)}), got {Y.shape}")
        for name, given in (("normalized", self.normalized), ("unmatched_penalty", self.unmatched_penalty)):
            unknown = set(given) - set(self.signals)
            if unknown:
                raise ValueError(f"{name} names unknown signals: {sorted(unknown)}")
        self.vectorizer_ = DictVectorizer(dtype=np.float64, sort=True)
        Xm = _int32(self.vectorizer_.fit_transform(X))
        Xn = self._normalize(Xm, X) if self.normalized else Xm
        self.estimators_ = {}
        for j, sig in enumerate(self.signals):
            Xs = Xn if sig in self.normalized else Xm
            rows = slice(None) if M is None or M[:, j].all() else np.flatnonzero(M[:, j])
            base = LogisticRegression(C=self.C, solver="liblinear", max_iter=2000, random_state=self.random_state)
            est = CalibratedClassifierCV(base, method="sigmoid", cv=self.cv, ensemble=False)
            self.estimators_[sig] = est.fit(Xs[rows], Y[rows, j])
        self.compile()
        return self

    def _normalize(self, Xm: Any, X: Sequence[dict[str, float]]) -> Any:
        """``Xm`` with each row's word and bigram columns divided by ``ngram_scale`` of that row's features."""
        names = self.vectorizer_.get_feature_names_out()
        ngram = np.array([is_ngram(str(n)) for n in names])
        scale = np.array([ngram_scale(x) for x in X])
        out = Xm.tocsr(copy=True)
        out.data *= np.where(ngram[out.indices], np.repeat(scale, np.diff(out.indptr)), 1.0)
        return out

    def compile(self) -> "SignalModel":
        """Fold the fitted estimators into arrays for the per-utterance fast path."""
        names = self.vectorizer_.get_feature_names_out()
        self.feature_names_ = tuple(str(n) for n in names)
        self.vocabulary_ = {n: i for i, n in enumerate(self.feature_names_)}
        coef = np.zeros((len(names), len(self.signals)))
        intercept = np.zeros(len(self.signals))
        calib = np.zeros((len(self.signals), 2))
        for j, sig in enumerate(self.signals):
            cc = self.estimators_[sig].calibrated_classifiers_[0]
            lr, cal = cc.estimator, cc.calibrators[0]
            coef[:, j] = lr.coef_[0]
            intercept[j] = lr.intercept_[0]
            calib[j] = (cal.a_, cal.b_)
        self.coef_, self.intercept_, self.calib_ = coef, intercept, calib
        self._compile_serving()
        return self

    def _compile_serving(self) -> None:
        """``serving_`` = [coef with the normalised signals' n-gram weights zeroed | those weights]: one row lookup
        and one product give both parts of every signal's log-odds (see ``decision``)."""
        self.ngram_ = np.array([is_ngram(n) for n in self.feature_names_], dtype=bool)
        self._normalized = [j for j, s in enumerate(self.signals) if s in self.normalized]
        norm = self._normalized
        scaled = np.where(self.ngram_[:, None], self.coef_[:, norm], 0.0)
        whole = self.coef_.copy()
        whole[:, norm] -= scaled
        self.serving_ = np.ascontiguousarray(np.hstack([whole, scaled]))
        self._intercept, self._calib = self.intercept_.tolist(), self.calib_.tolist()
        self._penalties = [(j, "sig=" + s, float(self.unmatched_penalty[s]))
                           for j, s in enumerate(self.signals) if self.unmatched_penalty.get(s)]

    def unmatched(self, feats: dict[str, float]) -> list[tuple[int, float]]:
        """(signal index, log-odds to take off) for each explicit signal no rule matched in ``feats``."""
        return [(j, penalty) for j, key, penalty in self._penalties if feats.get(key, 0.0) <= 0.0]

    def predict_proba(self, X: Sequence[dict[str, float]]) -> np.ndarray:
        """scikit-learn path: [n_samples, n_signals] calibrated probabilities."""
        Xm = _int32(self.vectorizer_.transform(X))
        Xn = self._normalize(Xm, X) if self.normalized else Xm
        P = np.column_stack([self.estimators_[s].predict_proba(Xn if s in self.normalized else Xm)[:, 1]
                             for s in self.signals])
        if self._penalties:
            # Platt: p = 1 / (1 + exp(a z + b)); adding the penalty to the exponent multiplies (1 - p) / p by e^penalty.
            D = np.zeros_like(P)
            for i, x in enumerate(X):
                for j, penalty in self.unmatched(x):
                    D[i, j] = penalty
            P = P / (P + (1.0 - P) * np.exp(D))
        return P

    # --- serving --------------------------------------------------------------------------------------------
    def decision(self, feats: dict[str, float]) -> tuple[list[float], list[int], list[float], float]:
        """(log-odds per signal, rows of the known features, their values, the n-gram scale of the normalised
        signals): the inputs of ``score``/``explain``. Lists, not arrays: a turn has a few dozen features, and
        numpy's per-call cost is most of the time at that size (one ``take`` and one ``dot`` remain)."""
        rows = list(map(self.vocabulary_.get, feats))
        vals = list(feats.values())
        if None in rows:  # features the model never saw in training
            keep = [k for k, i in enumerate(rows) if i is not None]
            rows = [rows[k] for k in keep]
            vals = [vals[k] for k in keep]
        prefixes = NGRAM_PREFIXES
        # Every word and bigram, known or not: ``features.ngram_scale`` inlined, as training counts them.
        n_grams = len([1 for name in feats if name[:2] in prefixes])
        scale = n_grams ** -LENGTH_NORM_POWER if n_grams > 1 else 1.0
        if not rows:
            return self.intercept_.tolist(), rows, vals, scale
        u = np.dot(vals, self.serving_.take(rows, axis=0)).tolist()  # a dozen numbers: Python arithmetic from here
        z = [a + b for a, b in zip(u, self._intercept)]
        for k, j in enumerate(self._normalized, len(z)):
            z[j] += scale * u[k]
        return z, rows, vals, scale

    def probability_list(self, z: Sequence[float], feats: dict[str, float] | None = None) -> list[float]:
        """Platt-calibrated probabilities of one utterance's log-odds, as Python floats: six scalar exps cost
        less than numpy's calls. With ``feats``, explicit signals no rule matched lose their penalty."""
        exp = math.exp
        x = [a * zj + b for (a, b), zj in zip(self._calib, z)]
        if feats is not None:
            for j, penalty in self.unmatched(feats):
                x[j] += penalty
        return [1.0 / (1.0 + exp(min(max(v, -500.0), 500.0))) for v in x]

    def score(self, feats: dict[str, float]) -> np.ndarray:
        return np.array(self.probability_list(self.decision(feats)[0], feats))

    def explain(self, rows: Sequence[int], vals: Sequence[float], j: int, k: int = 4,
                scale: float = 1.0) -> tuple[tuple[str, float], ...]:
        """The ``k`` features that raised signal ``j``'s log-odds most (value x weight, n-grams x ``scale`` for a
        normalised signal); ties keep feature order. ``rows`` and ``vals`` as ``decision`` returns them."""
        if not len(rows):
            return ()
        ia = np.asarray(rows, dtype=np.intp)
        weights = self.coef_[ia, j]
        if scale != 1.0 and j in self._normalized:
            weights = np.where(self.ngram_[ia], weights * scale, weights)
        contrib = (np.asarray(vals, dtype=np.float64) * weights).tolist()
        top = sorted(range(len(contrib)), key=contrib.__getitem__, reverse=True)[:k]
        names = self.feature_names_
        return tuple((names[rows[o]], round(contrib[o], 4)) for o in top if contrib[o] > 0)

    # --- persistence ----------------------------------------------------------------------------------------
    def save(self, directory: Path, manifest_extra: dict[str, Any]) -> dict[str, Any]:
        """Write the arrays, the joblib estimators and a manifest holding both sha256; returns the manifest."""
        import joblib
        import sklearn

        directory = Path(directory)
        directory.mkdir(parents=True, exist_ok=True)
        state = {"signals": list(self.signals), "C": self.C, "cv": self.cv, "random_state": self.random_state,
                 "normalized": list(self.normalized), "unmatched_penalty": dict(self.unmatched_penalty),
                 "vectorizer": self.vectorizer_, "estimators": self.estimators_}
        path = directory / ARTIFACT
        joblib.dump(state, path, compress=3)
        arrays = directory / ARRAYS
        with arrays.open("wb") as fh:  # np.savez_compressed on a handle: no zip timestamps from the file name
            np.savez_compressed(fh, coef=self.coef_, intercept=self.intercept_, calib=self.calib_,
                                feature_names=np.array(self.feature_names_, dtype=str),
                                normalized=np.array([s in self.normalized for s in self.signals], dtype=bool),
                                unmatched_penalty=np.array([float(self.unmatched_penalty.get(s, 0.0))
                                                            for s in self.signals]))
        manifest = {
            "format_version": FORMAT_VERSION,
            "artifact": ARTIFACT,
            "artifact_sha256": sha256_file(path),
            "arrays": ARRAYS,
            "arrays_sha256": sha256_file(arrays),
            "sklearn_version": sklearn.__version__,
            "numpy_version": np.__version__,
            "signals": list(self.signals),
            "thresholds": {s: round(float(self.thresholds.get(s, 0.5)), 4) for s in self.signals},
            "n_features": len(self.feature_names_),
            "length_normalized": [s for s in self.signals if s in self.normalized],
            "unmatched_penalty": {s: round(float(v), 4) for s, v in sorted(self.unmatched_penalty.items())},
            **manifest_extra,
        }
        (directory / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n", encoding="utf-8")
        return manifest

    @classmethod
    def load(cls, directory: Path, *, estimators: bool = False) -> tuple["SignalModel", dict[str, Any]]:
        """Verify, then load the arrays (no pickle). ``estimators=True`` also unpickles the scikit-learn objects.

        Raises ``ModelIntegrityError`` before reading any file whose sha256 differs from the manifest.
        """
        directory = Path(directory)
        manifest = read_manifest(directory)
        if estimators:
            path = _verified(directory, manifest, "artifact")
            import joblib

            state = joblib.load(path)
            model = cls(signals=tuple(state["signals"]), C=state["C"], cv=state["cv"],
                        random_state=state["random_state"], thresholds=dict(manifest["thresholds"]),
                        normalized=tuple(state.get("normalized", ())),
                        unmatched_penalty=dict(state.get("unmatched_penalty", {})))
            model.vectorizer_, model.estimators_ = state["vectorizer"], state["estimators"]
            return model.compile(), manifest
        path = _verified(directory, manifest, "arrays")
        try:
            with np.load(path, allow_pickle=False) as data:
                coef, intercept, calib = data["coef"], data["intercept"], data["calib"]
                names = tuple(str(n) for n in data["feature_names"])
                # Models saved before length normalisation have no such array: none of their signals is normalised.
                normalized = data["normalized"] if "normalized" in data.files else np.zeros(len(intercept), bool)
                # Nor before the unmatched penalty: no signal loses log-odds for want of a rule.
                penalty = data["unmatched_penalty"] if "unmatched_penalty" in data.files else np.zeros(len(intercept))
        except (ValueError, KeyError, OSError, EOFError, zipfile.BadZipFile) as exc:
            raise ModelIntegrityError(f"{path}: unreadable model arrays ({exc})") from None
        for name, arr in (("coef", coef), ("intercept", intercept), ("calib", calib), ("unmatched_penalty", penalty)):
            if arr.dtype.kind != "f" or not np.isfinite(arr).all():
                raise ModelIntegrityError(f"{path}: array {name} is not all finite floats")
        n_sig = len(manifest["signals"])
        if coef.shape != (len(names), n_sig) or intercept.shape != (n_sig,) or calib.shape != (n_sig, 2):
            raise ModelIntegrityError(f"{path}: array shapes do not match {len(names)} features x {n_sig} signals")
        if normalized.shape != (n_sig,) or normalized.dtype != bool:
            raise ModelIntegrityError(f"{path}: array normalized is not one bool per signal")
        if penalty.shape != (n_sig,) or (penalty < 0).any():
            raise ModelIntegrityError(f"{path}: array unmatched_penalty is not one log-odds >= 0 per signal")
        signals = tuple(manifest["signals"])
        model = cls(signals=signals, thresholds=dict(manifest["thresholds"]),
                    normalized=tuple(s for s, n in zip(signals, normalized.tolist()) if n),
                    unmatched_penalty={s: v for s, v in zip(signals, penalty.tolist()) if v})
        model.coef_, model.intercept_, model.calib_ = coef, intercept, calib
        model.feature_names_ = names
        model.vocabulary_ = {n: i for i, n in enumerate(names)}
        model._compile_serving()
        return model, manifest


def _verified(directory: Path, manifest: dict[str, Any], key: str) -> Path:
    name = manifest.get(key)
    if not isinstance(name, str) or not name or "/" in name or "\\" in name or name.startswith("."):
        raise ModelIntegrityError(f"{directory / MANIFEST}: '{key}' must be a plain file name beside the manifest")
    path = directory / name
    if not path.is_file():
        raise ModelIntegrityError(f"{path}: model file missing")
    digest = sha256_file(path)
    expected = manifest.get(key + "_sha256")
    if digest != expected:
        raise ModelIntegrityError(
            f"{path}: sha256 {digest[:12]}... does not match the manifest's {str(expected)[:12]}...; "
            "the file was changed or truncated after training. Refusing to load it."
        )
    return path


def _int32(X: Any) -> Any:
    """liblinear accepts only 32-bit sparse indices; DictVectorizer may hand over 64-bit ones."""
    X = X.tocsr()
    X.indices = X.indices.astype(np.int32, copy=False)
    X.indptr = X.indptr.astype(np.int32, copy=False)
    return X


def read_manifest(directory: Path) -> dict[str, Any]:
    path = Path(directory) / MANIFEST
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ModelIntegrityError(f"{path}: no manifest; a model directory needs {MANIFEST} beside {ARTIFACT}") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ModelIntegrityError(f"{path}: manifest is not valid UTF-8 JSON ({exc})") from None
    if not isinstance(manifest, dict):
        raise ModelIntegrityError(f"{path}: manifest is not a JSON object")
    for key in ("format_version", "artifact", "artifact_sha256", "arrays", "arrays_sha256", "signals", "thresholds"):
        if key not in manifest:
            raise ModelIntegrityError(f"{path}: manifest lacks '{key}'")
    if manifest["format_version"] != FORMAT_VERSION:
        raise ModelIntegrityError(
            f"{path}: model format {manifest['format_version']} is not supported (this escalsignal reads {FORMAT_VERSION})"
        )
    thresholds = manifest["thresholds"]
    if not isinstance(thresholds, dict) or not all(
            isinstance(t, (int, float)) and not isinstance(t, bool) and 0 <= t <= 1 for t in thresholds.values()):
        raise ModelIntegrityError(f"{path}: manifest thresholds must be numbers in [0, 1] by signal")
    if not isinstance(manifest["signals"], list) or tuple(manifest["signals"]) != SIGNALS:
        raise ModelIntegrityError(f"{path}: model signals {manifest['signals']} differ from this version's {list(SIGNALS)}")
    return manifest
