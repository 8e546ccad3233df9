"""A live call through Session.add: recommendations, reasons, routing and the handoff summary."""
import json

import pytest

from escalsignal import Detector


def feed(sess, turns):
    return [sess.add(text, speaker=spk, timestamp=float(i)) for i, (spk, text) in enumerate(turns)]


def test_manager_request_escalates_with_reason_and_route(det):
    sess = det.session(call_id="c-1")
    recs = feed(sess, [
        ("agent", "Thanks for calling, how can I help?"),
        ("customer", "My internet has been dropping all week."),
        ("agent", "Let me run a quick test on the line."),
        ("customer", "I want to speak to a supervisor right now."),
    ])
    assert [r.escalate for r in recs] == [False, False, False, True]
    r = recs[3]
    assert (r.escalation_type, r.route) == ("hierarchical", "supervisor") and r.priority in ("P1", "P2")
    top = r.reasons[0]
    assert top.signal == "manager_request" and top.turn == 3
    assert "supervisor" in top.quote and "I want to speak to a supervisor right now."[top.start:top.end] == top.quote


def test_agent_offering_a_supervisor_does_not_escalate_but_is_recorded(det):
    sess = det.session(call_id="c-2")
    recs = feed(sess, [("customer", "My bill looks higher than usual."),
                       ("agent", "I can get my supervisor if you like."),
                       ("customer", "No need for a supervisor, thanks, just explain the charge.")])
    assert not any(r.escalate for r in recs)
    assert sess.summary().agent_actions[0].turn == 1


def test_fraud_goes_to_the_fraud_team_first_priority(det):
    sess = det.session(call_id="c-3")
    r = sess.add("There are charges on my card I didn't make, someone stole my card details")
    assert r.escalate and (r.route, r.priority, r.escalation_type) == ("fraud_team", "P1", "functional")


def test_vip_metadata_escalates_automatically(det):
    sess = det.session(call_id="c-4", metadata={"customer_tier": "vip"})
    r = sess.add("Hi, I'd like to check my balance.")
    assert r.escalate and r.route == "vip_desk" and r.reasons[0].signal == "metadata"


def test_summary_carries_the_handoff_context(det):
    sess = det.session(call_id="c-5")
    feed(sess, [("customer", "I already called twice about my router and nobody called me back."),
                ("agent", "I'm sorry about that."),
                ("customer", "I restarted it and reset it already, still nothing. This is ridiculous!"),
                ("customer", "Get me a manager.")])
    s = sess.summary()
    assert s.escalated and s.first_escalation_turn is not None and s.turns == 4 and s.customer_turns == 3
    assert s.prior_contacts and s.already_tried and s.trigger_quotes
    assert [t for t, _ in s.signals_over_time] == [0, 2, 3]
    json.dumps(s.to_dict())


def test_sessions_are_independent(det):
    a, b = det.session("a"), det.session("b")
    a.add("get me a manager now")
    assert not b.add("hello, what are your opening hours?").escalate
    assert b.summary().signal_counts["manager_request"] == 0


def test_resume_from_to_dict_gives_identical_results(det):
    turns = [("customer", "my card was declined"), ("agent", "let me check"), ("customer", "this is the third time I call"),
             ("customer", "ridiculous, I want a manager"), ("customer", "hello?"), ("customer", "still waiting")]
    whole = det.session("r")
    expected = [r.to_dict() for r in feed(whole, turns)]
    first = det.session("r")
    got = [r.to_dict() for r in feed(first, turns[:3])]
    state = json.loads(json.dumps(first.to_dict()))
    resumed = det.resume(state)
    got += [resumed.add(t, speaker=s, timestamp=float(i + 3)).to_dict() for i, (s, t) in enumerate(turns[3:])]
    assert got == expected


@pytest.mark.parametrize("bad", ["soon", float("nan"), True])
def test_bad_timestamp_is_a_type_error(det, bad):
    with pytest.raises(TypeError, match="timestamp"):
        det.session("t").add("hi", timestamp=bad)


def test_bad_call_id_and_metadata_are_type_errors(det):
    with pytest.raises(TypeError, match="call_id"):
        det.session(123)
    with pytest.raises(TypeError, match="metadata"):
        det.session("x", metadata=["vip"])


def test_long_call_keeps_bounded_state(det):
    sess = det.session("long")
    for i in range(600):
        sess.add("I've called again, this is ridiculous" if i % 3 == 0 else "ok")
    st = sess.state
    assert len(st.history) == st.window
    assert all(len(q) <= st.max_quotes for q in st.quotes.values())
    assert sess.summary().turns == 600
