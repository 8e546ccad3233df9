"""A live call: feed utterances in order, get a recommendation per utterance and a handoff summary."""
from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from .policy import CallState, update
from .types import SPEAKERS, CallSummary, Reason, Recommendation

if TYPE_CHECKING:
    from .detector import Detector


def _finite(x: int | float) -> bool:
    try:
        return math.isfinite(x)
    except OverflowError:  # an int beyond float range (10**400) is no timestamp either
        return False


class Session:
    """Per-call state over a shared, immutable ``Detector``. Not thread-safe itself: one call, one thread."""

    def __init__(self, detector: Detector, call_id: str, metadata: dict[str, Any] | None = None,
                 state: CallState | None = None) -> None:
        if not isinstance(call_id, str):
            raise TypeError(f"call_id must be str, not {type(call_id).__name__}")
        if metadata is not None and not isinstance(metadata, dict):
            raise TypeError(f"metadata must be a dict, not {type(metadata).__name__}")
        self.detector = detector
        self.call_id = call_id
        self.metadata: dict[str, Any] = dict(metadata or {})
        cfg = detector.matrix.policy
        self.state = state if state is not None else CallState(window=cfg.window, max_quotes=cfg.max_quotes)
        self.last_timestamp: float | None = None

    def add(self, text: str, speaker: str = "customer", timestamp: float | None = None) -> Recommendation:
        """Score one utterance in call order and decide whether to escalate now."""
        if timestamp is not None:
            if not isinstance(timestamp, (int, float)) or isinstance(timestamp, bool) or not _finite(timestamp):
                raise TypeError(f"timestamp must be a finite number or None, not {timestamp!r}")
        utt = self.detector.score_text(text, speaker=speaker)  # raises for a bad text or speaker: nothing changed
        if timestamp is not None:
            self.last_timestamp = float(timestamp)
        st = self.state
        st.turn += 1
        if speaker == "agent":
            for ev in utt.info:
                if ev.signal == "agent_escalation":
                    st.quotes["agent_actions"].append(
                        Reason("agent_escalation", "agent offered or started an escalation", st.turn,
                               ev.start, ev.end, ev.text, ev.rule_id).to_dict())
            return Recommendation(self.call_id, st.turn, utt, False, round(st.last_score, 4), escalation_active=st.raised,
                                  **self._standing())
        for ev in utt.info:
            if ev.signal == "tried":
                st.quotes["already_tried"].append(
                    Reason("tried", "the customer says they already tried this", st.turn, ev.start, ev.end, ev.text,
                           ev.rule_id).to_dict())
        d = update(st, utt, self.detector.matrix, self.metadata)
        route = d.route
        return Recommendation(
            call_id=self.call_id, turn=st.turn, utterance=utt, escalate=d.escalate, score=round(d.score, 4),
            priority=route.priority if route else None, escalation_type=route.escalation_type if route else None,
            route=route.route if route else None, reasons=d.reasons, escalation_active=d.active and not d.escalate,
        )

    def _standing(self) -> dict[str, Any]:
        st = self.state
        if not st.raised:
            return {}
        return {"priority": st.raised_priority, "route": st.raised_route}

    def update_metadata(self, **values: Any) -> None:
        """Metadata that changes during the call (hold time, SLA breach) applies from the next customer turn."""
        self.metadata.update(values)

    def summary(self) -> CallSummary:
        st = self.state
        return CallSummary(
            call_id=self.call_id, turns=st.turn + 1, customer_turns=st.customer_turns,
            escalated=st.first_escalation_turn is not None, first_escalation_turn=st.first_escalation_turn,
            max_score=round(st.max_score, 4), priority=st.raised_priority, route=st.raised_route,
            metadata=dict(self.metadata),
            signals_over_time=tuple((t, {k: round(v, 3) for k, v in s.items()}) for t, s in st.history),
            signal_counts=dict(st.counts),
            prior_contacts=tuple(Reason(**r) for r in st.quotes["prior_contacts"]),
            already_tried=tuple(Reason(**r) for r in st.quotes["already_tried"]),
            trigger_quotes=tuple(Reason(**r) for r in st.quotes["trigger_quotes"]),
            agent_actions=tuple(Reason(**r) for r in st.quotes["agent_actions"]),
        )

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready state, to resume the call elsewhere with ``Detector.resume``."""
        return {"call_id": self.call_id, "metadata": dict(self.metadata), "state": self.state.to_dict(),
                "last_timestamp": self.last_timestamp}

