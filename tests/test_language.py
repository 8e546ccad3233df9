"""Hard cases, against the shipped model: each hard-negative kind must not fire, each positive kind must.

The lines are the team's own. Chat, spoken and speech-recogniser (ASR) forms are all covered.
"""
import pytest

FIRES = [
    # manager_request
    ("manager_request", "I want to speak to a supervisor right now."),
    ("manager_request", "could you give me your chief executive's email, please?"),
    ("manager_request", "if only i could talk to a real human this would be fixed"),  # 0.08 before ask-if
    ("manager_request", "if i can get a supervisor on the line that would be great"),  # 0.02 before
    ("manager_request", "get me ur manager pls"),
    ("manager_request", "um can i talk to a super visor please"),
    ("manager_request", "is there someone above you I can talk to"),
    ("manager_request", "I need a real person, not this bot"),
    ("manager_request", "please escalate this to someone in charge"),
    ("manager_request", "i dont care i want a manager"),
    ("manager_request", "this isn't working, get me a manager"),
    ("manager_request", "the rep needs a supervisor to approve it, so put me through to one please"),
    # asks for a person or for escalation in words a rule has to know (mgr.get_person, mgr.person_to_talk_to,
    # mgr.get_escalated): a manager request no rule matches loses log-odds (model.UNMATCHED_PENALTY)
    ("manager_request", "can you just get me a human, the bot keeps looping"),
    ("manager_request", "is there a person I could speak to about my bill?"),
    ("manager_request", "What do I do to get my claim escalated? Third week of waiting."),
    ("manager_request", "human error, fine, but I want to speak to an actual person about it"),
    # a manager named by where or when they work (mgr.titled_manager), and an ask beside a verdict
    ("manager_request", "can I talk to the store manager please, the oven arrived broken"),
    ("manager_request", "i want to speak to the hotel manager about my room"),  # 0.17 before
    ("manager_request", "put me through to the duty manager"),
    ("manager_request", "that supervisor should be fired, get me a manager now"),
    # said to the agent in a call, "you need a manager" asks for one (mgr.staffing_advice_you wants "you guys" or
    # a hedge, "you might need a manager at the airport")
    ("manager_request", "you need a manager on this call right now"),
    ("manager_request", "honestly you need a supervisor for this"),
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
    # unmet requests, implied prior contact, trouble in progress, annoyance with a booking assistant
    ("manager_request", "Been on hold 40 minutes and still no supervisor. Unbelievable."),
    ("manager_request", "your agent refused to put me through to her manager"),
    ("manager_request", "all I get is a bot that hangs up, I need a human"),
    ("repeat_contact", "Your colleague promised me a refund on the phone last Tuesday. Nothing yet."),
    ("repeat_contact", "no reply to my complaint after three weeks"),
    ("repeat_contact", "the engineer who came on Monday said the part was ordered, still waiting"),
    ("urgency", "stuck at the airport with two kids, flight cancelled and no hotel tonight"),
    ("urgency", "my connection leaves in forty minutes and we are still on the runway"),
    ("urgency", "the card machine in my shop stopped working in the middle of the lunch rush"),
    ("frustration", "No! I said Friday, not Thursday. That's the second time you got it wrong."),
    ("frustration", "forget it, I'll just book it myself, this is useless"),
    # chat slips of the key words: a swapped or doubled letter
    ("manager_request", "supervsior now"),
    ("manager_request", "i want a huamn"),
    ("manager_request", "transfer me to your supervsior"),
    ("repeat_contact", "this is the thrid time i am calling"),
    # the label audit's decisions: a wait in a phone queue is a prior contact, a calm outage report is urgent
    ("repeat_contact", "been on hold for fifty minutes just to ask why my claim was denied"),
    ("urgency", "our broadband went down an hour ago and the router light is red"),
    # a contact already made, a service lost now, a departure hours away with trouble
    ("repeat_contact", "after speaking with your agent on Monday I still have no refund"),
    ("repeat_contact", "I tried to contact your team twice last week and nobody picked up the phone"),
    ("manager_request", "I've been trying to reach a supervisor since Monday"),
    ("urgency", "we dont have electricity at the farm since the storm"),
    ("urgency", "our flat has been without hot water since Sunday and my son has eczema"),
    ("urgency", "my train leaves in 3 hours and I still have no ticket"),
    # a named manager asked for: the title-with-name counter covers the title only, not the request before it
    ("manager_request", "Can I speak to supervisor Tessa Morgan please?"),
    # getting through is not the request; asking for a human or a supervisor still is, whatever the wait
    ("manager_request", "Ninety minutes on hold, now put me through to a supervisor."),
    ("manager_request", "two hours on hold and I still haven't reached a real person"),
    ("manager_request", "what's the number to speak to a human?"),
    ("manager_request", "please let me speak to someone, this bot is useless"),
    # no reply to a contact already made
    ("repeat_contact", "no one has got back to me about my claim"),
    ("repeat_contact", "nobody is getting back to me"),
    # a caller picking up an earlier contact
    ("repeat_contact", "hi it's me again, we chatted this morning"),
    ("repeat_contact", "we spoke on Tuesday about my refund"),
    # an app or site down, asked about calmly, is an outage now
    ("urgency", "is your banking app down? it won't let me log in"),
    ("urgency", "is the website down, the checkout page just errors"),
]

SILENT = [
    # manager in a story, reported speech, job titles, other senses
    ("manager_request", "manager_in_story", "The manager at the store was really rude to me."),
    ("manager_request", "manager_in_story", "Acme Rail's CEO vows to end the weekend closures - Evening Post"),
    ("manager_request", "manager_in_story", "so the ceo got a huge bonus and we got a price rise"),
    ("manager_request", "reported_speech", "My manager told me to call you about the invoice."),
    ("manager_request", "reported_speech", "my wife said she wanted to speak to a supervisor"),
    ("manager_request", "reported_speech", "the agent promised to escalate it and I got a reply the next day"),
    ("manager_request", "staff_in_story", "Supervisor accused us of lying at the gate"),
    ("manager_request", "job_title", "I'm the office manager for a small dental practice."),
    ("manager_request", "manager_other_sense", "How do I reset my password manager settings?"),
    # staff fetching a manager is how the issue was handled; "human" as dignity (mgr.staff_fetch_title,
    # mgr.human_other_sense)
    ("manager_request", "staff_in_story", "The gate agent had to call a manager just to approve my seat change."),
    ("manager_request", "staff_in_story", "the cashier went to get the supervisor and she sorted it in two minutes"),
    ("manager_request", "staff_in_story", "Was told by the supervisor at the desk that my return flight is void."),
    ("manager_request", "manager_other_sense", "All I ask is to be treated like a human being."),
    ("manager_request", "manager_other_sense", "i just want to be treated like a human being, not a number"),
    ("manager_request", "past_contact", "I emailed the complaint to head office last week, any update?"),
    # staff needing a manager's approval (mgr.staff_needs_title); "human" as dignity or error
    ("manager_request", "staff_in_story", "the rep was lovely but needs a supervisor to approve the credit"),
    ("manager_request", "staff_in_story", "uh the lady at the desk needs her manager to sign the form"),
    ("manager_request", "manager_other_sense", "we only want to be treated like humans, four hours with no water"),
    ("manager_request", "manager_other_sense", "it was human error on my side, I typed the wrong account number"),
    # staff counted, or a callback from anyone: the words of a request with no request a rule knows (0.27-0.43
    # before the unmatched penalty)
    ("manager_request", "staff_in_story", "so many people waiting and just one agent!"),
    ("manager_request", "staff_in_story", "thirty of us stuck at the counter and a single agent"),
    ("manager_request", "contact_access", "can someone call me back please"),
    # a verdict or advice on how a place is staffed: the customer judging the company (mgr.staffing_advice,
    # mgr.title_judged; 0.49-1.00 before them)
    ("manager_request", "staffing_verdict", "this store needs a manager who actually cares"),
    ("manager_request", "staffing_verdict", "you might want a supervisor at gate 12, total chaos"),
    ("manager_request", "staffing_verdict", "the supervisor should be sacked"),
    ("manager_request", "staffing_verdict", "your ceo should be fired"),
    # reaching anyone at all: the number, the phone line, time spent and attempts made (mgr.reach_*)
    ("manager_request", "contact_access", "What's the number to speak to someone? Your app keeps crashing."),
    ("manager_request", "contact_access", "Is there any way to speak to a rep on the phone? Your chat keeps closing."),
    ("manager_request", "contact_access", "Three days trying to talk to somebody and your line just rings out."),
    ("manager_request", "contact_access", "the wait time to talk to an agent is 90 minutes, really?"),
    ("manager_request", "contact_access", "finally spoke to someone after an hour in the queue"),
    ("manager_request", "contact_access", "45 minutes to reach somebody, then the line dropped"),
    # negated and hypothetical requests
    ("manager_request", "negated_request", "I don't need a manager, just fix it please."),
    ("manager_request", "negated_request", "no need to escalate this"),
    ("manager_request", "negated_request", "i do not want to talk to a supervisor"),
    ("manager_request", "negated_request", "No need for a supervisor, just block the card please."),
    ("manager_request", "negated_request", "I'm not asking for a manager, I just want my refund."),
    ("manager_request", "negated_request", "I never asked for a supervisor."),
    ("manager_request", "negated_request", "I don't want to be transferred to a manager."),
    ("manager_request", "negated_request", "Not looking to escalate this, just flagging a small bug."),
    ("manager_request", "negated_request", "i'd rather not speak to a supervisor"),
    ("manager_request", "negated_request", "I'd prefer not to talk to a manager about it."),
    ("manager_request", "negated_request", "no human needed, the bot is fine"),
    ("manager_request", "negated_request", "no supervisor please, just sort it"),
    ("manager_request", "hypothetical_request", "If this happens again I'll ask for a supervisor."),
    ("manager_request", "staff_in_story", "after speaking with a supervisor last week nothing was done"),
    # ordinary words our positives happen to use: dates, party sizes, "another", "person", "get me a"
    ("manager_request", "manager_other_sense", "could you get me a cab to the station for one person at six"),
    ("frustration", "mild_neutral_question", "Please book me another table for four people on the 11th at 7pm."),
    ("frustration", "mild_neutral_question", "We need tickets for 3 people on the 2nd of May, please."),
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
    ("urgency", "routine_banking", "locked out after the update, what is the quickest way back in?"),  # nothing at stake
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
    # the other kinds the corpus is written for (data/tools/stats.py KIND_SIGNAL)
    ('manager_request', 'service_request_someone', 'Can I talk to someone about changing my delivery address?'),
    ('manager_request', 'service_channel_request', "What's the phone number for your lost luggage desk?"),
    ('manager_request', 'staff_in_story', 'The gate supervisor was lovely and found us two seats together.'),
    ('manager_request', 'staff_in_story', 'The supervisor is doing everything she can, but nobody at the depot answers.'),
    ('manager_request', 'request_verb_thing', "I'd like to request a copy of my March statement."),
    ('manager_request', 'live_person_praise', 'Got through to a real person in two minutes today, impressive.'),
    ('manager_request', 'process_question', 'How does your complaints process work, step by step?'),
    ('repeat_contact', 'ticket_without_history', "My order number is 55812, the parcel hasn't shipped yet."),
    ('repeat_contact', 'past_contact_other_issue', 'You sorted my billing question last spring; now my router is acting up.'),
    ('repeat_contact', 'interaction_without_repeat', "I'm calling to book an engineer visit for next week."),
    ('repeat_contact', 'self_service_attempt', "I've tried the app five times and it keeps crashing at checkout."),
    ('urgency', 'routine_banking', 'Can you tell me my current savings interest rate?'),
    ('urgency', 'future_plans', "We're flying to Lisbon next summer, what's the baggage allowance?"),
    ('urgency', 'urgent_word_other_sense', "Not urgent at all, I'd just like to update my emergency contact."),
    ('urgency', 'booking_requests', "I'd like to book a table for four on Saturday evening."),
    ('urgency', 'time_word_no_stakes', 'Could someone call me back tomorrow afternoon about my plan?'),
    ('urgency', 'travel_leaving', "I'm going on holiday next month, will my card work abroad?"),
    ('urgency', 'general_opinion_no_trip', 'Your delays have been bad for years, someone should look into it.'),
    ('urgency', 'urgent_word_other_sense', 'Has my monthly payment gone down since the new tariff?'),
    ('urgency', 'past_urgency_over', "the app went down this morning but it's fine now"),
    ('urgency', 'past_urgency_over', "was the app down this morning? it's ok now"),  # 0.86 before the next sentence counted
    ('urgency', 'past_urgency_over', "Is your site down? Never mind, it's back up."),  # 0.88 before
    ('urgency', 'future_plans', 'Will the app be down for maintenance on Sunday night?'),
    ('frustration', 'excited_caps_positive', 'OMG my order came a day early, THANK YOU!!!'),
    ('frustration', 'mild_neutral_question', 'Is there a cheaper plan with the same data?'),
    ('frustration', 'calm_report', 'My meter reading looks off by about a hundred units this month.'),
    ('frustration', 'polite_change_request', 'Sorry, I meant Friday, not Thursday. Could you change it?'),
    ('frustration', 'neutral_with_negative_words', 'Your fraud team was brilliant when my card got cloned.'),
    ('frustration', 'joking_banter', 'Haha my cat walked on the keyboard, ignore that last message.'),
    ('churn_threat', 'switch_other_sense', 'How do I switch my bill to paperless?'),
    ('churn_threat', 'switch_other_sense', 'I switched to you from another provider last year.'),
    ('churn_threat', 'leave_other_sense', "I'm leaving from Sheffield on Friday morning, two adults please."),
    ('churn_threat', 'leave_other_sense', 'we want to leave on saturday and come back the following tuesday'),
    ('churn_threat', 'leave_other_sense', "That's me done, thanks for your help."),
    ('churn_threat', 'leave_other_sense', 'i am leaving from glasgow on the fourth'),  # 0.25 before the booking lines
    ('churn_threat', 'leave_other_sense', "I'll be leaving later today, I'm driving up to Leeds."),  # 0.63 before
    ('churn_threat', 'leave_other_sense', "I'm leaving this afternoon, I'm going to my mum's"),  # 0.60 before
    ('repeat_contact', 'hearsay', "I've been told the tasting menu is amazing, can I book for four?"),
    ('repeat_contact', 'hearsay', 'a friend told me about your family railcard, how do I get one?'),
    ('repeat_contact', 'wait_not_contact', "still waiting for our cases at belt 7, forty minutes since we landed"),
    ('repeat_contact', 'wait_not_contact', "we're still sat at the gate and there's no plane yet"),
    ('repeat_contact', 'interaction_without_repeat', "I spoke to my landlord and he's fine with the visit"),
    ('repeat_contact', 'past_contact_other_issue', 'we talked last year about my pension, this is a new question'),
    ('manager_request', 'manager_other_sense', 'A table for one person at eight, please.'),
    ('manager_request', 'manager_other_sense', 'Is the room accessible for a person with a disability?'),
    ('legal_threat', 'legal_other_sense', 'I need the legal name on my account changed after my marriage.'),
    ('legal_threat', 'settled_past', 'The dispute from two years ago was settled, I just need a receipt.'),
    ('legal_threat', 'complaint_word_other_sense', 'No complaints from me, the repair went great.'),
]

#: Someone named by title and name: mgr.title_with_name reads the capitals of any name, mgr.title_with_first_name
#: a list of common first names, so a listed name holds in speech-recogniser text too. "asr": whether the ASR view
#: is pinned as well ("Ingrid" is not listed; the Mia line's "the only person who helped me" still reads as a
#: request without the capitals, 0.27).
NAMED_TITLE_SILENT = [
    ("Our supervisor Nora Quinn rebooked the whole family, please pass on our thanks.", True),
    ("Security supervisor Ellen Park needs some customer service training.", True),
    ("CEO Oliver Grant announced the merger this morning, will my tariff change?", True),
    ("Terminal manager Hugo Brandt deserves a medal for tonight.", True),
    ("supervisor Mia Chen was the only person who actually helped me", False),
    ("Supervisor Ingrid Halvorsen at the Oslo desk was wonderful with my dad.", False),
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


@pytest.mark.parametrize("text, views", [(t, ("as written", "asr") if both else ("as written",))
                                         for t, both in NAMED_TITLE_SILENT])
def test_a_title_before_a_name_is_someone_in_a_story_not_a_request(det, text, views):
    for view in views:
        t = asr(text) if view == "asr" else text
        s = det.score_text(t).signals["manager_request"]
        assert not s.detected, f"{view}: {s.score:.2f} on {t!r}"


def test_every_hard_negative_kind_of_the_corpus_has_a_line_here():
    import importlib.util
    from pathlib import Path

    path = Path(__file__).resolve().parent.parent / "data" / "tools" / "stats.py"
    spec = importlib.util.spec_from_file_location("corpus_stats", path)
    stats = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(stats)
    pinned = {(signal, kind) for signal, kind, _ in SILENT}
    missing = {(signal, kind) for signal, kinds in stats.KIND_SIGNAL.items() for kind in kinds} - pinned
    assert not missing, sorted(missing)


@pytest.mark.parametrize("text", AGENT_MIRROR)
def test_agent_mirroring_customer_phrases_fires_nothing(det, text):
    assert not det.score_text(text, speaker="agent").detected()
