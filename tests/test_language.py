"""Hard cases, against the shipped model: each hard-negative kind must not fire, each positive kind must.

The lines are the team's own. Chat, spoken and speech-recogniser (ASR) forms are all covered.
"""
import pytest

FIRES = [
    # manager_request
    ("manager_request", "I want to speak to a supervisor right now."),
    ("manager_request", "get me ur manager pls"),
    ("manager_request", "um can i talk to a super visor please"),
    ("manager_request", "is there someone above you I can talk to"),
    ("manager_request", "I need a real person, not this bot"),
    ("manager_request", "please escalate this to someone in charge"),
    ("manager_request", "i dont care i want a manager"),
    ("manager_request", "this isn't working, get me a manager"),
    # repeat_contact
    ("repeat_contact", "This is the third time I'm calling about the same bill."),
    ("repeat_contact", "i already called yesterday and the day before"),
    ("repeat_contact", "you promised a callback and nobody ever called me back"),
    ("repeat_contact", "I've been transferred four times already"),
    ("repeat_contact", "uh i've emailed you guys three times about this"),
    ("repeat_contact", "I already told the last agent all of this"),
    # urgency
    ("urgency", "Someone stole my card and there are charges I didn't make"),
    ("urgency", "my flight leaves in an hour and you cancelled my seat"),
    ("urgency", "our whole office is offline and we're losing money every hour"),
    ("urgency", "i think my account got hacked someone changed my password"),
    ("urgency", "this is an emergency, my insulin delivery never arrived"),
    # frustration
    ("frustration", "This is absolutely ridiculous, worst service ever!!"),
    ("frustration", "are you kidding me, AGAIN?"),
    ("frustration", "wow thanks for nothing 🙄"),
    ("frustration", "this is f***ing useless"),
    ("frustration", "i am so fed up with you people"),
    # churn and legal
    ("churn_threat", "fix this or I'm switching to another provider"),
    ("legal_threat", "I'll be contacting my lawyer about this"),
    ("legal_threat", "I'm filing a complaint with the FCC"),
]

SILENT = [
    # manager in a story, reported speech, job titles, other senses
    ("manager_request", "manager_in_story", "The manager at the store was really rude to me."),
    ("manager_request", "reported_speech", "My manager told me to call you about the invoice."),
    ("manager_request", "reported_speech", "my wife said she wanted to speak to a supervisor"),
    ("manager_request", "job_title", "I'm the office manager for a small dental practice."),
    ("manager_request", "manager_other_sense", "How do I reset my password manager settings?"),
    # negated and hypothetical requests
    ("manager_request", "negated_request", "I don't need a manager, just fix it please."),
    ("manager_request", "negated_request", "no need to escalate this"),
    ("manager_request", "negated_request", "i do not want to talk to a supervisor"),
    ("manager_request", "hypothetical_request", "If this happens again I'll ask for a supervisor."),
    # repeat contact that is not
    ("repeat_contact", "recurring_problem", "The wifi drops again every evening around eight."),
    ("repeat_contact", "again_other_sense", "Sorry, could you say that again?"),
    ("repeat_contact", "again_other_sense", "I would happily fly with you again."),
    ("repeat_contact", "first_contact", "This is the first time I'm contacting you about this."),
    ("repeat_contact", "negated_repeat", "I haven't called before about this."),
    # urgency that is over, or routine
    ("urgency", "past_urgency_over", "The fraud on my card last year was sorted, I just need a statement."),
    ("urgency", "routine_timing", "When will my new card arrive?"),
    ("urgency", "routine_card_admin", "How do I change my PIN?"),
    ("urgency", "no_rush", "No rush at all, whenever you get a chance."),
    # frustration that is not
    ("frustration", "polite_problem_report", "Hi, my bill seems higher than usual, could you check it for me?"),
    ("frustration", "praise", "Thank you so much, that was really quick!"),
    ("frustration", "sarcasm_that_is_praise", "You guys are killing it today, thanks!"),
    ("frustration", "negated_negative", "Not bad at all, actually, no complaints."),
    ("frustration", "calm_factual", "The package shows delivered but I can't find it."),
    # churn that is not
    ("churn_threat", "routine_cancellation", "Please cancel order 5531, I ordered the wrong size."),
    ("churn_threat", "negated_churn", "I'm not going to cancel, I just want it fixed."),
]

AGENT_MIRROR = [
    "Let me get my supervisor for you.",
    "I see you've called three times, I'm really sorry.",
    "I understand this is urgent, I'll escalate it to our fraud team.",
    "I know how frustrating this must be.",
]


def asr(text):
    from escalsignal.text import asr_view

    return asr_view(text)


@pytest.mark.parametrize("view", ["as written", "asr"])
@pytest.mark.parametrize("signal, text", FIRES)
def test_positive_fires(det, signal, text, view):
    t = asr(text) if view == "asr" and signal != "frustration" else text
    s = det.score_text(t).signals[signal]
    assert s.detected, f"{signal} {s.score:.2f} on {t!r}"


@pytest.mark.parametrize("view", ["as written", "asr"])
@pytest.mark.parametrize("signal, kind, text", SILENT)
def test_hard_negative_does_not_fire(det, signal, kind, text, view):
    t = asr(text) if view == "asr" else text
    s = det.score_text(t).signals[signal]
    assert not s.detected, f"{kind}: {signal} {s.score:.2f} on {t!r}"


@pytest.mark.parametrize("text", AGENT_MIRROR)
def test_agent_mirroring_customer_phrases_fires_nothing(det, text):
    assert not det.score_text(text, speaker="agent").detected()
