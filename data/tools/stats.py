"""Corpus figures for data/README.md: lines by origin, labels, hard negatives per signal, calls, scenarios.

    python data/tools/stats.py
"""
import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SIGNALS = ("frustration", "repeat_contact", "manager_request", "urgency", "churn_threat", "legal_threat")
# Categories are written for one signal; these prefixes say which (for the hard-negative count per signal).
KIND_SIGNAL = {
    "manager_request": {"manager_in_story", "reported_speech", "job_title", "negated_request", "hypothetical_request",
                        "manager_other_sense", "process_question", "service_request_someone", "service_channel_request",
                        "staff_in_story", "request_verb_thing", "live_person_praise", "contact_access",
                        "staffing_verdict"},
    "repeat_contact": {"recurring_problem", "again_other_sense", "first_contact", "negated_repeat",
                       "ticket_without_history", "past_contact_other_issue", "interaction_without_repeat",
                       "self_service_attempt", "hearsay", "wait_not_contact"},
    "urgency": {"past_urgency_over", "routine_timing", "routine_card_admin", "routine_banking", "future_plans",
                "urgent_word_other_sense", "booking_requests", "time_word_no_stakes", "travel_leaving",
                "general_opinion_no_trip"},
    "frustration": {"polite_problem_report", "calm_factual", "praise", "sarcasm_that_is_praise", "excited_caps_positive",
                    "negated_negative", "mild_neutral_question", "calm_report", "polite_change_request",
                    "neutral_with_negative_words", "joking_banter"},
    "churn_threat": {"routine_cancellation", "negated_churn", "switch_other_sense", "leave_other_sense"},
    "legal_threat": {"legal_other_sense", "settled_past", "complaint_word_other_sense"},
}


def corpus_stats(root: Path = ROOT) -> dict:
    """Counts over every JSONL file below ``root``: utterances (call turns included), origins, speakers, styles,
    scenarios, calls, and positives and hard negatives per signal."""
    origin, speakers, styles, scenarios = Counter(), Counter(), Counter(), set()
    pos, hard = Counter(), Counter()
    calls = Counter()
    n_utt = 0
    for path in sorted(root.rglob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            rec = json.loads(line)
            turns = rec["turns"] if "turns" in rec else [rec]
            if "turns" in rec:
                calls[rec.get("origin", "hand")] += 1
                calls["escalate"] += rec["labels"]["escalate"]
            for t in turns:
                n_utt += 1
                o = rec.get("origin", "hand")
                origin[o] += 1
                speakers[t["speaker"]] += 1
                styles[rec.get("style", "?")] += 1
                scenarios.add(rec.get("scenario"))
                for s in SIGNALS:
                    pos[s] += t["labels"].get(s, 0)
                kind = rec.get("category", "").removeprefix("hard_negative:") if "turns" not in rec else ""
                for s, kinds in KIND_SIGNAL.items():
                    if kind in kinds and not t["labels"].get(s, 0):
                        hard[s] += 1
                if kind == "agent_mirror":
                    for s in SIGNALS:
                        hard[s] += 1
    return {"utterances": n_utt, "origin": origin, "speakers": speakers, "styles": styles,
            "scenarios": scenarios - {None}, "calls": calls, "positives": pos, "hard_negatives": hard}


def main() -> int:
    st = corpus_stats()
    n_utt, origin, speakers, calls = st["utterances"], st["origin"], st["speakers"], st["calls"]
    print(f"labelled utterances: {n_utt} (customer {speakers['customer']}, agent {speakers['agent']})")
    print(f"origin: hand {origin['hand']}, generated {origin['generated']} "
          f"({100 * origin['generated'] / n_utt:.0f}% generated)")
    print(f"styles: {dict(st['styles'])}")
    print(f"scenarios: {len(st['scenarios'])}")
    print(f"calls: {calls['hand'] + calls['generated']} (hand {calls['hand']}, generated {calls['generated']}), "
          f"escalate {calls['escalate']}")
    print(f"{'signal':16s} {'positives':>9s} {'hard negatives':>15s}")
    for s in SIGNALS:
        print(f"{s:16s} {st['positives'][s]:9d} {st['hard_negatives'][s]:15d}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
