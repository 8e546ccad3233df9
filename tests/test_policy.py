"""The call policy, driven by hand-made turn scores so that each rule is seen in isolation."""
import json

import pytest

from escalsignal.errors import ConfigError
from escalsignal.policy import CallState, EscalationMatrix, update
from escalsignal.types import SIGNALS, Evidence, SignalScore, UtteranceScore

MATRIX = EscalationMatrix.load()


def utt(text="...", thr=0.5, tags=(), **scores):
    signals = {}
    for s in SIGNALS:
        p = scores.get(s, 0.02)
        ev = (Evidence(f"test.{s}", s, text, 0, len(text), 2.0, tuple(tags)),) if p >= thr else ()
        signals[s] = SignalScore(s, p, p >= thr, thr, ev)
    return UtteranceScore(text, "customer", signals)


def run(turns, metadata=None, matrix=MATRIX):
    state = CallState()
    out = []
    for u in turns:
        state.turn += 1
        out.append(update(state, u, matrix, metadata or {}))
    return out, state


def test_a_calm_call_never_escalates():
    out, _ = run([utt() for _ in range(20)])
    assert not any(d.escalate for d in out) and max(d.score for d in out) < 0.2


def test_a_manager_request_escalates_to_a_supervisor_once():
    out, state = run([utt(), utt("get me a manager", manager_request=0.95)] + [utt() for _ in range(3)])
    assert [d.escalate for d in out] == [False, True, False, False, False]
    d = out[1]
    assert (d.route.escalation_type, d.route.route) == ("hierarchical", "supervisor")
    assert d.reasons[0].signal == "manager_request" and d.reasons[0].quote == "get me a manager"
    assert d.reasons[0].turn == 1
    assert state.first_escalation_turn == 1


def test_a_weak_cue_is_not_quoted_the_utterance_is():
    weak = UtteranceScore("it is so late again", "customer", {
        s: SignalScore(s, 0.95 if s == "manager_request" else 0.02, s == "manager_request", 0.5,
                       (Evidence("w", s, "so", 6, 8, 0.3),) if s == "manager_request" else ()) for s in SIGNALS})
    out, _ = run([weak])
    assert out[0].reasons[0].quote == "it is so late again" and out[0].reasons[0].rule_id is None


def test_one_frustrated_turn_is_not_enough_but_repeated_frustration_is():
    out, _ = run([utt(frustration=0.9)])
    assert not out[0].escalate
    out, _ = run([utt(frustration=0.9), utt(), utt(frustration=0.9)])
    assert [d.escalate for d in out] == [False, False, True]
    assert any("frustration in 2 of the last" in r.message for r in out[2].reasons)


def test_frustration_that_builds_slowly_escalates_on_the_trend():
    levels = [0.05, 0.1, 0.2, 0.35, 0.5, 0.7, 0.85]
    out, _ = run([utt(frustration=p) for p in levels])
    fired = [i for i, d in enumerate(out) if d.escalate]
    assert fired and fired[0] >= 4


def test_hysteresis_a_standing_escalation_is_not_raised_again_each_turn():
    out, _ = run([utt(manager_request=0.95)] * 6)
    assert [d.escalate for d in out].count(True) == 1
    assert all(d.active for d in out)


def test_rearm_after_calm_then_raise_again_after_cooldown():
    calm = [utt() for _ in range(6)]
    out, _ = run([utt(manager_request=0.95)] + calm + [utt(manager_request=0.95)])
    assert [i for i, d in enumerate(out) if d.escalate] == [0, 7]


def test_new_evidence_that_changes_the_route_re_raises_after_cooldown():
    turns = [utt(frustration=0.9), utt(frustration=0.9)] + [utt(frustration=0.9)] * 3
    turns += [utt("someone stole my card", urgency=0.95, frustration=0.9, tags=("fraud",))]
    out, _ = run(turns)
    fired = [i for i, d in enumerate(out) if d.escalate]
    assert fired[0] == 1 and fired[-1] == 5
    assert out[5].route.route == "fraud_team" and out[5].route.priority == "P1"


def test_second_manager_request_drives_the_score_near_one():
    out, state = run([utt(manager_request=0.7), utt(), utt(manager_request=0.7)])
    assert out[2].score > 0.95 and state.counts["manager_request"] == 2


@pytest.mark.parametrize("tags, route", [(("fraud",), "fraud_team"), (("outage",), "technical_team"), ((), "urgent_queue")])
def test_urgency_routes_by_rule_tag(tags, route):
    out, _ = run([utt(urgency=0.95, tags=tags)])
    assert out[0].escalate and out[0].route.route == route and out[0].route.priority == "P1"


def test_legal_threat_goes_to_complaints_with_top_priority():
    out, _ = run([utt(legal_threat=0.95)])
    assert (out[0].route.route, out[0].route.priority) == ("complaints_team", "P1")


@pytest.mark.parametrize("metadata, route", [
    ({"customer_tier": "VIP"}, "vip_desk"),
    ({"sla_breached": True}, "urgent_queue"),
    ({"hold_seconds": 1200}, "urgent_queue"),
])
def test_metadata_escalates_automatically_once(metadata, route):
    out, _ = run([utt(), utt(), utt()], metadata)
    assert [d.escalate for d in out] == [True, False, False]
    assert out[0].route.route == route and out[0].reasons[0].signal == "metadata"


def test_vip_raises_the_priority_of_a_signal_escalation():
    out, _ = run([utt(), utt(manager_request=0.95)], {"customer_tier": "gold"})
    assert out[1].route.priority == "P2"
    out, _ = run([utt(), utt(manager_request=0.95)], {"customer_tier": "vip"})
    assert out[1].route.priority == "P1"


def test_state_is_bounded_and_round_trips():
    out, state = run([utt(repeat_contact=0.9) for _ in range(500)])
    assert len(state.history) == state.window and len(state.quotes["prior_contacts"]) == state.max_quotes
    again = CallState.from_dict(json.loads(json.dumps(state.to_dict())))
    assert again.to_dict() == state.to_dict()


def matrix_with(**changes):
    data = json.loads(open(MATRIX_PATH).read())
    for key, value in changes.items():
        data[key] = value(data[key]) if callable(value) else value
    return data


MATRIX_PATH = __import__("escalsignal.policy", fromlist=["DEFAULT_MATRIX"]).DEFAULT_MATRIX


@pytest.mark.parametrize("changes, message", [
    ({"rules": lambda r: r + [{"id": "x", "signals": ["anger"], "escalation_type": "hierarchical", "route": "supervisor", "priority": "P1"}]},
     r"rules\[8\]\.signals': unknown signal 'anger'"),
    ({"rules": lambda r: r + [{"id": "x", "signals": ["urgency"], "escalation_type": "hierarchical", "route": "moon", "priority": "P1"}]},
     r"rules\[8\]\.route': unknown route 'moon'"),
    ({"rules": lambda r: r + [{"id": "x", "signals": ["urgency"], "escalation_type": "sideways", "route": "supervisor", "priority": "P1"}]},
     r"rules\[8\]\.escalation_type'"),
    ({"rules": lambda r: r + [{"id": "x", "signals": ["urgency"], "escalation_type": "priority", "route": "supervisor", "priority": "P0"}]},
     r"rules\[8\]\.priority'"),
    ({"policy": {"raise_at": 0.2, "rearm_below": 0.5}}, "rearm_below < raise_at"),
    ({"policy": {"speed": 3}}, r"policy\.speed"),
    ({"colour": "red"}, "'colour': unknown field"),
])
def test_invalid_matrix_names_the_field(tmp_path, changes, message):
    path = tmp_path / "matrix.json"
    path.write_text(json.dumps(matrix_with(**changes)))
    with pytest.raises(ConfigError, match=message):
        EscalationMatrix.load(path)


def test_matrix_in_toml(tmp_path):
    path = tmp_path / "m.toml"
    path.write_text('routes = ["desk"]\n[default]\nid = "d"\nescalation_type = "priority"\nroute = "desk"\npriority = "P2"\n'
                    '[[rules]]\nid = "m"\nsignals = ["manager_request"]\nescalation_type = "hierarchical"\nroute = "desk"\npriority = "P1"\n')
    m = EscalationMatrix.load(path)
    out, _ = run([utt(manager_request=0.95)], matrix=m)
    assert out[0].route.route == "desk" and out[0].route.priority == "P1"


def test_unreadable_matrix_is_a_config_error(tmp_path):
    with pytest.raises(ConfigError, match="cannot read"):
        EscalationMatrix.load(tmp_path / "missing.json")
    (tmp_path / "bad.json").write_text("{")
    with pytest.raises(ConfigError, match="not valid json"):
        EscalationMatrix.load(tmp_path / "bad.json")
