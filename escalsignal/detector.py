"""The Detector: rules, features and model loaded once, then shared by every call (immutable, thread-safe).

One scoring path: ``score_text`` is what a live session calls per utterance and what batch scoring calls per
record. text -> Prepared doc -> rule matches -> features -> model -> ``UtteranceScore``.
"""
from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

from .errors import ConfigError, ModelIntegrityError
from .features import analyze
from .types import SIGNALS, SPEAKERS, Evidence, SignalScore, UtteranceScore

if TYPE_CHECKING:
    from .model import SignalModel
    from .policy import EscalationMatrix
    from .rules import RuleEngine
    from .session import Session

_PKG = Path(__file__).parent

#: Strings spaCy's shared vocabulary may gain after load. spaCy keeps every token string it has ever seen (and a
#: lexeme for it), so ids, numbers and typos would grow a long-lived Detector without bound. Up to this many new
#: strings (about 10 MB) the vocabulary and tokenizer cache fill as usual; past it each utterance is scored inside
#: a spaCy memory zone, which frees that utterance's new strings when it is done. Scores are identical either way.
VOCAB_GROWTH_LIMIT = 20_000
#: Memory zones free strings and lexemes but not the capacity of spaCy's hash tables, which keep deleted slots and
#: double when those fill up (about 50 bytes per utterance with unseen words). After this many utterances scored in
#: memory zones, the spaCy pipeline and rule matchers are rebuilt from the same, re-verified, pattern files (about
#: 0.6 s, in the calling thread; other threads keep scoring meanwhile) and the old ones are released.
RECYCLE_AFTER = 200_000
#: Utterance results kept for exact repeats of a short text by the same speaker. Archives and live calls repeat a
#: lot verbatim ("yes", "okay thank you", the agent's scripted greeting and hold lines); scoring is a pure function
#: of (text, speaker), so a repeat reuses the computed result (its immutable ``SignalScore`` objects) without
#: tokenizing again.
#: About 2 KB per customer line (less per agent line): 16,384 entries stay under about 35 MB. Against 4,096, they
#: raised ``benchmarks/batch.py``'s 1-job rate by about a fifth (the archive has 13,400 distinct texts per 100,000
#: utterances) for 12 MB more. ``Detector.load(cache_size=0)`` turns it off.
DEFAULT_CACHE_SIZE = 16384
#: Longer texts are seldom repeated word for word; they are not cached, which also bounds the cache's memory.
CACHE_MAX_CHARS = 160


class _Recycler:
    """Counts utterances scored in memory zones and rebuilds (nlp, rules) when ``RECYCLE_AFTER`` is reached."""

    __slots__ = ("build", "zoned", "busy")

    def __init__(self, build: Callable[[], tuple[Any, RuleEngine]]) -> None:
        self.build, self.zoned, self.busy = build, 0, False


def default_model_dir() -> Path:
    """``escalsignal/_models`` in an installed wheel, the repository's ``models/`` in a source checkout."""
    installed = _PKG / "_models"
    return installed if (installed / "manifest.json").is_file() else _PKG.parent / "models"


def patterns_digest(paths: list[Path]) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(paths)}


def _load_model(model_dir: Path) -> tuple[SignalModel, dict[str, Any]]:
    """``SignalModel.load`` (hash-checked, no pickle) with every way a model directory can be malformed reported
    as ``ModelIntegrityError``: a manifest that is not an object or not UTF-8, arrays that are no zip archive,
    or arrays that would give non-finite scores."""
    import zipfile

    import numpy as np

    from .model import SignalModel

    try:
        model, manifest = SignalModel.load(model_dir)
    except ModelIntegrityError:
        raise
    except (OSError, ValueError, TypeError, KeyError, EOFError, zipfile.BadZipFile) as exc:
        raise ModelIntegrityError(f"{model_dir}: malformed model files ({type(exc).__name__}: {exc})") from None
    for name in ("coef_", "intercept_", "calib_"):
        arr = getattr(model, name)
        if arr.dtype.kind != "f" or not np.isfinite(arr).all():
            raise ModelIntegrityError(f"{model_dir}: model array {name.rstrip('_')} is not all finite floats")
    if not all(isinstance(t, (int, float)) and 0.0 <= t <= 1.0 for t in model.thresholds.values()):
        raise ModelIntegrityError(f"{model_dir}: manifest thresholds must be numbers in [0, 1]")
    return model, manifest


def _own_copy(u: UtteranceScore) -> UtteranceScore:
    """The same result with its own ``signals`` dict: the cache and each caller must not share a mutable dict
    (everything else in a result is immutable)."""
    return UtteranceScore(u.text, u.speaker, dict(u.signals), u.truncated, u.suppressed, u.info)


class _ResultCache:
    """A least-recently-used map (speaker, text) -> UtteranceScore, with hit and miss counts for benchmarks."""

    __slots__ = ("size", "data", "hits", "misses")

    def __init__(self, size: int) -> None:
        self.size, self.data, self.hits, self.misses = size, OrderedDict(), 0, 0

    def get(self, key: tuple[str, str]) -> UtteranceScore | None:
        hit = self.data.get(key)
        if hit is None:
            self.misses += 1
        else:
            self.hits += 1
            self.data.move_to_end(key)
        return hit

    def put(self, key: tuple[str, str], value: UtteranceScore) -> None:
        data = self.data
        data[key] = value
        if len(data) > self.size:
            data.popitem(last=False)


class Detector:
    """Scores utterances and opens call sessions. Build with ``Detector.load()``."""

    __slots__ = ("nlp", "rules", "model", "matrix", "manifest", "_signals", "_thresholds", "_lock", "_vocab_limit",
                 "_recycler", "_cache", "_zero_scores")

    def __init__(self, nlp: Any, rules: RuleEngine, model: SignalModel, matrix: EscalationMatrix,
                 manifest: dict[str, Any], *, rebuild: Callable[[], tuple[Any, RuleEngine]] | None = None,
                 cache_size: int = DEFAULT_CACHE_SIZE) -> None:
        """``rebuild`` returns a fresh ``(nlp, rules)`` equal to these; without it the vocabulary is never rebuilt.
        ``cache_size`` results of short utterances are kept for exact repeats (0: none)."""
        if not isinstance(cache_size, int) or isinstance(cache_size, bool) or cache_size < 0:
            raise ValueError(f"cache_size must be an int >= 0, not {cache_size!r}")
        thresholds = tuple(float(model.thresholds.get(s, 0.5)) for s in model.signals)
        for name, value in (("nlp", nlp), ("rules", rules), ("model", model), ("matrix", matrix),
                            ("manifest", manifest), ("_signals", tuple(model.signals)), ("_thresholds", thresholds),
                            # spaCy's vocabulary and memory zones are shared state: one utterance at a time uses them.
                            ("_lock", threading.Lock()),
                            ("_vocab_limit", len(nlp.vocab.strings) + VOCAB_GROWTH_LIMIT),
                            ("_recycler", _Recycler(rebuild) if rebuild is not None else None),
                            ("_cache", _ResultCache(cache_size) if cache_size else None),
                            # Agent turns and empty text: the same immutable all-zero scores every time.
                            ("_zero_scores", tuple((n, SignalScore(n, 0.0, False, t))
                                                   for n, t in zip(model.signals, thresholds)))):
            object.__setattr__(self, name, value)

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("Detector is immutable after load; build a new one with Detector.load()")

    @classmethod
    def load(cls, path: str | Path | None = None, *, matrix: str | Path | None = None,
             patterns: list[str | Path] | None = None, spacy_model: str | None = None,
             cache_size: int = DEFAULT_CACHE_SIZE) -> "Detector":
        """Load rules, the escalation matrix and a verified model (default: the one shipped with the package).

        The model's manifest records the sha256 of the pattern files it was trained with; loading it with other
        patterns is refused, because its rule features would no longer mean what they meant in training.
        A manifest ``policy`` table (written by ``escalsignal calibrate``, e.g. ``{"raise_at": 0.7}``) overrides
        those settings of the escalation matrix's policy for this model. ``cache_size``: results of short
        utterances kept for exact repeats (``DEFAULT_CACHE_SIZE``; 0 turns it off; results are the same).
        """
        from .model import SignalModel
        from .policy import EscalationMatrix
        from .rules import PATTERN_DIR, RuleEngine
        from .text import make_nlp

        model_dir = Path(path) if path is not None else default_model_dir()
        pattern_paths = [Path(p) for p in patterns] if patterns else sorted(PATTERN_DIR.glob("*.jsonl"))
        model, manifest = _load_model(model_dir)
        expected = manifest.get("patterns_sha256")
        if expected is not None and expected != patterns_digest(pattern_paths):
            raise ModelIntegrityError(
                f"{model_dir}: the model was trained with other pattern files than {', '.join(p.name for p in pattern_paths)};"
                " retrain it (escalsignal train) after editing patterns"
            )
        nlp = make_nlp(spacy_model)
        rules = RuleEngine(nlp, pattern_paths)
        # Routing on a tag no pattern carries would silently never fire: the matrix is checked against the rules.
        esc = EscalationMatrix.load(matrix, tags=frozenset(t for p in rules.patterns.values() for t in p.tags))
        overrides = manifest.get("policy")
        if overrides is not None:  # call-level thresholds from `escalsignal calibrate`, over the matrix's policy
            from dataclasses import fields, replace

            from .policy import PolicyConfig

            source = str(model_dir / "manifest.json")
            if not isinstance(overrides, dict):
                raise ConfigError(f"{source}: field 'policy': expected an object")
            merged = {f.name: getattr(esc.policy, f.name) for f in fields(PolicyConfig)} | overrides
            esc = replace(esc, policy=PolicyConfig.from_mapping(merged, source))
        digest = patterns_digest(pattern_paths)

        def rebuild() -> tuple[Any, RuleEngine]:
            if patterns_digest(pattern_paths) != digest:
                raise ModelIntegrityError("the pattern files changed on disk since the Detector was loaded")
            fresh = make_nlp(spacy_model)
            return fresh, RuleEngine(fresh, pattern_paths)

        return cls(nlp, rules, model, esc, manifest, rebuild=rebuild, cache_size=cache_size)

    # --- scoring --------------------------------------------------------------------------------------------
    def score_text(self, text: str, speaker: str = "customer") -> UtteranceScore:
        """Score one utterance, statelessly. Agent speech never carries customer signals (all scores 0).

        An exact repeat of a short utterance by the same speaker reuses the result already computed (its immutable
        ``SignalScore`` objects, in a new ``signals`` dict), unless the Detector was loaded with ``cache_size=0``.
        """
        if speaker not in SPEAKERS:
            raise ValueError(f"speaker must be one of {', '.join(map(repr, SPEAKERS))}, not {speaker!r}")
        cache = self._cache
        if cache is None or type(text) is not str or len(text) > CACHE_MAX_CHARS:
            return self._score(text, speaker)
        key = (speaker, text)
        with self._lock:
            hit = cache.get(key)
        if hit is not None:
            return _own_copy(hit)
        result = self._score(text, speaker)
        with self._lock:
            cache.put(key, _own_copy(result))
        return result

    def cache_info(self) -> dict[str, int]:
        """Hits, misses and entries of the repeat cache (all 0 when it is off)."""
        c = self._cache
        if c is None:
            return {"hits": 0, "misses": 0, "entries": 0, "size": 0}
        with self._lock:
            return {"hits": c.hits, "misses": c.misses, "entries": len(c.data), "size": c.size}

    def _score(self, text: str, speaker: str) -> UtteranceScore:
        recycle = False
        with self._lock:  # spaCy's vocabulary and its memory zones are shared: one utterance at a time uses them
            nlp = self.nlp
            vocab = nlp.vocab
            if len(vocab.strings) < self._vocab_limit or vocab.in_memory_zone:
                prep, matches, feats = analyze(nlp, self.rules, text, customer=speaker == "customer")
            else:
                # Nothing spaCy allocates here outlives the block: everything below reads Python lists and strings.
                # Only the tokenizer runs, so the vocabulary's zone is enough (Language.memory_zone costs 9 us more).
                with (nlp.memory_zone() if hasattr(nlp.tokenizer, "memory_zone") else vocab.memory_zone()):
                    prep, matches, feats = analyze(nlp, self.rules, text, customer=speaker == "customer")
                rec = self._recycler
                if rec is not None:
                    rec.zoned += 1
                    if rec.zoned >= RECYCLE_AFTER and not rec.busy:
                        rec.busy = recycle = True
        if recycle:
            self._recycle()
        if not prep.norms:
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
        z, rows, vals, scale = model.decision(feats)
        probs = model.probability_list(z, feats)
        signals = {}
        for j, name in enumerate(self._signals):
            p = probs[j]
            thr = self._thresholds[j]
            ev = tuple(evidence.get(name, ()))
            detected = p >= thr
            # Every flag is explained: its rule evidence plus the model terms that raised it most.
            signals[name] = SignalScore(name, p, detected, thr, ev, model.explain(rows, vals, j, scale=scale) if detected else ())
        return UtteranceScore(prep.text, speaker, signals, prep.truncated, tuple(suppressed), tuple(info))

    def _recycle(self) -> None:
        """Build a fresh spaCy pipeline and rule matchers (outside the lock), then swap them in."""
        import warnings

        rec = self._recycler
        try:
            nlp, rules = rec.build()  # type: ignore[union-attr]
        except Exception as exc:  # noqa: BLE001 - keep scoring with the current vocabulary
            with self._lock:
                object.__setattr__(self, "_recycler", None)
            warnings.warn(f"escalsignal: spaCy's vocabulary can no longer be rebuilt ({exc}); its hash tables will "
                          "keep growing slowly", RuntimeWarning, stacklevel=3)
            return
        with self._lock:
            object.__setattr__(self, "nlp", nlp)
            object.__setattr__(self, "rules", rules)
            object.__setattr__(self, "_vocab_limit", len(nlp.vocab.strings) + VOCAB_GROWTH_LIMIT)
            rec.zoned, rec.busy = 0, False  # type: ignore[union-attr]

    def _zeros(self, text: str, speaker: str, truncated: bool, info: tuple[Evidence, ...] = ()) -> UtteranceScore:
        return UtteranceScore(text, speaker, dict(self._zero_scores), truncated, (), info)

    def session(self, call_id: str, metadata: dict[str, Any] | None = None) -> Session:
        """Open per-call state. Sessions are independent; open as many as there are live calls."""
        from .session import Session

        return Session(self, call_id, metadata)

    def score_calls(self, calls: Any, n_jobs: int = 1, **options: Any) -> Any:
        """Score whole calls lazily with ``n_jobs`` processes; yields ``batch.CallResult`` in order (see batch.py)."""
        from .batch import score_calls

        return score_calls(self, calls, n_jobs=n_jobs, **options)

    def resume(self, data: dict[str, Any]) -> Session:
        """Continue a call from ``Session.to_dict()`` (e.g. in another process) with identical results."""
        from .policy import CallState
        from .session import Session

        sess = Session(self, data["call_id"], data.get("metadata"), CallState.from_dict(data["state"]))
        sess.last_timestamp = data.get("last_timestamp")
        return sess
