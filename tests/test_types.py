"""Result types: to_dict() is the dataclass's own field-by-field view, whatever shortcut a type takes."""
from __future__ import annotations

from dataclasses import asdict

from escalsignal.types import Reason


def _escalated_call(det):
    sess = det.session("types-1")
    sess.add("I called twice last week about this double charge and nobody fixed it", "customer")
    sess.add("I'm sorry about that, let me look", "agent")
    rec = sess.add("this is ridiculous, get me a supervisor right now", "customer")
    return sess, rec


def test_every_result_to_dict_equals_asdict(det):
    sess, rec = _escalated_call(det)
    summary = sess.summary()
    assert rec.escalate and rec.reasons and summary.prior_contacts  # the call exercises every nested type
    objects = [rec, rec.utterance, *rec.utterance.signals.values(), *rec.reasons, summary,
               *summary.prior_contacts, *summary.trigger_quotes]
    objects += [e for s in rec.utterance.signals.values() for e in s.evidence]
    for obj in objects:
        assert obj.to_dict() == asdict(obj), type(obj).__name__


def test_reason_to_dict_keeps_field_order_and_is_a_copy():
    r = Reason("manager_request", "request for a manager", 3, 10, 20, "a supervisor", "mgr.speak_to_manager")
    d = r.to_dict()
    assert list(d) == ["signal", "message", "turn", "start", "end", "quote", "rule_id"]
    d["quote"] = "changed"
    assert r.quote == "a supervisor"
