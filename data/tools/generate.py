#!/usr/bin/env python3
"""Deterministic training-data generator for escalsignal.

Run from the repository root:

    python data/tools/generate.py

Writes
  data/generated/templates.jsonl     customer (and a few agent) utterances rendered from hand-written
                                     sentence frames with paraphrase slots, in chat / spoken / asr style
  data/generated/asr_variants.jsonl  an ASR view (asr_view) of ~35% of the non-asr customer lines found
                                     in data/hand/*.jsonl (choice seeded per record id, so it is stable)

Standard library only.  Every random choice comes from random.Random instances seeded from SHA-256 of a
fixed string (frame id or record id), inputs are read in sorted order, so two runs give byte-identical
files.  See data/FORMAT.md for the record format and data/GUIDE_FOR_WRITERS.md for label definitions.
"""

from __future__ import annotations

import hashlib
import json
import math
import random
import re
import sys
import unicodedata
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HAND_DIR = ROOT / "data" / "hand"
OUT_DIR = ROOT / "data" / "generated"
TEMPLATES_OUT = OUT_DIR / "templates.jsonl"
ASR_OUT = OUT_DIR / "asr_variants.jsonl"

LABEL_KEYS = ("frustration", "repeat_contact", "manager_request", "urgency", "churn_threat", "legal_threat")
LETTER = {"F": "frustration", "R": "repeat_contact", "M": "manager_request",
          "U": "urgency", "C": "churn_threat", "L": "legal_threat"}
SCENARIOS = ("billing_dispute", "outage", "refund", "fraud", "delivery_delay", "account_lockout",
             "travel_disruption", "tech_support", "cancellation", "insurance_claim", "healthcare_claim",
             "banking", "utilities", "retail_order", "general")
STYLES = ("chat", "spoken", "asr")
STYLE_WEIGHTS = (45, 30, 25)
from stats import KIND_SIGNAL  # noqa: E402  (one list of hard-negative kinds, shared with stats.py and its test)

HN_KINDS = frozenset(k for kinds in KIND_SIGNAL.values() for k in kinds) | {"agent_mirror"}

ASR_VARIANT_PROB = 0.35
POS_LINES = 5        # lines per single-signal positive frame
MIX_LINES = 3        # lines per multi-signal positive frame
NEUTRAL_LINES = 3    # lines per neutral frame
MIN_HN_LINES = 3     # hard-negative lines of a signal = its positive lines, at least this many per frame


def seeded_rng(*parts: str) -> random.Random:
    digest = hashlib.sha256("|".join(parts).encode("utf-8")).hexdigest()
    return random.Random(int(digest[:16], 16))


# ----------------------------------------------------------------------------------------------------
# Slot banks.  Values are chosen so that no slot value changes the meaning/labels of a frame:
# issues are described neutrally (no fraud, no "stranded", no outage blocking work), counts in repeat
# frames are always >= 2, etc.
# ----------------------------------------------------------------------------------------------------

TELCOS = ["Veltro Mobile", "Skylink Fiber", "Brightwave", "Orbitel", "Nexa Broadband"]
BANKS = ["Northgate Bank", "Crestline Bank", "Harbor Credit Union", "Lumen Bank", "FirstRiver"]
TRAVEL = ["BlueJet Air", "AeroNova", "Meridian Rail", "StayWell Hotels", "Coastline Airways"]
SHOPS = ["ShopMart", "Cartwell", "Trendly", "HomeNest", "Pebble & Pine"]
COURIERS = ["ParcelGo", "SwiftDrop", "Cartwell", "ShopMart"]
POWER = ["CityPower", "Greenfield Energy", "ClearWater Utilities", "VoltaHome"]
INSURERS = ["SafeHarbor Insurance", "Allshield", "Keystone Mutual", "Evergreen Assurance"]
HEALTH = ["MediPlus Health", "CarePoint", "WellSpring Health Plan", "Vitalis"]
TECHCO = ["Pixelware", "CloudNest", "Nimbus Devices", "Zentro"]
SUBS = ["StreamBox", "FlexGym", "Veltro Mobile", "Brightwave", "CloudNest"]

SCEN = {
    "billing_dispute": dict(
        company=TELCOS + POWER[:2],
        issue=["the double charge on my bill", "the extra fee on my invoice", "the wrong amount on my statement",
               "the overcharge from last month", "a billing error on my account", "the late fee I was given"],
        thing=["phone plan", "broadband package", "TV bundle", "monthly bill"],
        cancel_obj=["my account", "my plan", "my contract", "all my lines"],
        competitor=["another provider", "a different carrier", "a cheaper provider"],
        regulator=["the FCC", "the BBB", "the attorney general", "the telecoms ombudsman", "consumer protection"]),
    "outage": dict(
        company=TELCOS,
        issue=["the connection dropping", "my slow broadband", "the patchy signal at my place",
               "the line fault", "my internet cutting in and out"],
        thing=["internet", "broadband", "phone line", "fibre connection"],
        cancel_obj=["my broadband", "my contract", "my account"],
        competitor=["another provider", "a different broadband company", "a rival network"],
        regulator=["the FCC", "the BBB", "the telecoms ombudsman", "the public utilities commission"]),
    "refund": dict(
        company=SHOPS + TRAVEL[:2],
        issue=["my refund", "the refund for my returned order", "the money for the cancelled order",
               "the refund I was promised", "my reimbursement for the return"],
        thing=["refund", "return", "store credit", "order"],
        cancel_obj=["my account", "my membership", "my store card"],
        competitor=["another shop", "a competitor", "someone else"],
        regulator=["the BBB", "trading standards", "consumer protection", "the attorney general"]),
    "fraud": dict(
        company=BANKS,
        issue=["the disputed transaction", "the charge I queried", "my dispute case"],
        thing=["debit card", "credit card", "current account"],
        cancel_obj=["my account", "my credit card", "all my accounts"],
        competitor=["another bank", "a different bank", "a credit union"],
        regulator=["the CFPB", "the financial ombudsman", "the BBB", "the attorney general"]),
    "delivery_delay": dict(
        company=COURIERS,
        issue=["my late parcel", "the delivery that was due last week", "my missing delivery",
               "the parcel stuck in transit", "the delayed sofa delivery"],
        thing=["parcel", "delivery", "package", "order"],
        cancel_obj=["my membership", "my account", "my delivery pass"],
        competitor=["another courier", "a different shop", "a competitor"],
        regulator=["the BBB", "trading standards", "consumer protection"]),
    "account_lockout": dict(
        company=BANKS[:2] + TECHCO[:2] + SHOPS[:2],
        issue=["getting back into my account", "my locked online account", "the password reset problem",
               "the verification code that never arrives", "my login"],
        thing=["online account", "login", "app", "profile"],
        cancel_obj=["my account", "my subscription", "my membership"],
        competitor=["a competitor", "someone else", "another company"],
        regulator=["the BBB", "the data protection regulator", "consumer protection"]),
    "travel_disruption": dict(
        company=TRAVEL,
        issue=["my cancelled flight refund", "the lost suitcase claim", "my rebooking",
               "the delay compensation", "the hotel overbooking"],
        thing=["flight", "booking", "hotel room", "rail ticket"],
        cancel_obj=["my frequent flyer account", "my loyalty membership", "my account"],
        competitor=["another airline", "a different airline", "a competitor"],
        regulator=["the Department of Transportation", "the DOT", "the aviation regulator", "the BBB"]),
    "tech_support": dict(
        company=TECHCO + TELCOS[:2],
        issue=["my router", "the laptop repair", "the app that keeps crashing", "my broken smart speaker",
               "the software licence"],
        thing=["router", "laptop", "smart speaker", "tablet", "printer"],
        cancel_obj=["my subscription", "my plan", "my account"],
        competitor=["a competitor", "another brand", "someone else"],
        regulator=["the BBB", "trading standards", "consumer protection"]),
    "cancellation": dict(
        company=SUBS,
        issue=["the final bill after I cancelled", "the exit fee", "the cancellation I asked for",
               "my cancellation confirmation", "the charge after cancelling"],
        thing=["subscription", "membership", "contract", "plan"],
        cancel_obj=["my subscription", "my membership", "my contract"],
        competitor=["a competitor", "another gym", "another service"],
        regulator=["the BBB", "consumer protection", "the attorney general"]),
    "insurance_claim": dict(
        company=INSURERS,
        issue=["my claim", "the windscreen claim", "my home insurance claim", "the water damage claim",
               "my car claim"],
        thing=["policy", "claim", "car insurance", "home cover"],
        cancel_obj=["my policy", "all my policies", "my car insurance"],
        competitor=["another insurer", "a different insurer", "a competitor"],
        regulator=["the state insurance commissioner", "the insurance ombudsman", "the BBB"]),
    "healthcare_claim": dict(
        company=HEALTH,
        issue=["my reimbursement", "the claim for my physio", "the bill from my clinic visit",
               "my dental claim", "the pre-authorisation paperwork"],
        thing=["health plan", "prescription cover", "dental cover", "membership"],
        cancel_obj=["my plan", "my membership", "our family plan"],
        competitor=["another plan", "a different insurer", "another provider"],
        regulator=["the state insurance department", "the health ombudsman", "the insurance commissioner"]),
    "banking": dict(
        company=BANKS,
        issue=["my transfer", "the standing order", "my statement request", "the mortgage paperwork",
               "my overdraft fee"],
        thing=["current account", "credit card", "savings account", "mortgage"],
        cancel_obj=["my account", "all my accounts", "my credit card", "my mortgage"],
        competitor=["another bank", "a different bank", "a credit union"],
        regulator=["the CFPB", "the financial ombudsman", "the BBB", "the attorney general"]),
    "utilities": dict(
        company=POWER,
        issue=["my meter reading", "the estimated bill", "the boiler service booking", "my direct debit amount",
               "the smart meter install"],
        thing=["energy account", "gas bill", "water bill", "smart meter"],
        cancel_obj=["my account", "my energy contract", "my tariff"],
        competitor=["another supplier", "a different energy company", "a cheaper supplier"],
        regulator=["the energy ombudsman", "the public utilities commission", "the BBB"]),
    "retail_order": dict(
        company=SHOPS,
        issue=["my order", "the wrong item you sent", "my exchange", "the missing item from my order",
               "my price match request"],
        thing=["coffee machine", "boots", "desk chair", "jacket", "kettle"],
        cancel_obj=["my account", "my membership", "my store card"],
        competitor=["another shop", "a competitor", "another store"],
        regulator=["the BBB", "trading standards", "consumer protection"]),
    "general": dict(
        company=TELCOS[:2] + BANKS[:2] + SHOPS[:2] + TRAVEL[:1] + INSURERS[:1],
        issue=["my problem", "this issue", "my case", "my request", "my enquiry"],
        thing=["account", "service", "order", "plan"],
        cancel_obj=["my account", "everything", "my membership"],
        competitor=["a competitor", "someone else", "another company"],
        regulator=["the BBB", "consumer protection", "the ombudsman", "the attorney general"]),
}

GENERIC = [s for s in SCENARIOS if s not in ("fraud",)]  # "*" in a frame

POLITE = ["please", "if possible", "if you don't mind", "when you get a chance"]
INTENS = ["really", "so", "absolutely", "completely", "seriously", "utterly", "just"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]
AGO = ["two days ago", "last week", "3 days ago", "on Monday", "yesterday", "a week ago", "ten days ago",
       "earlier this week", "on the 12th", "last Thursday"]
SINCE = ["since Monday", "for two weeks", "for 3 days", "all week", "since the 5th", "for over a month",
         "since last Friday", "for 10 days"]
CONTACTED = ["called", "emailed", "messaged you", "chatted with your team", "DM'd you", "phoned",
             "written in", "been on live chat"]
CONTACTED_P = ["called", "emailed", "messaged you", "chatted with your team", "DM'd you", "phoned",
               "wrote in", "tweeted at you", "rang"]
CHANNEL = ["on the phone", "by email", "on live chat", "through the app", "over DM", "on Twitter"]
AGENT = ["Kevin", "Priya", "Marcus", "Jen", "Tomasz", "Aisha", "Luis", "Hannah", "Dev", "Rosa"]
HIGHER = ["a manager", "a supervisor", "your supervisor", "your manager", "someone in charge",
          "someone more senior", "a team leader", "someone higher up", "a real person", "a human",
          "a live agent"]
LAWYER = ["my lawyer", "my attorney", "my solicitor", "a lawyer", "legal counsel"]
COUNT = {"chat": ["3x", "3 times", "three times", "twice", "like 5 times", "4x", "multiple times",
                  "a bunch of times", "4 times"],
         "spoken": ["three times", "twice", "four times now", "three or four times", "several times",
                    "five times", "3 times", "twice already"]}
NTH = {"chat": ["for the 3rd time", "for the 4th time", "for the third time", "for the 2nd time",
                "for the fifth time"],
       "spoken": ["for the third time", "for the fourth time", "for the second time", "for the 3rd time",
                  "for the fifth time"]}
ORD = {"chat": ["second", "third", "3rd", "4th", "fourth", "5th"],
       "spoken": ["second", "third", "3rd", "fourth", "fifth"]}
AMOUNTS = ["19", "40", "65", "120", "249", "89.99", "312", "15", "1,200", "75", "58.40", "9.99"]
CURRENCY = ["$", "$", "$", "£", "€"]


def handle_for(company: str, rng: random.Random) -> str:
    base = re.sub(r"[^A-Za-z0-9]", "", company)
    return "@" + base + rng.choice(["", "", "Help", "Support", "Care"])


def make_ref(rng: random.Random) -> str:
    kind = rng.randrange(4)
    if kind == 0:
        return str(rng.randint(10000, 999999))
    if kind == 1:
        return "#" + str(rng.randint(10000, 99999))
    if kind == 2:
        return rng.choice("ABCDEFGHJKLMNPRSTUVWXYZ") + rng.choice("ABCDEFGHJKLMNPRSTUVWXYZ") + str(
            rng.randint(1000, 99999))
    return str(rng.randint(100000, 9999999))


# ----------------------------------------------------------------------------------------------------
# Frames
# Positive:       (scenario_spec, "LETTERS", text)          scenario_spec: "*", one name, or "a|b|c"
# Hard negative:  (scenario_spec, kind, text)               all labels 0
# Agent mirror:   (scenario_spec, target_signal_letter, text)   speaker agent, all labels 0
# Neutral:        (scenario_spec, text)                     all labels 0
# ----------------------------------------------------------------------------------------------------

MIS, RS, JT, NR, HR, MOS = ("manager_in_story", "reported_speech", "job_title", "negated_request",
                            "hypothetical_request", "manager_other_sense")
RP, AOS, FC, NRP = "recurring_problem", "again_other_sense", "first_contact", "negated_repeat"
PPR, PR, SP = "polite_problem_report", "praise", "sarcasm_that_is_praise"
PUO, RT, RCA = "past_urgency_over", "routine_timing", "routine_card_admin"
RC, NC = "routine_cancellation", "negated_churn"

# ---------------------------------------------------------------- frustration
FRU_POS = [
    ("*", "F", "This is {intens} ridiculous, {issue} still isn't sorted and nobody seems to care."),
    ("tech_support", "F", "Are you kidding me? {amount} for a {thing} that doesn't even work?"),
    ("*", "F", "Honestly the worst customer service I've ever dealt with. {company} should be ashamed."),
    ("billing_dispute|utilities|banking", "F", "I'm so fed up with {company}. Every single month there's something wrong with my {thing}."),
    ("refund|retail_order", "F", "Unacceptable. Absolutely unacceptable. I paid {amount} and got nothing for it."),
    ("account_lockout|tech_support", "F", "What the hell is going on with your app? It just spins and spins and then logs me out."),
    ("delivery_delay|retail_order", "F", "You people lost my order and nobody can be bothered to tell me where it is."),
    ("*", "FR", "This is a joke. Forty minutes on hold just to be told to wait some more."),
    ("billing_dispute", "F", "Wow, great job {company}, another month, another wrong bill. Truly impressive."),
    ("*", "F", "Why is it so hard to get a straight answer out of you people?"),
    ("*", "F", "I am beyond annoyed right now. {Issue} should have taken five minutes to fix."),
    ("delivery_delay|retail_order", "F", "Seriously?? The {thing} turned up smashed and the box was soaking wet."),
    ("account_lockout|tech_support", "F", "Your app is garbage. It logs me out every two minutes and loses everything I typed."),
    ("billing_dispute|tech_support|utilities", "F", "I'm sick and tired of paying for a service that never works properly."),
    ("delivery_delay", "F", "Oh fantastic, the delivery window was eight till noon and it's now 6pm. Thanks for nothing."),
    ("*", "F", "This company is a complete shambles, I can't believe how badly this has been handled."),
    ("retail_order|tech_support", "F", "F*** this, the {thing} broke after two days and your site won't even let me log a return."),
    ("*", "F", "No, that's not good enough. I don't want another voucher, I want {issue} dealt with properly."),
    ("billing_dispute|banking", "F", "I'm absolutely furious. You charged me a {amount} late fee when I paid on time."),
    ("billing_dispute|utilities", "F", "How hard can it be to send a bill that's actually correct?"),
    ("travel_disruption", "F", "This is the worst airline I have ever flown with, bar none."),
    ("*", "F", "Your so-called support chat is useless, it just sends me links that answer nothing."),
    ("utilities|tech_support", "F", "I'm really angry about how your engineer left my house, mud everywhere and a hole in the wall."),
    ("refund", "F", "Pathetic. Three weeks for a refund that you said would take three days."),
    ("*", "F", "Stop reading me the script and just listen to what I'm saying, for once."),
    ("billing_dispute|cancellation|tech_support", "F", "Ugh, I can't believe I'm paying {amount} a month for this nonsense."),
    ("insurance_claim", "F", "Are you serious right now? The claim was denied because of a form YOU sent me?"),
    ("healthcare_claim", "F", "This is beyond frustrating, my prescription has been stuck on 'processing' for ages."),
    ("travel_disruption", "F", "The inflight wifi I paid for never worked and the crew just shrugged. Useless."),
    ("banking", "F", "Terrible, terrible service. I've never been treated this rudely by a bank."),
    ("utilities|tech_support", "F", "What a mess. The engineer didn't turn up and nobody bothered to tell me."),
    ("delivery_delay", "F", "Clowns, the lot of you. How do you lose a parcel the size of a fridge?"),
    ("retail_order|tech_support", "F", "I'm done being polite about this, the {thing} has been faulty from day one."),
    ("cancellation", "F", "This is outrageous, the cancellation fee is more than the service itself."),
    ("*", "F", "Thanks for nothing. Your help page literally says to contact support, which is you."),
    ("billing_dispute|utilities|cancellation", "F", "I've had it up to here with these constant price hikes, it's daylight robbery."),
    ("*", "F", "Why do you make everything so complicated? I just want to update my address!"),
    ("billing_dispute|banking", "F", "Brilliant, just brilliant. Charged twice and the app says everything is fine."),
    ("*", "F", "Your hold music has been playing for fifty minutes, this is insane."),
    ("*", "F", "Nobody at {company} seems to know what they're doing, it's unbelievable."),
    ("utilities", "F", "I'm really fed up, the heating engineer cancelled on me the morning of the appointment, again."),
    ("insurance_claim", "F", "Disgraceful. My claim sat untouched for a month and no one even opened it."),
    ("tech_support|account_lockout", "F", "This app is a nightmare, every update makes it worse than before."),
    ("*", "F", "Honestly, shame on you. My eighty-year-old mum was left on hold for an hour."),
    ("insurance_claim|healthcare_claim|banking", "F", "It's {intens} annoying that I have to print, sign and scan a form in this day and age."),
    ("*", "F", "I'm {intens} disappointed and frankly angry, this is not what I pay {company} for."),
    ("refund|retail_order", "F", "What a rip-off. The 'free' returns cost me {amount} in postage."),
    ("*", "F", "Can you people do anything right? Anything at all?"),
]

FRU_NEG = [
    ("billing_dispute|utilities", PPR, "Hi, my bill seems a bit higher than usual this month, could you take a look, {polite}?"),
    ("billing_dispute|banking", PPR, "Hello, I think there may be a small error on my latest statement from {company}."),
    ("retail_order", PPR, "Hi there, the {thing} I received is the wrong colour, how do I swap it?"),
    ("delivery_delay", PPR, "Good morning, my tracking hasn't updated {since}, is the parcel still on its way?"),
    ("account_lockout", PPR, "Hi, the app shows a login error when I try to view my account. Is there a known issue?"),
    ("billing_dispute|retail_order", PPR, "I noticed I was charged {amount} instead of the advertised price, could you check that for me?"),
    ("outage", PPR, "My internet has been a little slower than normal in the evenings, nothing major, just wanted to flag it."),
    ("healthcare_claim", PPR, "The reimbursement for my physio visit came in lower than I expected, could you explain how it was worked out?"),
    ("travel_disruption", PPR, "I'm a bit disappointed the room didn't have the view I booked, is there anything you can do?"),
    ("utilities", PPR, "Sorry to bother you, the meter reading on my bill looks off by a few hundred units."),
    ("retail_order|tech_support", PPR, "The {thing} I bought doesn't switch on. I've checked the plug. What are my options?"),
    ("refund", PPR, "Could someone check why my refund is still showing as pending, {polite}?"),
    ("insurance_claim", PPR, "Hi, my claim status says more info needed but not what. Could you tell me what's missing?"),
    ("delivery_delay", PPR, "Just so you know, the driver left my parcel at number 14 instead of 41, the neighbour brought it over, all fine."),
    ("tech_support", PPR, "The light on my router keeps blinking orange. Is there something I should reset?"),
    ("billing_dispute", PPR, "I was a little surprised by a roaming charge, I thought my plan covered Canada. Could you double check?"),
    ("travel_disruption", PPR, "My seat was changed after I booked it. Not a big deal, but could I get an aisle seat back?"),
    ("utilities", PPR, "My water pressure has been low since yesterday, is there work going on in the area?"),
    ("retail_order", PPR, "The discount code didn't apply at checkout, could you help me with that?"),
    ("healthcare_claim", PPR, "Hi, the pharmacy says my plan didn't approve the refill. Could you look into it, {polite}?"),
    ("*", PR, "Thanks so much, you've been really helpful today."),
    ("utilities|tech_support", PR, "Just wanted to say the engineer who came out was brilliant, very patient with my questions."),
    ("refund", PR, "Honestly the quickest refund I've ever had, thank you {company}!"),
    ("retail_order", PR, "Great service as always, the replacement arrived the very next day."),
    ("insurance_claim", PR, "You guys are amazing, the claim was approved in two days."),
    ("delivery_delay", PR, "Your driver today was so kind and carried everything upstairs, thank you."),
    ("billing_dispute|banking", PR, "Love the new app update, paying my bill takes seconds now."),
    ("travel_disruption", PR, "That was painless, thanks for sorting the booking change so quickly."),
    ("banking|billing_dispute", PR, "Really appreciate you waiving that fee, it made my week."),
    ("travel_disruption", PR, "The cabin crew went above and beyond for my kids, please pass that on."),
    ("*", PR, "Cheers, that's exactly what I needed. Have a good one."),
    ("healthcare_claim", PR, "I have to say the nurse line was incredibly reassuring last night."),
    ("tech_support|utilities", PR, "Five stars for the installer, tidy, quick and friendly."),
    ("*", PR, "Perfect, thank you, have a lovely afternoon."),
    ("*", SP, "Wow, that was way too easy, I was expecting to be on hold for hours! Thank you."),
    ("*", SP, "Okay who are you and what have you done with the old {company}? That was fast!"),
    ("banking", SP, "Well that's a first, a bank that actually answers the phone in under a minute. Love it."),
    ("delivery_delay|retail_order", SP, "Unbelievable, the parcel came a day early. Great job."),
    ("tech_support|outage", SP, "Are you kidding me, it's already fixed? You're a star!"),
    ("refund", SP, "Insane how quick that refund was, seriously impressed."),
    ("travel_disruption", SP, "Shut up, you upgraded me for free? Best day ever."),
    ("*", SP, "Ridiculously good service today, honestly, thank you."),
    ("*", SP, "I can't believe it, sorted in one call. Take my money."),
    ("retail_order|delivery_delay", SP, "Crazy fast delivery, the box showed up before I'd finished my coffee."),
    ("billing_dispute|banking", SP, "Stop it, you're too kind, that credit is more than fair."),
    ("healthcare_claim", SP, "No way, the app remembered my prescription? Wicked."),
    ("outage|tech_support", SP, "Sick, the speed test is showing double what I pay for now."),
    ("*", SP, "Killer service today, your rep {agent} was unreal."),
    ("insurance_claim|healthcare_claim", SP, "Damn, that's a quick turnaround on the claim, cheers."),
    ("*", SP, "Stupidly easy to change my details in the new app, whoever designed it deserves a raise."),
    ("billing_dispute|cancellation", PPR, "Hi, I cancelled last month but I think I've been billed again, could you check for me?"),
    ("travel_disruption", PPR, "Our flight home was moved by three hours, could you tell me if the hotel transfer still lines up?"),
    ("insurance_claim", PPR, "The assessor's estimate seems a little low compared to the garage quote. Is there a way to query it?"),
    ("healthcare_claim", PPR, "I think the clinic used the wrong code on my bill, would you mind checking it against my plan?"),
    ("banking", PPR, "A payment I made on {day} is still showing as pending, is that normal?"),
    ("retail_order", PPR, "One of the chairs in my order has a small scratch on the leg, what's the best way to sort that?"),
    ("tech_support", PPR, "The laptop fan has got quite loud lately, is that something you can look at under warranty?"),
    ("utilities", PPR, "The smart meter display went blank, no rush, but could someone take a look?"),
    ("banking", PR, "The lady at the branch was lovely when I opened my account, I just wanted that on record."),
    ("outage|tech_support", PR, "Internet's been rock solid since the upgrade, thank you for that."),
    ("healthcare_claim", PR, "Thank you, the reimbursement landed this morning, I really appreciate it."),
    ("*", SP, "Okay that's wild, you actually read my whole message. Thank you!"),
    ("billing_dispute|utilities", SP, "Hold on, my bill went down? Who are you people? Amazing."),
    ("travel_disruption", SP, "Stop it, you found my suitcase already? You absolute legends."),
    ("retail_order", SP, "Ugh, why is your website so good, I keep buying things. Love it."),
]

# ---------------------------------------------------------------- repeat contact
REP_POS = [
    ("*", "R", "I already called on {day} about {issue} and was promised a callback that never came."),
    ("*", "R", "This is my {ord} time contacting you about {issue}."),
    ("*", "R", "I've {contacted} {count} about this and it's still not resolved."),
    ("*", "R", "Hi, I'm contacting you {nth} about {issue}."),
    ("*", "R", "Like I told the last agent, the account number is the same one that's in my email."),
    ("*", "R", "I already explained all of this to your colleague yesterday."),
    ("delivery_delay|retail_order", "R", "I've explained this twice already, the parcel was never delivered."),
    ("*", "R", "Still no reply to the email I sent on {day} about {issue}."),
    ("*", "R", "I was transferred three times last week and ended up right back at the start."),
    ("*", "R", "Your team said someone would ring me back within 48 hours. That was a week ago."),
    ("*", "R", "{at} I DM'd you on {day} about {issue}, any update?"),
    ("*", "R", "Following up on my chat from {ago} about {issue}."),
    ("utilities", "R", "Hi again, I'm the one who called earlier about the wrong meter reading."),
    ("*", "R", "I opened a ticket two weeks ago and I've chased it twice since."),
    ("refund", "R", "Same problem as my last call, the refund still hasn't landed."),
    ("insurance_claim|healthcare_claim|banking", "R", "I've sent the documents {count} now, and each time I'm told they weren't received."),
    ("*", "R", "I spoke to {agent} on {day}, who said they'd escalate it, but I never heard back."),
    ("*", "R", "This is the {ord} agent I've had to explain this to."),
    ("*", "R", "I've tweeted you, emailed you and called you about {issue}."),
    ("insurance_claim|healthcare_claim", "R", "Back again about my claim, reference {ref}, I called last Thursday too."),
    ("travel_disruption", "R", "We went through this yesterday, the booking reference hasn't changed."),
    ("*", "R", "The last person I spoke to said it would be fixed by today, and it isn't."),
    ("tech_support|outage", "R", "I already did the router reset your colleague asked for on my last call."),
    ("billing_dispute|banking|utilities", "R", "I was told on my previous call that the late fee would be removed."),
    ("*", "R", "I've been in touch {count} about {issue}."),
    ("*", "R", "For the record, I reported this {ago} and got a case number, {ref}."),
    ("*", "R", "I sent a message through the app on {day} and nobody has answered it."),
    ("*", "R", "This is a follow-up, I emailed about the duplicate payment {ago}."),
    ("utilities|tech_support|outage", "R", "Last time I called they said the engineer was booked, but no one showed up."),
    ("*", "R", "I keep getting bounced between departments, this is my fourth transfer today."),
    ("retail_order", "R", "Second time writing in about the missing item from order {ref}."),
    ("*", "R", "I left a voicemail {ago} and another one yesterday, no call back."),
    ("*", "R", "Your colleague promised an email confirmation after my last call, I never got it."),
    ("*", "R", "As I said on the phone this morning, I've already sent the photos."),
    ("*", "R", "I've filled in the online form {count} and it keeps telling me the case is closed."),
    ("*", "R", "I chatted with support {ago} and they told me to reach out again if it wasn't fixed. It isn't."),
    ("banking|fraud", "R", "I came into the branch on {day} about this, and they told me to phone you."),
    ("*", "R", "Messaging again since nobody answered my last message about {issue}."),
    ("*", "R", "Hi, re-sending this because my email from {day} got no response."),
    ("*", "R", "I already gave my date of birth and postcode to the last two people."),
    ("*", "R", "I {contacted_p} {ago} about {issue} and was told to wait 5 working days. It's been 9."),
    ("*", "R", "I've been passed from billing to tech and back to billing {count} now."),
]

REP_NEG = [
    ("outage", RP, "The wifi drops again every evening around eight, could you check the line?"),
    ("banking", RP, "My card got declined again at the same petrol station, is there a limit I don't know about?"),
    ("tech_support|account_lockout", RP, "The app crashed again when I opened my statements, is an update coming?"),
    ("utilities", RP, "The bin collection was missed again this week on my street, just letting you know."),
    ("tech_support", RP, "The printer keeps disconnecting from the network every few days."),
    ("delivery_delay", RP, "My parcel was left with the neighbour again, which is fine, just so you're aware."),
    ("utilities|billing_dispute", RP, "Same as last month, the bill came with an estimated reading instead of a real one."),
    ("travel_disruption", RP, "The flight was a bit late again this morning but we still made our connection."),
    ("tech_support|outage", RP, "The TV box restarts itself once in a while, every couple of days or so."),
    ("utilities", RP, "Every winter my heating bill jumps like this, could you explain the tariff to me?"),
    ("account_lockout", RP, "My password reset emails keep ending up in spam for some reason."),
    ("healthcare_claim", RP, "Once again the pharmacy sent the generic version, I'd prefer the brand if that's possible."),
    ("outage", RP, "The streaming quality drops again whenever it rains, which is a bit odd."),
    ("*", AOS, "Sorry, could you say that again? The line cut out for a second."),
    ("*", AOS, "Could you repeat the reference number again, a bit slower?"),
    ("travel_disruption", AOS, "I'd happily fly with {company} again, the crew were lovely."),
    ("retail_order", AOS, "Can I use the same discount code again on my next order?"),
    ("banking|fraud", AOS, "Let me read the card number out again just to be sure I have it right."),
    ("tech_support|outage", AOS, "Once the engineer leaves, should I switch the router on again?"),
    ("account_lockout", AOS, "Okay, I'll try logging in again now with the new password."),
    ("*", AOS, "Could you spell your name again for me, {polite}?"),
    ("travel_disruption", AOS, "When will the pool at the hotel be open again?"),
    ("retail_order", AOS, "Will this colour be available again later in the year?"),
    ("outage|utilities", AOS, "Good to have power again, thanks for the update on the restoration."),
    ("*", AOS, "Can you send the confirmation email again, but to my work address this time?"),
    ("*", FC, "Hi, first time getting in touch, I have a question about {issue}."),
    ("*", FC, "Hello, I've never called before, I'm not sure if this is the right department."),
    ("*", FC, "Hi, ticket number {ref} was created automatically when I submitted the form, what's the next step?"),
    ("insurance_claim|healthcare_claim", FC, "Hi, reference {ref}, I'd just like to check the status of my claim."),
    ("billing_dispute|banking", FC, "New customer here, how do I set up autopay?"),
    ("banking|billing_dispute", FC, "Hi there, I just spotted this so I'm reporting it straight away: my statement shows an old address."),
    ("delivery_delay", FC, "I'm getting in touch for the first time about a delivery, the parcel looks a little delayed."),
    ("utilities", FC, "This is my first call, I just got the letter about the tariff change."),
    ("retail_order", FC, "My order number is {ref}, could you tell me when it'll ship?"),
    ("insurance_claim", FC, "Good afternoon, I'm calling about my policy renewal."),
    ("*", NRP, "I haven't contacted you about this before, it only started today."),
    ("*", NRP, "No, I didn't call earlier, that must have been my husband about something else."),
    ("*", NRP, "This is a new issue, not the one from last month, that one was fixed."),
    ("*", NRP, "I've never had to chase you before, so I'm not sure how this works."),
    ("retail_order|delivery_delay", NRP, "Nobody's been in touch yet and that's fine, I only placed the order yesterday."),
    ("*", NRP, "I don't think I've spoken to anyone about this yet."),
    ("*", NRP, "I'm not following up on anything, it's a fresh question."),
    ("*", NRP, "It's not a repeat complaint, just a quick question about my plan."),
    ("*", NRP, "I didn't email before, I thought calling would be quicker."),
    ("*", NRP, "First time I've needed support in five years with {company}, so there's no previous case."),
    ("*", NRP, "I haven't reported it anywhere else yet, you're the first people I've told."),
    ("*", FC, "Hi, I'm reaching out {channel} for the first time about {issue}."),
    ("outage", RP, "The internet went down again for a few minutes this morning, but it's back now."),
    ("banking", RP, "My salary landed late again this month, is there a reason payments from my employer take longer?"),
    ("*", AOS, "Sorry, I missed that, can you say the last part again?"),
    ("insurance_claim", AOS, "Could I claim again next year if the same tree drops another branch on the shed?"),
    ("tech_support", FC, "Hi, I only bought the {thing} yesterday and I have a quick setup question."),
    ("*", NRP, "No, this is the first I've heard of it; nobody from your side has been in touch and I haven't called either."),
    ("refund", FC, "Hi, I sent the return back on {day}, how long until I see the money?"),
    ("*", NRP, "Nobody's chased this yet, I'm only raising it now."),
    ("travel_disruption", AOS, "Would I be able to book the same room again for next year?"),
    ("utilities", RP, "The streetlight outside flickers again most nights, just thought you should know."),
]

# ---------------------------------------------------------------- manager request
MGR_POS = [
    ("*", "M", "Can I speak to a manager, {polite}?"),
    ("*", "M", "I'd like to speak to {higher} about {issue}."),
    ("*", "M", "Put me through to a real person, not a bot."),
    ("*", "M", "Please escalate this, I'd like it looked at by someone senior."),
    ("*", "M", "I want this escalated to your supervisor today."),
    ("*", "M", "Just get me a human, {polite}."),
    ("*", "M", "Is there anyone in charge I can talk to?"),
    ("*", "M", "I'd like to talk to your supervisor, {polite}."),
    ("*", "M", "Can you transfer me to a live agent?"),
    ("*", "M", "I need to speak with someone who can actually make a decision on this."),
    ("*", "M", "Escalate this to corporate, {polite}."),
    ("*", "M", "Could you connect me to a supervisor about {issue}?"),
    ("*", "M", "Let me talk to your boss."),
    ("*", "M", "Send this up the chain, I'd like someone senior to review it."),
    ("*", "M", "Agent. Agent. Representative. Human, please."),
    ("*", "M", "I would like a supervisor to call me back today."),
    ("*", "M", "Is there a team lead available? I'd like to go over this with them."),
    ("*", "M", "Okay, I think this needs to go to a manager now."),
    ("*", "M", "Please pass me to your manager, this is beyond what you can do."),
    ("*", "M", "I've been patient, but now I'm asking for a supervisor."),
    ("*", "M", "Can I get someone from head office on the line?"),
    ("*", "M", "Speak to a person, speak to a person."),
    ("insurance_claim", "M", "Is it possible to escalate my claim to a senior adjuster?"),
    ("*", "M", "I'd like the complaints manager to look at {issue}, {polite}."),
    ("refund|billing_dispute|banking", "M", "Could a supervisor approve the refund instead?"),
    ("billing_dispute|utilities", "M", "Transfer me to whoever is in charge of the billing department."),
    ("*", "M", "Representative please, I need to talk to a person."),
    ("*", "M", "I want a real human, not this automated menu."),
    ("*", "M", "I'd like to raise this with your manager, please."),
    ("*", "M", "Can this be escalated? I'm getting nowhere with {issue}."),
    ("*", "M", "Could you get your supervisor on the phone for me?"),
    ("retail_order|refund", "M", "The manager at the store told me to call you, and now I'd like to speak to your manager."),
    ("*", "M", "I'm not after compensation, I just want a supervisor to hear this."),
    ("billing_dispute|banking|cancellation", "M", "Any chance I can talk to someone more senior about this fee?"),
    ("*", "M", "Escalate the ticket please, it's {ref}."),
    ("travel_disruption|retail_order", "M", "I'd like to speak with the duty manager."),
    ("*", "M", "Take this up the ladder for me, would you?"),
    ("*", "M", "Who's your supervisor? I'd like to speak with them."),
    ("healthcare_claim", "M", "I'd prefer to talk to a live person about my prescription, not the voice menu."),
    ("*", "M", "Can I get the escalation team, {polite}?"),
    ("*", "M", "Put your manager on, {polite}."),
    ("*", "M", "Connect me with the corporate office please."),
    ("*", "M", "{at} can someone from your escalations team pick up {issue}?"),
]

MGR_NEG = [
    ("retail_order|refund", MIS, "The manager at your store on Main Street was really helpful yesterday."),
    ("travel_disruption", MIS, "The hotel manager already moved us to a quieter room, so all good now."),
    ("banking", MIS, "The branch manager said my new card would be posted this week, I'm just checking it's been sent."),
    ("retail_order|refund", MIS, "When I was in the shop the manager gave me a receipt for the return, here's the number, {ref}."),
    ("delivery_delay", MIS, "The site manager at the depot said the parcel would go out on the next van."),
    ("retail_order", MIS, "Your store manager, Dave I think, processed my exchange, I just need the receipt emailed."),
    ("travel_disruption", MIS, "The duty manager at the airport rebooked us on the later flight, thanks to her."),
    ("travel_disruption", MIS, "I spoke with a supervisor at the check-in desk and she printed my boarding pass."),
    ("healthcare_claim", MIS, "The pharmacy manager told me to bring the prescription back tomorrow."),
    ("*", RS, "My manager told me to call and check the invoice for our office account."),
    ("*", RS, "My boss asked me to get a copy of last quarter's bills."),
    ("*", RS, "My wife said I should ask for a manager, but honestly you've sorted it."),
    ("*", RS, "A friend told me to demand a supervisor, but I'd rather just get the form."),
    ("insurance_claim|healthcare_claim", RS, "My supervisor at work needs a letter confirming my insurance cover."),
    ("travel_disruption", RS, "My line manager approved the trip, I just need to change the date."),
    ("*", RS, "The app said 'escalated to specialist team', what does that mean for me?"),
    ("insurance_claim|healthcare_claim", RS, "Your email said my case was escalated, I just want to know the usual timeline."),
    ("billing_dispute|outage", JT, "I'm the office manager here, calling about our business broadband contract."),
    ("delivery_delay|retail_order", JT, "I work as a nursing supervisor so my shifts are odd, can the delivery come after six?"),
    ("banking", JT, "I'm the account manager for our company's fleet cards."),
    ("utilities", JT, "This is the facilities manager at Greenway School, we need to book a meter reading."),
    ("insurance_claim", JT, "I'm a shift supervisor and I'm updating my employer details on the policy."),
    ("utilities", JT, "As the property manager, I need the utilities moved into the new tenant's name."),
    ("*", JT, "I'm a project manager, so email is the best way to reach me."),
    ("*", JT, "I'm a retail manager myself so I know how busy it gets, no rush."),
    ("delivery_delay|retail_order", NR, "I don't need a supervisor, I just need the tracking number."),
    ("refund", NR, "No need to escalate anything, the refund is all I wanted."),
    ("*", NR, "You don't have to get your manager, I'm happy with what you've offered."),
    ("*", NR, "I'm not asking for {higher}, just for the right form."),
    ("*", NR, "Please don't transfer me, you're doing fine."),
    ("*", NR, "There's no need to pass me to anyone else, thanks."),
    ("*", HR, "If this isn't fixed I'll ask for a manager next time, but let's see how it goes."),
    ("insurance_claim", HR, "Would I ever need to speak to a supervisor for a claim like this, or can you handle it?"),
    ("insurance_claim|healthcare_claim", HR, "What does escalation mean for my claim, is it a good thing?"),
    ("insurance_claim", HR, "How does the escalation process work if the adjuster and I disagree?"),
    ("*", HR, "Just so I know, who would I talk to if I ever needed someone more senior?"),
    ("delivery_delay", HR, "If the courier doesn't turn up tomorrow, maybe I'll ask for a supervisor then."),
    ("tech_support", MOS, "I use your password manager and it isn't syncing with my phone."),
    ("tech_support|outage", MOS, "My download manager keeps pausing whenever I'm on your wifi."),
    ("tech_support", MOS, "Does the task manager show the update running in the background?"),
    ("banking", MOS, "The money manager feature in your app put my rent under shopping."),
    ("tech_support", MOS, "Where do I find the device manager to check the printer driver?"),
    ("travel_disruption", MOS, "Is the manage booking page where I add extra luggage?"),
    ("*", MOS, "How do I manage my notification settings in the app?"),
    ("banking", MOS, "Can my wealth manager get read-only access to the account?"),
    ("banking|billing_dispute", MOS, "I'd like a human-readable copy of my statement, the PDF is all codes."),
    ("banking", MOS, "Is the person in charge of the joint account the primary holder, or both of us?"),
    ("utilities", MOS, "Can I give the property manager access to the online account?"),
    ("banking", MIS, "The manager at the branch helped me open the account last week, lovely woman, I just have a question about the app."),
    ("*", JT, "I manage a small team, so I'd like the invoices sent to our shared inbox."),
    ("*", NR, "I don't need to speak to a real person, the chat is fine for this."),
    ("travel_disruption", MOS, "Can I manage my seat selection from the app, or only on the website?"),
    ("banking", MIS, "My old manager used to bank with you and recommended the business account."),
    ("retail_order", JT, "I'm the store manager at the garden centre next door, could we open a trade account?"),
    ("*", NR, "No need for a supervisor on this one, you've answered my question."),
    ("healthcare_claim", MOS, "Is there a care manager assigned to my plan, or do I book appointments myself?"),
]

# ---------------------------------------------------------------- urgency
URG_POS = [
    ("outage", "U", "My internet is down and I work from home, I have a client call in an hour."),
    ("fraud", "U", "There's a charge of {amount} on my card I don't recognise, please block it now."),
    ("fraud|banking", "U", "My card was stolen this morning, I need it frozen right away."),
    ("account_lockout", "U", "Someone has hacked my account and changed the email address on it."),
    ("travel_disruption", "U", "We're stranded at the airport, the last connection was cancelled and there are no hotels left."),
    ("travel_disruption", "U", "My flight leaves in two hours and the app won't let me check in."),
    ("outage|utilities", "U", "This is urgent, the power is out and my dad is on an oxygen machine."),
    ("refund|banking", "U", "I need the refund before Friday or my rent payment bounces."),
    ("outage", "U", "Our whole office has been offline since 9am, nobody can take orders."),
    ("banking", "U", "The payment to my contractor has to go through today or I lose the deal."),
    ("utilities", "U", "I can smell gas near the meter, what do I do?"),
    ("healthcare_claim|delivery_delay", "U", "My insulin delivery didn't arrive and I'm down to my last pen."),
    ("account_lockout", "U", "Please, asap, I'm locked out and payroll has to run this afternoon."),
    ("utilities|insurance_claim", "U", "Emergency: water is pouring through the ceiling from the pipe you fitted."),
    ("fraud", "U", "I've just seen five withdrawals I didn't make, I need help right now."),
    ("fraud|account_lockout", "U", "My phone got SIM-swapped, I've lost service and my bank codes are going to someone else."),
    ("delivery_delay", "U", "My visa appointment is tomorrow morning and the documents still haven't been delivered."),
    ("outage|banking", "U", "The card machine in my shop is down on a Saturday, we can't take payments at all."),
    ("healthcare_claim", "U", "I'm at the pharmacy counter right now and they say my cover has lapsed."),
    ("travel_disruption", "U", "Our flight was cancelled and my daughter's wedding is tomorrow."),
    ("insurance_claim|travel_disruption", "U", "The hire car broke down on the motorway and we've got two kids in the back."),
    ("tech_support|account_lockout", "U", "I need this fixed by end of day, the filing deadline is tonight."),
    ("banking", "U", "The deposit for the house is due at noon and your transfer limit is blocking it."),
    ("fraud|account_lockout", "U", "Got a text saying my account was accessed from another country, that wasn't me."),
    ("utilities|outage", "U", "My elderly mum's heating is off and it's going to be freezing tonight."),
    ("fraud|banking", "U", "My wallet was taken on the train, all my cards are in it."),
    ("account_lockout|fraud", "U", "Somebody is trying to log into my account right now, I keep getting codes."),
    ("healthcare_claim|insurance_claim", "U", "I need a letter of cover today or the hospital won't admit me tomorrow."),
    ("outage|tech_support", "U", "The server we host with you is down and our store is losing sales every minute."),
    ("travel_disruption", "U", "Urgent: the gate closes in 40 minutes and my booking shows as cancelled."),
    ("healthcare_claim", "U", "My son has a high fever and the clinic line won't connect me."),
    ("healthcare_claim", "U", "Please expedite this, the surgery is Monday and the pre-authorisation is still pending."),
    ("banking|fraud", "U", "Is there any way to get the replacement card today? I'm abroad with no money."),
    ("outage", "U", "We have no signal at all and my wife is due to give birth any day."),
    ("fraud", "U", "I'm being charged {amount} every few minutes by a merchant I've never heard of."),
    ("tech_support", "U", "My work laptop won't boot and I'm presenting to the board in an hour."),
    ("insurance_claim", "U", "My car insurance lapsed by mistake and I need to drive to work this morning."),
    ("utilities|outage", "U", "There are sparks coming from the power box outside my house."),
    ("delivery_delay|retail_order", "U", "ASAP please, the shipment has to clear customs by tomorrow or it gets sent back."),
    ("account_lockout|banking", "U", "My account's been locked and I have to pay a hospital bill today."),
    ("retail_order|tech_support", "U", "Checkout is broken on our website and it's Black Friday."),
    ("fraud", "U", "{at} someone just used my card in another city, how do I stop it right now?"),
]

URG_NEG = [
    ("fraud|banking", PUO, "The fraud on my card last year was sorted quickly, I just need a copy of the letter."),
    ("outage", PUO, "The outage yesterday is fixed now, I'm only asking if there's a credit for it."),
    ("fraud", PUO, "Last month someone used my card but you refunded it, I'm just checking the PIN for the new one."),
    ("travel_disruption", PUO, "We were stuck at the airport back in March, it's all over now, I'm just claiming the hotel receipt."),
    ("account_lockout", PUO, "The hacked account business from the spring is long resolved; I'd like to update my security questions."),
    ("utilities", PUO, "The gas scare was last week and the engineer cleared it, I need the report for my landlord."),
    ("banking|fraud", PUO, "My stolen card was replaced weeks ago, could you remove the old one from my wallet app?"),
    ("outage|tech_support", PUO, "Back in January our site went down for a day; could you send the incident summary for our records?"),
    ("insurance_claim", PUO, "The flood claim was paid out in full, I'm just closing the loop on the paperwork."),
    ("utilities", PUO, "The emergency repair last winter went fine, I'd like to book the annual service now."),
    ("banking|fraud", RT, "When will my new card arrive?"),
    ("refund", RT, "Roughly how long does a refund usually take to show up?"),
    ("utilities|tech_support", RT, "Is there a rough date for the engineer visit? No rush."),
    ("insurance_claim", RT, "When does my policy renew, is it next month?"),
    ("banking", RT, "What time does the branch open on Saturdays?"),
    ("utilities", RT, "How soon can I expect the bill after I send the meter reading?"),
    ("retail_order|delivery_delay", RT, "Could my order be delivered sometime next week instead?"),
    ("healthcare_claim", RT, "When's the next available appointment? Any time in the next month is fine."),
    ("insurance_claim|healthcare_claim", RT, "What's the usual processing time for a claim like mine?"),
    ("*", RT, "I'd like to get this sorted soon-ish, but there's no deadline."),
    ("*", RT, "No hurry at all, whenever you can get to it is fine."),
    ("travel_disruption", RT, "Is it possible to move my flight to later in the summer?"),
    ("banking", RT, "How long is the hold on a deposited cheque, normally?"),
    ("tech_support|account_lockout", RT, "When are you planning to bring back the old app layout? Just curious."),
    ("*", RT, "Not urgent, but the spare key fob you sent stopped working."),
    ("insurance_claim|banking", RT, "The deadline for the form is next quarter, so there's plenty of time."),
    ("banking", RCA, "I'd like to order a new card because the chip is wearing out."),
    ("banking", RCA, "How do I change my card PIN?"),
    ("banking", RCA, "Can I add my partner as an additional cardholder?"),
    ("banking", RCA, "My card expires next month, will the new one be sent automatically?"),
    ("banking", RCA, "Could you raise my contactless limit a little?"),
    ("banking", RCA, "I'd like to switch my debit card design to the recycled plastic one."),
    ("banking", RCA, "How do I set up travel notifications for my card?"),
    ("banking", RCA, "Can I freeze my card for a while? I'm not using it, it's just sitting in a drawer."),
    ("banking", RCA, "Please update the billing address linked to my card."),
    ("banking", RCA, "Is the new card contactless straight out of the envelope?"),
    ("banking", RCA, "Can I get a card in my married name now that the paperwork's done?"),
    ("banking|fraud", RCA, "Can I add an emergency contact to my card account in case I ever lose it abroad?"),
    ("banking|fraud", HR, "What should I do if my card ever gets stolen while I'm travelling?"),
    ("outage|utilities", HR, "If there were ever a power cut, who would I call?"),
    ("travel_disruption", HR, "I'm travelling next month, what happens if my flight gets cancelled?"),
    ("*", HR, "Is there a number to call in an emergency? Just to save it in my phone."),
    ("healthcare_claim", HR, "If I ever needed urgent care abroad, would my plan cover it?"),
    ("travel_disruption", PUO, "We missed our connection last week but you rebooked us, I'm just after the meal vouchers now."),
    ("delivery_delay", RT, "Any idea roughly when the sofa will be delivered? We're not in a rush."),
    ("banking", RCA, "I'd like a second card on the account just for online shopping."),
    ("healthcare_claim", RT, "My prescription renewal is due in about six weeks, can I sort it now?"),
    ("fraud|banking", HR, "How would I know if a text from you is genuine or a scam?"),
    ("account_lockout", PUO, "I was locked out on {day} but got back in with the reset link, I just want to check my details are right."),
    ("utilities", PUO, "The boiler broke down over Christmas and you fixed it the same day, I just need the invoice for my landlord."),
    ("travel_disruption", RT, "What's the latest I can check in online for next month's flight?"),
]

# ---------------------------------------------------------------- churn threat
CHURN_POS = [
    ("*", "C", "If this isn't fixed by Friday I'm cancelling {cancel_obj}."),
    ("billing_dispute|outage|utilities|banking", "C", "I'm switching to {competitor} as soon as my contract's up."),
    ("*", "C", "Honestly, I'm thinking about taking my business to {competitor}."),
    ("banking", "C", "I'm seriously considering moving my mortgage to another bank."),
    ("*", "C", "One more mistake like this and I'm taking my business elsewhere."),
    ("*", "C", "Cancel {cancel_obj}, I'm going with {competitor}."),
    ("*", "C", "I've been a customer for twelve years and I'm ready to leave over this."),
    ("*", "C", "Keep this up and you'll lose a customer."),
    ("billing_dispute|outage", "C", "I'm going to port my number out to another carrier."),
    ("travel_disruption", "C", "I'll be flying with a different airline from now on."),
    ("banking", "C", "Unless you waive the fee, I'm closing all three of my accounts."),
    ("*", "C", "I want to cancel {cancel_obj} because of how this has been handled."),
    ("*", "C", "Why should I stay with {company} when {competitor} is cheaper and actually works?"),
    ("insurance_claim", "C", "I'm seriously considering switching insurers at renewal."),
    ("*", "C", "Give me the cancellations department, I'm leaving."),
    ("billing_dispute", "C", "Our family's four lines are going to another provider unless this changes."),
    ("*", "C", "Goodbye {company}, I've already signed up with someone else."),
    ("banking", "C", "I'm moving my savings out this week."),
    ("billing_dispute|cancellation|utilities", "C", "At this point I'd rather pay the exit fee than stay."),
    ("*", "C", "Don't bother with a retention offer, I'm leaving."),
    ("insurance_claim", "C", "I won't be renewing my policy after this."),
    ("utilities", "C", "We'll find another energy supplier if the bill isn't corrected."),
    ("retail_order|refund", "C", "You've lost my business, I'll shop elsewhere from now on."),
    ("banking", "C", "Tell me how to close my account, I'm switching banks."),
    ("billing_dispute|cancellation", "C", "Do I get my deposit back if I leave early? Because I'm leaving."),
    ("healthcare_claim", "C", "That's it, we're moving to a different plan at open enrolment."),
    ("*", "C", "Thinking about dropping {company} for good."),
    ("*", "C", "I'm pretty sure {competitor} would treat a loyal customer better, and I'm about to find out."),
    ("utilities|billing_dispute", "C", "Switch me off, I'll go back to my old provider."),
    ("*", "C", "My whole company's accounts will move if this isn't handled properly."),
    ("retail_order|refund", "C", "If the refund doesn't come through I'll never order from you again."),
    ("travel_disruption", "C", "I'm booking with {competitor} next time, this was the final straw."),
    ("billing_dispute|outage|utilities", "C", "Start the cancellation, I've found a better deal with {competitor}."),
    ("banking", "C", "Honestly, what's stopping me from closing my account today?"),
    ("banking|insurance_claim", "C", "I'll be moving my pension to another company unless someone fixes this."),
    ("*", "C", "I'm ready to walk away from this contract."),
    ("outage", "C", "Either fix the connection or I cancel, simple as that."),
    ("billing_dispute", "C", "I'd like my PAC code, I'm leaving for another network."),
    ("insurance_claim", "C", "Guess it's time to find a new insurer."),
    ("*", "C", "{at} consider this my notice, I'm moving to {competitor} next month."),
    ("cancellation", "C", "Keep charging me like this and I'll cancel the whole membership."),
]

CHURN_NEG = [
    ("retail_order", RC, "Please cancel order {ref}, I ordered the wrong size."),
    ("travel_disruption", RC, "Could you cancel my hotel booking for the 14th? Plans changed."),
    ("utilities|tech_support", RC, "I need to cancel the engineer visit on Thursday, I'll rebook it next week."),
    ("billing_dispute", RC, "Cancel the extra data add-on please, I don't need it this month."),
    ("retail_order", RC, "Can I cancel one item from my order and keep the rest?"),
    ("banking", RC, "My dad passed away and I need to close his account."),
    ("utilities", RC, "We're moving house, how do I close the gas account at the old address?"),
    ("banking", RC, "Please cancel the standing order to my old landlord."),
    ("cancellation", RC, "I'd like to cancel the duplicate subscription I signed up for by mistake."),
    ("healthcare_claim", RC, "Can you cancel my appointment on {day}? I'm feeling much better."),
    ("insurance_claim|travel_disruption", RC, "Please turn off the auto-renewal on my travel insurance, I'm not travelling this year."),
    ("travel_disruption", RC, "Cancel my seat upgrade request, the regular seat is fine."),
    ("banking", RC, "I want to close the savings pot I opened for the holiday, it's done its job."),
    ("banking", RC, "How do I cancel a payment I scheduled by mistake?"),
    ("*", RC, "Cancel my newsletter subscription please, too many emails."),
    ("banking|fraud", RC, "Could you cancel the replacement card request? I found my old one."),
    ("retail_order|refund", RC, "I want to cancel the return, I've decided to keep the jacket."),
    ("banking", RC, "I need to close the joint account now the divorce is final, and open one in my name."),
    ("billing_dispute|utilities", RC, "I'd like to switch to paperless billing."),
    ("insurance_claim", RC, "Can I switch the policy over to my new car?"),
    ("travel_disruption", RC, "Can I switch my flight to the afternoon instead of cancelling it?"),
    ("*", NC, "I'm not going to cancel, I just want it fixed."),
    ("billing_dispute|utilities", NC, "I'm not leaving, don't worry, I just need the bill corrected."),
    ("*", NC, "I'd never switch, {company} has always been good to me."),
    ("banking", NC, "No, I don't want to close the account, just the overdraft."),
    ("billing_dispute|outage", NC, "I'm not thinking of moving providers, I'm just asking about the new plan."),
    ("*", NC, "Not planning to switch, I'm only comparing what the upgrade costs."),
    ("utilities|billing_dispute", NC, "I'm staying with you, I just want the cheaper tariff."),
    ("insurance_claim", NC, "Don't cancel anything, I'll keep the policy as it is."),
    ("*", NC, "Please don't close it, I only asked about the fees."),
    ("insurance_claim", NC, "I'm definitely renewing, I just want to check the price."),
    ("cancellation", NC, "I'm not cancelling, relax, I just want to pause the box for a month."),
    ("*", NC, "Leaving isn't on my mind, I just want to understand the new charge."),
    ("banking|utilities", NC, "I've been with you twenty years and I'm not going anywhere, just fix the direct debit date."),
    ("delivery_delay|retail_order", NC, "Don't worry, I'm not about to cancel over one late parcel."),
    ("outage|billing_dispute", RS, "My neighbour switched to {competitor} last year and said it was fine; is your fibre in my street yet?"),
    ("cancellation", RS, "My sister cancelled her membership when she moved abroad, can I take over her locker?"),
    ("banking", RS, "My colleague left your bank for another one, but I'm quite happy here."),
    ("billing_dispute", RS, "My son's thinking of moving his phone to your network, do you do student deals?"),
    ("banking", HR, "If I move overseas next year, can I keep the account open?"),
    ("billing_dispute|outage", HR, "Just out of curiosity, what would the exit fee be at the end of my contract? I'm not planning to leave."),
    ("billing_dispute", HR, "If I ever wanted to switch to a cheaper plan with you, how would I do that?"),
    ("billing_dispute|outage", HR, "If I dropped the landline, would the broadband price change? Just weighing options."),
    ("travel_disruption", RC, "Please cancel the return leg of my ticket, I'm staying on a few extra weeks."),
    ("healthcare_claim", RC, "My daughter has her own cover through work now, could you take her off our family plan?"),
    ("cancellation", RC, "Can I cancel the sports add-on but keep the rest of my subscription?"),
    ("insurance_claim", NC, "I'm not going anywhere, I just want the excess explained."),
    ("*", NC, "I'm happy with {company} overall, I'm only asking because my bill changed."),
    ("travel_disruption", RS, "My parents left their old airline for you last year and loved it, so I'm booking with you too."),
    ("banking", HR, "What happens to my savings account if I move to Canada for a year?"),
    ("cancellation", RC, "Please cancel the free trial before it converts, I only wanted it for the final."),
    ("*", NC, "Switching isn't something I'm considering, I just want my discount put back on."),
]

# ---------------------------------------------------------------- legal threat
LEGAL_POS = [
    ("*", "L", "If this isn't refunded by Friday, {lawyer} will be in touch."),
    ("*", "L", "I'm going to file a complaint with {regulator}."),
    ("*", "L", "I'll see you in small claims court."),
    ("*", "L", "I've already spoken to an attorney about {issue}."),
    ("banking|fraud|retail_order|refund", "L", "I'm disputing this with my bank and doing a chargeback."),
    ("*", "L", "Expect a formal complaint in writing."),
    ("*", "L", "I'm reporting {company} to {regulator}."),
    ("account_lockout|tech_support", "L", "I'll take legal action if my data isn't deleted."),
    ("*", "L", "This is going to the ombudsman."),
    ("*", "L", "My solicitor will be copied on my next email."),
    ("utilities|delivery_delay", "L", "I'm suing for the cost of all the food that spoiled."),
    ("*", "L", "Consider this formal notice that I'll be pursuing this legally."),
    ("*", "L", "I've drafted a letter to the attorney general's office about {company}."),
    ("banking|billing_dispute|fraud", "L", "Either you fix the billing or I file with the CFPB."),
    ("*", "L", "The BBB will be hearing about this."),
    ("refund|retail_order|travel_disruption", "L", "I'll be issuing a chargeback if the money isn't back this week."),
    ("utilities|tech_support", "L", "I'm contacting a lawyer about the burn I got from your faulty heater."),
    ("*", "L", "I want to lodge a formal complaint about {issue}."),
    ("billing_dispute|outage", "L", "I'm going to report this to the FCC."),
    ("retail_order|refund|delivery_delay", "L", "Trading standards will be getting a call from me."),
    ("*", "L", "See you in court, {company}."),
    ("*", "L", "My attorney says you've breached the contract, and we'll act on that."),
    ("utilities|cancellation", "L", "I'll be filing in small claims court for my deposit."),
    ("*", "L", "Give me your legal department's address, I'm sending a letter before action."),
    ("insurance_claim", "L", "I've got the insurance commissioner's complaint form open right now."),
    ("*", "L", "This is discrimination, and I'm taking it to a tribunal."),
    ("account_lockout|tech_support", "L", "I'll report you to the data protection regulator."),
    ("*", "L", "You'll be hearing from my lawyers."),
    ("*", "L", "I'm going to sue {company} over this."),
    ("*", "L", "I've kept every email, and {lawyer} will want to see them."),
    ("retail_order|refund", "L", "If you won't refund, I'll ask my card issuer to reverse the payment."),
    ("*", "L", "Let me be clear: the next step is legal action."),
    ("travel_disruption", "L", "I'm filing a complaint with the Department of Transportation about this."),
    ("*", "L", "This is a breach of consumer law and I'll be taking it further legally."),
    ("*", "L", "Expect a call from {lawyer} on Monday."),
    ("banking|fraud", "L", "I'm escalating this to the financial ombudsman."),
    ("*", "L", "I'll be putting in a formal complaint with {regulator}."),
    ("*", "L", "My legal team is reviewing your contract terms as we speak, and they're not happy."),
    ("retail_order|fraud", "L", "I'm opening a dispute with the card company and reporting this as a scam."),
    ("healthcare_claim", "L", "I'm lodging a complaint with the state medical board."),
    ("healthcare_claim|insurance_claim", "L", "I'll be contacting the insurance regulator about this denial."),
    ("*", "L", "{at} my lawyer has the screenshots, you have until Friday."),
]

LEGAL_NEG = [
    ("*", RS, "My lawyer friend said the contract looks fine, so I'm happy to sign."),
    ("insurance_claim", RS, "My cousin's an attorney and she suggested I ask for a copy of the policy wording."),
    ("banking|utilities", RS, "My solicitor needs a completion statement for the house sale."),
    ("utilities|billing_dispute", RS, "The court asked me for proof of address, could you send a recent bill?"),
    ("banking", RS, "My attorney is handling my mum's estate and needs her account balance."),
    ("insurance_claim", RS, "My lawyer needs a copy of the accident report for the other driver's claim."),
    ("*", RS, "The BBB page says you have a good rating, so I thought I'd give you a try."),
    ("utilities", RS, "My landlord's solicitor asked for the last six months of utility bills."),
    ("retail_order", RS, "Our company lawyer wants the signed quote before we place the order."),
    ("travel_disruption|insurance_claim", RS, "A friend who's a lawyer recommended your travel insurance."),
    ("*", JT, "I'm a paralegal, so I'm used to reading small print, I'm just confirming clause four."),
    ("billing_dispute|banking", JT, "I'm an attorney and I need to update the business address on our firm's account."),
    ("billing_dispute", JT, "I work at the ombudsman's office, but this is about my personal phone bill."),
    ("*", JT, "I'm a compliance officer, could you send me the privacy policy as a PDF?"),
    ("banking|travel_disruption", JT, "As a solicitor I travel a lot, can I add lounge access to my card?"),
    ("delivery_delay|retail_order", JT, "I'm a court clerk and I need the delivery to come after five."),
    ("*", JT, "I'm a legal secretary, so please only call me after five."),
    ("billing_dispute|outage", JT, "I'm in-house counsel at a small firm and we need three more phone lines."),
    ("insurance_claim", JT, "I'm a barrister, it's spelled with two Rs, could you fix the name on my policy?"),
    ("delivery_delay|retail_order", NR, "I'm not going to sue anyone, I just want the parcel."),
    ("*", NR, "I don't want to make a formal complaint, I just want to give some feedback."),
    ("*", NR, "No need for lawyers or anything, it was an honest mistake."),
    ("banking|billing_dispute|fraud", NR, "I'm not threatening a chargeback, I just want to understand the charge."),
    ("*", NR, "I won't be reporting this anywhere, you've been fair."),
    ("*", NR, "I'm not looking to take this any further, the credit is fine."),
    ("*", NR, "Honestly I'm not the type to complain formally, I just wanted you to know."),
    ("*", NR, "No need to involve the ombudsman or anyone, it's sorted now."),
    ("banking|fraud", NR, "I've no plans to dispute the charge, I recognise it now."),
    ("*", HR, "Out of interest, what's the process if someone wants to make a formal complaint? It's for a school project."),
    ("banking|fraud", HR, "If I ever needed to dispute a charge, would I do that in the app?"),
    ("retail_order|banking", HR, "What does a chargeback involve on the merchant side? I run a small shop and I'm curious."),
    ("insurance_claim", HR, "How long do I have to file an insurance claim after an accident?"),
    ("insurance_claim", HR, "Would my policy cover legal costs if a tenant ever sued me?"),
    ("insurance_claim", HR, "Does my home insurance cover me if someone slips on my driveway and sues?"),
    ("delivery_delay", HR, "If a parcel goes missing, is there a formal claims process with the courier?"),
    ("*", PUO, "The small claims case from last year was settled, I just need the final invoice."),
    ("banking|fraud", PUO, "The dispute on my card was resolved in my favour, thanks, can I close the ticket?"),
    ("*", PUO, "My lawyer and your team settled things back in March; this is about a new order."),
    ("billing_dispute", PUO, "That old complaint to the regulator was closed years ago, I'm just asking about my current plan."),
    ("banking|retail_order", PUO, "The chargeback went through last month, so the balance should be zero now, right?"),
    ("utilities|banking", PUO, "The court case with the previous owner ended years ago; I just need the account in my name."),
    ("insurance_claim", RS, "The other driver's solicitor wrote to me, do I just forward the letter to you?"),
    ("tech_support", JT, "I'm a law student, is there an education discount on the software?"),
    ("retail_order|refund", NR, "I'm not going to do a chargeback or anything, I just need the refund processed."),
    ("*", NR, "I don't want to get lawyers involved, it's only a small thing."),
    ("banking|insurance_claim", HR, "Does the account come with any legal expenses cover?"),
    ("*", HR, "What's the difference between a complaint and feedback on your form? I only want to leave feedback."),
    ("insurance_claim", PUO, "The dispute with the other driver's insurer settled last month; can I get my no-claims bonus back now?"),
    ("*", RS, "My friend who's a judge recommended you, so here I am."),
    ("banking", JT, "I'm a solicitor and I'd like to open a client account for my practice."),
    ("*", RS, "My brother-in-law is a lawyer and said your terms are pretty standard, which is reassuring."),
    ("insurance_claim", HR, "If the other driver ever took me to court, would my policy cover the legal fees?"),
]

# ---------------------------------------------------------------- several signals at once
MIXED_POS = [
    ("*", "FR", "This is my {ord} call about {issue}, this is absolutely ridiculous."),
    ("*", "RM", "I've {contacted} {count} about {issue}, please put me through to a supervisor."),
    ("*", "FM", "I'm sick of this useless bot, get me a real person!"),
    ("banking", "FC", "Worst bank ever, I'm closing my account today."),
    ("*", "FL", "This is a scam and I'm reporting you to {regulator}."),
    ("fraud", "UR", "I already reported the stolen card an hour ago and it's still active, please block it now."),
    ("outage", "UF", "My internet has been down all day, I work from home and I'm losing money, this is unacceptable!"),
    ("fraud", "UM", "Someone's emptying my account, I need a fraud supervisor right now."),
    ("*", "CL", "Cancel {cancel_obj}, and expect to hear from {lawyer}."),
    ("banking|refund", "FRMCL", "Fourth call, still no refund. Get me a supervisor or I'm switching banks and filing with the CFPB."),
    ("billing_dispute|utilities", "RC", "I've emailed you {count} about the price rise, so I'm moving to {competitor}."),
    ("*", "RL", "I've written to you twice already, the next letter will come from {lawyer}."),
    ("*", "MC", "Let me speak to a manager, or I'm cancelling today."),
    ("*", "ML", "I want someone senior on the phone before I involve {lawyer}."),
    ("outage|utilities", "FRU", "I've called three times today and my power is still out, the fridge full of medicine is warming up!"),
    ("travel_disruption", "RMU", "Third time calling, the flight's in two hours and I still have no ticket, I need a supervisor."),
    ("*", "FRM", "Are you kidding me? I told the last two agents the same thing. Supervisor. Now."),
    ("*", "FML", "Enough. I want your manager, and your legal department's email address."),
    ("*", "FC", "I'm so done with {company}. Cancel all of it."),
    ("*", "FR", "I've explained this {count} and nobody listens, it's infuriating."),
    ("account_lockout|fraud", "FRU", "My account's been hacked and your security line has me on hold, are you serious?"),
    ("billing_dispute|utilities", "RC", "I called last week to say I'd leave if the price went up, and it went up. Close the account."),
    ("account_lockout|fraud", "UL", "My data was leaked in your breach and someone is using my identity right now, I'm calling my lawyer."),
    ("delivery_delay|cancellation", "FC", "Third time this month the delivery's late, I'm done with {company}, cancel my subscription."),
    ("*", "RM", "Like I said to the previous agent, I want this escalated."),
    ("travel_disruption", "FCL", "You've ruined our holiday, we'll never book with you again and my solicitor will be in touch."),
    ("travel_disruption", "MU", "Please get me a supervisor, the gate closes in twenty minutes and you've cancelled my seat."),
    ("fraud", "RU", "I emailed you this morning and money is still going out of my account in small amounts."),
    ("*", "FM", "I've had enough of this automated menu. Real person, please."),
    ("*", "FRC", "Three calls, two emails and still nothing. You've lost me as a customer."),
    ("insurance_claim", "RML", "I've chased this claim since {day}; I want a supervisor, and then I'm going to the ombudsman."),
    ("billing_dispute|utilities|banking", "FCL", "Fix this bill or I walk, and I'll be reporting you to {regulator} on the way out."),
]

# ---------------------------------------------------------------- agent lines (all labels 0)
AGENT_MIRROR = [
    ("*", "R", "I'm sorry you've had to contact us three times about this, let me look into it properly."),
    ("*", "M", "I can transfer you to a supervisor if you'd like."),
    ("*", "F", "I understand you're frustrated, and I'm sorry about the wait."),
    ("*", "R", "I can see you were promised a callback on Monday, I'm sorry that didn't happen."),
    ("*", "M", "I'll escalate this to my manager straight away."),
    ("fraud", "U", "Let me mark this as urgent for the fraud team."),
    ("cancellation|billing_dispute", "C", "I can process the cancellation today, but first let me see if there's a discount I can offer."),
    ("*", "L", "If you'd like to make a formal complaint, I can give you the ombudsman's details."),
    ("fraud|banking", "U", "I've frozen the card so no more transactions can go through."),
    ("*", "F", "I'm really sorry, that's completely unacceptable and not the service we aim for."),
    ("*", "R", "Thank you for your patience, you shouldn't have had to explain this again."),
    ("refund|billing_dispute", "M", "My supervisor has approved the refund for you."),
    ("*", "R", "I see this is your fourth contact, so I'm going to own this personally."),
    ("billing_dispute|outage", "C", "Before you switch providers, can I check if there's a better plan for you?"),
    ("*", "L", "Our legal team handles those requests, I'll pass it over to them."),
    ("outage", "U", "The outage in your area is a priority and the engineers are on site now."),
    ("banking|cancellation", "C", "I've noted that you'd like to close the account; I'll send the final statement."),
    ("*", "F", "I hear you, waiting on hold for an hour is ridiculous, and I apologise."),
    ("retail_order|refund", "L", "You can ask your card issuer for a chargeback, but let me try to refund it first."),
    ("*", "M", "I'll get a manager to call you back within the hour."),
    ("utilities", "U", "I've flagged this as an emergency, an engineer will be with you by two."),
    ("*", "R", "I can see you chatted with us yesterday, so I'll pick up from there."),
    ("insurance_claim", "M", "Would you like me to connect you with a real person in the claims team?"),
    ("retail_order", "C", "Sorry for the mix-up, I've cancelled order {ref} as you asked."),
    ("*", "M", "I'm the supervisor on duty today, how can I help?"),
    ("*", "C", "I completely understand why you'd want to leave, let me see what I can do."),
    ("*", "M", "Let me put you on a brief hold while I speak with my team lead."),
    ("*", "L", "If you decide to take legal action that's your right, but I'd like to fix this now."),
    ("travel_disruption", "U", "I understand this is urgent with your flight leaving soon."),
    ("outage", "R", "This is the third time it's dropped? That's not okay, let's get an engineer out."),
    ("*", "F", "You're right to be annoyed, we got this wrong."),
    ("*", "L", "I'm not able to give legal advice, but I can send you our complaints procedure."),
]

# ---------------------------------------------------------------- neutral service requests
NEUTRAL = [
    ("banking", "Hi, I'd like to set up a standing order for my rent on the first of each month."),
    ("banking", "What's the interest rate on your easy access savings account?"),
    ("banking", "Could you tell me my available balance, {polite}?"),
    ("banking", "How do I download last year's statements as PDFs?"),
    ("banking", "I want to move {amount} from my savings into my current account."),
    ("banking", "Can we open a joint account online, or do we need to come into a branch?"),
    ("banking", "Is there a fee for sending money to a bank in Spain?"),
    ("banking", "I need a bank reference letter for my new landlord."),
    ("banking", "Could you help me set up the mobile banking app on my new phone?"),
    ("banking", "What documents do I need to apply for a personal loan?"),
    ("travel_disruption", "I'd like to add a checked bag to my booking to Lisbon."),
    ("travel_disruption", "Can I choose my seats now, or only at check-in?"),
    ("travel_disruption", "Do you have any family rooms for the second weekend of August?"),
    ("travel_disruption", "Is breakfast included with the booking at {company}?"),
    ("travel_disruption", "What's the baggage allowance on the economy light fare?"),
    ("travel_disruption", "Could I add my frequent flyer number to the reservation?"),
    ("travel_disruption", "Is there a shuttle from the airport to the hotel?"),
    ("travel_disruption", "I'd like to book two return tickets to Edinburgh for next month."),
    ("travel_disruption", "Can I bring my guitar on board as hand luggage?"),
    ("travel_disruption", "Does the 7:15 train have a quiet coach?"),
    ("retail_order", "Do you have these trainers in a size nine?"),
    ("retail_order", "What's your returns policy for sale items?"),
    ("retail_order", "Can I change the delivery address on order {ref} before it ships?"),
    ("retail_order", "Is the blue sofa on display in the Leeds store?"),
    ("retail_order", "Do you offer gift wrapping at checkout?"),
    ("retail_order", "How do I use my loyalty points when I pay?"),
    ("retail_order", "When will the winter coats be back in stock?"),
    ("retail_order", "Can I collect my order from the store instead of having it delivered?"),
    ("retail_order", "Does this laptop come with a charger in the box?"),
    ("retail_order", "I'd like to buy a gift card for {amount}."),
    ("utilities", "I'd like to submit a meter reading, {polite}."),
    ("utilities", "Can I move my direct debit to the 15th of the month?"),
    ("utilities", "I'm moving into a new flat on the 3rd, how do I set up electricity there?"),
    ("utilities", "Do you offer a green energy tariff?"),
    ("utilities", "Could you send me a paper copy of my latest bill?"),
    ("utilities", "How do I apply for the winter fuel discount?"),
    ("utilities", "Is the smart meter installation free of charge?"),
    ("utilities", "Can I pay my water bill in monthly instalments?"),
    ("utilities", "I'd like to add my partner to the account as a second contact."),
    ("utilities", "What does the standing charge on my bill actually cover?"),
    ("billing_dispute", "I'd like to add an extra line to my plan for my daughter."),
    ("billing_dispute", "What's your cheapest plan with unlimited data?"),
    ("tech_support", "Can I upgrade my phone early, or do I have to wait?"),
    ("tech_support", "How do I set up voicemail on the new handset?"),
    ("billing_dispute", "Does my plan include calls to landlines in Ireland?"),
    ("outage", "Can I get a faster broadband speed at my address?"),
    ("tech_support", "I need an eSIM for my new watch, how do I activate it?"),
    ("billing_dispute", "Could you tell me when my contract ends?"),
    ("billing_dispute", "Is there a family bundle with TV and broadband?"),
    ("tech_support", "How do I turn on wifi calling?"),
    ("insurance_claim", "I'd like a quote for contents insurance on a two-bedroom flat."),
    ("insurance_claim", "Can I add my son as a named driver for the summer?"),
    ("insurance_claim", "Does my travel policy cover skiing?"),
    ("insurance_claim", "I've changed my car, could you update the policy?"),
    ("insurance_claim", "What's the excess on my home policy?"),
    ("insurance_claim", "Could you email me my certificate of insurance?"),
    ("insurance_claim", "Is my bike covered when it's away from home?"),
    ("insurance_claim", "I want to make a small claim for a cracked phone screen."),
    ("insurance_claim", "How do I update my no-claims bonus details?"),
    ("insurance_claim", "What's the renewal price for next year's policy?"),
    ("healthcare_claim", "I'd like to book a routine check-up for next month."),
    ("healthcare_claim", "Is physiotherapy covered under my plan?"),
    ("healthcare_claim", "Could you find me an in-network dentist near my postcode?"),
    ("healthcare_claim", "How do I order a repeat prescription online?"),
    ("healthcare_claim", "Can I get a copy of my vaccination record?"),
    ("healthcare_claim", "How much of my deductible is left for the year?"),
    ("healthcare_claim", "Do I need a referral to see a dermatologist?"),
    ("healthcare_claim", "I'd like to update my doctor's details on file."),
    ("healthcare_claim", "Can you send me a reimbursement form for my eye test?"),
    ("healthcare_claim", "Is the flu jab free with my plan?"),
    ("general", "Hi, is this the right number for customer service?"),
    ("general", "Could you send that to my email, {polite}?"),
    ("general", "Okay, thank you, that's everything for today."),
    ("general", "Sorry, I'm just looking for my reference number, one second."),
    ("general", "Can you hear me okay? I'm on speakerphone."),
    ("account_lockout", "How do I turn on two-step verification for my account?"),
    ("account_lockout", "I'd like to change the email address I use to log in."),
    ("delivery_delay", "Can I pick a delivery slot on Saturday morning?"),
    ("delivery_delay", "Could the driver leave the parcel in the porch if I'm out?"),
    ("refund", "Will the refund go back to the card I paid with?"),
    ("cancellation", "What's the notice period on my gym membership, just so I know?"),
]


# ====================================================================================================
# Frame table
# ====================================================================================================

ZERO = {k: 0 for k in LABEL_KEYS}


def labels_from(letters: str) -> dict:
    labels = dict(ZERO)
    for ch in letters:
        labels[LETTER[ch]] = 1
    return labels


def scenario_list(spec: str) -> list:
    if spec == "*":
        return list(GENERIC)
    out = spec.split("|")
    for s in out:
        if s not in SCENARIOS:
            raise ValueError(f"unknown scenario {s!r}")
    return out


def build_frames() -> list:
    frames = []

    def add(fid, spec, labels, category, speaker, text, target, kind):
        frames.append(dict(id=fid, scen=scenario_list(spec), labels=labels, category=category,
                           speaker=speaker, text=text, target=target, kind=kind))

    for prefix, letter, pos, neg in (("fru", "F", FRU_POS, FRU_NEG), ("rep", "R", REP_POS, REP_NEG),
                                     ("mgr", "M", MGR_POS, MGR_NEG), ("urg", "U", URG_POS, URG_NEG),
                                     ("chu", "C", CHURN_POS, CHURN_NEG), ("leg", "L", LEGAL_POS, LEGAL_NEG)):
        for i, (spec, letters, text) in enumerate(pos, 1):
            if letter not in letters:
                raise ValueError(f"{prefix} positive frame {i} lacks its own signal")
            add(f"{prefix}-pos-{i:03d}", spec, labels_from(letters), "positive", "customer", text, letter, "pos")
        for i, (spec, kind, text) in enumerate(neg, 1):
            if kind not in HN_KINDS:
                raise ValueError(f"unknown hard-negative kind {kind!r}")
            add(f"{prefix}-hn-{i:03d}", spec, dict(ZERO), "hard_negative:" + kind, "customer", text, letter, "hn")
    for i, (spec, letters, text) in enumerate(MIXED_POS, 1):
        add(f"mix-pos-{i:03d}", spec, labels_from(letters), "positive", "customer", text, None, "mix")
    for i, (spec, letter, text) in enumerate(AGENT_MIRROR, 1):
        add(f"agent-hn-{i:03d}", spec, dict(ZERO), "hard_negative:agent_mirror", "agent", text, letter, "hn")
    for i, (spec, text) in enumerate(NEUTRAL, 1):
        add(f"neu-{i:03d}", spec, dict(ZERO), "neutral", "customer", text, None, "neutral")

    ids = [f["id"] for f in frames]
    if len(ids) != len(set(ids)):
        raise ValueError("duplicate frame ids")
    texts = [f["text"] for f in frames]
    if len(texts) != len(set(texts)):
        dup = [t for t, c in Counter(texts).items() if c > 1]
        raise ValueError(f"duplicate frame texts: {dup[:3]}")

    # lines per frame: hard negatives of a signal are made at least as numerous as its positive lines
    pos_lines = Counter()
    hn_frames = Counter()
    for f in frames:
        if f["kind"] == "pos":
            f["n"] = POS_LINES
        elif f["kind"] == "mix":
            f["n"] = MIX_LINES
        elif f["kind"] == "neutral":
            f["n"] = NEUTRAL_LINES
        if f["kind"] in ("pos", "mix"):
            for key, v in f["labels"].items():
                if v:
                    pos_lines[key] += f["n"]
        if f["kind"] == "hn":
            hn_frames[LETTER[f["target"]]] += 1
    # spread exactly pos_lines[key] lines over the signal's hard-negative frames (first frames get the
    # remainder), never fewer than MIN_HN_LINES per frame
    seen_hn = Counter()
    for f in frames:
        if f["kind"] == "hn":
            key = LETTER[f["target"]]
            base, extra = divmod(pos_lines[key], hn_frames[key])
            f["n"] = max(MIN_HN_LINES, base + (1 if seen_hn[key] < extra else 0))
            seen_hn[key] += 1
    return frames


# ====================================================================================================
# Slot filling
# ====================================================================================================

SLOT_RE = re.compile(r"\{([A-Za-z_]+)\}")

EMOJI_ANGRY = ["😡", "🤬", "😤", "🙄", "😒", "👎", "😠"]
EMOJI_WORRIED = ["😰", "😟", "🆘", "😬", "🙏"]
EMOJI_HAPPY = ["😊", "🙌", "❤️", "👍", "🎉", "😄"]
EMOJI_NEUTRAL = ["🙂", "🙏", "👍", "🤔"]


def emoji_pool(labels: dict, category: str):
    if labels["frustration"]:
        return EMOJI_ANGRY
    if labels["urgency"]:
        return EMOJI_WORRIED
    if category in ("hard_negative:praise", "hard_negative:sarcasm_that_is_praise"):
        return EMOJI_HAPPY
    if category == "positive":
        return None  # threats / requests without anger: no emoji rather than a misleading one
    return EMOJI_NEUTRAL


def fill_slots(text: str, scen: str, style: str, rng: random.Random, labels: dict, category: str):
    bank = SCEN[scen]
    cache: dict = {}
    company = rng.choice(bank["company"])
    mode = "chat" if style == "chat" else "spoken"

    def value(key: str) -> str:
        if key in cache:
            return cache[key]
        if key == "company":
            v = company
        elif key == "competitor":
            others = [c for c in bank["company"] if c != company]
            v = rng.choice(others) if others and rng.random() < 0.4 else rng.choice(bank["competitor"])
        elif key in ("issue", "thing", "cancel_obj", "regulator"):
            v = rng.choice(bank[key])
        elif key == "polite":
            v = rng.choice(POLITE)
        elif key == "intens":
            v = rng.choice(INTENS)
        elif key == "day":
            v = rng.choice(DAYS)
        elif key == "ago":
            v = rng.choice(AGO)
        elif key == "since":
            v = rng.choice(SINCE)
        elif key == "contacted":
            v = rng.choice(CONTACTED)
        elif key == "contacted_p":
            v = rng.choice(CONTACTED_P)
        elif key == "channel":
            v = rng.choice(CHANNEL)
        elif key == "agent":
            v = rng.choice(AGENT)
        elif key == "higher":
            v = rng.choice(HIGHER)
        elif key == "lawyer":
            v = rng.choice(LAWYER)
        elif key == "count":
            v = rng.choice(COUNT[mode])
        elif key == "nth":
            v = rng.choice(NTH[mode])
        elif key == "ord":
            v = rng.choice(ORD[mode])
        elif key == "amount":
            v = rng.choice(CURRENCY) + rng.choice(AMOUNTS)
        elif key == "ref":
            v = make_ref(rng)
        elif key == "at":
            v = handle_for(company, rng) if style == "chat" else ""
        elif key == "emoji":
            pool = emoji_pool(labels, category)
            v = rng.choice(pool) if (style == "chat" and pool) else ""
        else:
            raise KeyError(f"unknown slot {{{key}}}")
        cache[key] = v
        return v

    def sub(m):
        name = m.group(1)
        v = value(name.lower())
        if name[0].isupper() and v:
            v = v[0].upper() + v[1:]
        return v

    out = SLOT_RE.sub(sub, text)
    out = re.sub(r"\s+", " ", out).strip()
    out = re.sub(r"\s+([,.?!])", r"\1", out)
    if out and out[0].islower() and not out.startswith("@"):
        out = out[0].upper() + out[1:]
    return out, company


# ====================================================================================================
# Styles
# ====================================================================================================

# (pattern, replacement, probability per occurrence) - chat typos and shorthand
TYPOS = [
    (r"receive", "recieve", 0.5), (r"received", "recieved", 0.5), (r"you're", "ur", 0.3),
    (r"your", "ur", 0.35), (r"you", "u", 0.3), (r"please", "pls", 0.4), (r"thanks", "thx", 0.3),
    (r"because", "bc", 0.4), (r"really", "rly", 0.25), (r"definitely", "definately", 0.4),
    (r"separate", "seperate", 0.4), (r"tomorrow", "tmrw", 0.3), (r"don't", "dont", 0.4),
    (r"can't", "cant", 0.4), (r"won't", "wont", 0.4), (r"doesn't", "doesnt", 0.4), (r"didn't", "didnt", 0.4),
    (r"isn't", "isnt", 0.4), (r"I'm", "im", 0.35), (r"I've", "ive", 0.3), (r"about", "abt", 0.2),
    (r"people", "ppl", 0.3), (r"message", "msg", 0.3), (r"account", "acct", 0.15), (r"though", "tho", 0.4),
    (r"right now", "rn", 0.3), (r"what the hell", "wtf", 0.6), (r"minutes", "mins", 0.35),
    (r"okay", "ok", 0.5), (r"going to", "gonna", 0.35), (r"want to", "wanna", 0.3),
    (r"believe", "beleive", 0.3), (r"again", "agian", 0.1), (r"before", "b4", 0.15),
    (r"address", "adress", 0.3), (r"cancelled", "canceled", 0.3), (r"seriously", "srsly", 0.2),
    (r"something", "smth", 0.2), (r"manager", "manger", 0.06), (r"supervisor", "supervisior", 0.06),
    (r"the", "teh", 0.02),
]
TYPO_RES = [(re.compile(r"(?<![\w'])" + p + r"(?![\w'])", re.IGNORECASE), r, pr) for p, r, pr in TYPOS]

EMPHASIS = {"ridiculous", "unacceptable", "never", "still", "nothing", "worst", "joke", "useless", "again",
            "now", "nobody", "twice", "seriously", "every", "furious", "done", "enough", "real", "pathetic",
            "garbage", "disgraceful", "outrageous", "insane", "angry", "terrible", "anything", "lost", "three"}
HASHTAG_ANGRY = ["#fail", "#worstservice", "#notimpressed", "#customerservice", "#fixit"]
HASHTAG_NEUTRAL = ["#help", "#question", "#customerservice"]


def apply_typos(text: str, rng: random.Random) -> str:
    for rx, rep, prob in TYPO_RES:
        text = rx.sub(lambda m: rep if rng.random() < prob else m.group(0), text)
    return text


def render_chat(text: str, rng: random.Random, labels: dict, category: str, speaker: str, company: str) -> str:
    if speaker == "agent":  # agents type cleanly
        if rng.random() < 0.3:
            text = text.rstrip(".")
        return text
    frus = bool(labels["frustration"])
    text = apply_typos(text, rng)
    if rng.random() < 0.35:
        text = text.lower()
    elif rng.random() < 0.3:
        text = re.sub(r"(?<![\w'])I(?![\w'])", "i", text)
    if frus and rng.random() < 0.4:
        words = [m for m in re.finditer(r"[A-Za-z]+", text)]
        cands = [m for m in words if m.group(0).lower() in EMPHASIS] or [m for m in words if len(m.group(0)) >= 5]
        if cands:
            m = rng.choice(cands)
            text = text[:m.start()] + m.group(0).upper() + text[m.end():]
    if frus and rng.random() < 0.45:
        q = text.rstrip().endswith("?")
        text = text.rstrip(" .!?") + rng.choice(["??", "?!", "???"] if q else ["!!!", "!!", "!!!!", "!?"])
    elif rng.random() < 0.5:
        text = re.sub(r"\.$", "", text)
    if "@" not in text and rng.random() < 0.2:
        text = handle_for(company, rng) + " " + text
    pool = emoji_pool(labels, category)
    if pool and rng.random() < 0.3:
        text = text + " " + rng.choice(pool) * (rng.choice([1, 1, 2, 3]) if pool is EMOJI_ANGRY else 1)
    if frus and rng.random() < 0.12:
        text = text + " " + rng.choice(HASHTAG_ANGRY)
    elif not labels["urgency"] and pool is EMOJI_NEUTRAL and rng.random() < 0.03:
        text = text + " " + rng.choice(HASHTAG_NEUTRAL)
    return text


OPEN_CUSTOMER = ["So, ", "Yeah, so ", "Okay, ", "Right, ", "Um, ", "Hi, yeah, ", "Well, ", "Hi there, ", "Uh, ",
                 "Yes, hello, "]
OPEN_FRUS = ["Look, ", "Listen, ", "Honestly, "]
OPEN_AGENT = ["Okay, ", "Right, ", "Alright, ", "So, "]


def _lower_first(text: str, company: str) -> str:
    if not text:
        return text
    first = text.split(" ", 1)[0]
    if (re.match(r"I(\b|')", text) or first.isupper() or text.startswith(company)
            or first in ("ASAP",) or not text[0].isalpha()):
        return text
    return text[0].lower() + text[1:]


def render_spoken(text: str, rng: random.Random, labels: dict, speaker: str, company: str) -> str:
    if speaker == "agent":
        if rng.random() < 0.2:
            text = rng.choice(OPEN_AGENT) + _lower_first(text, company)
        return text
    r = rng.random()
    if r < 0.3:
        opener = rng.choice(OPEN_CUSTOMER + (OPEN_FRUS if labels["frustration"] else []))
        text = opener + _lower_first(text, company)
    r = rng.random()
    if r < 0.12 and ", " in text:  # hesitation after a comma
        idx = [m.start() for m in re.finditer(", ", text)]
        i = rng.choice(idx)
        text = text[:i] + ", " + rng.choice(["uh,", "you know,", "um,", "like,"]) + text[i + 1:]
    elif r < 0.2 and re.match(r"I[ ']", text):  # false start
        text = "I, " + text
    elif r < 0.3 and re.search(r"[a-z]\. [A-Z]", text):  # run-on
        m = re.search(r"([a-z])\. ([A-Z])", text)
        nxt = m.group(2) if text[m.start(2):m.start(2) + 2] in ("I ", "I'") else m.group(2).lower()
        text = text[:m.start()] + m.group(1) + ", " + rng.choice(["", "and ", "so "]) + nxt + text[m.end():]
    return text


# ====================================================================================================
# ASR view
# ====================================================================================================

from numwords import ONES, TENS, num_words, ordinal_words  # noqa: E402  (shared with make_calls.py)


def digits_read(s: str, rng: random.Random) -> str:
    zero = "oh" if rng.random() < 0.6 else "zero"
    return " ".join(zero if c == "0" else ONES[int(c)] for c in s)


def number_token(s: str, rng: random.Random) -> str:
    n = int(s)
    if len(s) >= 5 or (len(s) > 1 and s[0] == "0"):
        return digits_read(s, rng)
    if len(s) == 4 and 1100 <= n <= 2099:
        if 2000 <= n <= 2009:
            return "two thousand" + ("" if n == 2000 else " " + ONES[n % 10])
        hi, lo = divmod(n, 100)
        if lo == 0:
            return num_words(hi) + " hundred"
        return num_words(hi) + " " + ("oh " + ONES[lo] if lo < 10 else num_words(lo))
    return num_words(n)


CHAT_EXPAND = {
    "u": "you", "ur": "your", "pls": "please", "plz": "please", "thx": "thanks", "ty": "thank you",
    "bc": "because", "cuz": "because", "rn": "right now", "tbh": "to be honest", "wtf": "what the hell",
    "idk": "i don't know", "im": "i'm", "ive": "i've", "dont": "don't", "cant": "can't", "wont": "won't",
    "doesnt": "doesn't", "didnt": "didn't", "isnt": "isn't", "msg": "message", "acct": "account",
    "abt": "about", "ppl": "people", "tmrw": "tomorrow", "b4": "before", "srsly": "seriously",
    "smth": "something", "mins": "minutes", "recieve": "receive", "recieved": "received",
    "definately": "definitely", "seperate": "separate", "beleive": "believe", "agian": "again",
    "adress": "address", "manger": "manager", "supervisior": "supervisor", "teh": "the", "lol": "",
    "smh": "", "omg": "oh my god", "ok": "okay", "asap": "asap", "pic": "picture", "pics": "pictures",
    "hr": "hour", "hrs": "hours", "yr": "year", "yrs": "years", "wk": "week", "wks": "weeks", "pw": "password",
    "thru": "through", "tho": "though", "gonna": "gonna", "wanna": "wanna", "ya": "you", "cos": "because",
}
CHAT_EXPAND_RE = re.compile(r"(?<![\w'])(" + "|".join(sorted(map(re.escape, CHAT_EXPAND), key=len, reverse=True))
                            + r")(?![\w'])")
CURRENCY_WORD = {"$": "dollars", "£": "pounds", "€": "euros"}
ASR_SLIPS = {"supervisor": "super visor", "supervisors": "super visors", "manager": "man ager",
             "managers": "man agers", "escalate": "escalade", "card": "cart", "cards": "carts",
             "refund": "re fund", "refunds": "re funds", "account": "a count", "accounts": "a counts",
             "attorney": "a tourney", "chargeback": "charge back", "ombudsman": "ombuds man", "agent": "a gent"}
ASR_SLIP_RATE = 0.15
FILLERS = ["um", "uh", "um", "uh", "like", "you know"]
NUMBER_WORDS = set(ONES) | set(TENS[2:]) | {"hundred", "thousand", "million", "billion", "oh", "point"}
REPEATABLE = {"i", "the", "my", "it", "we", "to", "a", "and", "you", "they", "i'm", "i've", "is", "this"}


def asr_view(text: str, rng: random.Random) -> str:
    """What a speech-to-text engine would hand over for `text`: lowercase, no punctuation, numbers as
    words, occasional fillers, recognition slips and repeated words."""
    t = unicodedata.normalize("NFKC", text)
    t = t.replace("\u2019", "'").replace("\u2018", "'").replace("`", "'")
    t = re.sub(r"(?i)\b(?:https?://|www\.)\S+", " ", t)
    t = re.sub(r"(?<!\S)(?:<3+|[:;=xX8][-'^]?[()\[\]DPpOo/\\|*3]+|\^\^|\^_\^)(?!\S)", " ", t)  # :) <3 ^^
    t = re.sub(r"@\s", " at ", t)
    t = re.sub(r"@[\w.]+", " ", t)
    t = re.sub(r"#(\d+)", r" number \1", t)
    t = re.sub(r"#\w+", " ", t)
    t = re.sub(r"(?i)\bf[*#@$!]+(?:k|ck)?(ing|in|ed|er)?",
               lambda m: " fuck" + (m.group(1) or "") + " ", t)
    t = re.sub(r"(?i)\bsh?[*#]+t\b", " shit ", t)
    t = t.lower()
    t = re.sub(r"\bw/", " with ", t)
    t = CHAT_EXPAND_RE.sub(lambda m: CHAT_EXPAND[m.group(1)], t)

    def money(m):
        unit = CURRENCY_WORD[m.group(1)]
        n = int(m.group(2).replace(",", ""))
        out = f" {num_words(n)} {unit[:-1] if n == 1 else unit}"
        if m.group(3) and int(m.group(3)):
            cents = m.group(3) if len(m.group(3)) == 2 else m.group(3) + "0"
            out += " " + num_words(int(cents))
        return out + " "

    t = re.sub(r"([$£€])\s?(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d{1,2}))?", money, t)
    t = re.sub(r"(?<![\d,])(\d{1,3}(?:,\d{3})+)(?![\d,])",
               lambda m: " " + num_words(int(m.group(1).replace(",", ""))) + " ", t)

    def clock(m):
        hour, minute, ampm = int(m.group(1)), m.group(2), m.group(3)
        out = " " + num_words(hour)
        if minute and minute != "00":
            mi = int(minute)
            out += " " + ("oh " + ONES[mi] if mi < 10 else num_words(mi))
        elif minute == "00" and not ampm:
            out += " o'clock"
        if ampm:
            out += " " + ampm[0] + "m"
        return out + " "

    t = re.sub(r"\b(\d{1,2})(?::(\d{2}))?\s?([ap])\.?m\b\.?", clock, t)
    t = re.sub(r"\b(\d{1,2}):(\d{2})()\b", clock, t)
    t = re.sub(r"\b24/7\b", " twenty four seven ", t)
    t = re.sub(r"\b(\d+)(st|nd|rd|th)\b", lambda m: " " + ordinal_words(int(m.group(1))) + " ", t)
    t = re.sub(r"\b(\d+)\s?x\b", lambda m: " " + num_words(int(m.group(1))) + " times ", t)
    t = re.sub(r"(\d+)\s?%", lambda m: " " + number_token(m.group(1), rng) + " percent ", t)
    t = re.sub(r"(?<![\d.])(\d+)\.(\d+)(?![\d.])",
               lambda m: " " + number_token(m.group(1), rng) + " point " + digits_read(m.group(2), rng) + " ", t)
    t = re.sub(r"\d+", lambda m: " " + number_token(m.group(0), rng) + " ", t)
    t = t.replace("&", " and ").replace("+", " plus ")
    t = unicodedata.normalize("NFKD", t)
    t = "".join(c for c in t if not unicodedata.combining(c))
    t = re.sub(r"[^a-z' ]+", " ", t)
    t = re.sub(r"(?<![a-z])'|'(?![a-z])", " ", t)
    tokens = t.split()

    out = []
    for tok in tokens:
        if tok in ASR_SLIPS and rng.random() < ASR_SLIP_RATE:
            out.extend(ASR_SLIPS[tok].split())
        else:
            out.append(tok)
    tokens = out

    if len(tokens) > 2 and rng.random() < 0.12:  # "i i want"
        idx = [i for i, w in enumerate(tokens) if w in REPEATABLE]
        if idx:
            i = rng.choice(idx)
            tokens.insert(i, tokens[i])
    out = []
    fillers = 0
    if rng.random() < 0.15 and tokens and tokens[0] not in ("um", "uh"):
        out.append(rng.choice(FILLERS[:4]))
        fillers += 1
    for i, tok in enumerate(tokens):
        if (0 < i and fillers < 2 and not (tok in NUMBER_WORDS and tokens[i - 1] in NUMBER_WORDS)
                and rng.random() < 0.03):
            out.extend(rng.choice(FILLERS).split())
            fillers += 1
        out.append(tok)
    return " ".join(out) if out else "um"


# ====================================================================================================
# Generation
# ====================================================================================================

def render_line(frame: dict, rng: random.Random):
    style = rng.choices(STYLES, weights=STYLE_WEIGHTS)[0]
    scen = rng.choice(frame["scen"])
    text, company = fill_slots(frame["text"], scen, style, rng, frame["labels"], frame["category"])
    if style == "chat":
        text = render_chat(text, rng, frame["labels"], frame["category"], frame["speaker"], company)
    else:
        text = render_spoken(text, rng, frame["labels"], frame["speaker"], company)
        if style == "asr":
            text = asr_view(text, rng)
    return style, scen, text


def generate_templates(frames: list):
    records = []
    seen = set()
    short = []
    for frame in frames:
        rng = seeded_rng("templates", frame["id"])
        made = 0
        attempts = 0
        while made < frame["n"] and attempts < frame["n"] * 15:
            attempts += 1
            style, scen, text = render_line(frame, rng)
            key = text.lower()
            if key in seen:
                continue
            seen.add(key)
            made += 1
            records.append({
                "id": None,
                "group": "gen-frame-" + frame["id"],
                "text": text,
                "speaker": frame["speaker"],
                "labels": dict(frame["labels"]),
                "scenario": scen,
                "style": style,
                "category": frame["category"],
                "origin": "generated",
            })
        if made < frame["n"]:
            short.append((frame["id"], made, frame["n"]))
    for i, rec in enumerate(records, 1):
        rec["id"] = f"gen-{i:05d}"
    return records, short


def read_hand_records():
    """All records in data/hand/*.jsonl, sorted by file name then line.  Files may be mid-write, so lines
    that do not parse or lack the fields we need are skipped (and reported)."""
    recs, problems = [], []
    if not HAND_DIR.is_dir():
        return recs, problems
    for path in sorted(HAND_DIR.glob("*.jsonl")):
        with path.open(encoding="utf-8") as fh:
            for lineno, line in enumerate(fh, 1):
                line = line.strip()
                if not line:
                    continue
                try:
                    rec = json.loads(line)
                except json.JSONDecodeError:
                    problems.append(f"{path.name}:{lineno}: not valid JSON, skipped")
                    continue
                if not isinstance(rec, dict):
                    problems.append(f"{path.name}:{lineno}: not an object, skipped")
                    continue
                recs.append((path.name, lineno, rec))
    return recs, problems


def hand_record_usable(rec: dict) -> bool:
    labels = rec.get("labels")
    return (isinstance(rec.get("id"), str) and rec["id"] and isinstance(rec.get("text"), str)
            and rec["text"].strip() != "" and isinstance(labels, dict)
            and set(labels) == set(LABEL_KEYS) and all(labels[k] in (0, 1) for k in LABEL_KEYS)
            and rec.get("scenario") in SCENARIOS and isinstance(rec.get("category"), str))


def generate_asr_variants(hand: list):
    out, problems = [], []
    for fname, lineno, rec in hand:
        if rec.get("speaker") != "customer" or rec.get("style") == "asr":
            continue
        if not hand_record_usable(rec):
            problems.append(f"{fname}:{lineno}: customer record missing/invalid fields, no ASR variant")
            continue
        rng = seeded_rng("asr-variant", rec["id"])
        if rng.random() >= ASR_VARIANT_PROB:
            continue
        out.append({
            "id": rec["id"] + "-asr",
            "group": rec.get("group") or rec["id"],
            "text": asr_view(rec["text"], rng),
            "speaker": "customer",
            "labels": {k: rec["labels"][k] for k in LABEL_KEYS},
            "scenario": rec["scenario"],
            "style": "asr",
            "category": rec["category"],
            "origin": "generated",
        })
    return out, problems


# ====================================================================================================
# Validation and report
# ====================================================================================================

RECORD_KEYS = ("id", "group", "text", "speaker", "labels", "scenario", "style", "category", "origin")
ASR_TEXT_RE = re.compile(r"^[a-z]+(?:'[a-z]+)*(?: [a-z]+(?:'[a-z]+)*)*$")


def validate(records: list, name: str, other_ids: set, strict: bool = True, warnings: list | None = None) -> list:
    """FORMAT.md checks.  strict=False is for ASR views of hand records: their category is copied as the
    hand writer gave it, so a category that disagrees with the labels (or a kind not in HN_KINDS) is
    reported as a warning instead of an error."""
    errors = []
    ids = set()
    for rec in records:
        rid = rec.get("id")
        where = f"{name}:{rid}"
        if tuple(rec) != RECORD_KEYS:
            errors.append(f"{where}: keys {list(rec)}")
        if rid in ids or rid in other_ids:
            errors.append(f"{where}: duplicate id")
        ids.add(rid)
        labels = rec.get("labels", {})
        if set(labels) != set(LABEL_KEYS) or any(labels[k] not in (0, 1) for k in labels):
            errors.append(f"{where}: bad labels {labels}")
            continue
        if rec["speaker"] not in ("customer", "agent"):
            errors.append(f"{where}: bad speaker")
        if rec["speaker"] == "agent" and any(labels.values()):
            errors.append(f"{where}: agent line with a label")
        if rec["scenario"] not in SCENARIOS:
            errors.append(f"{where}: bad scenario {rec['scenario']}")
        if rec["style"] not in STYLES:
            errors.append(f"{where}: bad style")
        if rec["origin"] != "generated":
            errors.append(f"{where}: origin must be generated")
        cat = rec["category"]
        soft = [] if strict or warnings is None else warnings
        target = errors if strict else soft
        if not isinstance(cat, str) or not (cat in ("positive", "neutral") or re.fullmatch(r"hard_negative:[a-z_]+", cat)):
            errors.append(f"{where}: malformed category {cat!r}")
        else:
            if any(labels.values()) != (cat == "positive"):
                target.append(f"{where}: category {cat} with labels "
                              f"{[k for k in LABEL_KEYS if labels[k]] or 'all 0'}")
            if cat.startswith("hard_negative:") and cat.split(":", 1)[1] not in HN_KINDS:
                target.append(f"{where}: hard-negative kind not in the generator's list: {cat}")
        if not isinstance(rec["group"], str) or not rec["group"]:
            errors.append(f"{where}: empty group")
        if not isinstance(rec["text"], str) or not rec["text"].strip():
            errors.append(f"{where}: empty text")
        elif rec["style"] == "asr" and not ASR_TEXT_RE.match(rec["text"]):
            errors.append(f"{where}: asr text has characters other than lowercase words: {rec['text']!r}")
    return errors


def write_jsonl(path: Path, records: list) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="\n") as fh:
        for rec in records:
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")


def report(name: str, records: list) -> None:
    print(f"== {name}: {len(records)} records")
    print("  speaker:  " + ", ".join(f"{k}={v}" for k, v in sorted(Counter(r['speaker'] for r in records).items())))
    print("  style:    " + ", ".join(f"{k}={v}" for k, v in sorted(Counter(r['style'] for r in records).items())))
    print("  labels (lines with label=1):")
    for k in LABEL_KEYS:
        print(f"    {k:16s} {sum(r['labels'][k] for r in records)}")
    cats = Counter(r["category"] for r in records)
    print("  category:")
    for k, v in sorted(cats.items()):
        print(f"    {k:40s} {v}")
    scen = Counter(r["scenario"] for r in records)
    print("  scenario: " + ", ".join(f"{k}={v}" for k, v in sorted(scen.items())))


def main() -> int:
    frames = build_frames()
    frame_by_group = {"gen-frame-" + f["id"]: f for f in frames}
    templates, short = generate_templates(frames)
    hand, hand_problems = read_hand_records()
    variants, variant_problems = generate_asr_variants(hand)

    hand_ids = {rec.get("id") for _, _, rec in hand if isinstance(rec.get("id"), str)}
    errors = validate(templates, "templates.jsonl", hand_ids)
    warnings: list = []
    errors += validate(variants, "asr_variants.jsonl", hand_ids | {r["id"] for r in templates},
                       strict=False, warnings=warnings)
    if errors:
        for e in errors[:50]:
            print("ERROR", e, file=sys.stderr)
        print(f"{len(errors)} validation errors; nothing written", file=sys.stderr)
        return 1

    write_jsonl(TEMPLATES_OUT, templates)
    write_jsonl(ASR_OUT, variants)

    # frame inventory
    pos_frames, hn_frames, hn_cust = Counter(), Counter(), Counter()
    for f in frames:
        if f["kind"] in ("pos", "mix"):
            for k, v in f["labels"].items():
                if v:
                    pos_frames[k] += 1
        elif f["kind"] == "hn":
            hn_frames[LETTER[f["target"]]] += 1
            if f["speaker"] == "customer":
                hn_cust[LETTER[f["target"]]] += 1
    print(f"frames: {len(frames)} (neutral {sum(f['kind'] == 'neutral' for f in frames)}, "
          f"agent_mirror {sum(f['speaker'] == 'agent' for f in frames)})")
    hn_lines = Counter()
    for r in templates:
        f = frame_by_group[r["group"]]
        if f["kind"] == "hn":
            hn_lines[LETTER[f["target"]]] += 1
    print("  signal            pos-frames  hn-frames(customer+agent)  pos-lines  hn-lines")
    for k in LABEL_KEYS:
        print(f"  {k:16s}  {pos_frames[k]:10d}  {hn_cust[k]:9d} + {hn_frames[k] - hn_cust[k]:2d}"
              f"{'':13s}  {sum(r['labels'][k] for r in templates):9d}  {hn_lines[k]:8d}")
    for fid, made, want in short:
        print(f"  note: frame {fid} produced {made}/{want} distinct lines")
    lens = [len(r["text"].split()) for r in templates]
    print(f"  template words per line: min {min(lens)}, max {max(lens)}, mean {sum(lens) / len(lens):.1f}")
    neg = sum(1 for r in templates if r["category"] != "positive")
    print(f"  neutral + hard negative lines: {neg}/{len(templates)} ({100 * neg / len(templates):.1f}%)")

    report(str(TEMPLATES_OUT.relative_to(ROOT)), templates)
    print(f"hand records read: {len(hand)} from {len(sorted(HAND_DIR.glob('*.jsonl'))) if HAND_DIR.is_dir() else 0} files")
    for p in hand_problems + variant_problems:
        print("  skipped: " + p)
    report(str(ASR_OUT.relative_to(ROOT)), variants)
    if warnings:
        kinds = Counter(w.split(": ", 1)[1].split(" with labels")[0] for w in warnings)
        print(f"  warnings (copied from hand records, not errors): {len(warnings)}")
        for k, v in sorted(kinds.items()):
            print(f"    {v:4d} x {k}")
    print("validation: OK (keys, six 0/1 labels, unique ids, agent lines all 0, category/labels, asr text)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
