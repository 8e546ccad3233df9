"""The Detector: rules, features and model loaded once, then shared by every call (immutable, thread-safe).

One scoring path: ``score_text`` is what a live session calls per utterance and what batch scoring calls per
record. text -> Prepared doc -> rule matches -> features -> model -> ``UtteranceScore``.
"""
from __future__ import annotations

import hashlib
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import ModelIntegrityError
from .types import SIGNALS, SPEAKERS, Evidence, SignalScore, UtteranceScore

if TYPE_CHECKING:
    from .model import SignalModel
    from .policy import EscalationMatrix
    from .rules import RuleEngine
    from .session import Session

_PKG = Path(__file__).parent


def default_model_dir() -> Path:
    """``escalsignal/_models`` in an installed wheel, the repository's ``models/`` in a source checkout."""
    installed = _PKG / "_models"
    return installed if (installed / "manifest.json").is_file() else _PKG.parent / "models"


def patterns_digest(paths: list[Path]) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(paths)}


class Detector:
    """Scores utterances and opens call sessions. Build with ``Detector.load()``."""

    __slots__ = ("nlp", "rules", "model", "matrix", "manifest", "_signals", "_thresholds")

    def __init__(self, nlp: Any, rules: RuleEngine, model: SignalModel, matrix: EscalationMatrix,
                 manifest: dict[str, Any]) -> None:
        for name, value in (("nlp", nlp), ("rules", rules), ("model", model), ("matrix", matrix),
                            ("manifest", manifest), ("_signals", tuple(model.signals)),
                            ("_thresholds", tuple(float(model.thresholds.get(s, 0.5)) for s in model.signals))):
            object.__setattr__(self, name, value)

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("Detector is immutable after load; build a new one with Detector.load()")

    @classmethod
    def load(cls, path: str | Path | None = None, *, matrix: str | Path | None = None,
             patterns: list[str | Path] | None = None, spacy_model: str | None = None) -> "Detector":
        """Load rules, the escalation matrix and a verified model (default: the one shipped with the package).

        The model's manifest records the sha256 of the pattern files it was trained with; loading it with other
        patterns is refused, because its rule features would no longer mean what they meant in training.
        """
        from .model import SignalModel
        from .policy import EscalationMatrix
        from .rules import PATTERN_DIR, RuleEngine
        from .text import make_nlp

        model_dir = Path(path) if path is not None else default_model_dir()
        pattern_paths = [Path(p) for p in patterns] if patterns else sorted(PATTERN_DIR.glob("*.jsonl"))
        model, manifest = SignalModel.load(model_dir)
        expected = manifest.get("patterns_sha256")
        if expected is not None and expected != patterns_digest(pattern_paths):
            raise ModelIntegrityError(
                f"{model_dir}: the model was trained with other pattern files than {', '.join(p.name for p in pattern_paths)};"
                " retrain it (escalsignal train) after editing patterns"
            )
        nlp = make_nlp(spacy_model)
        return cls(nlp, RuleEngine(nlp, pattern_paths), model, EscalationMatrix.load(matrix), manifest)

    # --- scoring --------------------------------------------------------------------------------------------
    def score_text(self, text: str, speaker: str = "customer") -> UtteranceScore:
        """Score one utterance, statelessly. Agent speech never carries customer signals (all scores 0)."""
        from .features import analyze

        if speaker not in SPEAKERS:
            raise ValueError(f"speaker must be one of {', '.join(map(repr, SPEAKERS))}, not {speaker!r}")
        prep, matches, feats = analyze(self.nlp, self.rules, text, with_features=speaker == "customer")
        if not prep.doc:
            return self._zeros(prep.text, speaker, prep.truncated)
        info, suppressed, evidence = [], [], {}
        for m in matches:
            start, end, quote = prep.span_text(m.start, m.end)
            pat = m.pattern
            ev = Evidence(pat.id, pat.signal, quote, start, end, pat.weight, pat.tags)
            if m.status != "active":
                suppressed.append(ev)
            elif pat.signal not in SIGNALS:
                info.append(ev)
            elif pat.weight > 0:
                evidence.setdefault(pat.signal, []).append(ev)
        if speaker == "agent":
            return self._zeros(prep.text, speaker, prep.truncated, info=tuple(info))
        model = self.model
        z, ia, va = model.decision(feats)
        probs = model.probabilities(z)
        signals = {}
        for j, name in enumerate(self._signals):
            p = float(probs[j])
            thr = self._thresholds[j]
            ev = tuple(evidence.get(name, ()))
            detected = p >= thr
            # Every flag is explained: its rule evidence plus the model terms that raised it most.
            signals[name] = SignalScore(name, p, detected, thr, ev, model.explain(ia, va, j) if detected else ())
        return UtteranceScore(prep.text, speaker, signals, prep.truncated, tuple(suppressed), tuple(info))

    def _zeros(self, text: str, speaker: str, truncated: bool, info: tuple[Evidence, ...] = ()) -> UtteranceScore:
        signals = {n: SignalScore(n, 0.0, False, t) for n, t in zip(self._signals, self._thresholds)}
        return UtteranceScore(text, speaker, signals, truncated, (), info)

    def session(self, call_id: str, metadata: dict[str, Any] | None = None) -> Session:
        """Open per-call state. Sessions are independent; open as many as there are live calls."""
        from .session import Session

        return Session(self, call_id, metadata)

    def resume(self, data: dict[str, Any]) -> Session:
        """Continue a call from ``Session.to_dict()`` (e.g. in another process) with identical results."""
        from .policy import CallState
        from .session import Session

        sess = Session(self, data["call_id"], data.get("metadata"), CallState.from_dict(data["state"]))
        sess.last_timestamp = data.get("last_timestamp")
        return sess
