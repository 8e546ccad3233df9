"""Result types: frozen dataclasses that callers can keep, compare and serialise with ``to_dict()``."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

#: The signals the model scores, in the order used by every array in the package.
SIGNALS: tuple[str, ...] = (
    "frustration",
    "repeat_contact",
    "manager_request",
    "urgency",
    "churn_threat",
    "legal_threat",
)
#: Rule kinds that are recorded for context (handoff summary) but are not scored signals.
INFO_KINDS: tuple[str, ...] = ("tried", "agent_escalation")
SPEAKERS: tuple[str, ...] = ("customer", "agent")


class _ToDict:
    def to_dict(self) -> dict[str, Any]:
        return asdict(self)  # type: ignore[call-overload]


@dataclass(frozen=True)
class Evidence(_ToDict):
    """One rule match in one utterance: which rule, where (character offsets into the text as given) and how strong."""

    rule_id: str
    signal: str
    text: str
    start: int
    end: int
    weight: float
    #: The rule's tags (e.g. "fraud", "outage", "profanity"); the escalation matrix can route on them.
    tags: tuple[str, ...] = ()


@dataclass(frozen=True)
class SignalScore(_ToDict):
    """A signal's calibrated probability, its decision, and why: rule evidence and the largest model terms."""

    name: str
    score: float
    detected: bool
    threshold: float
    evidence: tuple[Evidence, ...] = ()
    #: (feature, contribution to the log-odds) for the features that moved this score most.
    contributions: tuple[tuple[str, float], ...] = ()


@dataclass(frozen=True)
class UtteranceScore(_ToDict):
    """Scores of one utterance. ``suppressed`` lists rule matches ignored as negated, hypothetical or reported."""

    text: str
    speaker: str
    signals: dict[str, SignalScore]
    truncated: bool = False
    suppressed: tuple[Evidence, ...] = ()
    info: tuple[Evidence, ...] = ()

    def detected(self) -> tuple[str, ...]:
        return tuple(name for name, s in self.signals.items() if s.detected)


@dataclass(frozen=True)
class Reason(_ToDict):
    """Why a recommendation fired: a signal, a sentence for a supervisor, and the quote it rests on."""

    signal: str
    message: str
    turn: int | None = None
    start: int | None = None
    end: int | None = None
    quote: str | None = None
    rule_id: str | None = None

    def to_dict(self) -> dict[str, Any]:
        # Every field is a scalar: a shallow copy equals asdict(), without its recursion and deep copies
        # (a session files a Reason per prior contact and trigger quote).
        return dict(self.__dict__)


@dataclass(frozen=True)
class Recommendation(_ToDict):
    """The session's answer for one turn: escalate now or not, with call-level score and routing."""

    call_id: str
    turn: int
    utterance: UtteranceScore
    escalate: bool
    score: float
    priority: str | None = None
    escalation_type: str | None = None
    route: str | None = None
    reasons: tuple[Reason, ...] = ()
    #: True while an escalation raised earlier in the call is still standing (not re-raised this turn).
    escalation_active: bool = False


@dataclass(frozen=True)
class CallSummary(_ToDict):
    """Handoff context for a warm transfer, so the customer need not repeat themselves."""

    call_id: str
    turns: int
    customer_turns: int
    escalated: bool
    first_escalation_turn: int | None
    max_score: float
    priority: str | None
    route: str | None
    metadata: dict[str, Any] = field(default_factory=dict)
    #: Per customer turn (most recent window): turn index and the score of every signal.
    signals_over_time: tuple[tuple[int, dict[str, float]], ...] = ()
    #: Count of customer turns where each signal was detected, over the whole call.
    signal_counts: dict[str, int] = field(default_factory=dict)
    prior_contacts: tuple[Reason, ...] = ()
    already_tried: tuple[Reason, ...] = ()
    trigger_quotes: tuple[Reason, ...] = ()
    agent_actions: tuple[Reason, ...] = ()
