"""Scoring archives: records in, one output record per utterance (or one error record) out, nothing dropped.

Formats read: JSONL with one utterance per line (``call_id``, ``speaker``, ``text``, optional ``timestamp``,
``turn``) or one call per line (``call_id``, ``turns: [...]``). Utterances of a call go through one Session in
file order, exactly as in a live call, so streaming and batch results are identical.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Iterable, Iterator

from .types import SPEAKERS, Recommendation

if TYPE_CHECKING:
    from .detector import Detector
    from .session import Session


@dataclass
class Counts:
    """read = scored + rejected, always."""

    read: int = 0
    scored: int = 0
    rejected: int = 0
    escalations: int = 0
    calls: set[str] = field(default_factory=set)

    def to_dict(self) -> dict[str, int]:
        return {"read": self.read, "scored": self.scored, "rejected": self.rejected,
                "escalations": self.escalations, "calls": len(self.calls)}


def recommendation_record(rec: Recommendation, speaker: str, timestamp: float | None) -> dict[str, Any]:
    """The flat output record of one utterance (field names documented in the README)."""
    u = rec.utterance
    return {
        "call_id": rec.call_id, "turn": rec.turn, "speaker": speaker, "timestamp": timestamp,
        "signals": {n: {"score": round(s.score, 4), "detected": s.detected,
                        "evidence": [{"rule_id": e.rule_id, "text": e.text, "start": e.start, "end": e.end}
                                     for e in s.evidence]}
                    for n, s in u.signals.items()},
        "escalate": rec.escalate, "score": rec.score, "priority": rec.priority,
        "escalation_type": rec.escalation_type, "route": rec.route,
        "reasons": [r.to_dict() for r in rec.reasons], "escalation_active": rec.escalation_active,
    }


def _check_turn(obj: Any) -> tuple[str, str, float | None]:
    if not isinstance(obj, dict):
        raise ValueError(f"expected a JSON object, got {type(obj).__name__}")
    text, speaker, ts = obj.get("text"), obj.get("speaker", "customer"), obj.get("timestamp")
    if not isinstance(text, str):
        raise ValueError("missing 'text'" if text is None else f"'text' must be a string, not {type(text).__name__}")
    if speaker not in SPEAKERS:
        raise ValueError(f"'speaker' must be one of {SPEAKERS}, not {speaker!r}")
    if ts is not None and (not isinstance(ts, (int, float)) or isinstance(ts, bool)):
        raise ValueError(f"'timestamp' must be a number, not {type(ts).__name__}")
    return text, speaker, ts


def score_lines(det: Detector, lines: Iterable[bytes | str], counts: Counts | None = None) -> Iterator[dict[str, Any]]:
    """Score JSONL lines (utterance-per-line or call-per-line). Yields output records and error records."""
    counts = counts if counts is not None else Counts()
    sessions: dict[str, Session] = {}
    for lineno, raw in enumerate(lines, 1):
        if isinstance(raw, bytes):
            try:
                raw = raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                counts.read += 1
                counts.rejected += 1
                yield {"line": lineno, "error": f"invalid UTF-8 at byte {exc.start}"}
                continue
        if not raw.strip():
            continue
        try:
            obj = json.loads(raw)
        except json.JSONDecodeError as exc:
            counts.read += 1
            counts.rejected += 1
            yield {"line": lineno, "error": f"invalid JSON: {exc.msg}"}
            continue
        if isinstance(obj, dict) and isinstance(obj.get("turns"), list):
            call_id = str(obj.get("call_id", f"line-{lineno}"))
            sess = det.session(call_id, obj.get("metadata") if isinstance(obj.get("metadata"), dict) else None)
            for i, turn in enumerate(obj["turns"]):
                yield _score_one(sess, turn, counts, lineno, i)
            continue
        call_id = obj.get("call_id") if isinstance(obj, dict) else None
        if not isinstance(call_id, (str, int)) or isinstance(call_id, bool):
            counts.read += 1
            counts.rejected += 1
            yield {"line": lineno, "error": "missing or invalid 'call_id'"}
            continue
        call_id = str(call_id)
        sess = sessions.get(call_id)
        if sess is None:
            meta = obj.get("metadata") if isinstance(obj.get("metadata"), dict) else None
            sess = sessions[call_id] = det.session(call_id, meta)
        yield _score_one(sess, obj, counts, lineno, None)


def _score_one(sess: Session, obj: Any, counts: Counts, lineno: int, index: int | None) -> dict[str, Any]:
    counts.read += 1
    where = {"line": lineno} if index is None else {"line": lineno, "turn_index": index}
    try:
        text, speaker, ts = _check_turn(obj)
    except ValueError as exc:
        counts.rejected += 1
        return {**where, "call_id": sess.call_id, "error": str(exc)}
    rec = sess.add(text, speaker=speaker, timestamp=ts)
    counts.scored += 1
    counts.calls.add(sess.call_id)
    counts.escalations += rec.escalate
    return recommendation_record(rec, speaker, ts)
