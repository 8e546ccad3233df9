"""Per-call policy: from turn-level signals to escalate-now decisions, priorities and routes.

The call-level score is a noisy-OR over signals, each signal weighted by how strongly it warrants escalation
on its own and carried forward with a decay over customer turns, plus call-history terms: repeated frustration,
a rising frustration trend, a second manager request, several prior contacts mentioned. Hysteresis (raise at
``raise_at``, re-arm only below ``rearm_below``) and a cooldown keep one escalation from being raised on every
turn; a standing escalation is raised again only for new evidence that changes its route or raises its priority.

The route comes from an escalation matrix file (JSON or TOML): ordered rules mapping signals (and rule tags such
as ``fraud``) to escalation type, route and priority, and metadata rules (VIP tier, hold time, SLA breach) that
escalate automatically.
"""
from __future__ import annotations

import copy
import json
import math
from collections import deque
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from .errors import ConfigError
from .types import SIGNALS, Reason

DEFAULT_MATRIX = Path(__file__).parent / "config" / "escalation_matrix.json"
ESCALATION_TYPES = ("hierarchical", "functional", "priority")
PRIORITIES = ("P1", "P2", "P3", "P4")
STRONG_EVIDENCE = 1.0  # rule weight from which a match is quoted as the reason for a signal


@dataclass(frozen=True)
class PolicyConfig:
    """Tunable constants of the call policy; the matrix file's ``policy`` table may override any of them."""

    raise_at: float = 0.6
    rearm_below: float = 0.35
    cooldown_turns: int = 4
    decay: float = 0.6
    weights: dict[str, float] = field(default_factory=lambda: {
        "manager_request": 0.9, "legal_threat": 0.85, "urgency": 0.7, "churn_threat": 0.6,
        "frustration": 0.5, "repeat_contact": 0.45,
    })
    repeated_frustration_bonus: float = 0.35
    rising_trend_bonus: float = 0.15
    second_request_bonus: float = 0.9
    prior_contacts_bonus: float = 0.2
    #: Customer turns kept for trend, repetition and the summary's "signals over time".
    window: int = 256
    #: Quotes kept per kind for the handoff summary.
    max_quotes: int = 20

    @classmethod
    def from_mapping(cls, data: dict[str, Any], source: str) -> "PolicyConfig":
        if not isinstance(data, dict):
            raise ConfigError(f"{source}: field 'policy': expected a table/object")
        known = {f.name for f in fields(cls)}
        data = dict(data)
        for key, value in data.items():
            if key not in known:
                raise ConfigError(f"{source}: field 'policy.{key}': unknown setting; known: {', '.join(sorted(known))}")
            if key == "weights":
                if not isinstance(value, dict) or set(value) - set(SIGNALS):
                    raise ConfigError(f"{source}: field 'policy.weights': keys must be signals {SIGNALS}")
                for sig, w in value.items():  # checked here, or the first customer turn would fail
                    if not _finite(w) or w < 0:
                        raise ConfigError(f"{source}: field 'policy.weights.{sig}': expected a finite number >= 0")
            elif not _finite(value):
                raise ConfigError(f"{source}: field 'policy.{key}': expected a finite number")
            elif key in ("window", "max_quotes"):
                if value != int(value):
                    raise ConfigError(f"{source}: field 'policy.{key}': expected a whole number")
                data[key] = int(value)
            elif key.endswith("_bonus") and value < 0:
                raise ConfigError(f"{source}: field 'policy.{key}': expected a number >= 0")
        merged = dict(data)
        if "weights" in data:
            merged["weights"] = {**cls().weights, **data["weights"]}
        cfg = cls(**merged)
        if not 0 < cfg.rearm_below < cfg.raise_at <= 1:
            raise ConfigError(f"{source}: field 'policy': need 0 < rearm_below < raise_at <= 1")
        if cfg.window < 8 or cfg.max_quotes < 1 or cfg.cooldown_turns < 0 or not 0 <= cfg.decay < 1:
            raise ConfigError(f"{source}: field 'policy': window >= 8, max_quotes >= 1, cooldown >= 0, 0 <= decay < 1")
        return cfg


def _finite(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


@dataclass(frozen=True)
class Route:
    id: str
    escalation_type: str
    route: str
    priority: str
    description: str = ""


@dataclass(frozen=True)
class SignalRule:
    route: Route
    signals: frozenset[str]
    tags: frozenset[str]


@dataclass(frozen=True)
class MetadataRule:
    route: Route
    field: str
    op: str  # "in" | "gte" | "equals"
    value: Any

    def matches(self, metadata: dict[str, Any]) -> bool:
        if self.field not in metadata:
            return False
        v = metadata[self.field]
        if self.op == "in":
            return isinstance(v, str) and v.lower() in self.value
        if self.op == "gte":
            return isinstance(v, (int, float)) and not isinstance(v, bool) and v >= self.value
        return v == self.value


@dataclass(frozen=True)
class EscalationMatrix:
    """Ordered routing rules; the first rule whose signals (and tags, if any) are present wins."""

    signal_rules: tuple[SignalRule, ...]
    metadata_rules: tuple[MetadataRule, ...]
    default: Route
    policy: PolicyConfig
    source: str

    @classmethod
    def load(cls, path: str | Path | None = None, *, tags: frozenset[str] | None = None) -> "EscalationMatrix":
        """Read and validate a matrix file. Errors name the file, the line and the field (``m.json:12: field ...``).

        ``tags``: the rule tags the loaded patterns define; a rule routing on any other tag is rejected.
        """
        path = Path(path) if path is not None else DEFAULT_MATRIX
        try:
            raw = path.read_bytes()
        except OSError as exc:
            raise ConfigError(f"{path}: cannot read escalation matrix ({exc.strerror})") from None
        try:
            if path.suffix == ".toml":
                import tomllib

                data = tomllib.loads(raw.decode("utf-8"))
            else:
                data = json.loads(raw)
        except (ValueError, UnicodeDecodeError) as exc:
            raise ConfigError(f"{path}: not valid {path.suffix.lstrip('.') or 'JSON'}: {exc}") from None
        try:
            return cls.from_mapping(data, str(path.name), tags=tags)
        except ConfigError as exc:
            raise _with_line(exc, path, raw) from None

    @classmethod
    def from_mapping(cls, data: Any, source: str = "<matrix>", *,
                     tags: frozenset[str] | None = None) -> "EscalationMatrix":
        if not isinstance(data, dict):
            raise ConfigError(f"{source}: expected a table/object at the top level")
        extra = set(data) - {"version", "routes", "rules", "metadata_rules", "default", "policy"}
        if extra:
            raise ConfigError(f"{source}: field '{sorted(extra)[0]}': unknown field")
        if data.get("version", 1) != 1 or isinstance(data.get("version"), bool):
            raise ConfigError(f"{source}: field 'version': matrix version {data['version']!r} is not supported (1)")
        for key in ("rules", "metadata_rules"):
            if not isinstance(data.get(key, []), list):
                raise ConfigError(f"{source}: field '{key}': expected a list")
        routes = data.get("routes")
        if not isinstance(routes, list) or not routes or not all(isinstance(r, str) for r in routes):
            raise ConfigError(f"{source}: field 'routes': expected a non-empty list of route names")
        known_routes = frozenset(routes)

        def route(obj: Any, where: str) -> Route:
            if not isinstance(obj, dict):
                raise ConfigError(f"{source}: field '{where}': expected an object")
            for key in ("id", "escalation_type", "route", "priority"):
                if not isinstance(obj.get(key), str):
                    raise ConfigError(f"{source}: field '{where}.{key}': missing or not a string")
            if obj["escalation_type"] not in ESCALATION_TYPES:
                raise ConfigError(f"{source}: field '{where}.escalation_type': {obj['escalation_type']!r} "
                                  f"is not one of {ESCALATION_TYPES}")
            if obj["route"] not in known_routes:
                raise ConfigError(f"{source}: field '{where}.route': unknown route {obj['route']!r}; "
                                  f"declare it in 'routes' ({', '.join(routes)})")
            if obj["priority"] not in PRIORITIES:
                raise ConfigError(f"{source}: field '{where}.priority': {obj['priority']!r} is not one of {PRIORITIES}")
            return Route(obj["id"], obj["escalation_type"], obj["route"], obj["priority"], obj.get("description", ""))

        signal_rules = []
        for i, obj in enumerate(data.get("rules", [])):
            where = f"rules[{i}]"
            r = route(obj, where)
            sigs = obj.get("signals")
            if not isinstance(sigs, list) or not sigs:
                raise ConfigError(f"{source}: field '{where}.signals': expected a non-empty list")
            bad = [s for s in sigs if s not in SIGNALS]
            if bad:
                raise ConfigError(f"{source}: field '{where}.signals': unknown signal {bad[0]!r}; valid: {', '.join(SIGNALS)}")
            extra = set(obj) - {"id", "escalation_type", "route", "priority", "description", "signals", "tags"}
            if extra:
                raise ConfigError(f"{source}: field '{where}.{sorted(extra)[0]}': unknown field")
            rule_tags = obj.get("tags", [])
            if not isinstance(rule_tags, list) or not all(isinstance(t, str) for t in rule_tags):
                raise ConfigError(f"{source}: field '{where}.tags': expected a list of tag names")
            unknown = [t for t in rule_tags if tags is not None and t not in tags]
            if unknown:
                raise ConfigError(f"{source}: field '{where}.tags': unknown tag {unknown[0]!r}; the patterns define "
                                  f"{', '.join(sorted(tags or ())) or 'no tags'}")
            signal_rules.append(SignalRule(r, frozenset(sigs), frozenset(rule_tags)))
        meta_rules = []
        for i, obj in enumerate(data.get("metadata_rules", [])):
            where = f"metadata_rules[{i}]"
            r = route(obj, where)
            ops = [k for k in ("in", "gte", "equals") if k in obj]
            if not isinstance(obj.get("field"), str) or len(ops) != 1:
                raise ConfigError(f"{source}: field '{where}': needs 'field' and exactly one of in/gte/equals")
            extra = set(obj) - {"id", "escalation_type", "route", "priority", "description", "field", "in", "gte",
                                "equals"}
            if extra:
                raise ConfigError(f"{source}: field '{where}.{sorted(extra)[0]}': unknown field")
            value = obj[ops[0]]
            if ops[0] == "in":
                if not isinstance(value, list) or not all(isinstance(v, (str, int, float)) for v in value):
                    raise ConfigError(f"{source}: field '{where}.in': expected a list of strings")
                value = frozenset(str(v).lower() for v in value)
            elif ops[0] == "gte" and not _finite(value):
                raise ConfigError(f"{source}: field '{where}.gte': expected a finite number")
            meta_rules.append(MetadataRule(r, obj["field"], ops[0], value))
        default = route(data.get("default"), "default")
        policy = PolicyConfig.from_mapping(data.get("policy", {}), source)
        return cls(tuple(signal_rules), tuple(meta_rules), default, policy, source)

    def route_for(self, signals: set[str], tags: set[str]) -> Route:
        for rule in self.signal_rules:
            if rule.signals & signals and (not rule.tags or rule.tags & tags):
                return rule.route
        return self.default

    def metadata_route(self, metadata: dict[str, Any]) -> Route | None:
        for rule in self.metadata_rules:
            if rule.matches(metadata):
                return rule.route
        return None


def _with_line(exc: ConfigError, path: Path, raw: bytes) -> ConfigError:
    """``m.json: field 'rules[2].route': ...`` -> ``m.json:14: field 'rules[2].route': ...`` (when it can be found)."""
    import re

    from ._fieldlines import field_line

    message = str(exc)
    m = re.match(re.escape(path.name) + r": field '([^']+)'", message)
    if m is None:
        return exc
    line = field_line(raw.decode("utf-8", "replace"), m.group(1), toml=path.suffix == ".toml")
    if line is None:
        return exc
    return ConfigError(f"{path.name}:{line}:{message[len(path.name) + 1:]}")


def bump(priority: str) -> str:
    """One priority level more urgent (P3 -> P2); P1 stays P1."""
    i = PRIORITIES.index(priority)
    return PRIORITIES[max(i - 1, 0)]


@dataclass
class CallState:
    """Everything a session remembers about a call. Bounded: deques and counters, never the whole transcript."""

    window: int = 256
    max_quotes: int = 20
    turn: int = -1
    customer_turns: int = 0
    levels: dict[str, float] = field(default_factory=lambda: {s: 0.0 for s in SIGNALS})
    counts: dict[str, int] = field(default_factory=lambda: {s: 0 for s in SIGNALS})
    tags: dict[str, int] = field(default_factory=dict)  # rule tags seen on detected signals, with last turn
    history: deque = field(default_factory=deque)  # (turn, {signal: score}) per customer turn
    best: dict[str, dict[str, Any]] = field(default_factory=dict)  # latest evidence per signal
    raised: bool = False
    last_raise_turn: int | None = None
    raised_signals: frozenset[str] = frozenset()
    raised_priority: str | None = None
    raised_route: str | None = None
    first_escalation_turn: int | None = None
    max_score: float = 0.0
    last_score: float = 0.0
    auto_done: bool = False
    quotes: dict[str, deque] = field(default_factory=dict)  # kind -> deque of Reason dicts

    def __post_init__(self) -> None:
        self.history = deque(self.history, maxlen=self.window)
        self.quotes = {k: deque(self.quotes.get(k, ()), maxlen=self.max_quotes)
                       for k in ("prior_contacts", "already_tried", "trigger_quotes", "agent_actions")}

    def to_dict(self) -> dict[str, Any]:
        return {
            "window": self.window, "max_quotes": self.max_quotes, "turn": self.turn,
            "customer_turns": self.customer_turns, "levels": dict(self.levels), "counts": dict(self.counts),
            "tags": dict(self.tags), "history": [[t, dict(s)] for t, s in self.history], "best": dict(self.best),
            "raised": self.raised, "last_raise_turn": self.last_raise_turn,
            "raised_signals": sorted(self.raised_signals), "raised_priority": self.raised_priority,
            "raised_route": self.raised_route, "first_escalation_turn": self.first_escalation_turn,
            "max_score": self.max_score, "last_score": self.last_score, "auto_done": self.auto_done,
            "quotes": {k: list(v) for k, v in self.quotes.items()},
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "CallState":
        # A deep copy: two sessions resumed from one dict must not share their levels, counts or quotes.
        data = copy.deepcopy(dict(data))
        data["history"] = deque((t, s) for t, s in data["history"])
        data["raised_signals"] = frozenset(data["raised_signals"])
        return cls(**data)


@dataclass(frozen=True)
class Decision:
    escalate: bool
    score: float
    route: Route | None
    reasons: tuple[Any, ...]  # tuple[Reason, ...]
    active: bool


def _evidence_reason(signal: str, best: dict[str, Any], message: str) -> Reason:
    return Reason(signal=signal, message=message, turn=best.get("turn"), start=best.get("start"),
                  end=best.get("end"), quote=best.get("quote"), rule_id=best.get("rule_id"))


#: Reason templates of the per-signal level terms, formatted with the level when a recommendation fires.
_LEVEL_TERM = {
    "frustration": "frustration (score {:.2f})", "repeat_contact": "repeat contact (score {:.2f})",
    "manager_request": "request for a manager (score {:.2f})", "urgency": "urgent trouble (score {:.2f})",
    "churn_threat": "threat to leave (score {:.2f})", "legal_threat": "legal threat (score {:.2f})",
}


def update(state: CallState, utt: Any, matrix: EscalationMatrix, metadata: dict[str, Any]) -> Decision:
    """Fold one customer turn's ``UtteranceScore`` into ``state`` and decide whether to escalate now."""
    cfg = matrix.policy
    turn = state.turn
    signals = utt.signals
    scores = {name: s.score for name, s in signals.items()}
    state.customer_turns += 1
    state.history.append((turn, scores))
    # Call-level score: noisy-OR of decayed per-signal levels and call-history terms. A term is
    # (signal, strength, message template, value); messages are formatted only when a recommendation fires.
    terms: list[tuple[str, float, str, Any]] = []
    levels, decay, weights = state.levels, cfg.decay, cfg.weights
    for sig in SIGNALS:
        level = decay * levels[sig]
        if scores[sig] > level:
            level = scores[sig]
        levels[sig] = level
        w = weights.get(sig, 0.0) * level
        if w > 0:
            terms.append((sig, w, _LEVEL_TERM[sig], level))
    for sig, s in signals.items():
        if not s.detected:
            continue
        state.counts[sig] += 1
        # Quote a strong cue; a weak one ("so", "late") tells a supervisor less than the utterance itself.
        ev = max((e for e in s.evidence if e.weight >= STRONG_EVIDENCE), key=lambda e: e.weight, default=None)
        if ev is not None:
            best = {"turn": turn, "start": ev.start, "end": ev.end, "quote": ev.text, "rule_id": ev.rule_id}
        else:
            best = {"turn": turn, "start": 0, "end": min(len(utt.text), 200), "quote": utt.text[:200], "rule_id": None}
        best["score"] = round(s.score, 3)
        state.best[sig] = best
        for e in s.evidence:
            for tag in e.tags:
                state.tags[tag] = turn
        if sig == "repeat_contact":
            state.quotes["prior_contacts"].append(_evidence_reason(sig, best, "prior contact mentioned").to_dict())

    hist = state.history
    n_recent = min(5, len(hist))  # O(1) per turn: never copy the window
    thr = signals["frustration"].threshold
    n_frus = 0
    for i in range(1, n_recent + 1):
        if hist[-i][1]["frustration"] >= thr:
            n_frus += 1
    if n_frus >= 2:
        terms.append(("frustration", min(cfg.repeated_frustration_bonus * (n_frus - 1), 0.9),
                      "frustration in {} of the last " + str(n_recent) + " customer turns", n_frus))
    if len(hist) >= 4:
        fr = [hist[-i][1]["frustration"] for i in range(min(6, len(hist)), 0, -1)]
        half = len(fr) // 2
        rise = sum(fr[half:]) / (len(fr) - half) - sum(fr[:half]) / half
        if rise >= 0.2:
            terms.append(("frustration", cfg.rising_trend_bonus, "frustration rising over the call (+{:.2f})", rise))
    if state.counts["manager_request"] >= 2:
        terms.append(("manager_request", cfg.second_request_bonus, "asked for a manager {} times",
                      state.counts["manager_request"]))
    if state.counts["repeat_contact"] >= 2:
        terms.append(("repeat_contact", cfg.prior_contacts_bonus, "mentioned prior contacts {} times",
                      state.counts["repeat_contact"]))
    keep = 1.0
    for term in terms:
        w = term[1]
        keep *= 1.0 - (w if w < 0.999 else 0.999)
    score = 1.0 - keep
    state.max_score = max(state.max_score, score)
    state.last_score = score

    driving = {t[0] for t in terms if t[1] >= 0.2 and t[0] in state.best}
    route = None
    if driving:
        recent_tags = {t for t, last in state.tags.items() if turn - last <= 2 * cfg.cooldown_turns + 2}
        route = matrix.route_for(driving, recent_tags)
    meta_route = matrix.metadata_route(metadata) if metadata else None
    if route is not None and meta_route is not None:
        route = Route(route.id, route.escalation_type, route.route, bump(route.priority), route.description)

    escalate = False
    if meta_route is not None and not state.auto_done:
        escalate, state.auto_done = True, True
        route = route or meta_route
    elif score >= cfg.raise_at and route is not None:
        cooled = state.last_raise_turn is None or turn - state.last_raise_turn >= cfg.cooldown_turns
        if not state.raised:
            escalate = cooled or state.last_raise_turn is None
        elif cooled and (driving - state.raised_signals) and (
            PRIORITIES.index(route.priority) < PRIORITIES.index(state.raised_priority or "P4")
            or route.route != state.raised_route
        ):
            escalate = True  # new evidence that changes where this should go
    if state.raised and score < cfg.rearm_below:
        state.raised = False

    reasons: list[Reason] = []
    if escalate:
        state.raised, state.last_raise_turn = True, turn
        state.raised_signals = frozenset(driving)
        state.raised_priority, state.raised_route = (route.priority, route.route) if route else (None, None)
        if state.first_escalation_turn is None:
            state.first_escalation_turn = turn
        if meta_route is not None and route is meta_route:
            reasons.append(Reason(signal="metadata", message=f"automatic escalation: {meta_route.description or meta_route.id}",
                                  turn=turn))
        seen: set[str] = set()
        for sig, w, template, value in sorted(terms, key=lambda t: -t[1]):
            if w < 0.2 or sig not in state.best:
                continue
            best = state.best[sig]
            msg = template.format(value)
            key = sig + msg
            if key in seen:
                continue
            seen.add(key)
            quote = f': "{best["quote"]}" (turn {best["turn"]})' if best.get("quote") else ""
            reasons.append(_evidence_reason(sig, best, msg + quote))
        for r in reasons:
            if r.quote:
                state.quotes["trigger_quotes"].append(r.to_dict())
    return Decision(escalate, score, route if (escalate or state.raised) else None, tuple(reasons), state.raised)

