"""Every pattern carries its own examples; these tests hold each pattern id to them."""
import json

import pytest

from escalsignal.errors import PatternError
from escalsignal.rules import RESOLVED, TEMPORAL, RuleEngine, _expand, load_pattern_records, phrase_docs, scope_status
from escalsignal.text import prepare

RECORDS = [obj for obj, _ in load_pattern_records()]


def active_ids(rules, nlp, text):
    return {m.pattern.id for m in rules.match(prepare(nlp, text)) if m.status == "active"}


def statuses(rules, nlp, text, signal, min_weight):
    """Scope statuses of the (non-trivial) matches of one signal's patterns."""
    return {m.status for m in rules.match(prepare(nlp, text))
            if m.pattern.signal == signal and m.pattern.weight >= min_weight}


def test_every_pattern_has_a_positive_and_a_negative_example():
    for obj in RECORDS:
        ex = obj.get("examples", {})
        assert ex.get("match") and ex.get("no_match"), obj["id"]


@pytest.mark.parametrize("pid, text", [(o["id"], t) for o in RECORDS for t in o["examples"]["match"]])
def test_pattern_matches_its_positive_examples(rules, nlp, pid, text):
    assert pid in active_ids(rules, nlp, text)


@pytest.mark.parametrize("pid, text", [(o["id"], t) for o in RECORDS for t in o["examples"]["no_match"]])
def test_pattern_does_not_fire_on_its_negative_examples(rules, nlp, pid, text):
    assert pid not in active_ids(rules, nlp, text)


def test_phrase_docs_equal_prepared_phrases(rules, nlp):
    # The loader builds each phrase's Doc from its words' norms; the matcher must see what prepare() gives the
    # whole phrase (contractions, slang, fillers, typo norms of the rule engine's vocabulary).
    phrases = []
    for obj, source in load_pattern_records(None):
        spec = obj["pattern"]
        phrases += [spec] if isinstance(spec, str) else spec if all(isinstance(p, str) for p in spec) \
            else _expand(spec, source) or []  # None: a Matcher pattern (other attributes), no phrases
    phrases += ["can't get through", "um i dont want a manager", "u r useless", "@support pls"]
    fast = phrase_docs(nlp, phrases)
    assert [[t.norm_ for t in d] for d in fast] == [prepare(nlp, p).norms for p in phrases]


def test_phrase_docs_keep_a_norm_that_is_not_its_own_lexemes_norm():
    from escalsignal.text import make_nlp

    nlp = make_nlp()
    nlp.vocab["qqa"].norm_ = "qqb"  # a norm whose own lexeme normalises further
    nlp.vocab["qqb"].norm_ = "qqc"
    assert [t.norm_ for t in phrase_docs(nlp, ["call qqa now"])[0]] == prepare(nlp, "call qqa now").norms \
        == ["call", "qqb", "now"]


@pytest.mark.parametrize("text", [
    "let me get my supervisor for you, I'm so sorry this is the third time",
    "I've already tried restarting it, I don't want a manager, it's urgent",
    "I can transfer you to a supervisor if you'd like, no need to call again",
])
def test_info_only_matching_gives_the_info_kinds_matches_of_a_full_match(rules, nlp, text):
    from escalsignal.types import INFO_KINDS

    prep = prepare(nlp, text)
    full = rules.match(prep)
    info = rules.match(prep, info_only=True)
    assert info == [m for m in full if m.pattern.signal in INFO_KINDS]
    assert info and len(info) < len(full)  # the texts have both kinds


def test_the_slow_matcher_runs_only_when_a_pattern_could_match(nlp):
    # spaCy's Matcher walks every token (about 12 us an utterance for mgr.title_with_name alone), so the shipped
    # patterns compile to phrases where they can (not a name's capitals, not the bounded gaps of mgr.reach_*,
    # mgr.sent_to_corporate, mgr.staffing_advice(_you), mgr.title_judged and mgr.titled_manager), and a Matcher
    # pattern's required NORMs decide whether it runs at all.
    from escalsignal.rules import RuleEngine

    rules = RuleEngine(nlp)
    assert 0 < rules.n_matcher_patterns <= 8
    calls = []
    inner = rules._matcher
    rules._matcher = lambda doc: calls.append(doc.text) or inner(doc)
    assert "mgr.title_with_name" not in {m.pattern.id for m in rules.match(prepare(nlp, "my bill is wrong again"))}
    assert calls == []
    found = rules.match(prepare(nlp, "Supervisor Ada Lowe fixed it"))
    assert len(calls) == 1 and "mgr.title_with_name" in {m.pattern.id for m in found}
    rules.match(prepare(nlp, "Supervisor Ada Lowe will call you back"), info_only=True)  # an agent turn
    assert len(calls) == 1  # no Matcher pattern is of an info kind
    # a first word of mgr.reach_attempt ("hours") without the rest of it (no "someone") does not run it
    rules.match(prepare(nlp, "it took hours for the parcel to arrive"))
    assert len(calls) == 1
    found = rules.match(prepare(nlp, "hours of trying to reach someone"))
    assert len(calls) == 2 and "mgr.reach_attempt" in {m.pattern.id for m in found}


@pytest.mark.parametrize("text, counter, countered", [
    # reaching anyone at all through the phone line or after time spent: the weak someone-request is countered
    ("what's the number i can call to speak to someone", "mgr.reach_by_phone", True),
    ("any way to talk to a rep on the phone", "mgr.reach_on_phone", True),
    ("two days of trying to reach somebody", "mgr.reach_attempt", True),
    ("the wait time to talk to someone is an hour", "mgr.reach_attempt", True),
    # a human or a supervisor is no contact attempt, and "trying to" alone may be a chat user asking for a person
    ("what's the number to speak to a real person", "mgr.reach_by_phone", False),
    ("two days trying to reach a supervisor", "mgr.reach_attempt", False),
    ("i'm trying to talk with someone", "mgr.reach_attempt", False),
])
def test_reaching_anyone_at_all_counters_the_someone_request_inside(rules, nlp, text, counter, countered):
    found = rules.match(prepare(nlp, text))
    ids = {m.pattern.id for m in found}
    assert (counter in ids) == countered
    requests = [m for m in found if m.pattern.signal == "manager_request" and m.pattern.weight > 0]
    assert requests and all((m.status == "countered") == countered for m in requests)

@pytest.mark.parametrize("text, counter, request_rule", [
    # staff fetching a manager is a story of how the issue was handled
    ("they had to call a manager just to approve a seat change", "mgr.staff_fetch_title", "mgr.bare_title"),
    ("the cashier went to get the supervisor", "mgr.staff_fetch_title", "mgr.bare_title"),
    ("i was told by the supervisor that the return is void", "mgr.staff_fetch_title", "mgr.bare_title"),
    # staff who need a manager's approval: how the issue is handled, not the customer asking
    ("the agent tried to help but needs a supervisor", "mgr.staff_needs_title", "mgr.bare_title"),
    ("she needs her manager to approve the refund", "mgr.staff_needs_title", "mgr.bare_title"),
    ("uh the rep needed a supervisor to sign it off", "mgr.staff_needs_title", "mgr.bare_title"),
    # 'human' as dignity, not a person to talk to
    ("all i ask is that you treat me like a human being", "mgr.human_other_sense", "mgr.real_person"),
    # something already sent or reported to corporate is a prior contact
    ("I sent all the receipts to corporate as they asked", "mgr.sent_to_corporate", "mgr.corporate"),
    ("we complained to head office twice", "mgr.sent_to_corporate", "mgr.corporate"),
    # advice or a verdict on how a place is staffed or managed: the customer judging the company
    ("you guys really need a supervisor on the night shift", "mgr.staffing_advice_you", "mgr.want_manager"),
    ("think you might need a manager at the station", "mgr.staffing_advice_you", "mgr.want_manager"),
    ("this branch needs a new manager", "mgr.staffing_advice", "mgr.bare_title"),
    ("the airline needs new management", "mgr.staffing_advice", "mgr.corporate"),
    ("that duty manager should be sacked", "mgr.title_judged", "mgr.bare_title"),
    ("the supervisor there needs to be retrained", "mgr.title_judged", "mgr.bare_title"),
    ("your ceo should be ashamed", "mgr.title_judged", "mgr.corporate"),
])
def test_a_title_or_human_in_another_sense_is_countered(rules, nlp, text, counter, request_rule):
    found = {m.pattern.id: m for m in rules.match(prepare(nlp, text))}
    assert counter in found and found[request_rule].status == "countered"


@pytest.mark.parametrize("text, request_rule", [
    ("get me a supervisor, the cashier can't help", "mgr.bare_title"),
    ("i'd like a human being to call me back", "mgr.real_person"),
    ("i want to speak to corporate about this", "mgr.corporate"),
    ("please send this to corporate now", "mgr.corporate"),
    ("I called you guys and asked to speak to corporate", "mgr.corporate"),
    ("I need a supervisor", "mgr.want_manager"),
    ("this needs a manager now", "mgr.manager_now"),
    ("that manager should be sacked, so get me a supervisor now", "mgr.get_manager"),
    ("the supervisor needs to call me back today", "mgr.bare_title"),
    # in a live call, a bare "you need a manager" asks the agent for one
    ("you need a manager on this call right now", "mgr.want_manager"),
    ("honestly you need a supervisor for this", "mgr.want_manager"),
])
def test_the_same_words_asked_for_stay_a_request(rules, nlp, text, request_rule):
    found = {m.pattern.id: m for m in rules.match(prepare(nlp, text))}
    assert found[request_rule].status == "active"
    assert not {"mgr.staff_fetch_title", "mgr.staff_needs_title", "mgr.human_other_sense",
                "mgr.corporate_other_sense", "mgr.sent_to_corporate"} & set(found)


def test_corporate_as_an_adjective_is_not_a_request(rules, nlp):
    found = {m.pattern.id: m for m in rules.match(prepare(nlp, "typical corporate greed and corporate responses"))}
    assert "mgr.corporate_other_sense" in found and found["mgr.corporate"].status == "countered"



@pytest.mark.parametrize("spec, required", [
    ([{"NORM": {"IN": ["manager", "boss"]}}, {"IS_TITLE": True}], [{"manager", "boss"}]),
    ([{"NORM": "my", "OP": "?"}, {"NORM": "boss"}], [{"boss"}]),
    ([{"IS_TITLE": True}, {"NORM": {"NOT_IN": ["a"]}}], []),
    ([{"NORM": "not", "OP": "!"}, {"LIKE_NUM": True}], []),
    ([{"NORM": {"IN": ["hours", "days"]}}, {"NORM": "of", "OP": "{0,2}"}, {"NORM": "to"}, {"NORM": "someone"}],
     [{"hours", "days"}, {"to"}, {"someone"}]),
])
def test_a_matcher_pattern_is_gated_on_the_norms_of_its_required_tokens(spec, required):
    from escalsignal.rules import _required_norms

    assert _required_norms(spec) == required


@pytest.mark.parametrize("text, status", [
    # Not wanting or needing one is 'declined'; other negations are 'negation' (often an unmet request).
    ("I don't need a manager", "declined"),
    ("i do not want to speak to a supervisor", "declined"),
    ("no manager please", "negation"),
    ("i'd rather not speak to a supervisor", "declined"),
    ("I would prefer not to talk to a manager", "declined"),
    ("no human needed, the bot sorted it", "declined"),
    ("no supervisor necessary, thanks", "declined"),
    ("no manager has called me back in two days", "negation"),
    ("not a single human has answered", "active"),
    ("no need to get me a supervisor", "declined"),
    ("no need for a supervisor, just block the card", "declined"),
    ("I'm not asking for a manager, just my refund", "declined"),
    ("i never asked for a supervisor", "declined"),
    ("I don't want to be transferred to a manager", "declined"),
    ("not looking to escalate this, just flagging a bug", "declined"),
    ("I've been waiting an hour for a supervisor", "active"),
    ("I don't need to talk to a real person", "declined"),
    ("can't you just get me a manager", "active"),
    ("why don't you get me a manager", "active"),
    ("i don't care i want a manager", "active"),
    ("I don't care, I want a manager", "active"),
    ("this isn't working get me a manager", "active"),
    ("if this happens again I'll want a manager", "hypothetical"),
    # The consequent of a condition, however far the "if" is or when it comes after the request.
    ("if this still isn't fixed by friday morning I'll want a manager", "hypothetical"),
    ("I'll ask for a supervisor if it happens again", "hypothetical"),
    ("um if nobody calls me back by tomorrow i'm gonna need a supervisor", "hypothetical"),
    ("I will want a manager unless this is sorted today", "hypothetical"),
    ("I will speak to your manager, this is ridiculous", "active"),
    ("I will talk to a supervisor now and if they can't help I'm leaving", "active"),
    ("if you can't fix it then get me a manager", "active"),
    ("if possible I'd like to speak to a manager", "active"),
    ("my wife said she wanted a manager", "reported"),
    ("the agent said she would escalate it", "reported"),
    ("I said I want a manager", "active"),
    ("finally got through to a real person, took an hour", "past"),
    ("reached a live agent in two minutes, well done", "past"),
    ("still haven't reached a real person", "active"),
    ("i never got through to a live agent", "active"),
    ("I spoke to a supervisor last week about this", "past"),  # a manager already reached is a story
    ("then talked to the manager, no help at all", "past"),
    ("after talking with the supervisor yesterday I still have no answer", "past"),
    ("after speaking with the manager I still have no refund", "past"),
    ("I'm talking to your manager after this", "active"),
    # how long reaching someone took is a story of a contact; wanting one after the wait is a request
    ("my last call took only three minutes to reach a live person", "past"),
    ("it takes forever to speak to a real person on your line", "past"),
    ("this is taking forever, i want to speak to a real person", "active"),
    ("took so long want to talk to a real person now", "active"),
    ("the agent promised to escalate it", "reported"),  # the agent's promise, not the customer's request
    ("she offered to get me a supervisor", "reported"),
    # Unable to reach a person is the unmet request itself; not wanting one is declined.
    ("I can't even get a supervisor without being put on hold", "active"),
    ("i cannot speak to a manager on your phone line", "active"),
    ("i was not able to reach a supervisor all day", "active"),
    # An "if" that asks to reach someone is a request; a condition, a past counterfactual or another want is not.
    ("if I could just speak to a human this would be sorted", "active"),
    ("I was wondering if I could speak to a supervisor", "active"),
    ("if i can get a manager on the phone i'd be grateful", "active"),
    ("if it happens again I'll ask for a supervisor", "hypothetical"),
    ("if i could have spoken to a supervisor it would have been fine", "hypothetical"),
    ("I don't want to talk to a manager", "declined"),
    ("I won't need a supervisor", "declined"),
])
def test_scope_of_a_manager_request(rules, nlp, text, status):
    assert statuses(rules, nlp, text, "manager_request", min_weight=0.01) == {status}


@pytest.mark.parametrize("text, status", [
    # A conditional threat is the threat itself; a question about what would happen is not a threat.
    ("if this isn't fixed by friday I'll cancel my contract", "active"),
    ("I'll switch to another provider if this happens again", "active"),
    ("if i cancel everything now is there a fee", "hypothetical"),
    ("if i switch to paperless billing will it be cheaper", "hypothetical"),
])
def test_scope_of_a_churn_threat(rules, nlp, text, status):
    assert statuses(rules, nlp, text, "churn_threat", min_weight=2) == {status}


@pytest.mark.parametrize("text, status", [
    ("someone stole my card", "active"),
    ("my card was stolen last year but it was sorted", "temporal"),
    ("the outage last week was fixed quickly", "temporal"),
    ("the internet went down this morning but it's fine now", "temporal"),
    ("um the internet went down earlier it's ok now", "temporal"),
    ("the internet is down and I work from home", "active"),
    # A resolution reaches into the next sentence; a distant time, a question or an earlier "fine" does not.
    ("was your website down this morning? it's fine now", "temporal"),
    ("is the app down. it's back up, never mind", "temporal"),
    ("my internet is down. last year it never was", "active"),
    ("the app is down! is it fixed yet?", "active"),
    ("the wifi is down. it was fine an hour ago", "active"),
    ("the site is down. i tried again. it's fine now", "active"),  # two sentences on: the window ends
    ("is there fraud protection in the future for my account", "temporal"),
    ("I waited a while and my card was stolen", "active"),
])
def test_scope_of_urgency(rules, nlp, text, status):
    assert statuses(rules, nlp, text, "urgency", min_weight=2) == {status}


def test_the_cues_that_reach_the_next_sentence_are_temporal_cues():
    # _temporal only looks a RESOLVED pair up once it is in TEMPORAL: one missing there would silently never count.
    assert RESOLVED <= TEMPORAL


@pytest.mark.parametrize("text, generic, counter, statuses", [
    ("how do I sign up for the corporate newsletter", "mgr.corporate", "mgr.corporate_other_sense", ["countered"]),
    ("put me through to corporate about this corporate newsletter mess", "mgr.corporate", "mgr.corporate_other_sense",
     ["active", "countered"]),
    ("I want the number for corporate", "mgr.corporate", None, ["active"]),
    # An executive saying or doing something is news or a story, however the title is introduced.
    ("your ceo says prices will fall next year", "mgr.corporate", "mgr.executive_as_subject", ["countered"]),
    ("Acme Rail's CEO vows to end the weekend closures", "mgr.corporate", "mgr.executive_as_subject", ["countered"]),
    ("management changed the opening hours", "mgr.corporate", "mgr.executive_as_subject", ["countered"]),
    ("I want to speak to your CEO", "mgr.corporate", None, ["active"]),
    ("can management call me back today", "mgr.corporate", None, ["active"]),
    # A staff member who needs a supervisor: only the title inside the counter is countered.
    ("the rep needs a supervisor, so where is the supervisor", "mgr.bare_title", "mgr.staff_needs_title",
     ["countered", "active"]),
])
def test_overriding_counter_evidence_counters_the_generic_match_inside_it(rules, nlp, text, generic, counter,
                                                                          statuses):
    matches = rules.match(prepare(nlp, text))
    assert [m.status for m in matches if m.pattern.id == generic] == statuses
    assert counter is None or counter in {m.pattern.id for m in matches}


@pytest.mark.parametrize("text, countered", [
    ("thanks for losing my bag and leaving us stranded", True),   # sarcastic thanks is not thanks
    ("thank you for ruining our holiday", True),
    ("thanks for sorting my bag out so quickly", False),
])
def test_sarcastic_thanks_overrides_the_thanks_inside_it(rules, nlp, text, countered):
    found = {m.status for m in rules.match(prepare(nlp, text)) if m.pattern.id == "fru.praise"}
    assert found == ({"countered"} if countered else {"active"})


def test_plain_counter_evidence_only_votes(rules, nlp):
    # title_in_story does not override: "the supervisor was unavailable" keeps its match for the model to weigh.
    found = [(m.pattern.id, m.status) for m in rules.match(prepare(nlp, "the supervisor was unavailable"))]
    assert ("mgr.bare_title", "active") in found and ("mgr.title_in_story", "active") in found


def write(tmp_path, lines):
    path = tmp_path / "bad.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


GOOD = {"id": "x.one", "signal": "urgency", "weight": 1.0, "description": "d", "pattern": "help now",
        "examples": {"match": ["help now"], "no_match": ["hi"]}}


@pytest.mark.parametrize("change, field", [
    ({"signal": "anger"}, "signal"),
    ({"weight": "high"}, "weight"),
    ({"weight": 99}, "weight"),
    ({"pattern": ""}, "pattern"),
    ({"pattern": [{"lower": "x"}]}, "pattern[0].lower"),
    ({"pattern": [{"NORM": "x", "OP": "??"}]}, "pattern[0].OP"),
    ({"colour": "red"}, "colour"),
    ({"scopes": ["sarcasm"]}, "scopes"),
    ({"overrides": "yes"}, "overrides"),
    ({"overrides": True, "weight": 0}, "overrides"),  # a weight of 0 has nothing to override
])
def test_invalid_pattern_names_file_line_and_field(tmp_path, change, field):
    path = write(tmp_path, [json.dumps(GOOD), json.dumps({**GOOD, "id": "x.two", **change})])
    with pytest.raises(PatternError, match=rf"bad\.jsonl:2: field '{__import__('re').escape(field)}'"):
        load_pattern_records([path])


def test_duplicate_ids_and_bad_json_are_rejected(tmp_path):
    with pytest.raises(PatternError, match="duplicate id"):
        load_pattern_records([write(tmp_path, [json.dumps(GOOD), json.dumps(GOOD)])])
    with pytest.raises(PatternError, match=r"bad\.jsonl:1: invalid JSON"):
        load_pattern_records([write(tmp_path, ["{not json"])])


def test_pattern_expanding_past_the_limit_is_rejected(tmp_path, nlp):
    many = {"NORM": {"IN": [f"w{i}" for i in range(20)]}, "OP": "?"}
    path = write(tmp_path, [json.dumps({**GOOD, "pattern": [many, many, many]})])
    with pytest.raises(PatternError, match="expands to"):
        RuleEngine(nlp, [path])


def test_new_words_get_only_the_lexeme_attributes_the_patterns_read(tmp_path):
    from escalsignal.text import make_nlp

    nlp = make_nlp()
    RuleEngine(nlp)  # shipped patterns read NORM, and one reads the IS_TITLE and IS_ALPHA flags (no strings)
    before = len(nlp.vocab.strings)
    prep = prepare(nlp, "order 48213377 for Supervsior")
    assert prep.norms == ["order", "48213377", "for", "supervisor"]
    assert len(nlp.vocab.strings) - before <= 4  # the two new words and their norms, no shapes or affixes
    assert not nlp.vocab["48213377"].like_num  # not computed: nothing reads it
    # A Matcher pattern that reads LIKE_NUM brings its getter back, for words the vocabulary has not seen yet.
    pat = [{"NORM": "order"}, {"LIKE_NUM": True}]
    engine = RuleEngine(nlp, [write(tmp_path, [json.dumps({**GOOD, "pattern": pat})])])
    assert engine.n_matcher_patterns == 1
    assert active_ids(engine, nlp, "order 99120045 still missing") == {"x.one"}


def test_token_pattern_with_wildcard_uses_the_matcher(tmp_path, nlp):
    pat = [{"NORM": "speak"}, {"OP": "*"}, {"NORM": "boss"}]
    path = write(tmp_path, [json.dumps({**GOOD, "pattern": pat})])
    engine = RuleEngine(nlp, [path])
    assert engine.n_matcher_patterns == 1
    assert active_ids(engine, nlp, "let me speak to your big boss") == {"x.one"}
