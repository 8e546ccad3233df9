#!/usr/bin/env python3
"""Deterministic generator of multi-turn training calls for escalsignal.

Run from the repository root:  python data/tools/make_calls.py
Writes data/calls/generated_calls.jsonl (call records as described in
data/FORMAT.md, origin "generated") and prints counts.  Standard library only;
all randomness comes from random.Random(SEED), so two runs give byte-identical
output.

Every line in the pools below was written by hand for this script.  A pool entry
is either plain text (all six labels 0) or "flags|text", where flags is a subset
of: f=frustration, r=repeat_contact, m=manager_request, u=urgency,
c=churn_threat, l=legal_threat.  Agent lines never carry flags.

Call shapes and how escalate_turn is decided
---------------------------------------------
calm_resolved        problem reported calmly and fixed; may contain ONE briefly
                     annoyed customer turn (never two frustrated turns in a row)
                     or a calm mention of an earlier contact -> escalate 0.
false_alarm          like calm_resolved but with story / negated / hypothetical
                     manager, legal, churn or urgency wording, or an agent offer
                     of a supervisor that the customer declines -> escalate 0.
slow_build           calm -> mildly impatient (label 0) -> frustrated -> trigger.
                     The trigger is a second frustrated customer turn in a row,
                     or a manager request, or a legal threat; escalate_turn is
                     that turn (index 8-14).
early_manager        explicit manager/supervisor request at turn 0, 1, 2 or 4;
                     escalate_turn is the request.
repeat_frustration   the customer says they already contacted about this; escalate
                     at the first frustrated customer turn at or after the
                     repeat-contact mention.
urgent_priority      time-critical / high-impact trouble (fraud, outage blocking
                     work, stranded, medical); escalate_turn is the urgency turn.

After composing a call, escalate_turn is recomputed from the turn labels with one
rule (escalate_turn_by_rule): the first customer turn that has manager_request,
legal_threat, churn_threat or urgency, or has frustration while the previous
customer turn was also frustrated or a repeat-contact mention has already been
made (this turn or earlier).  The script asserts that the rule agrees with the
shape's intended trigger, and that calm/false-alarm calls never fire it.
"""
import json
import os
import random
import re
import statistics
from collections import Counter, defaultdict

SEED = 731245
N_PER_SHAPE = [
    ("calm_resolved", 130),
    ("false_alarm", 70),
    ("slow_build", 120),
    ("early_manager", 75),
    ("repeat_frustration", 70),
    ("urgent_priority", 85),
]
STYLE_SHARE = [("chat", 0.45), ("spoken", 0.30), ("asr", 0.25)]
KEYS = ["frustration", "repeat_contact", "manager_request", "urgency", "churn_threat", "legal_threat"]
FLAG_KEY = {"f": "frustration", "r": "repeat_contact", "m": "manager_request",
            "u": "urgency", "c": "churn_threat", "l": "legal_threat"}
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT_PATH = os.path.join(ROOT, "data", "calls", "generated_calls.jsonl")

# ---------------------------------------------------------------------------
# Per-scenario pools.  Every entry is "flags|text" (flags from f r m u c l;
# f=frustration r=repeat_contact m=manager_request u=urgency c=churn_threat
# l=legal_threat) or plain text (all six labels 0).  Agent lines carry no flags.
# A text may start with "<topic,...>": the line is only used in calls whose
# opening has one of those topics (keeps a lost-bag call from getting
# flight-rebooking replies).  Untagged lines fit every call of the scenario.
# ---------------------------------------------------------------------------
SCEN = {
    "billing_dispute": {
        "co": ["Northlink Mobile", "Vistacable", "Brightwave Broadband"],
        "ref": "account number", "refpat": "####-####", "team": "billing escalations team",
        "open": [
            "<charge>Hi, there's a charge on my bill this month that I don't recognise, something called a service adjustment fee.",
            "<charge>Hello, my bill is about forty dollars higher than usual and I haven't changed my plan.",
            "<double>Hi, I think I've been charged twice for the same month. I see two identical payments on my bank statement.",
            "<discount>Hey, I was promised a discount when I signed up with {co}, and it isn't showing on my bill.",
            "<charge>Hi, I removed an add-on last month but it's still on this bill.",
            "<charge>Good morning, I'd like to understand a late payment fee. I'm fairly sure I paid on time.",
        ],
        "detail": [
            "It's the bill dated the first, the one that came by email.",
            "I pay by direct debit, so I haven't done anything different.",
            "I've got the statement open in front of me if that helps.",
        ],
        "probe": [
            "Thanks. I'm pulling up your last three statements to compare them.",
            "Let me look at the line items on this bill, one moment.",
            "<charge,double>I can see the charge you mean. Let me check where it came from.",
            "Okay, I'm checking the payment history against the billing cycle now.",
        ],
        "setback": [
            "<charge>I'm afraid the system shows that charge as valid, so I can't remove it from here.",
            "<discount>I'm sorry, the discount wasn't recorded on the account, so there's nothing I can apply retroactively.",
            "Unfortunately, adjustments over fifty dollars need approval from another department, which takes up to ten days.",
            "<double>I can see both payments, but the second one is still pending, so I can't refund it until it settles, which can take a week.",
        ],
        "fix": [
            "<charge>You're right, that shouldn't be there. I've reversed it, and the credit will show on your next bill.",
            "<discount>I've applied the missing discount and backdated it, so you'll see a credit for the difference.",
            "<double>I've refunded the duplicate payment. It should be back in your account in three to five working days.",
            "<charge>I've removed the charge and added a credit for the full amount to this bill.",
        ],
        "mild": [
            "Hmm, okay. I'd just like to know why it's there, that's all.",
            "I see. I'd have expected someone to tell me about that, to be honest.",
            "Right. So what can actually be done about it?",
        ],
        "frus": [
            "f|<charge>That makes no sense. I'm being billed for something I never agreed to, and it's really annoying.",
            "f|So I just have to pay it? That's ridiculous.",
            "f|Honestly, every month there's some problem with this bill. I'm sick of checking it line by line.",
            "f|<double>You took the money twice and I'm the one who has to wait? Honestly, it's maddening.",
        ],
        "angry": [
            "f|This is a complete rip-off. You can't just help yourselves to money and hope nobody notices!",
            "f|<charge>I am NOT paying for something I cancelled. This is unacceptable.",
        ],
        "urgent": [
            "u|My line has been suspended because of this and I run my business from this phone, I need it back on today.",
            "u|The disputed amount is going to bounce my rent payment tomorrow, I need it reversed urgently.",
            "u|There's another charge of nine hundred dollars on here I didn't make. I think someone has got into my account.",
        ],
        "repeat": [
            "r|I already called about this two weeks ago and was told it would be sorted.",
            "rf|This is the third time I'm calling about the same bill and it's still wrong. Unbelievable.",
            "r|I sent an email about this last month and never heard back.",
        ],
    },
    "outage": {
        "co": ["LinkPro Fibre", "Corelight Internet", "Metronet"],
        "ref": "account number", "refpat": "########", "team": "network operations team",
        "open": [
            "<home>Hi, my internet has been down since about eight this morning. All the lights on the router are on but nothing loads.",
            "<home>Hello, I've had no broadband since last night. Is there a problem in my area?",
            "<home>Hey, my connection keeps dropping every few minutes, it's been like that all day.",
            "<home>Hi there, the TV service and the internet both went off about an hour ago.",
            "<mobile>Hello, I've had no signal on my mobile at home since yesterday, calls just fail.",
            "<home>Hi, my speeds have dropped to almost nothing. I'm paying {co} for five hundred megs and getting two.",
        ],
        "detail": [
            "<home>I've already turned the router off and on, if that's your next question.",
            "<home>It's every device in the house, the laptops, the phones, the TV.",
            "<home>The light on the front of the box is flashing red, if that helps.",
            "<mobile>It's only at home. The signal's fine once I get into town.",
            "<mobile>My partner's on the same network and her phone has nothing either.",
        ],
        "probe": [
            "<home>Thanks. I'm running a line test from our side, it'll take a minute or two.",
            "Let me check for any known faults in your area.",
            "<home>Could you unplug the router for thirty seconds and plug it back in while I watch the connection here?",
            "<home>I can see your router is online but dropping packets. Let me look a bit deeper.",
            "<mobile>Could you switch the phone off and on again and check it's not in airplane mode?",
            "<mobile>I'm checking the mast that serves your postcode now.",
        ],
        "setback": [
            "<home>I'm sorry, there's a fault at the local exchange and we don't have a fix time yet.",
            "<home>The earliest engineer appointment I can offer is next Thursday.",
            "<home>Unfortunately I can't see anything wrong from here, so I'll need to book a visit.",
            "<mobile>There's a fault on the mast near you, and the repair crew can't get there until tomorrow.",
            "<mobile>I can't find a fault in the network, so I'll need to raise a ticket with our engineers, which takes up to three days.",
        ],
        "fix": [
            "<home>I've reset the port at the exchange. Your router should reconnect in the next couple of minutes.",
            "The area fault has just been cleared, so you should be back online now.",
            "<home>I've pushed a new configuration to your router and the line looks stable now.",
            "<mobile>I've refreshed your SIM on the network. Restart the phone and you should have service back.",
        ],
        "mild": [
            "Okay. It's a bit of a pain, I work from home most days.",
            "Hmm, so no idea when it'll be back at all?",
            "Right. I did pay for a reliable service, so I'd like it working.",
        ],
        "frus": [
            "f|So I'm just meant to sit here with no service? That's really not good enough.",
            "f|<home>I've restarted the router five times already. This is so frustrating.",
            "f|<home>Next Thursday? That's a week without internet. Ridiculous.",
            "f|<mobile>I can't make a single call from my own house. This is really not on.",
        ],
        "angry": [
            "f|I pay you every single month for a service that DOESN'T WORK. It's a joke.",
            "f|This is absolutely pathetic. How hard is it to keep a connection working?",
        ],
        "urgent": [
            "u|I work from home and I've got a client presentation in an hour, I need this back now.",
            "u|Our whole shop runs on this connection, the card machines are down and we can't take payments.",
            "u|My elderly father has a medical alarm that needs the line working, this is urgent.",
            "u|I've got an exam online tomorrow morning and I can't even log in to study.",
        ],
        "repeat": [
            "r|I reported this same outage on Monday and got a reference, but nobody's been in touch.",
            "rf|This is the fourth time I've called about my connection. Four times!",
            "r|An engineer was already sent out last week for this exact problem.",
        ],
    },
    "refund": {
        "co": ["BrightMart", "Velora Home", "TicketHaven"],
        "ref": "order number", "refpat": "RF-#####", "team": "refunds escalation team",
        "open": [
            "<return>Hi, I returned a jacket over two weeks ago and I still haven't got my money back.",
            "<order>Hello, I cancelled my order before it shipped and I'm waiting on the refund.",
            "<booking>Hi, the event I bought tickets for through {co} was cancelled. How do I get refunded?",
            "<return>Hey, I was told I'd get a partial refund for a damaged item, but I haven't seen it.",
            "<order>Hi, I was charged for an item that was out of stock and never sent.",
            "<booking>Hello, I'm checking on a refund for a hotel stay I cancelled within the free window.",
        ],
        "detail": [
            "<return>I dropped it off at the post office and I still have the receipt.",
            "It was paid on my credit card, the one ending in four one.",
            "The confirmation email said five to seven days, and it's been longer than that.",
        ],
        "probe": [
            "<return>Thanks. Let me check the status of the return in our system.",
            "I can see the order. Give me a moment to find where the refund is.",
            "Let me see whether the refund has been issued or is still pending.",
            "<return>I'm checking with the returns warehouse now, one moment.",
            "<booking>Let me check with the booking system, one moment.",
            "<order>I'm checking the payment record against the cancelled order.",
        ],
        "setback": [
            "<return>The return hasn't been inspected yet, and inspections can take up to thirty days.",
            "I'm afraid we can only offer store credit for this, not a cash refund.",
            "It looks like the refund failed because the original card was closed, so it'll need to be reissued manually.",
            "<booking>The organiser hasn't released the refunds yet, so they're on hold until they do.",
            "<order>The cancellation went through after the payment was captured, so the refund needs approval from finance.",
        ],
        "fix": [
            "I've pushed the refund through now. You should see it within three to five working days.",
            "The refund was actually issued yesterday. Here's the reference so your bank can trace it.",
            "I've approved the full refund, including any fees you paid.",
        ],
        "mild": [
            "Okay, but I'd really like my money back rather than credit.",
            "I see. It's been quite a while, so I just wanted to check.",
            "Hmm, I thought refunds were supposed to be quicker than this.",
        ],
        "frus": [
            "f|<return>Thirty days? You took my money in seconds, but giving it back takes a month?",
            "f|I don't want store credit. I want a refund. This is really annoying.",
            "f|I've done everything you asked and I still don't have my money. Ridiculous.",
        ],
        "angry": [
            "f|You're basically holding my money hostage. It's disgraceful.",
            "f|Enough excuses! Where is my REFUND?",
        ],
        "urgent": [
            "u|That refund is my rent money, and rent is due tomorrow. I need it today.",
            "u|I'm overdrawn because of this, and the bank is charging me every day. Please, it's urgent.",
            "u|I need that money for my son's medication this week, I can't wait thirty days.",
        ],
        "repeat": [
            "r|I called on the 2nd and was told the refund had been processed, but it's not there.",
            "rf|I've chased this refund three times already and every time I get a different answer.",
            "r|I emailed your refunds team last week with all the proof and haven't heard back.",
        ],
    },
    "fraud": {
        "co": ["Crest Bank", "Harbor Federal", "Meridian Card Services"],
        "ref": "account number", "refpat": "########", "team": "fraud response team",
        "open": [
            "<card>Hi, I'm seeing a charge on my card that I don't recognise and I'd like to check it.",
            "<card>Hello, I got a text from {co} asking me to confirm a payment, and I'm not sure it was me.",
            "<card>Hi, I think someone might have used my card details online.",
            "<card>Hello, there's a small charge from a company I've never heard of on my statement.",
            "<card>Hi, my card was declined today and I'm worried something's wrong with the account.",
            "<identity>Hi, I received a letter about a credit application I never made.",
        ],
        "detail": [
            "<card>I haven't lost the card, it's right here in my wallet.",
            "<card>The charge is from yesterday evening, from an online shop.",
            "<card>I've never shopped with that company, I'd remember.",
            "<identity>I've never applied for credit with you, I don't even want a credit card.",
            "<identity>The letter is dated last Thursday and has my full address on it.",
        ],
        "probe": [
            "<card>Thanks. I can see the transaction. Let me check where it came from.",
            "<card>I'm reviewing the recent activity on your card now.",
            "Let me see whether our fraud system flagged anything on the account.",
            "<card>I'm checking the merchant details for that payment, one moment.",
            "<identity>Let me check whether any applications have been made in your name.",
        ],
        "setback": [
            "<card>I'm sorry, to dispute the charge I'll need you to fill in a form, and it can take up to ten days.",
            "<card>The charge has already posted, so I can't cancel it, but we can open a dispute.",
            "<card>I'll need to send you a new card, which takes five to seven working days.",
            "<identity>I'm afraid you'll need to file a report with the credit agency before we can close the application.",
            "<identity>The application is with our lending team, and they need five working days to investigate.",
        ],
        "fix": [
            "<card>I've blocked the card and raised a dispute. The amount will be credited back while we investigate.",
            "<card>That charge was a pre-authorisation from your hotel and it's already dropped off, so no money has left the account.",
            "<card>I've cancelled the old card and ordered a new one, and the unrecognised charge has been refunded.",
            "<identity>I've cancelled the application and put a fraud marker on your file so nothing else can be opened.",
        ],
        "mild": [
            "Okay. I'd just like to know my account is safe.",
            "Hmm, that seems a long time for something I didn't even do.",
            "Right. I'm a bit uneasy about all this, to be honest.",
        ],
        "frus": [
            "f|So someone steals from me and I have to do all the paperwork? That's ridiculous.",
            "f|<card>Why did your system let that charge through in the first place? This is really frustrating.",
            "f|<card>A week without a card? That's completely unacceptable.",
            "f|<identity>Someone is opening credit in my name and you want me to fill in forms? What a joke.",
        ],
        "angry": [
            "f|I've been robbed and you're reading me policies! Unbelievable!",
            "f|This is a disgrace, you're supposed to protect my money.",
        ],
        "urgent": [
            "u|There are three charges I didn't make in the last hour and more keep coming. Please freeze my card now.",
            "u|My card was stolen about twenty minutes ago, I need it blocked right away.",
            "u|Someone has just taken two thousand dollars out of my account, I need help now.",
            "u|I think my online banking has been hacked, the password was changed and I can't get in.",
        ],
        "repeat": [
            "r|I reported this fraud last week and was told it would be cleared in three days.",
            "rf|I've called twice about this and it's still sitting on my account. This is ridiculous.",
            "r|I already spoke to your fraud department on Tuesday about this.",
        ],
    },
    "delivery_delay": {
        "co": ["SwiftParcel", "Parcelo", "QuickDrop Couriers"],
        "ref": "tracking number", "refpat": "TR#########", "team": "delivery escalations team",
        "open": [
            "<late>Hi, my parcel was due on Tuesday and the tracking hasn't updated in four days.",
            "<lost>Hello, the tracking says delivered, but there's nothing at my door.",
            "<late>Hi, I've been waiting in all day for a {co} delivery and it hasn't come.",
            "<late>Hey, my order says it's stuck at the depot. Any idea what's going on?",
            "<late>Hi, the courier left a card saying they tried to deliver, but I was home the whole time.",
            "<late>Hello, my delivery has been rescheduled three days in a row, and I'd like to know why.",
        ],
        "detail": [
            "<lost>I've checked with the neighbours and the porch, nothing.",
            "<late>The last update just says in transit, nothing since then.",
            "It's a birthday present, so I was hoping it would arrive this week.",
        ],
        "probe": [
            "Thanks. Let me look up where the parcel is now.",
            "I'm checking the driver's scan history for your parcel.",
            "Let me contact the local depot to see what's happened.",
            "I can see the parcel. Give me a second to check the delivery notes.",
        ],
        "setback": [
            "<late>I'm afraid the parcel is showing as delayed at the hub, with no new estimate yet.",
            "<lost>We need to wait forty-eight hours before we can open a missing parcel investigation.",
            "<late>The earliest redelivery slot I can offer is next Monday.",
            "<lost>The driver's photo shows a different front door, so I'll need to open a case with the depot.",
        ],
        "fix": [
            "<late>It's on today's van and should be with you before six this evening.",
            "I've arranged a replacement to be sent by express, it'll arrive tomorrow.",
            "<late>I've refunded the delivery charge and booked a redelivery for tomorrow morning.",
        ],
        "mild": [
            "Okay. I did pay for next-day delivery, though.",
            "Hmm, so no idea when I'll actually get it?",
            "Alright. I took the day off for this, so I was hoping for better news.",
        ],
        "frus": [
            "f|<lost>Forty-eight hours? It's gone missing and you want me to wait two more days? Ridiculous.",
            "f|<lost>How can it say delivered when it's not here? This is so frustrating.",
            "f|<late>I've stayed home two days in a row for nothing. I'm fed up.",
        ],
        "angry": [
            "f|Your drivers are a total joke. Where is my PARCEL?",
            "f|Worst delivery company I have ever used, hands down.",
        ],
        "urgent": [
            "u|It's my daughter's insulin supplies in that box, we need them today.",
            "u|The parcel has my passport in it and I fly on Thursday, this is urgent.",
            "u|These are parts for a job I'm starting tomorrow morning. I need them today or I lose the contract.",
        ],
        "repeat": [
            "r|I called yesterday and was told it would come today. It hasn't.",
            "rf|This is the third time I've contacted you about this parcel and I still have no idea where it is!",
            "r|I already opened a ticket about this on the website last week.",
        ],
    },
    "account_lockout": {
        "co": ["Payvio", "Gamehub", "Cloudnest"],
        "ref": "customer ID", "refpat": "CID-######", "team": "account security team",
        "open": [
            "Hi, I'm locked out of my account, it keeps saying my password is wrong.",
            "Hello, I got a message that my {co} account was suspended and I don't know why.",
            "<phone>Hi, I changed phones and now I can't get the verification code to log in.",
            "Hey, the password reset email never arrives, I've tried a few times.",
            "Hi, my account says it's been disabled for security reasons.",
            "Hello, I can't log in since the app updated, it just loops back to the sign-in page.",
        ],
        "detail": [
            "I've checked the spam folder and there's nothing there.",
            "The last time I logged in fine was on Sunday.",
            "I'm using the same email address I signed up with.",
            "<phone>The old phone was traded in, so I can't get anything from it.",
        ],
        "probe": [
            "Thanks. I'm checking the security log on your account now.",
            "Let me verify a couple of details before I can unlock anything.",
            "I can see some failed sign-in attempts. Let me take a closer look.",
            "I'll try sending a fresh reset link. Could you check your inbox in a minute?",
        ],
        "setback": [
            "I'm sorry, I can't unlock it without verifying your ID, which takes three to five days.",
            "The security answers you gave don't match our records, so I can't go further on this call.",
            "The account was flagged by our automated system, and only the security team can lift it.",
        ],
        "fix": [
            "I've unlocked the account. You can sign in now and set a new password.",
            "<phone>I've updated your phone number, so the code should come to your new phone now.",
            "I've cleared the block on our side. Try signing in again.",
        ],
        "mild": [
            "Okay. I just really need to get back in.",
            "Hmm, I'm pretty sure my details are right, though.",
            "Three to five days seems like a long time for a login problem.",
        ],
        "frus": [
            "f|I've been locked out for two days now and I'm getting really fed up.",
            "f|I'm literally telling you it's my account. This is ridiculous.",
            "f|Every time I try, it sends me back to the start. I'm so sick of this.",
        ],
        "angry": [
            "f|You lock me out of my OWN account and then won't let me back in. Unbelievable!",
            "f|This security process is a complete joke.",
        ],
        "urgent": [
            "u|Someone's logged into my account from another country and they're changing my details right now.",
            "u|All my work files are in that account and I have a deadline today, I need access now.",
            "u|I think my account has been hacked, they're sending messages to my contacts as we speak.",
        ],
        "repeat": [
            "r|I already called on Friday and was told my account would be unlocked within a day.",
            "rf|This is my third call about getting back into my account. I've sent my ID twice!",
            "r|I sent the ID documents by email last week like your colleague asked.",
        ],
    },
    "travel_disruption": {
        "co": ["SkyBridge Air", "AeroPacific", "JetLynx"],
        "co_by_topic": {"train": ["Railink", "CrossCountry Rail"]},
        "ref": "booking reference", "refpat": "XXXXXX", "team": "emergency rebooking desk",
        "open": [
            "<flight>Hi, my flight this evening has been cancelled, and I need to rebook.",
            "<flight>Hello, my connecting flight was delayed and I've missed the last train from the airport.",
            "<bag>Hi, my bag didn't arrive on my {co} flight, and I'd like to know where it is.",
            "<flight>Hey, my flight got moved to six hours later. Can I switch to an earlier one?",
            "<train>Hi, my train was cancelled, and the app won't let me change my ticket.",
            "<flight>Hello, I got an email saying my holiday flight schedule has changed, and I'd like to understand my options.",
        ],
        "detail": [
            "<flight,train>I'm travelling with my partner, so it'd need to be two seats.",
            "<flight,train>We're booked on the same reservation, it should all be together.",
            "I've got a hotel booked at the other end for tonight.",
            "<bag>It's a large black suitcase with a red strap around it.",
        ],
        "probe": [
            "<flight>Thanks. I'm looking at alternative flights for you now.",
            "<flight>Let me check what options we have on partner airlines.",
            "<flight,train>I can see the disruption. Let me see what seats are available.",
            "<bag>I'm checking the baggage tracing system, one moment.",
            "<train>Let me check the next departures on that route.",
            "<bag>I'm looking at the last scan of your bag tag.",
        ],
        "setback": [
            "<flight,train>I'm sorry, the next available seats are on Thursday morning.",
            "<flight,train>Unfortunately, the disruption was due to weather, so we can't cover hotel costs.",
            "<bag>The bag hasn't been located yet, it can take up to five days to trace.",
            "<bag>The bag is in another country at the moment, so the earliest delivery would be Friday.",
        ],
        "fix": [
            "<flight>I've rebooked you on the earlier flight at no cost, and your new boarding pass is on its way by email.",
            "<bag>I've found your bag, and it'll be delivered to your hotel this evening.",
            "<flight>I've issued a hotel voucher and a meal allowance, and you're confirmed on the first flight tomorrow.",
            "<train>I've moved your ticket to the next train at no extra cost, and the new ticket is in the app.",
        ],
        "mild": [
            "<flight,train>Okay. I was really hoping to get there today.",
            "<flight>Hmm, is there nothing at all on another airline?",
            "<flight>Right. So I just wait at the airport until then?",
            "<bag>Okay. I've only got the clothes I'm wearing, though.",
            "<train>Hmm, is there really no other train today?",
        ],
        "frus": [
            "f|<flight,train>Thursday? That's two days away. This is absolutely ridiculous.",
            "f|I've been standing in queues for three hours, and now this. I'm fed up.",
            "f|<flight>So you cancel my flight and I pay for the hotel? That's outrageous.",
            "f|<bag>Five days? I'm at a conference with nothing to wear. This is a nightmare.",
        ],
        "angry": [
            "f|<flight,bag>This is the WORST airline I've ever flown with.",
            "f|You've ruined our whole trip, and nobody even cares.",
        ],
        "urgent": [
            "u|<flight>My flight leaves in forty minutes and the gate says it's overbooked, please help.",
            "u|We're stranded with two small children and nowhere to sleep tonight.",
            "u|I'm travelling to my mum's funeral tomorrow morning, I have to get there tonight.",
            "u|<flight>My connection leaves in an hour from another terminal, and I'm stuck on the plane.",
            "u|<bag>My bag has my heart medication in it, and I only have today's dose with me.",
        ],
        "repeat": [
            "r|<flight>I spoke to someone at the airport desk yesterday and they said you'd call me with a new flight.",
            "rf|<bag>I've called you three times about my lost bag and nobody can tell me anything!",
            "r|I already filed a claim for this last month and never heard back.",
            "r|<train>I called yesterday about changing this ticket and was promised a refund link that never came.",
        ],
    },
    "tech_support": {
        "co": ["Zenith Electronics", "Novatech", "RingWise"],
        "ref": "customer number", "refpat": "CN#######", "team": "senior technical team",
        "open": [
            "<laptop>Hi, my laptop won't turn on since this morning, it just shows a black screen.",
            "<printer>Hello, my printer says it's offline even though it's connected to the Wi-Fi.",
            "<app>Hi, the {co} app keeps crashing every time I open it.",
            "<phone>Hey, my phone has been overheating and the battery dies in a couple of hours.",
            "<licence>Hi, I can't get the software to activate, it says the licence key is invalid.",
            "<speaker>Hello, my smart speaker stopped responding after last night's update.",
        ],
        "detail": [
            "<laptop,phone,speaker,printer>It's the model I bought about eight months ago, still under warranty.",
            "I've already tried restarting it a few times.",
            "Nothing's changed on my end, it just stopped working.",
            "<licence>I bought the licence directly from your website in March.",
        ],
        "probe": [
            "<laptop,phone,speaker,printer>Thanks. Could you hold the power button for fifteen seconds and then try again?",
            "<app,speaker,phone>Let me check if there are any known issues with the latest update.",
            "<printer,app,licence,laptop>Can you tell me exactly what the error message says?",
            "<printer,speaker,phone,app>Let's try a reset. I'll walk you through it step by step.",
            "<licence>Let me look up the licence key against your account.",
        ],
        "setback": [
            "<laptop,phone,speaker,printer>It sounds like a hardware fault, so it'll need to go in for repair, which takes about two weeks.",
            "<licence>I'm sorry, that licence key was registered to another account, so I can't reactivate it from here.",
            "<app,speaker>Our engineers are aware of the bug, but there's no fix date yet.",
            "<licence>That key was for the previous version, so it won't activate this one without an upgrade.",
        ],
        "fix": [
            "<speaker,app,phone>I've pushed a fix to your device. Restart it and it should work normally.",
            "<licence>I've reissued the licence key to your email. It should activate now.",
            "<laptop,printer,phone,speaker,app>That did it. The reset cleared the problem, and everything's updated.",
            "<laptop,printer>I've booked a technician visit for tomorrow morning at no charge, and they'll bring a replacement part.",
        ],
        "mild": [
            "Okay, I've tried that before, but I'll do it again.",
            "<laptop,phone,speaker,printer>Hmm, two weeks without it would be pretty difficult.",
            "Right, so is there anything else I can try in the meantime?",
        ],
        "frus": [
            "f|We've been through the same steps three times now. This is so frustrating.",
            "f|<laptop,phone,speaker,printer>I paid good money for this and it's broken already. Ridiculous.",
            "f|<app,speaker,phone>Your update broke it, and now I have to fix it? That's absurd.",
            "f|<licence>I paid for this licence! How can it be invalid? What a joke.",
        ],
        "angry": [
            "f|This is garbage. Absolute garbage!",
            "f|I am SO done with your products and your useless support.",
        ],
        "urgent": [
            "u|<laptop>It's my work laptop and I've got a presentation to give in an hour, I need it working now.",
            "u|I need this working for my job in the next hour, I've got a client waiting.",
            "u|I run my business off this and it's costing me money every minute it's down, please hurry.",
        ],
        "repeat": [
            "r|I already called about this last week, and they told me to wait for the update.",
            "rf|This is the third ticket I've opened about the same problem. Nobody has fixed anything!",
            "r|I was told someone from your technical team would call me back, but nobody did.",
        ],
    },
    "cancellation": {
        "co": ["StreamFlix", "FlexZone Gyms", "PureBox Meals"],
        "ref": "account number", "refpat": "#######", "team": "customer relations team",
        "open": [
            "Hi, I'd like to cancel my membership, please.",
            "Hello, I'm trying to cancel my {co} subscription but the website won't let me.",
            "<charged>Hi, I cancelled last month, but I've been charged again.",
            "<abroad>Hey, I want to end my contract early, I'm moving abroad.",
            "Hi, can you tell me how to cancel the premium add-on? I don't use it.",
            "Hello, I'd like to cancel my plan before the renewal date next week.",
        ],
        "detail": [
            "<charged>I've got the cancellation confirmation email from last month.",
            "<abroad>I'm moving on the fifteenth, so I won't be able to use it after that.",
            "I signed up about a year ago, I think.",
        ],
        "probe": [
            "Thanks. Let me pull up the subscription details.",
            "I can see your plan. Let me check the cancellation terms.",
            "<charged>Let me see what happened with the cancellation you submitted.",
            "One moment while I check whether there's an early termination fee.",
        ],
        "setback": [
            "I'm afraid there's a thirty-day notice period, so you'll be billed for one more month.",
            "Cancelling before the contract ends would mean an early termination fee of one hundred and fifty dollars.",
            "I'm sorry, cancellations have to be done in writing, I can't process it over the phone.",
        ],
        "fix": [
            "I've cancelled it. You'll get a confirmation email, and there won't be any further charges.",
            "<charged>I've refunded last month's charge, and the account is now fully closed.",
            "<abroad>I've waived the termination fee since you're moving abroad. It's all cancelled.",
            "I've processed the cancellation, and you'll keep access until the end of the billing period.",
        ],
        "mild": [
            "Okay. I'd just like it to be as simple as possible.",
            "Hmm, nobody mentioned that when I signed up.",
            "I see. So I'd still pay for a month I won't use?",
        ],
        "frus": [
            "f|It's easier to sign up than to leave. It's ridiculous.",
            "f|<charged>I cancelled already! Why do I have to keep paying? This is so annoying.",
            "f|In writing? It's not the nineteenth century. This is absurd.",
        ],
        "angry": [
            "f|This is a SCAM. You make it impossible to leave on purpose.",
            "f|Stop trying to keep me. Just do what I asked!",
        ],
        "urgent": [
            "u|It renews tonight at midnight for the full year, I need it cancelled before then.",
            "u|You're about to take four hundred dollars for a renewal and I've only got fifty in my account. Please stop it today.",
            "u|The annual fee comes out tomorrow and it'll bounce my mortgage payment, this is urgent.",
        ],
        "repeat": [
            "r|I already called to cancel last month and was told it was done.",
            "rf|This is the third time I've asked to cancel! Why am I still being charged?",
            "r|I sent the cancellation letter two weeks ago, recorded delivery.",
        ],
    },
    "insurance_claim": {
        "co": ["Guardline Insurance", "Evercover", "Shieldpoint Mutual"],
        "ref": "claim number", "refpat": "CL-######", "team": "priority claims unit",
        "open": [
            "<car>Hi, I'd like to check on the status of my car insurance claim.",
            "<new>Hello, I need to file a claim, a tree came down on my fence in the storm.",
            "<denied>Hi, my claim was denied, and I'd like to understand why.",
            "<settle>Hey, the settlement offer on my claim is a lot lower than the repair quote.",
            "<status>Hi, I'm calling about my home claim with {co} for water damage, I haven't heard anything in a while.",
            "<status>Hello, I'm trying to find out when the adjuster is coming out for my claim.",
        ],
        "detail": [
            "I sent in the photos and the repair estimate last week.",
            "<new,status,denied>The damage happened on the night of the storm, the 12th.",
            "<car>The garage has the car, they're just waiting on your approval.",
        ],
        "probe": [
            "Thanks. I'm opening the claim file now.",
            "Let me see which stage the claim is at.",
            "I'm checking the adjuster's notes, one moment.",
            "Let me look at the policy wording for this type of damage.",
        ],
        "setback": [
            "<status,new,car>The claim is still waiting to be assigned to an adjuster, which can take up to three weeks.",
            "<denied,status>I'm sorry, the policy excludes gradual water damage, so that part isn't covered.",
            "<settle,car>The settlement is based on market value, so I'm not able to increase it from here.",
            "<denied>The denial was upheld on review, so I can't reopen it from this desk.",
        ],
        "fix": [
            "<denied,status,car>The claim has been approved, and payment will be made within five working days.",
            "<status,new>I've booked the adjuster for Thursday morning and sent you a confirmation.",
            "<car>I've authorised the garage to start the repairs today.",
            "<settle>I've asked for a second valuation, and the offer has been increased to match the repair quote.",
        ],
        "mild": [
            "Okay. It's just that I've been waiting a while.",
            "<denied>Hmm, I was told when I took out the policy that this was covered.",
            "Right. So what do I do with the damage in the meantime?",
        ],
        "frus": [
            "f|<status,new,car>Three weeks just to assign someone? That's ridiculous.",
            "f|I've paid my premiums for years, and the one time I need you, this happens. It's really frustrating.",
            "f|<settle>That offer is an insult. It won't even cover half the repair.",
            "f|<denied>You'll take my premiums but won't pay out on a storm? Unbelievable.",
        ],
        "angry": [
            "f|You people are experts at taking money and useless at paying out!",
            "f|This is an absolute disgrace. I'm furious.",
        ],
        "urgent": [
            "u|<status,new,denied>There's water coming through the ceiling right now, I need someone out today.",
            "u|<car>My car is off the road and I need a rental today or I can't get to work tomorrow.",
            "u|<status,new,denied,settle>Half my roof is open and there's more rain forecast tonight, this is an emergency.",
            "u|<car,settle>I can't get my kids to school or myself to work without the car. I need this sorted today.",
        ],
        "repeat": [
            "r|I called last week and was told an adjuster would ring me within two days. Nobody did.",
            "rf|I've sent the same documents three times now, and you keep saying they're missing!",
            "r|This is my second call about this claim this week.",
        ],
    },
    "healthcare_claim": {
        "co": ["Wellpath Health", "CareBridge", "Summit Health Plans"],
        "ref": "member ID", "refpat": "MB#######", "team": "urgent clinical review team",
        "open": [
            "<bill>Hi, I got a bill for a doctor's visit that I thought was covered.",
            "<rx>Hello, my prescription was rejected at the pharmacy, and they said to call my insurance.",
            "<bill>Hi, I'm trying to find out why my claim for physical therapy was denied.",
            "<auth>Hey, I need to check if a procedure my doctor recommended needs prior authorisation.",
            "<network>Hi, my explanation of benefits says out of network, but the clinic told me they take {co}.",
            "<bill>Hello, I was charged a copay twice for the same appointment.",
        ],
        "detail": [
            "<bill,network>The visit was on the 9th of last month, with my regular doctor.",
            "My doctor's office said they sent everything over already.",
            "It's for my daughter, she's on my plan as a dependent.",
            "<rx>It's the same prescription I've had filled every month for two years.",
        ],
        "probe": [
            "<bill,network>Thanks. I'm pulling up the claim now.",
            "<bill,network>Let me check how the claim was coded by the provider.",
            "<auth,rx>I'm looking at the prior authorisation records, one moment.",
            "<network>Let me check the network status of that provider.",
            "<rx>Let me check the pharmacy claim and your formulary.",
        ],
        "setback": [
            "<bill>The claim was denied because there's no referral on file, so the provider will need to resubmit.",
            "<auth,rx>I'm sorry, prior authorisation reviews take up to fifteen business days.",
            "<network>That provider left our network in January, so it's been processed as out of network.",
            "<rx>That medication was moved to a higher tier this year, so it needs a new approval from your doctor.",
        ],
        "fix": [
            "<bill,network>I've sent the claim back for reprocessing, and it'll be paid at the in-network rate.",
            "<rx>I've approved an override so the pharmacy can fill the prescription today.",
            "<bill>I've refunded the duplicate amount, you'll get a cheque in about a week.",
            "<auth>I've approved the authorisation, so the procedure can go ahead as scheduled.",
        ],
        "mild": [
            "Okay. I just don't want to end up with a bill I shouldn't have.",
            "Hmm, my doctor's office seemed sure it was all fine.",
            "<bill,network>Right. And what am I supposed to do with the bill until then?",
        ],
        "frus": [
            "f|<auth,rx>Fifteen days? I need this treatment now. That's ridiculous.",
            "f|Every time I ask, it's somebody else's fault. I'm so tired of this.",
            "f|<bill,network>You're telling me I owe eight hundred dollars because of a paperwork mistake? Unacceptable.",
        ],
        "angry": [
            "f|I pay a fortune for this plan and you deny EVERYTHING.",
            "f|This is disgusting. People's health is on the line and you hide behind forms.",
        ],
        "urgent": [
            "u|<rx>I've only got two days of my heart medication left, and the pharmacy won't fill it.",
            "u|<auth>My son's surgery is tomorrow morning and the hospital says the authorisation isn't there.",
            "u|<rx>I'm at the pharmacy right now and they won't give me my insulin without approval.",
            "u|<bill,network>The hospital says they'll cancel my treatment tomorrow unless this bill is sorted today.",
        ],
        "repeat": [
            "r|I called two weeks ago and was told this would be reprocessed.",
            "rf|I've called about this four times now and it just keeps getting sent back!",
            "r|The last representative said she'd send a note to the claims team, but nothing changed.",
        ],
    },
    "banking": {
        "co": ["Crest Bank", "Harbor Federal", "Northgate Savings"],
        "ref": "account number", "refpat": "########", "team": "payments priority team",
        "open": [
            "<transfer>Hi, I made a transfer yesterday, and it still hasn't reached the other account.",
            "<fee>Hello, I was charged an overdraft fee, but I had money in the account.",
            "<card>Hi, my {co} debit card keeps getting declined even though I've got funds.",
            "<hold>Hey, I'd like to understand why my account has a hold on it.",
            "<cheque>Hi, I deposited a cheque last week and it still isn't showing.",
            "<transfer>Hello, my direct debit for the mortgage didn't go out this month.",
        ],
        "detail": [
            "<transfer>It was a payment to my landlord, for about nine hundred dollars.",
            "<fee,card>I checked the balance before I paid, it was definitely enough.",
            "I've banked with you for about ten years, never had this before.",
        ],
        "probe": [
            "Thanks. Let me look at the transaction history.",
            "<transfer>I'm checking the status of that payment now.",
            "<hold,cheque>I can see the account. Let me find out why the hold was placed.",
            "<card>One moment while I check the card for any blocks.",
        ],
        "setback": [
            "<transfer,hold>The payment is under a compliance review, which can take up to three business days.",
            "<fee>I'm afraid the fee was applied correctly under the account terms, so I can't remove it.",
            "<cheque>The cheque is on a standard hold for seven working days, I can't release it early.",
            "<card>The card's been flagged for a security review, and I can't lift that block myself.",
        ],
        "fix": [
            "<transfer>I've released the payment, and it'll reach the other account within two hours.",
            "<hold>I've lifted the hold, and your full balance is available again.",
            "<cheque>I've released the cheque funds early, so they'll be available within the hour.",
            "<fee>I've refunded the overdraft fee as a one-off.",
            "<card>There was a block on the card after a suspicious-looking purchase. I've lifted it, so it'll work now.",
        ],
        "mild": [
            "<transfer,hold,cheque>Okay. I'd just like to know when it will actually go through.",
            "<hold>Hmm, I've never had a hold before. Is there a problem with my account?",
            "Right. So I just have to wait?",
            "<fee,card>Hmm, I'm fairly sure I did nothing wrong here.",
        ],
        "frus": [
            "f|<transfer,hold>Three days? It's my money! This is ridiculous.",
            "f|<fee>You charged me a fee for your own mistake. That's really annoying.",
            "f|<card>I've been embarrassed at the checkout twice today because of your bank. I'm fed up.",
            "f|<cheque>Seven days to clear a cheque? What year is it? This is ridiculous.",
        ],
        "angry": [
            "f|This bank is an absolute shambles.",
            "f|Don't tell me about terms and conditions! Give me my MONEY.",
        ],
        "urgent": [
            "u|<transfer,hold,cheque>If that money isn't available today, I lose the deposit on the house.",
            "u|<card>I'm abroad and my card's been blocked, I can't pay for my hotel tonight.",
            "u|There's a payment going out of my account right now that I didn't authorise, please stop it.",
            "u|My staff have to be paid today, and the business account is frozen.",
        ],
        "repeat": [
            "r|I came into the branch on Monday about this same problem.",
            "rf|This is the third time I've called about this, and nobody has fixed it!",
            "r|I sent a secure message about this on Friday and haven't had a reply.",
        ],
    },
    "utilities": {
        "co": ["Evergrid Energy", "Clearwater Utilities", "Brightline Power"],
        "ref": "account number", "refpat": "##-###-###", "team": "emergency response team",
        "open": [
            "<bill>Hi, my electricity bill is nearly double what it normally is.",
            "<supply>Hello, we've had no hot water since this morning, and I think it's the gas supply.",
            "<plan>Hi, I got a letter from {co} saying you'll cut off my water, but I'm on a payment plan.",
            "<bill>Hey, I submitted a meter reading but my bill is still estimated.",
            "<supply>Hi, the power keeps tripping at our house, and the neighbours say theirs is fine.",
            "<debt>Hello, I've just moved in and the previous tenant's debt is being billed to me.",
        ],
        "detail": [
            "<bill>I took a photo of the meter this morning, the reading's 4-5-2-1-3.",
            "<bill>Nothing's changed in the house, same people, same appliances.",
            "<debt>I moved in on the 1st, I've got the tenancy agreement.",
            "<supply>It started this morning, and nothing new has been plugged in.",
            "<plan>I've paid every instalment on time, I've got the bank statements.",
        ],
        "probe": [
            "<bill>Thanks. I'm comparing your usage with the last few bills.",
            "<supply>Let me check for any supply issues in your area.",
            "<plan>I can see the account. Let me look at the payment plan.",
            "<bill,debt>I'm looking at the meter readings we have on file.",
        ],
        "setback": [
            "<bill>The bill is based on an estimated reading, and I can't change it until a technician checks the meter.",
            "<supply,bill>The earliest engineer visit is next Wednesday, I'm afraid.",
            "<debt>The debt is tied to the property, so I'll need proof of your move-in date before I can remove it.",
            "<plan>The plan shows a missed payment in March, so it was cancelled automatically.",
        ],
        "fix": [
            "<bill>I've updated the bill with your actual reading, and it's gone down by ninety dollars.",
            "<plan>I've stopped the disconnection, and your payment plan is back in place.",
            "<debt>I've moved the old debt off your account, so you'll only be billed from your move-in date.",
            "<supply>There was a fault on the supply to your street, and it's just been restored. You should have everything back now.",
        ],
        "mild": [
            "<bill,debt>Okay. I just want to pay for what I actually used.",
            "<bill>Hmm, it seems strange that it would jump so much.",
            "<supply>Right. That's a while to go without it, though.",
            "<plan>Hmm, I'm sure I haven't missed anything.",
        ],
        "frus": [
            "f|<bill,plan>I'm not paying a bill that's obviously wrong. This is ridiculous.",
            "f|<supply>A week with no hot water? That's completely unacceptable.",
            "f|<debt>Why should I pay someone else's debt? This is so frustrating.",
            "f|<plan>I've paid every month and you still want to cut me off? Are you serious?",
        ],
        "angry": [
            "f|<bill,debt,plan>You people are robbing us blind with these bills!",
            "f|This is a complete SHAMBLES from start to finish.",
        ],
        "urgent": [
            "u|<supply>There's a strong smell of gas near the meter, what do I do right now?",
            "u|<supply>My wife uses a home dialysis machine and the power's off, we need it back urgently.",
            "u|<supply>It's freezing, the heating's off, and I've got a newborn in the house. Please send someone today.",
            "u|<plan,bill,debt>They're here right now to disconnect us, and I've already paid. Please stop them.",
        ],
        "repeat": [
            "r|I already called last month about this exact problem, and was told it'd be sorted.",
            "rf|<bill>I've sent you my meter reading three times! Why does nobody use it?",
            "r|An engineer was booked for last Tuesday about this, but nobody showed up.",
        ],
    },
    "retail_order": {
        "co": ["ShopNest", "Velora Home", "Kettle & Co"],
        "ref": "order number", "refpat": "######", "team": "order escalations team",
        "open": [
            "<missing>Hi, I received my {co} order today, but one of the items is missing.",
            "<damaged>Hello, the chair I ordered arrived broken, one of the legs is snapped.",
            "<wrong>Hi, I got the wrong colour. I ordered navy and it's bright green.",
            "<address>Hey, I want to change the delivery address on an order I placed this morning.",
            "<charged>Hi, I was charged for an order that says it was cancelled.",
            "<slow>Hello, my order has been processing for ten days, and I'd like to know what's happening.",
        ],
        "detail": [
            "<missing>I checked the box and all the packaging, it's definitely not there.",
            "<damaged>I've got photos of the damage if you need them.",
            "It was a gift, so I'd really like to get it right.",
            "<wrong>The label on the box says navy, but what's inside is definitely green.",
        ],
        "probe": [
            "Thanks. I'm looking at the order details now.",
            "Let me check the warehouse notes for that order.",
            "I can see the order. Let me check where things are up to.",
            "<damaged,wrong>Could you send photos through the link I've just emailed, so I can log it?",
        ],
        "setback": [
            "<missing,wrong,damaged,slow>I'm afraid that item is out of stock, and we don't have a restock date yet.",
            "<wrong,damaged>We can only process an exchange once we receive the original item back.",
            "<address>The order has already been picked, so I can't change the address now.",
            "<charged>The refund for the cancelled order needs approval from our payments team, which takes up to ten days.",
        ],
        "fix": [
            "<missing>I've sent the missing item by express, and it'll arrive tomorrow.",
            "<damaged,wrong>I've arranged a replacement and a courier to collect the old one. No charge.",
            "<charged>I've cancelled the charge, you'll see it drop off your statement in a few days.",
            "<address>I've caught it in time and updated the address before dispatch.",
            "<slow>Your order has just been released from the warehouse and will ship today.",
        ],
        "mild": [
            "Okay. I'd have liked it to be right the first time, but fine.",
            "<wrong,damaged>Hmm, so I have to send it back before I get the right one?",
            "Right. I was hoping to have it for the weekend.",
        ],
        "frus": [
            "f|<missing,wrong,damaged>So your warehouse makes the mistake and I have to wait? That's ridiculous.",
            "f|<damaged>This is the second broken item in a month. I'm really fed up.",
            "f|<slow>Ten days processing? What are you even doing with my order? This is frustrating.",
            "f|<address>It was placed this morning and you can't change an address? Come on, that's absurd.",
            "f|<charged>You're charging me for something you cancelled yourselves. Honestly, this is maddening.",
        ],
        "angry": [
            "f|I've never had such a shambolic experience buying anything. Pathetic.",
            "f|Your whole operation is a JOKE.",
        ],
        "urgent": [
            "u|It's a dress for a wedding on Saturday, I need it sorted by Friday.",
            "u|The order is medical equipment for my mum and she's coming home from hospital tomorrow.",
            "u|<charged>I was charged three times for the same order and now my account's overdrawn. Please fix it today.",
        ],
        "repeat": [
            "r|I contacted you on the 5th about this order and was told it would be sorted that week.",
            "rf|I've emailed three times and called twice about this order. Still nothing!",
            "r|Your chat agent yesterday said it was being handled, but I haven't had any update.",
        ],
    },
}
# ---------------------------------------------------------------------------
# General pools (usable in any scenario).
# ---------------------------------------------------------------------------
AGENT_VERIFY = [
    "I'm sorry to hear that. Can I start with your {ref}, please?",
    "I can help with that. Could you give me the {ref} so I can pull up the details?",
    "Thanks for reaching out, my name's {agent}. What's the {ref} on this?",
    "Sure, let's take a look. Can you confirm your {ref} and the name it's under?",
    "Okay, I'll look into it. First, I'll need the {ref}.",
    "Sorry about the trouble. Could you read me the {ref}, please?",
    "Thanks for explaining. So I can find you, what's your {ref}?",
    "Of course. May I have your {ref} and your full name?",
    "Let me get you sorted. Can I grab your {ref} first?",
    "Understood. Before I check anything, could you verify the {ref} for me?",
    "Happy to help with this, I'm {agent}. Can you share the {ref}?",
    "Right, I'll take a look for you. Which {ref} is this about?",
    "Thank you for calling {co}. To get started, what's the {ref}?",
    "No problem. Just so I'm looking at the right file, what's your {ref}?",
]
CUST_VERIFY = [
    "Sure, it's {refval}.",
    "Yes, the {ref} is {refval}, and the name is {name}.",
    "It's {refval}. Name's {name}.",
    "Hang on, let me find it... okay, {refval}.",
    "{refval}, under {name}.",
    "Yeah, it's {refval}. I've got the email right here.",
    "Of course. {name}, and the {ref} is {refval}.",
    "I think it's {refval}, let me double check. Yes, that's right.",
    "Okay, it's {refval}.",
    "It should be {refval}, it's under my name, {name}.",
    "Here you go: {refval}.",
    "My {ref} is {refval}.",
    "Sure thing, {refval}. It might be under {name}.",
    "One second, I wrote it down somewhere. Here, {refval}.",
]
CUST_CALM = [
    "Okay, no problem, take your time.",
    "Sure, I'll hold.",
    "Alright. Let me know what you find.",
    "Okay, thanks for checking.",
    "Sure. I'm not in a rush.",
    "Okay, that makes sense so far.",
    "Got it. What happens next?",
    "Alright, I can do that.",
    "Okay, I'm still here.",
    "That's fine, go ahead.",
    "Sounds good.",
    "Okay. Is there anything you need from me?",
    "Sure, I can wait a minute.",
    "Thanks, I appreciate you looking.",
]
CUST_MILD = [
    "Okay. I was hoping this would be a quicker call, to be honest.",
    "Hmm. That's not really the answer I was hoping for.",
    "Right... so what are my options then?",
    "I see. It's a bit inconvenient, but go on.",
    "Okay, but I'd like a clear answer if possible.",
    "That seems like a long time. Is there nothing faster?",
    "Alright. I've already spent a while on hold, so I'd like to get this sorted.",
    "Hmm, okay. I don't really understand why it works that way.",
    "Well, that's a little disappointing.",
    "Okay. Can you at least tell me when I'll know more?",
    "I'd rather not have to wait, but fine.",
    "So there's really nothing you can do from your end?",
    "Okay... I'm not thrilled, but let's see.",
    "That's not ideal. What would you suggest?",
]
CUST_FRUS = [
    "f|This is getting really frustrating.",
    "f|Honestly, this is ridiculous.",
    "f|I've been on this call for forty minutes and we've got nowhere. I'm fed up.",
    "f|That's not good enough, frankly.",
    "f|Are you kidding me? That's your answer?",
    "f|I'm losing my patience here. This should have been simple.",
    "f|This is terrible service, it really is.",
    "f|Unbelievable. Every answer is just another delay.",
    "f|I'm honestly so tired of this. Nobody takes any responsibility.",
    "f|Seriously? That's unacceptable.",
    "f|I'm really annoyed now. This has wasted my whole morning.",
    "f|That's absurd. How is that the customer's problem?",
    "f|Great, just great. Another thing that doesn't work.",
    "f|Oh wonderful, so it's my fault now? Brilliant.",
]
CUST_ANGRY = [
    "f|This is the WORST customer service I have ever dealt with.",
    "f|No. Absolutely not. I'm done being polite about this.",
    "f|You people are useless, do you know that?",
    "f|I am beyond furious right now. Fix it!",
    "f|What the hell is going on over there? Nobody knows anything!",
    "f|This is a f***ing joke.",
    "f|I can't believe how badly this has been handled. It's a disgrace.",
    "f|I'm sick and tired of your excuses.",
    "f|Un-be-lievable. Honestly, what a sh*tshow.",
    "f|Thanks for NOTHING, seriously.",
]
# frustrated lines that only make sense right after the agent apologised
CUST_FRUS_AFTER_APOLOGY = [
    "f|You keep apologising but nothing actually changes.",
    "f|You're reading me a script. I need an actual solution.",
    "f|Stop saying you understand. You clearly don't.",
    "f|I don't want another apology, I want this fixed.",
    "f|Sorry doesn't help me. It really doesn't.",
    "f|Everyone says sorry and then nothing happens. I'm sick of it.",
    "f|Don't tell me to bear with you. I've been patient for weeks.",
]
# one-off annoyance that stands on its own (used once in calm calls)
CUST_BRIEF_ANNOYED = [
    "f|Ugh, honestly, this is so annoying. I've got better things to do than chase this.",
    "f|I'll be honest, I'm pretty irritated that this happened at all.",
    "f|This kind of thing really winds me up, it should never have happened.",
    "f|It's ridiculous that I even have to call about this.",
    "f|Sorry, I'm just really annoyed. I spent my whole lunch break trying to sort this online.",
    "f|Honestly, it's a joke that your website can't handle something this simple.",
    "f|I'm not impressed, to be honest. This is pretty poor.",
    "f|What a hassle. I'm so fed up with this stuff.",
    "f|Seriously, this is such a pain. Why is nothing ever straightforward?",
    "f|I'm really annoyed, I was stuck in your phone menu for twenty minutes just to get here.",
    "f|Come on, this is terrible. It shouldn't be this hard.",
    "f|Honestly, it's maddening. I pay on time every month and this is what I get.",
]
AGENT_SETBACK = [
    "I'm sorry, the system isn't letting me make that change from here.",
    "Unfortunately, that's outside what I'm able to approve on this call.",
    "I've checked with a colleague, and there's no faster option, I'm afraid.",
    "I'm afraid I don't have an update beyond what's on the file.",
    "That team works through these in order, so it could be a few more days.",
    "I've tried again, but the request was rejected by the system.",
    "I'm sorry, the policy doesn't allow me to override that.",
    "I can raise a request, but I can't promise you a timeframe.",
    "It looks like it's still pending, and there's nothing more I can see from here.",
    "I'm afraid the earliest I can get anyone to look at it is next week.",
]
CUST_REPEAT_CALM = [
    "r|I actually called about this last week, and I was told it would be sorted within a few days.",
    "r|This isn't my first time contacting you about it. I chatted with someone on Monday.",
    "r|I spoke to one of your colleagues yesterday. They said they'd put a note on the account.",
    "r|Just so you know, I emailed about this on the 3rd and haven't had a reply yet.",
    "r|I was promised a callback on Friday, but nobody called, so I'm trying again.",
    "r|Someone from your team already looked into this for me last month.",
    "r|I've already explained all this to the last agent, but I'm happy to go through it again.",
    "r|I raised a ticket about this through the app last week.",
    "r|I was transferred to you from another department, they said you could help with this.",
    "r|I messaged you on Twitter about this a few days ago and was told to call in.",
    "r|I phoned on Tuesday about the same thing and got a reference number.",
    "r|I've been in touch twice already, once by email and once on the phone.",
]
CUST_REPEAT_FRUS = [
    "rf|This is the third time I've called about this. The third time!",
    "rf|I've explained this twice already and I'm sick of repeating myself.",
    "rf|I was told last week this was fixed. It clearly isn't, and I'm fed up.",
    "rf|I've been transferred four times today and every single person asks me the same questions.",
    "rf|Nobody called me back like they promised. Again. This is ridiculous.",
    "rf|I've sent three emails and got nothing but automated replies. Unacceptable.",
    "rf|Every time I call, someone says it'll be sorted in 48 hours. It's been three weeks.",
    "rf|I already told the last agent all of this. Do you people not write anything down?",
    "rf|I've been chasing this for a month. I've spoken to five different people.",
    "rf|I've wasted hours on hold across four calls about this one issue. It's absurd.",
    "rf|Your colleague swore on Tuesday she'd sort it and nothing happened. I'm so done.",
    "rf|I DM'd you, I emailed you, I called you. Still nothing. Seriously?",
    "rf|Same problem, same promises, fourth call. I'm losing my mind here.",
]
CUST_MANAGER = [
    "m|Can I speak to a supervisor, please?",
    "m|I'd like to talk to your manager about this.",
    "fm|I want a manager. Now.",
    "m|Is there someone more senior I could speak to?",
    "m|Could you escalate this to someone who can actually approve it?",
    "fm|Put me through to a supervisor, I'm not doing this again.",
    "m|I'd like to speak with someone higher up, please.",
    "m|Can you transfer me to whoever's in charge of your department?",
    "fm|Get me someone with authority, I'm tired of hearing no.",
    "m|I'm going to need to speak to a supervisor about this.",
    "m|Please escalate this. I want it looked at by a manager.",
    "m|Is there a team leader available? I'd like to speak with them.",
    "fm|I don't want another script. Let me talk to your boss.",
    "m|Can you get me someone who can actually make a decision, like a supervisor?",
    "m|I'd like this raised to corporate, please.",
    "fm|Transfer me to a manager. I'm not asking again.",
    "m|With respect, I'd rather speak to your supervisor.",
    "m|Who's your manager? I'd like to speak to them directly.",
    "fm|Honestly, just escalate it. You clearly can't help me.",
    "m|I'd like to request a supervisor callback, please.",
    "m|Can this be escalated to a senior member of staff?",
    "m|I want to make sure this goes to someone in charge. Could I speak to a manager?",
]
CUST_MANAGER_OPEN = [
    "m|Hi, before anything else, I'd like to speak to a supervisor about my account.",
    "m|Hello. I need to speak to a manager, please. It's about a complaint.",
    "fm|I want a supervisor. I've had enough of going round in circles.",
    "m|Hi, could you put me through to a manager? It's about an ongoing problem.",
    "m|Good afternoon, I'd like to escalate a complaint to a supervisor, please.",
    "m|Hi there, can I speak to someone senior? I'd rather not go through the whole thing twice.",
    "m|Yeah, hi, I need a real person, not the menu, and preferably a supervisor.",
    "m|Can you connect me to your manager straight away, please?",
]
CUST_VERIFY_MGR = [
    "m|It's {refval}. And before we go any further, I'd like a supervisor, please.",
    "fm|{refval}. Look, I don't want to go through it all again, just get me a manager.",
    "m|Sure, {refval}. Honestly though, I'd prefer to speak to someone senior about this.",
    "m|It's {refval}, but can you escalate me to a supervisor? This needs someone with authority.",
    "fm|{refval}. And I want this escalated. Manager, please.",
]
CUST_MANAGER_INSIST = [
    "m|I appreciate that, but I'd still like the supervisor.",
    "fm|No, I've heard all that before. Supervisor, please.",
    "m|Thanks, but I'd rather speak to a manager directly.",
    "m|I understand, but please transfer me to your supervisor anyway.",
    "fm|I don't want you to try something else. I want a manager.",
    "m|That's kind, but I'd still prefer to have this escalated.",
    "m|Okay, you can look, but I'd still like to speak to someone senior afterwards.",
    "fm|Please stop. Just get me the supervisor.",
    "m|No offence, but I've asked for a manager and I'd like one.",
    "m|I'll wait for the supervisor, thanks.",
]
CUST_CHURN = [
    "c|If this isn't sorted, I'm going to take my business elsewhere.",
    "fc|Honestly, I'm ready to cancel everything and switch to a competitor.",
    "c|I've been a customer for years, but I'm seriously thinking of leaving.",
    "fc|Just close my account. I'm done with this company.",
    "c|Your competitor offered me a better deal last week, and this is making the decision easy.",
    "fc|Cancel it. All of it. I'm not staying after this.",
    "c|If I have to call one more time, I'm switching providers.",
    "c|I'll be moving my account somewhere else at the end of the month.",
    "fc|You've lost a customer. I'm leaving.",
    "c|I'm going to look at other options, I can't keep dealing with this.",
    "c|Give me one reason not to cancel today, because I'm about to.",
    "fc|This is exactly why people leave you. I'm out.",
]
CUST_LEGAL = [
    "l|If this isn't resolved, I'll be contacting my lawyer.",
    "fl|I'm filing a formal complaint. This is unacceptable.",
    "l|I'll be reporting this to the consumer protection regulator.",
    "l|I'm going to dispute the charge with my bank and file a chargeback.",
    "fl|Keep this up and you'll be hearing from my attorney.",
    "l|I'll take this to small claims court if I have to.",
    "l|I'm putting in a complaint with the Better Business Bureau today.",
    "fl|I've already spoken to a solicitor, and I will take legal action.",
    "l|I want to lodge a formal complaint, please. I'd like a reference number.",
    "l|I'll be taking this to the ombudsman if it's not fixed this week.",
    "l|Consider this my notice: I'm contacting the attorney general's office.",
    "fl|I'm going to sue. I'm not joking.",
]
CUST_URGENT = [
    "u|This is urgent, I need it fixed today.",
    "u|I really need this sorted right now, it can't wait.",
    "u|Please, this is an emergency, I need help asap.",
    "u|I have a deadline tomorrow morning and I can't do anything until this is fixed.",
    "u|It's time-sensitive. If it's not sorted in the next hour I'm in real trouble.",
    "u|I need this dealt with today, my job depends on it.",
    "u|Every hour this goes on is costing me money. Please treat it as urgent.",
    "u|I'm running out of time here, it has to be sorted before tonight.",
]
CUST_AFTER_URGENT = [
    "Okay, thank you. How long will that take?",
    "Thank you, I really appreciate you moving quickly.",
    "Okay. Will they call me on this number?",
    "Alright, I'll stay on the line.",
    "Thank you. Please keep me updated.",
    "Okay, that's a relief. What do I need to do?",
    "Thanks. Is there anything I should do in the meantime?",
    "Okay. I'll keep my phone on me.",
    "Right, thank you. I'm sorry if I sound panicked.",
    "Okay, good. I just need to know someone's on it.",
]
CUST_THANKS = [
    "Great, thank you so much for your help.",
    "Perfect, that's all I needed. Thanks.",
    "Okay, brilliant. Have a good day.",
    "That's a relief. Thanks for sorting it.",
    "Lovely, thanks. Bye for now.",
    "Okay, sounds good. I appreciate it.",
    "Thanks, you've been really helpful.",
    "Great. I'll keep an eye out for the email.",
    "Awesome, thanks for your patience with me.",
    "Okay, that works. Thanks again.",
    "Wonderful. That's everything, thank you.",
    "Cool, thanks. Have a nice evening.",
    "Thank you, that's much better than I expected.",
    "Alright, that's fine. Thanks for explaining it.",
    "Okay, cheers. Take care.",
    "Brilliant, you've made my day.",
]
CUST_NOTHING_ELSE = [
    "No, that's everything. Thanks.",
    "Nope, that's it for today.",
    "No, I think that covers it. Bye.",
    "That's all, thank you.",
    "No, all good now.",
    "Nothing else, thanks for your help.",
]
CUST_WHAT_NOW = [
    "So what happens now?",
    "Okay. What are you going to do about it?",
    "Right. And what am I supposed to do in the meantime?",
    "So where does that leave me?",
    "Okay. What's the next step, then?",
    "And? What now?",
]
CUST_AFTER_ESC = [
    "Fine. I'll hold.",
    "Okay. I hope they can actually do something.",
    "Thank you. Please make sure they know everything I've said.",
    "f|About time.",
    "Okay, I'll wait. But I'm not hanging up until this is sorted.",
    "Alright. Thank you for at least trying.",
    "Good. I just want someone to take responsibility.",
    "Okay, fine. How long will that take?",
    "Fine, go ahead.",
    "Right. I'll be holding.",
    "Thank you. That's all I wanted.",
    "f|Whatever. Just put me through.",
]
# False-alarm customer lines: manager/supervisor/legal/"again"/urgency words that
# are NOT signals (story, someone else's job title, negated, hypothetical,
# process question, urgency that is over).  All labels 0.
CUST_FALSE_ALARM = [
    "My manager at work asked me to call you about this, since it's the company account.",
    "I'm the office manager here, so I look after all our accounts.",
    "The manager at your Main Street store was lovely, by the way. She gave me this number.",
    "I spoke to the branch manager in person last year about something else, and she was great.",
    "My supervisor needs this sorted before she signs off my expenses, so I thought I'd check.",
    "I don't need a supervisor or anything, I just want to understand what happened.",
    "Honestly, I'm not one of those people who demands a manager. I just want it fixed.",
    "If it happens again next month I might ask for a supervisor, but for now I just want it fixed.",
    "What does it mean when my case gets escalated? Is that a good thing?",
    "Sorry, could you say that again? The line's a bit crackly.",
    "My lawyer friend said it's probably just a system glitch, so I'm not worried.",
    "I'm not going to cancel or anything, I just want this fixed.",
    "I had a problem with fraud a couple of years ago, but that was all sorted. This is different.",
    "I'm a manager myself, so I know how busy you all are.",
    "The store manager couldn't find my order, which is why she suggested calling.",
    "Our IT manager suggested I call you before we change any settings.",
    "I'm not in a hurry, so whenever it's done is fine.",
    "I won't be switching anywhere, I like the service. I just want the bill right.",
    "My manager is paying for this, so I'll need an itemised receipt at the end.",
    "My husband wanted to ring up and ask for a supervisor, but I said I'd try first because you're usually helpful.",
    "The supervisor at the warehouse where I work says this happens all the time, so I'm not surprised.",
    "Last year's outage was a nightmare, but that's long fixed. This is just a small question.",
    "I'm happy to hold, there's no rush at all.",
    "I'd definitely use you again, I just need this one thing sorted.",
    "My sister works as a call centre manager, so I know you're doing your best.",
    "I'm not going to escalate this or complain, don't worry.",
]
AGENT_OFFER_SUPERVISOR = [
    "If you'd like, I can also have a supervisor review this, but I think I can fix it myself.",
    "I could transfer you to my supervisor, or I can sort it out right now, whichever you prefer.",
    "Would you like me to escalate this, or shall I go ahead and apply the fix?",
    "I'm happy to bring in a manager if you'd rather, but I have everything I need here.",
    "Just so you know, a supervisor is available if you want one, but I can process this myself.",
    "I can pass this to a team leader, or handle it now. What would you prefer?",
]
CUST_DECLINE_SUPERVISOR = [
    "No, no need for a supervisor, just go ahead and fix it.",
    "I don't need a manager, honestly. If you can sort it, that's great.",
    "No, that's fine, you've been helpful. No need to escalate.",
    "Please don't transfer me, I'd rather you just do it.",
    "Oh, I don't want to speak to a supervisor, I'm happy with you handling it.",
    "Nah, no manager needed. Go ahead.",
    "No, I don't want it escalated, I just want it sorted.",
    "You're fine, no supervisor needed.",
]
AGENT_APOLOGY = [
    "I'm really sorry, I understand how frustrating this is.",
    "I completely understand, and I apologise for the trouble.",
    "You're right to be upset, and I'm sorry it's come to this.",
    "I hear you. Let me see what else I can do.",
    "I'm sorry, that's not the experience we want you to have.",
    "I understand. Thank you for bearing with me.",
    "I apologise. I know this has taken far too long.",
    "That's fair, and I'm sorry. Let me look at this from another angle.",
    "I'm sorry for the runaround. Let me try to fix it properly.",
    "I understand your frustration, and I want to get this right for you.",
    "Sorry about that. I know you've been patient.",
    "I appreciate you staying on the line. I'm sorry it's been difficult.",
]
AGENT_HOLD = [
    "Let me put you on a brief hold while I check with my team.",
    "Bear with me one moment, the system is a bit slow today.",
    "Give me a minute, I'm checking a couple of things.",
    "One moment while I look at the notes on the account.",
    "I'm just going to review the history, this might take a minute.",
    "Could you hold for about two minutes while I look into this?",
    "Let me check with a colleague who handles these, one moment.",
    "Okay, I'm looking into it now.",
]
AGENT_OFFER = [
    "For the inconvenience, I've added a goodwill credit of ten dollars to your account.",
    "I've also waived this month's service fee as an apology.",
    "I've added a small credit to the account for the trouble.",
    "As a gesture of goodwill, I've refunded the delivery charge.",
    "I've put a note on the file so anyone you speak to will see the full history.",
    "I've also set up text updates so you don't have to chase this.",
]
AGENT_CLOSING = [
    "You're welcome. Is there anything else I can help with today?",
    "My pleasure. Have a great rest of your day.",
    "Glad we got that sorted. Take care.",
    "Thanks for your patience today. Goodbye.",
    "You're welcome. You'll get a confirmation email shortly.",
    "Happy to help. Enjoy your evening.",
    "No problem at all. Thanks for calling {co}.",
    "Anytime. Have a good one.",
    "You're very welcome. Bye for now.",
    "Great. Your reference is in the email I just sent. Take care.",
]
AGENT_BYE = [
    "Thanks for calling. Bye!",
    "Take care, goodbye.",
    "Have a lovely day.",
    "Bye now, thanks for your patience.",
]
AGENT_TRANSFER_MGR = [
    "Of course. I'm transferring you to my supervisor now, please hold.",
    "I understand. Let me get a supervisor on the line for you.",
    "Absolutely. I've escalated this, and my team lead will join the call in a moment.",
    "Okay. I'm passing you to our escalations team with all the details so you don't have to repeat yourself.",
    "Certainly. A manager will pick this up now. I've added notes on everything we've covered.",
    "Understood. I'm connecting you with a senior advisor who has more authority on this.",
    "I'll get my manager for you. It should only be a minute or two.",
    "That's fine. I'm raising this to a supervisor and staying on the line until they join.",
    "Right away. I'm escalating the case and transferring you to our complaints lead.",
    "Okay, I'm requesting a supervisor now. Thank you for your patience.",
    "Of course. My supervisor, {agent2}, is available. Let me bring them in.",
    "I understand completely. Let me transfer you to someone who can approve this.",
]
AGENT_ESCALATE = [
    "I understand. I'm escalating this to a senior colleague right now.",
    "You shouldn't have to deal with this. I'm raising it with my team lead immediately.",
    "I'm sorry. I'm going to escalate this so someone with more authority can review it today.",
    "That's completely fair. I'm flagging your case for a supervisor to call you back within the hour.",
    "I hear you. I'm moving this to our escalations team and marking it high priority.",
    "Let me get a manager involved. I've written up everything you've told me.",
    "I'm escalating this now. You won't need to explain it all again.",
    "I agree this needs more than I can do. Let me bring in my supervisor.",
]
AGENT_COMPLAINT = [
    "I understand. I'm logging a formal complaint now and passing it to our complaints team.",
    "That's your right, and I'm sorry it's come to this. I'm escalating it to our customer relations team today.",
    "I've recorded that. A senior complaints handler will contact you within two working days.",
    "Understood. I'm raising this with a manager straight away so it's reviewed properly.",
    "I'm sorry. Let me transfer you to our retention and complaints team, who can look at this in full.",
    "I'll make sure this is escalated. I'm sending it to a supervisor with a full summary now.",
]
AGENT_DEESCALATE = [
    "I can definitely get a supervisor. Before I do, may I take a quick look at the account in case I can solve it right now?",
    "Of course. Just so I can brief them properly, can you tell me what's happened so far?",
    "I understand. The wait for a supervisor is about fifteen minutes at the moment. Would you like me to try first?",
    "Sure. Can I ask what the issue is, so they have the full picture when they pick up?",
    "I'll arrange that. In the meantime, I have access to most of the same tools, so let me see what I can do.",
    "I'm happy to help with that. May I check one thing on your file first?",
    "That's no problem. Let me just pull up your file so the manager has it ready.",
]
AGENT_PRIORITY = [
    "I'm treating this as urgent. I'm routing you to our {team} right now.",
    "Understood, that's a priority. I've flagged the case and I'm transferring you to the {team}.",
    "Okay, let's move fast. I'm escalating this to the {team} as a priority case.",
    "I'm marking this as high priority and getting the {team} on the line now.",
    "Thank you for telling me. I've put this at the top of the queue with our {team}.",
    "Right, that can't wait. I'm bringing in the {team} immediately.",
    "I've escalated this to the {team}, and they'll contact you within the hour.",
    "That's urgent, I agree. Transferring you to the {team} with priority now.",
    "I'm opening a priority case with the {team} and staying with you until they pick up.",
    "Let's get this to the right people straight away. Connecting you with the {team}.",
]
AGENT_URGENT_FOLLOW = [
    "They'll call you on the number on file within thirty minutes, and I've sent you a text with the case number.",
    "They've confirmed they have it and are working on it now. You'll get an update by text.",
    "Someone from the team will stay in touch with you until it's resolved.",
    "I've given them all the details, so you won't need to repeat anything.",
    "Keep your phone nearby. If anything changes, call back and quote the case number I've just sent.",
    "They've already started. I've also added a note so anyone you speak to sees it's a priority.",
]
AGENT_END_HOLD = [
    "Thank you. They'll be with you in just a moment.",
    "I've briefed them fully. Please stay on the line.",
    "They're joining now. Thanks for your patience.",
    "You're next in their queue. It shouldn't be long.",
    "I've passed on everything. They'll take it from here.",
    "Thanks for holding. Connecting you now.",
]
CUSTOMER_NAMES = ["Priya Raman", "Tom Becker", "Grace Obi", "Luis Fernandez", "Mia Chen", "Samuel Ortiz",
                  "Helen Marsh", "Daniel Kowalski", "Angela Morris", "Jamal Wright", "Rachel Stein",
                  "Kevin Doyle", "Patricia Lowe", "Marcus Lee", "Lena Vogel", "Amir Karimi", "Sofia Rossi",
                  "Noah Bennett", "Fatima Haddad", "Oliver Grant", "Chloe Martin", "Ravi Patel",
                  "Emma Lindqvist", "Carlos Mendes", "Hannah Kim", "Joseph Mwangi", "Aisha Bello",
                  "Peter Novak", "Yuki Tanaka", "Brian O'Neill"]
AGENT_NAMES = ["Sam", "Jordan", "Alex", "Nadia", "Chris", "Tanya", "Omar", "Beth", "Leo", "Maya",
               "Ravi", "Karen", "Dev", "Jess", "Marco", "Ines"]
AGENT_DEESCALATE_REF = [
    "Absolutely, I can escalate. Could you give me the {ref} first so I can attach the case?",
    "Of course. So the supervisor has your file in front of them, can I take the {ref}?",
    "Sure, I can arrange that. What's the {ref}, so I can pass the details along?",
    "I'll get someone for you. May I have the {ref} to start the case notes?",
    "No problem. I just need the {ref} so they can see your history.",
]
AGENT_VERIFY_FAST = [
    "I'm on it. Can I take the {ref} while I get this moving?",
    "Okay, let's act quickly. What's the {ref}?",
    "Right, I'll help you straight away. Just confirm the {ref} for me.",
    "Understood. Give me the {ref} and I'll flag it immediately.",
    "I'm sorry, let's deal with this now. What's your {ref}?",
    "Okay, stay with me. I just need the {ref} to pull up your file.",
]

SCENARIOS = list(SCEN.keys())
GENERAL_POOLS = [AGENT_VERIFY, CUST_VERIFY, CUST_CALM, CUST_MILD, CUST_FRUS, CUST_ANGRY, CUST_FRUS_AFTER_APOLOGY,
                 CUST_BRIEF_ANNOYED, AGENT_SETBACK, CUST_REPEAT_CALM, CUST_REPEAT_FRUS, CUST_MANAGER,
                 CUST_MANAGER_OPEN, CUST_VERIFY_MGR, CUST_MANAGER_INSIST, CUST_CHURN, CUST_LEGAL, CUST_URGENT,
                 CUST_AFTER_URGENT, CUST_THANKS, CUST_NOTHING_ELSE, CUST_WHAT_NOW, CUST_AFTER_ESC,
                 CUST_FALSE_ALARM, AGENT_OFFER_SUPERVISOR, CUST_DECLINE_SUPERVISOR, AGENT_APOLOGY, AGENT_HOLD,
                 AGENT_OFFER, AGENT_CLOSING, AGENT_BYE, AGENT_TRANSFER_MGR, AGENT_ESCALATE, AGENT_COMPLAINT,
                 AGENT_DEESCALATE, AGENT_PRIORITY, AGENT_URGENT_FOLLOW, AGENT_END_HOLD, AGENT_DEESCALATE_REF,
                 AGENT_VERIFY_FAST]


# ---------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------
def parse_entry(entry):
    """Return (flags, topics, text) for a pool entry."""
    flags, text = "", entry
    if "|" in entry:
        flags, text = entry.split("|", 1)
        assert set(flags) <= set(FLAG_KEY), entry
    topics = ()
    m = re.match(r"<([a-z,]+)>", text)
    if m:
        topics = tuple(m.group(1).split(","))
        text = text[m.end():]
    return flags, topics, text


def labels_from_flags(flags):
    return {k: int(any(FLAG_KEY[ch] == k for ch in flags)) for k in KEYS}


def escalate_turn_by_rule(turns):
    prev_f = False
    seen_r = False
    for i, t in enumerate(turns):
        if t["speaker"] != "customer":
            continue
        lab = t["labels"]
        seen_r = seen_r or bool(lab["repeat_contact"])
        if lab["manager_request"] or lab["legal_threat"] or lab["churn_threat"] or lab["urgency"]:
            return i
        if lab["frustration"] and (prev_f or seen_r):
            return i
        prev_f = bool(lab["frustration"])
    return None


from numwords import ONES, TENS, num_words as card, ordinal_words as ordinal  # noqa: E402  (shared with generate.py)


def digits_words(s):
    return " ".join(ONES[int(d)] for d in s if d.isdigit())


def numbers_to_words(t):
    def money(m):
        unit = "dollars" if m.group(1) == "$" else "pounds"
        whole = int(m.group(2).replace(",", ""))
        out = card(whole) + " " + unit
        if m.group(3) and m.group(3) != "00":
            out += " and " + card(int(m.group(3))) + " cents"
        return out
    t = re.sub(r"([$£])(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d{2}))?", money, t)

    def clock(m):
        h, mi, ap = int(m.group(1)), int(m.group(2)), m.group(3)
        out = card(h)
        if mi:
            out += " " + (("oh " + card(mi)) if mi < 10 else card(mi))
        if ap:
            out += " " + " ".join(ap.lower().replace(".", ""))
        return out
    t = re.sub(r"\b(\d{1,2}):(\d{2})\s*([aApP]\.?[mM]\.?)?", clock, t)
    t = re.sub(r"\b(\d{1,2})\s*([aApP])\.?([mM])\b\.?",
               lambda m: card(int(m.group(1))) + " " + m.group(2).lower() + " " + m.group(3).lower(), t)
    t = re.sub(r"\b(\d+)(st|nd|rd|th)\b", lambda m: ordinal(int(m.group(1))), t)
    t = re.sub(r"(\d+)\s*%", lambda m: card(int(m.group(1))) + " percent", t)
    t = re.sub(r"\b\d{1,3}(?:,\d{3})+\b", lambda m: card(int(m.group(0).replace(",", ""))), t)
    t = re.sub(r"\b\d(?:-\d)+\b", lambda m: digits_words(m.group(0)), t)
    t = re.sub(r"\b(\d+)\.(\d+)\b", lambda m: card(int(m.group(1))) + " point " + digits_words(m.group(2)), t)

    def rest(m):
        s = m.group(0)
        if len(s) >= 5 or (len(s) > 1 and s[0] == "0"):
            return " " + digits_words(s) + " "
        return " " + card(int(s)) + " "
    t = re.sub(r"\d+", rest, t)
    return t


EMOJI_RE = re.compile("[\U0001F300-\U0001FAFF\u2600-\u27BF]")
FILLERS_START = ["um", "uh", "so", "so um", "yeah so", "okay so", "uh yeah", "well"]
FILLERS_MID = ["um", "uh", "like", "you know", "i mean"]
AGENT_FILLERS = ["um", "uh", "okay", "so"]
NUMBER_WORDS = set(ONES + TENS[2:] + ["hundred", "thousand", "oh", "point", "and"])
ASR_SLIPS = [("supervisor", "super visor", 0.35), ("manager", "man ager", 0.25),
             ("escalate", "escalade", 0.3), ("escalated", "escaladed", 0.3),
             ("card", "cart", 0.08), ("attorney", "a tourney", 0.25),
             ("chargeback", "charge back", 1.0), ("ombudsman", "ombuds man", 0.3),
             ("account", "a count", 0.04), ("refund", "re fund", 0.05)]


def asr_transform(text, speaker, rng):
    t = EMOJI_RE.sub(" ", text)
    t = re.sub(r"[@#]\w+", " ", t)
    t = t.replace("&", " and ").replace("f***ing", "freaking").replace("sh*tshow", "mess")
    t = numbers_to_words(t)
    t = t.lower()
    t = t.replace("'", "").replace("\u2019", "")
    t = re.sub(r"[^a-z\s]", " ", t)
    words = t.split()
    out = []
    for w in words:
        for src, dst, p in ASR_SLIPS:
            if w == src and rng.random() < p:
                w = dst
                break
        out.append(w)
    words = " ".join(out).split()
    p_start, p_mid = (0.45, 0.3) if speaker == "customer" else (0.15, 0.05)
    if words and rng.random() < p_mid and len(words) > 4:
        # never inside a spelled-out number or reference
        filler = rng.choice(FILLERS_MID)
        spots = [k for k in range(2, len(words) - 1)
                 if words[k - 1] not in NUMBER_WORDS and words[k] not in NUMBER_WORDS
                 and len(words[k - 1]) > 1 and len(words[k]) > 1
                 and words[k - 1] not in filler.split() and words[k] not in filler.split()]
        if spots:
            words.insert(rng.choice(spots), filler)
    if words and rng.random() < p_start:
        start = FILLERS_START if speaker == "customer" else AGENT_FILLERS
        words = rng.choice(start).split() + words
    return " ".join(words)


CHAT_ABBR = [(r"\byou're\b", "ur"), (r"\byou\b", "u"), (r"\byour\b", "ur"), (r"\bplease\b", "pls"),
             (r"\bthanks\b", "thx"), (r"\bbecause\b", "bc"), (r"\bokay\b", "ok"), (r"\btomorrow\b", "tmrw"),
             (r"\bpeople\b", "ppl"), (r"\bto be honest\b", "tbh"), (r"\bright now\b", "rn"),
             (r"\bthough\b", "tho"), (r"\bgoing to\b", "gonna"), (r"\bwant to\b", "wanna"),
             (r"\bI don't know\b", "idk"), (r"\bbefore\b", "b4"), (r"\bmessage\b", "msg")]
CHAT_TYPOS = [("receive", "recieve"), ("definitely", "definately"), ("separate", "seperate"),
              ("really", "realy"), ("which", "wich"), ("their", "thier"), ("address", "adress"),
              ("weird", "wierd"), ("the same", "teh same"), ("again", "agian"), ("literally", "literaly")]
CHAT_EMPH = ["ridiculous", "unacceptable", "still", "never", "now", "third", "nothing", "useless",
             "joke", "money", "worst", "done", "today", "anything", "not", "again", "three", "four",
             "every", "my", "seriously", "refund", "week", "nobody"]
ANGRY_EMOJI = ["😡", "🙄", "😤", "😠", "🤬", "😒", "🤦"]
CALM_EMOJI = ["🙂", "🙏", "👍", "😊"]


def chat_transform(text, flags, kind, rng, persona):
    t = text
    if rng.random() < persona["abbr"]:
        for pat, rep in CHAT_ABBR:
            if rng.random() < persona["abbr"]:
                t = re.sub(pat, rep, t, flags=re.IGNORECASE)
    for src, dst in CHAT_TYPOS:
        if src in t and rng.random() < 0.35:
            t = t.replace(src, dst, 1)
    if rng.random() < persona["drop_apos"]:
        t = re.sub(r"(\w)'(\w)", r"\1\2", t)
    if persona["lower"]:
        t = t.lower()
    if "f" in flags:
        words = t.split()
        cands = [i for i, w in enumerate(words) if re.sub(r"\W", "", w).lower() in CHAT_EMPH]
        if cands and rng.random() < 0.4:
            i = rng.choice(cands)
            words[i] = words[i].upper()
            t = " ".join(words)
        r = rng.random()
        if r < 0.3:
            t = re.sub(r"[.!]*$", "", t) + rng.choice(["!!", "!!!", "!!!!"])
        elif r < 0.45 and t.endswith("?"):
            t = t + rng.choice(["?", "??", "?!"])
        if rng.random() < 0.35:
            t = t + " " + rng.choice(ANGRY_EMOJI)
        if rng.random() < 0.07:
            t = t + " " + rng.choice(["#fail", "#customerservice", "#fedup"])
    elif "u" in flags:
        if rng.random() < 0.25:
            prefix = rng.choice(["URGENT: ", "urgent - ", "help pls, "])
            t = prefix + (t[0].lower() + t[1:] if prefix != "URGENT: " and t[1:2].islower() else t)
        elif rng.random() < 0.25:
            t = re.sub(r"[.]*$", "", t) + " asap"
    else:
        if rng.random() < 0.5:
            t = re.sub(r"\.$", "", t)
        if kind == "close" and rng.random() < 0.3:
            t = t + " " + rng.choice(CALM_EMOJI)
    if kind == "first" and rng.random() < 0.35:
        t = "@" + persona["handle"] + " " + t
    return t


SPOKEN_PREFIX = ["Um, ", "So, ", "Yeah, ", "Well, ", "Uh, ", "Okay, so ", "Right, "]


SPOKEN_SKIP = ("Okay", "Right", "Yeah", "So", "Well", "Um", "Uh", "Hmm", "Hi", "Hello", "Hey", "Good", "I")


def spoken_transform(text, kind, rng):
    first = re.split(r"[\s,.']", text, maxsplit=1)[0]
    if (kind != "first" and rng.random() < 0.18 and re.match(r"^[A-Z][a-z]", text)
            and first not in SPOKEN_SKIP):
        return rng.choice(SPOKEN_PREFIX) + text[0].lower() + text[1:]
    return text


def make_refval(pattern, rng):
    letters = "ABCDEFGHJKLMNPQRSTUVWXYZ"
    out = []
    for ch in pattern:
        if ch == "#":
            out.append(str(rng.randrange(10)))
        elif ch == "X":
            out.append(rng.choice(letters + "23456789"))
        else:
            out.append(ch)
    return "".join(out)


def spell_for_asr(refval):
    parts = []
    for ch in refval:
        if ch.isdigit():
            parts.append(ONES[int(ch)])
        elif ch.isalpha():
            parts.append(ch.lower())
    return " ".join(parts)


# ---------------------------------------------------------------------------
# Call builder
# ---------------------------------------------------------------------------
class CallBuilder:
    def __init__(self, rng, scenario, style, shape):
        self.rng = rng
        self.scenario = scenario
        self.style = style
        self.shape = shape
        self.sc = SCEN[scenario]
        self.turns = []      # (speaker, flags, text, kind)
        self.sources = []    # template identity, for variety statistics
        self.used = set()
        self.topic = None    # set by the opening line (see "<topic>" tags)
        co = rng.choice(self.sc["co"])
        refval = make_refval(self.sc["refpat"], rng)
        agent, agent2 = rng.sample(AGENT_NAMES, 2)
        self.ctx = {
            "{co}": co,
            "{ref}": self.sc["ref"],
            "{refval}": spell_for_asr(refval) if style == "asr" else refval,
            "{name}": rng.choice(CUSTOMER_NAMES),
            "{agent}": agent,
            "{agent2}": agent2,
            "{team}": self.sc["team"],
        }
        self.persona = {
            "abbr": rng.choice([0.15, 0.35, 0.6, 0.85]),
            "drop_apos": rng.choice([0.1, 0.5, 0.9]),
            "lower": rng.random() < 0.5,
            "handle": re.sub(r"[^A-Za-z]", "", co),
        }

    def fits(self, entry):
        topics = parse_entry(entry)[1]
        return not topics or self.topic in topics

    def pick(self, *pools):
        allowed = [e for pool in pools for e in pool if self.fits(e)]
        assert allowed, (self.scenario, self.topic)
        cands = [e for e in allowed if e not in self.used] or allowed
        e = self.rng.choice(cands)
        self.used.add(e)
        return e

    def pick_open(self, *pools):
        """Pick a call-opening line and adopt its topic."""
        allowed = [e for pool in pools for e in pool]
        cands = [e for e in allowed if e not in self.used] or allowed
        e = self.rng.choice(cands)
        self.used.add(e)
        topics = parse_entry(e)[1]
        if topics:
            self.topic = self.rng.choice(sorted(topics))
            by_topic = self.sc.get("co_by_topic", {})
            if self.topic in by_topic:
                co = self.rng.choice(by_topic[self.topic])
                self.ctx["{co}"] = co
                self.persona["handle"] = re.sub(r"[^A-Za-z]", "", co)
        return e

    def fill(self, text):
        for k, v in self.ctx.items():
            text = text.replace(k, v)
        return text

    def cust(self, entry, kind="body"):
        flags, _, text = parse_entry(entry)
        self.turns.append(("customer", flags, text, kind))
        self.sources.append(("customer", entry))
        return len(self.turns) - 1

    def agent(self, entry, extra=None, kind="body"):
        flags, _, text = parse_entry(entry)
        assert not flags, entry
        self.sources.append(("agent", entry))
        if extra:
            e2 = self.pick(extra)
            self.sources.append(("agent", e2))
            text = text + " " + parse_entry(e2)[2]
        self.turns.append(("agent", "", text, kind))
        return len(self.turns) - 1

    def render(self):
        rng = self.rng
        out = []
        first_customer = True
        for speaker, flags, text, kind in self.turns:
            text = self.fill(text)
            if speaker == "customer":
                k = "first" if first_customer else kind
                first_customer = False
                if self.style == "chat":
                    text = chat_transform(text, flags, k, rng, self.persona)
                elif self.style == "spoken":
                    text = spoken_transform(text, k, rng)
                else:
                    text = asr_transform(text, "customer", rng)
            else:
                if self.style == "asr":
                    text = asr_transform(text, "agent", rng)
                elif self.style == "chat" and kind == "close" and rng.random() < 0.25:
                    text = text + " " + rng.choice(["🙂", "😊"])
            text = re.sub(r"\s+", " ", text).strip()
            out.append({"speaker": speaker, "text": text,
                        "labels": labels_from_flags(flags) if speaker == "customer" else labels_from_flags("")})
        return out


# ---------------------------------------------------------------------------
# Shapes.  Each returns the index of the intended escalation turn (or None).
# ---------------------------------------------------------------------------
def agent_before(b, pools, prev_f):
    """Agent turn that leads into the next customer line; apologise first if the customer was frustrated."""
    if prev_f:
        b.agent(b.pick(AGENT_APOLOGY), extra=[e for p in pools for e in p])
    else:
        b.agent(b.pick(*pools))


def calm_body(b, items, offer_supervisor_at=None):
    """items: list of (kind, customer entry), kind in calm / mild / annoyed.
    The agent line before each item is chosen to fit it (bad news before a mildly
    impatient line); the agent's reply to the last item is the fix."""
    sc, rng = b.sc, b.rng
    prev_f = False
    annoyed_seen = False
    for i, (kind, entry) in enumerate(items):
        if kind == "mild" and i == 0:
            # first agent turn after verification: look it up, then give the bad news
            b.agent(b.pick(sc["probe"]), extra=sc["setback"])
        else:
            if kind == "mild":
                pools = (sc["setback"], AGENT_SETBACK)
            elif kind == "annoyed":
                pools = (sc["probe"], AGENT_HOLD, sc["setback"])
            else:
                pools = (sc["probe"], AGENT_HOLD)
            agent_before(b, pools, prev_f)
        b.cust(entry)
        prev_f = kind == "annoyed"
        annoyed_seen = annoyed_seen or prev_f
        if offer_supervisor_at == i:
            if prev_f:
                b.agent(b.pick(AGENT_APOLOGY), extra=AGENT_OFFER_SUPERVISOR)
            else:
                b.agent(b.pick(AGENT_OFFER_SUPERVISOR))
            b.cust(b.pick(CUST_DECLINE_SUPERVISOR))
            prev_f = False
    if prev_f:
        b.agent(b.pick(AGENT_APOLOGY), extra=sc["fix"])
    else:
        extra = AGENT_OFFER if (annoyed_seen and rng.random() < 0.6) or rng.random() < 0.15 else None
        b.agent(b.pick(sc["fix"]), extra=extra)
    b.cust(b.pick(CUST_THANKS), kind="close")
    b.agent(b.pick(AGENT_CLOSING), kind="close")
    if rng.random() < 0.3:
        b.cust(b.pick(CUST_NOTHING_ELSE), kind="close")
        b.agent(b.pick(AGENT_BYE), kind="close")


def opening(b, double_detail_p=0.15, probe=True):
    b.cust(b.pick_open(b.sc["open"]))
    if b.rng.random() < double_detail_p:
        b.cust(b.pick(b.sc["detail"]))
    b.agent(b.pick(AGENT_VERIFY))
    b.cust(b.pick(CUST_VERIFY))
    if probe:
        b.agent(b.pick(b.sc["probe"]))


def shape_calm_resolved(b):
    sc, rng = b.sc, b.rng
    opening(b, probe=False)
    m = rng.choice([1, 1, 2, 2, 3, 4])
    use_repeat = rng.random() < 0.12
    annoyed = rng.randrange(m) if (not use_repeat and rng.random() < 0.4) else -1
    items = []
    for i in range(m):
        if i == 0 and use_repeat:
            items.append(("calm", b.pick(CUST_REPEAT_CALM,
                                         [e for e in sc["repeat"] if "f" not in parse_entry(e)[0]])))
        elif i == annoyed:
            items.append(("annoyed", b.pick(CUST_BRIEF_ANNOYED)))
        elif rng.random() < 0.3:
            items.append(("mild", b.pick(sc["mild"], CUST_MILD)))
        else:
            items.append(("calm", b.pick(sc["detail"], CUST_CALM)))
    calm_body(b, items)
    return None


def shape_false_alarm(b):
    sc, rng = b.sc, b.rng
    opening(b, double_detail_p=0.0, probe=False)
    m = rng.choice([1, 2, 2, 3])
    n_fa = 1 if m == 1 else rng.choice([1, 1, 2])
    slots = set(rng.sample(range(m), n_fa))
    items = []
    for i in range(m):
        if i in slots:
            fa = CUST_FALSE_ALARM
            if b.scenario == "cancellation":   # "I'm not cancelling" would contradict the call
                fa = [e for e in fa if "cancel" not in e and "switching" not in e]
            items.append(("calm", b.pick(fa)))
        elif rng.random() < 0.3:
            items.append(("mild", b.pick(sc["mild"], CUST_MILD)))
        else:
            items.append(("calm", b.pick(sc["detail"], CUST_CALM)))
    offer_at = rng.randrange(m) if rng.random() < 0.45 else None
    calm_body(b, items, offer_supervisor_at=offer_at)
    return None


def shape_slow_build(b):
    """calm -> mildly impatient (label 0) -> frustrated -> trigger (second frustrated
    turn in a row, or a manager request, or a legal threat)."""
    sc, rng = b.sc, b.rng
    opening(b, double_detail_p=0.0, probe=False)
    n_calm = rng.choice([0, 0, 1])
    n_mild = rng.choice([1, 2, 2, 3])
    seq = ["calm"] * n_calm + ["mild"] * n_mild + ["frus", "trigger"]
    kind = rng.choices(["frus", "manager", "legal"], weights=[55, 25, 20])[0]
    trigger_idx = None
    prev_f = False
    for n, step in enumerate(seq):
        if n == 0 and step == "mild":
            b.agent(b.pick(sc["probe"]), extra=sc["setback"])
        else:
            pools = (sc["probe"], AGENT_HOLD) if step == "calm" else (sc["setback"], AGENT_SETBACK)
            agent_before(b, pools, prev_f)
        if step == "calm":
            b.cust(b.pick(sc["detail"], CUST_CALM))
        elif step == "mild":
            b.cust(b.pick(sc["mild"], CUST_MILD))
        elif step == "frus":
            b.cust(b.pick(sc["frus"], CUST_FRUS))
        elif kind == "frus":
            trigger_idx = b.cust(b.pick(sc["frus"], sc["angry"], CUST_FRUS, CUST_ANGRY, CUST_FRUS_AFTER_APOLOGY))
        elif kind == "manager":
            trigger_idx = b.cust(b.pick(CUST_MANAGER))
        else:
            trigger_idx = b.cust(b.pick(CUST_LEGAL))
        prev_f = step in ("frus", "trigger")
    if kind == "frus":
        b.agent(b.pick(AGENT_ESCALATE))
    elif kind == "manager":
        b.agent(b.pick(AGENT_TRANSFER_MGR))
    else:
        b.agent(b.pick(AGENT_COMPLAINT))
    if rng.random() < 0.6:
        tail = rng.choice(["after", "after", "churn", "angry"])
        if tail == "after":
            b.cust(b.pick(CUST_AFTER_ESC))
        elif tail == "churn":
            b.cust(b.pick(CUST_CHURN))
        else:
            b.cust(b.pick(sc["angry"], CUST_ANGRY))
        b.agent(b.pick(AGENT_END_HOLD))
    return trigger_idx


def shape_early_manager(b):
    sc, rng = b.sc, b.rng
    variant = rng.choice(["at0", "at1", "at2", "at2", "at4", "at4"])
    if variant == "at0":
        idx = b.cust(b.pick(CUST_MANAGER_OPEN))
        b.agent(b.pick(AGENT_DEESCALATE_REF))
        b.cust(b.pick(CUST_VERIFY))
    elif variant == "at1":
        b.cust(b.pick_open(sc["open"]))
        idx = b.cust(b.pick(CUST_MANAGER))
        b.agent(b.pick(AGENT_DEESCALATE_REF))
        b.cust(b.pick(CUST_VERIFY))
    elif variant == "at2":
        b.cust(b.pick_open(sc["open"]))
        b.agent(b.pick(AGENT_VERIFY))
        idx = b.cust(b.pick(CUST_VERIFY_MGR))
    else:
        b.cust(b.pick_open(sc["open"]))
        b.agent(b.pick(AGENT_VERIFY))
        b.cust(b.pick(CUST_VERIFY))
        b.agent(b.pick(sc["probe"], sc["setback"]))
        idx = b.cust(b.pick(CUST_MANAGER))
    if variant in ("at0", "at1"):
        b.agent(b.pick(AGENT_DEESCALATE))
        b.cust(b.pick(CUST_MANAGER_INSIST))
    else:
        b.agent(b.pick(AGENT_DEESCALATE))
        if rng.random() < 0.7:
            b.cust(b.pick(CUST_MANAGER_INSIST))
        else:
            b.cust(b.pick(sc["detail"]))
            b.agent(b.pick(sc["setback"]))
            b.cust(b.pick(CUST_MANAGER_INSIST))
    b.agent(b.pick(AGENT_TRANSFER_MGR))
    if rng.random() < 0.7:
        b.cust(b.pick(CUST_AFTER_ESC))
        b.agent(b.pick(AGENT_END_HOLD))
    return idx


def tail_after_trigger(b):
    """Customer reacts to the agent's reply, then the agent escalates."""
    sc, rng = b.sc, b.rng
    tail = rng.choice(["manager", "churn", "legal", "angry", "what_now", "what_now"])
    if tail == "manager":
        b.cust(b.pick(CUST_MANAGER))
        b.agent(b.pick(AGENT_TRANSFER_MGR))
    elif tail == "churn":
        b.cust(b.pick(CUST_CHURN))
        b.agent(b.pick(AGENT_COMPLAINT, AGENT_ESCALATE))
    elif tail == "legal":
        b.cust(b.pick(CUST_LEGAL))
        b.agent(b.pick(AGENT_COMPLAINT))
    elif tail == "angry":
        b.cust(b.pick(sc["angry"], CUST_ANGRY, CUST_FRUS_AFTER_APOLOGY))
        b.agent(b.pick(AGENT_ESCALATE))
    else:
        b.cust(b.pick(CUST_WHAT_NOW))
        b.agent(b.pick(AGENT_ESCALATE))
    if rng.random() < 0.5:
        b.cust(b.pick(CUST_AFTER_ESC))
        b.agent(b.pick(AGENT_END_HOLD))


def shape_repeat_frustration(b):
    """The customer mentions an earlier contact about this issue; escalation is
    warranted at the first frustrated turn at or after that mention."""
    sc, rng = b.sc, b.rng
    calm_rep = CUST_REPEAT_CALM + [e for e in sc["repeat"] if "f" not in parse_entry(e)[0]]
    frus_rep = CUST_REPEAT_FRUS + [e for e in sc["repeat"] if "f" in parse_entry(e)[0]]
    variant = rng.choice(["double_frus", "double_calm", "mid_calm", "verify_frus", "mid_frus"])
    if variant == "double_frus":
        b.cust(b.pick_open(sc["open"]))
        idx = b.cust(b.pick(frus_rep))
        b.agent(b.pick(AGENT_APOLOGY), extra=AGENT_VERIFY)
        b.cust(b.pick(CUST_VERIFY))
        b.agent(b.pick(sc["probe"]), extra=sc["setback"])
    elif variant == "double_calm":
        b.cust(b.pick_open(sc["open"]))
        b.cust(b.pick(calm_rep))
        b.agent(b.pick(AGENT_VERIFY))
        b.cust(b.pick(CUST_VERIFY))
        b.agent(b.pick(sc["probe"]), extra=sc["setback"])
        idx = b.cust(b.pick(sc["frus"], CUST_FRUS))
        b.agent(b.pick(AGENT_APOLOGY))
    elif variant == "mid_calm":
        opening(b, double_detail_p=0.0)
        b.cust(b.pick(calm_rep))
        b.agent(b.pick(sc["setback"], AGENT_SETBACK))
        idx = b.cust(b.pick(sc["frus"], CUST_FRUS, sc["angry"]))
        b.agent(b.pick(AGENT_APOLOGY))
    elif variant == "verify_frus":
        b.cust(b.pick_open(sc["open"]))
        b.agent(b.pick(AGENT_VERIFY))
        b.cust(b.pick(CUST_VERIFY))
        idx = b.cust(b.pick(frus_rep))
        b.agent(b.pick(AGENT_APOLOGY), extra=sc["probe"])
    else:
        opening(b, double_detail_p=0.0, probe=False)
        b.agent(b.pick(sc["probe"]), extra=sc["setback"])
        b.cust(b.pick(sc["mild"], CUST_MILD))
        b.agent(b.pick(AGENT_SETBACK))
        idx = b.cust(b.pick(frus_rep))
        b.agent(b.pick(AGENT_APOLOGY))
    tail_after_trigger(b)
    return idx


def shape_urgent_priority(b):
    sc, rng = b.sc, b.rng
    variant = rng.choice(["at0", "at0", "at1", "at3", "at4"])
    if variant == "at0":
        idx = b.cust(b.pick_open(sc["urgent"]))
        b.agent(b.pick(AGENT_VERIFY_FAST))
        b.cust(b.pick(CUST_VERIFY))
    elif variant == "at1":
        b.cust(b.pick_open(sc["open"]))
        idx = b.cust(b.pick(sc["urgent"], CUST_URGENT))
        b.agent(b.pick(AGENT_VERIFY_FAST))
        b.cust(b.pick(CUST_VERIFY))
    elif variant == "at3":
        # customer gives the reference and then the urgency back to back
        b.cust(b.pick_open(sc["open"]))
        b.agent(b.pick(AGENT_VERIFY))
        b.cust(b.pick(CUST_VERIFY))
        idx = b.cust(b.pick(sc["urgent"], CUST_URGENT))
    else:
        b.cust(b.pick_open(sc["open"]))
        b.agent(b.pick(AGENT_VERIFY))
        b.cust(b.pick(CUST_VERIFY))
        b.agent(b.pick(sc["probe"]))
        idx = b.cust(b.pick(sc["urgent"], CUST_URGENT))
    b.agent(b.pick(AGENT_PRIORITY))
    b.cust(b.pick(CUST_AFTER_URGENT))
    b.agent(b.pick(AGENT_URGENT_FOLLOW))
    if rng.random() < 0.6:
        b.cust(b.pick(CUST_THANKS), kind="close")
        b.agent(b.pick(AGENT_CLOSING), kind="close")
    return idx


SHAPES = {
    "calm_resolved": shape_calm_resolved,
    "false_alarm": shape_false_alarm,
    "slow_build": shape_slow_build,
    "early_manager": shape_early_manager,
    "repeat_frustration": shape_repeat_frustration,
    "urgent_priority": shape_urgent_priority,
}


# ---------------------------------------------------------------------------
# Main
# ---------------------------------------------------------------------------
def balanced(rng, items, n):
    out = []
    while len(out) < n:
        block = list(items)
        rng.shuffle(block)
        out.extend(block)
    return out[:n]


def style_list(rng, n):
    counts = [int(round(n * share)) for _, share in STYLE_SHARE]
    counts[0] += n - sum(counts)
    out = []
    for (style, _), c in zip(STYLE_SHARE, counts):
        out.extend([style] * c)
    rng.shuffle(out)
    return out


def check_pools():
    """Every topic an opening can set must find at least one line in each scenario pool."""
    for name, sc in SCEN.items():
        topics = set()
        for e in sc["open"]:
            t = parse_entry(e)[1]
            topics.update(t if t else (None,))
        for topic in sorted(topics, key=str):
            for key in ("detail", "probe", "setback", "fix", "mild", "frus", "angry", "urgent", "repeat"):
                ok = [e for e in sc[key] if not parse_entry(e)[1] or topic in parse_entry(e)[1]]
                assert ok, (name, topic, key)
            rep = [e for e in sc["repeat"] if not parse_entry(e)[1] or topic in parse_entry(e)[1]]
            assert any("r" in parse_entry(e)[0] for e in rep), (name, topic)
    for pool in (AGENT_VERIFY, CUST_VERIFY, CUST_CALM, CUST_MILD, CUST_FALSE_ALARM, CUST_THANKS,
                 CUST_DECLINE_SUPERVISOR, AGENT_OFFER_SUPERVISOR, CUST_AFTER_URGENT):
        assert all(not parse_entry(e)[0] for e in pool)
    assert all("f" in parse_entry(e)[0] for e in CUST_FRUS + CUST_ANGRY)
    assert all(parse_entry(e)[0] == "" for e in CUST_MILD)


def main():
    check_pools()
    rng = random.Random(SEED)
    plan = []
    for shape, n in N_PER_SHAPE:
        scen = balanced(rng, SCENARIOS, n)
        styles = style_list(rng, n)
        plan.extend((shape, s, st) for s, st in zip(scen, styles))
    rng.shuffle(plan)

    records = []
    shape_of = []
    sources_by_shape = defaultdict(set)
    for i, (shape, scenario, style) in enumerate(plan, 1):
        b = CallBuilder(rng, scenario, style, shape)
        intended = SHAPES[shape](b)
        turns = b.render()
        rule_idx = escalate_turn_by_rule(turns)
        if rule_idx != intended:
            raise AssertionError(f"{shape} call {i}: rule {rule_idx} != intended {intended}")
        assert 6 <= len(turns) <= 20, (shape, len(turns))
        for t in turns:
            assert t["text"], (shape, i)
        records.append({
            "call_id": f"gcall-{i:04d}",
            "scenario": scenario,
            "style": style,
            "origin": "generated",
            "turns": turns,
            "labels": {"escalate": int(rule_idx is not None), "escalate_turn": rule_idx},
        })
        shape_of.append(shape)
        sources_by_shape[shape].update(b.sources)

    os.makedirs(os.path.dirname(OUT_PATH), exist_ok=True)
    with open(OUT_PATH, "w", encoding="utf-8", newline="\n") as f:
        for r in records:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")

    n = len(records)
    lens = [len(r["turns"]) for r in records]
    print(f"wrote {n} calls to {os.path.relpath(OUT_PATH, ROOT)}")
    print(f"escalate share: {sum(r['labels']['escalate'] for r in records) / n:.3f}")
    print(f"turns per call min/median/max: {min(lens)}/{statistics.median(lens)}/{max(lens)}")
    print("per shape:", dict(Counter(shape_of)))
    print("per scenario:", dict(sorted(Counter(r["scenario"] for r in records).items())))
    print("per style:", dict(Counter(r["style"] for r in records)))
    pos = Counter()
    for r in records:
        for t in r["turns"]:
            for k in KEYS:
                pos[k] += t["labels"][k]
    print("customer-turn positives:", dict(pos))
    print("distinct hand-written pool lines used per shape (customer + agent = total):")
    for s, v in sorted(sources_by_shape.items()):
        nc = sum(1 for sp, _ in v if sp == "customer")
        print(f"  {s:20s} {nc} + {len(v) - nc} = {len(v)}")
    n_pool = len({e for sc in SCEN.values() for k, pool in sc.items() if isinstance(pool, list) and k != "co"
                  for e in pool} | {e for pool in GENERAL_POOLS for e in pool})
    print(f"hand-written lines in all pools: {n_pool}")


if __name__ == "__main__":
    main()
