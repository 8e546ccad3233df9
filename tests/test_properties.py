"""Property-based tests of the public API: any input gives valid results or a documented exception, never another.

Documented exceptions: ``TypeError`` for a text that is not a ``str``, a bad timestamp, call id or metadata type;
``ValueError`` for a speaker other than "customer"/"agent"; ``ConfigError`` for a bad escalation matrix. Text is
any Unicode (control characters, lone surrogates, emoji, right-to-left scripts, zero-width joiners) of 0 to
100,000 characters. Runs derandomized (the same examples on every run, no example database) so CI is
reproducible; the examples of all tests add up to more than 2,000 (``EXAMPLES``, checked below).
"""
from __future__ import annotations

import copy
import json
import math

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from escalsignal import SIGNALS, SPEAKERS, ConfigError
from escalsignal.policy import DEFAULT_MATRIX, PRIORITIES, EscalationMatrix
from escalsignal.text import MAX_CHARS

#: Examples per test; their sum is what one CI run exercises.
EXAMPLES = {
    "any_unicode": 1000, "token_soup": 800, "long_text": 100, "not_a_string": 80, "any_speaker": 150,
    "session": 300, "resume": 60, "memory_zone": 250, "matrix": 400, "suffix_window": 500,
}


def fuzz(name: str):
    return settings(max_examples=EXAMPLES[name], deadline=None, derandomize=True, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                           HealthCheck.function_scoped_fixture, HealthCheck.large_base_example])


def test_the_properties_run_at_least_2000_examples():
    assert sum(EXAMPLES.values()) >= 2000


# --- strategies ---------------------------------------------------------------------------------------------
#: Every code point, lone surrogates included (hypothesis leaves category Cs out unless told).
ANY_CHAR = st.characters(exclude_categories=())
#: Words the rules and the text layer react to, and characters that are known trouble for tokenizers.
SOUP = [
    "manager", "supervisor", "someone in charge", "um", "uh", "I", "don't", "dont", "can't", "won't", "u", "pls",
    "@acme", "#fail", "https://x.co/a?b=1", "www.x.com", "f***", "sh*t", "third", "3rd", "time", "times", "called",
    "again", "cancel", "switch", "lawyer", "ombudsman", "chargeback", "stolen", "card", "fraud", "outage", "!!",
    "?!", "...", "NOW", "SERIOUSLY", "soooo", "if", "not", "never", "said", "wife", "last", "year", "was", "fixed",
    "😡", "🙄", "👍🏽", "👨‍👩‍👧", "\u200d", "\u200b", "\u200e", "\u200f", "\u202e", "\u2028", "\u2029", "\x85",
    "\r", "\r\n", "\x0b", "\x0c", "\x1b[31m", "\ud800", "\udfff", "\udc80", "\x00", "\x7f", "\t", "\n", "\u00a0",
    "\u3000", "\ufeff", "\ufffd", "é", "e\u0301", "ﬁ", "ß", "İ", "שלום", "אני רוצה מנהל", "مرحبا", "أريد المدير",
    "我的卡被偷了", "ｆｕｌｌ", "Ⅻ", "١٢٣", "'", "’", "n't", "'s", "'ve", "-", "—", "–", ".", ",", ";", ":", "(",
    ")", "\"", "mgr", "idk", "2day", "tmrw", "b/c", "heyyyyy", "NOOOO", "0", "1234567890", "½", "$", "€100",
]
TOKEN = st.one_of(st.sampled_from(SOUP), st.text(alphabet=ANY_CHAR, max_size=6))
SEP = st.sampled_from(["", " ", "  ", "\n", "\t", ", ", ". ", "\u00a0", "\u2028", " \u200f"])
SOUP_TEXT = st.lists(st.tuples(TOKEN, SEP), max_size=50).map(lambda xs: "".join(a + b for a, b in xs))
ANY_TEXT = st.one_of(st.text(alphabet=ANY_CHAR, max_size=400), SOUP_TEXT)
#: 0 to 100,000 characters: a generated piece repeated (generating 100k random characters would be slow).
LONG_TEXT = st.builds(lambda piece, n: (piece * n)[:100_000], st.text(alphabet=ANY_CHAR, min_size=1, max_size=40)
                      | SOUP_TEXT.filter(bool), st.integers(1, 100_000))
JSON_SCALAR = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(alphabet=ANY_CHAR, max_size=20))
JSON_VALUE = st.recursive(JSON_SCALAR, lambda inner: st.lists(inner, max_size=4)
                          | st.dictionaries(st.text(max_size=8), inner, max_size=4), max_leaves=12)
METADATA = st.dictionaries(
    st.sampled_from(["customer_tier", "hold_seconds", "sla_breached"]) | st.text(alphabet=ANY_CHAR, max_size=12),
    st.sampled_from(["vip", "VIP", "platinum", "gold", 900, 899.5, 10**30, True, False, "1000"]) | JSON_VALUE,
    max_size=5)


def check_utterance(u, text: str, speaker: str) -> None:
    assert u.speaker == speaker
    assert len(u.text) == min(len(text), MAX_CHARS) and u.truncated == (len(text) > MAX_CHARS)
    assert set(u.signals) == set(SIGNALS)
    for s in u.signals.values():
        assert isinstance(s.score, float) and math.isfinite(s.score) and 0.0 <= s.score <= 1.0
        assert s.detected == (s.score >= s.threshold)
        if speaker == "agent":
            assert s.score == 0.0 and not s.evidence
        for e in s.evidence:
            assert e.signal == s.name and 0 <= e.start < e.end <= len(u.text) and u.text[e.start:e.end] == e.text
    for e in u.suppressed + u.info:
        assert 0 <= e.start < e.end <= len(u.text) and u.text[e.start:e.end] == e.text
    json.dumps(u.to_dict())  # results always serialise (lone surrogates are replaced in u.text)


# --- score_text ---------------------------------------------------------------------------------------------
@fuzz("any_unicode")
@given(text=ANY_TEXT, speaker=st.sampled_from(SPEAKERS))
def test_any_unicode_text_gives_valid_scores(det, text, speaker):
    check_utterance(det.score_text(text, speaker=speaker), text, speaker)


@fuzz("token_soup")
@given(text=SOUP_TEXT)
def test_cue_words_mixed_with_noise_give_valid_scores_and_spans(det, text):
    check_utterance(det.score_text(text), text, "customer")


@fuzz("long_text")
@given(text=LONG_TEXT)
def test_texts_up_to_100k_characters_are_cut_and_flagged(det, text):
    check_utterance(det.score_text(text), text, "customer")


@fuzz("not_a_string")
@given(value=st.one_of(st.none(), st.integers(), st.floats(), st.binary(), st.lists(st.text(max_size=3)),
                       st.dictionaries(st.text(max_size=3), st.integers()), st.tuples(st.text(max_size=3))))
def test_text_that_is_not_a_string_is_a_type_error(det, value):
    with pytest.raises(TypeError, match=type(value).__name__):
        det.score_text(value)


@fuzz("any_speaker")
@given(speaker=st.text(alphabet=ANY_CHAR, max_size=12) | st.sampled_from(["Customer", "AGENT", " agent", "bot"]))
def test_any_speaker_string_is_scored_or_a_value_error(det, speaker):
    if speaker in SPEAKERS:
        check_utterance(det.score_text("get me a manager", speaker=speaker), "get me a manager", speaker)
    else:
        with pytest.raises(ValueError, match="speaker must be one of"):
            det.score_text("get me a manager", speaker=speaker)


# --- sessions -----------------------------------------------------------------------------------------------
MATRIX = EscalationMatrix.load()
ROUTES = {r.route.route for r in MATRIX.signal_rules + MATRIX.metadata_rules} | {MATRIX.default.route}
TURN = st.tuples(ANY_TEXT, st.sampled_from(SPEAKERS) | st.text(max_size=5),
                 st.none() | st.floats() | st.integers() | st.sampled_from([10**400, -10**400]) | st.booleans()
                 | st.text(max_size=3))


@fuzz("session")
@given(call_id=st.text(alphabet=ANY_CHAR, max_size=20), metadata=METADATA, turns=st.lists(TURN, max_size=6))
def test_a_session_accepts_any_turns_and_metadata(det, call_id, metadata, turns):
    sess = det.session(call_id, metadata=metadata)
    n = 0
    for text, speaker, ts in turns:
        bad_ts = ts is not None and (isinstance(ts, (bool, str)) or abs(ts) > 1e308 or not math.isfinite(ts))
        before = sess.to_dict()
        if bad_ts or speaker not in SPEAKERS:
            with pytest.raises(TypeError if bad_ts else ValueError):
                sess.add(text, speaker=speaker, timestamp=ts)
            assert sess.to_dict() == before  # a rejected turn leaves the call as it was
            continue
        rec = sess.add(text, speaker=speaker, timestamp=ts)
        assert rec.turn == n and rec.call_id == call_id
        n += 1
        assert math.isfinite(rec.score) and 0.0 <= rec.score <= 1.0
        assert rec.priority in PRIORITIES + (None,) and rec.route in ROUTES | {None}
        assert not (rec.escalate and rec.escalation_active)
        check_utterance(rec.utterance, text, speaker)
    s = sess.summary()
    assert s.turns == n and 0.0 <= s.max_score <= 1.0 and len(s.signals_over_time) <= sess.state.window
    json.dumps(sess.to_dict(), allow_nan=True)


@fuzz("resume")
@given(turns=st.lists(st.tuples(SOUP_TEXT, st.sampled_from(SPEAKERS)), min_size=1, max_size=8),
       cut=st.integers(0, 8), metadata=METADATA)
def test_a_session_resumed_from_json_continues_identically(det, turns, cut, metadata):
    whole = det.session("r", metadata=metadata)
    expected = [whole.add(t, speaker=s).to_dict() for t, s in turns]
    first = det.session("r", metadata=metadata)
    got = [first.add(t, speaker=s).to_dict() for t, s in turns[:cut]]
    state = json.loads(json.dumps(first.to_dict()))
    twin = copy.deepcopy(state)
    resumed = det.resume(state)
    det.resume(state).add("I want a manager, I called three times")  # a second resume must not share state
    got += [resumed.add(t, speaker=s).to_dict() for t, s in turns[cut:]]
    assert json.loads(json.dumps(got)) == json.loads(json.dumps(expected))
    assert state == twin  # resuming does not modify the caller's dict


# --- the memory-zone scoring path gives the same scores -----------------------------------------------------
@pytest.fixture(scope="module")
def zoned(det):
    """A detector that scores every utterance inside a spaCy memory zone (as past VOCAB_GROWTH_LIMIT)."""
    from escalsignal import detector as detector_module
    from escalsignal.rules import RuleEngine
    from escalsignal.text import make_nlp

    nlp = make_nlp()
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(detector_module, "VOCAB_GROWTH_LIMIT", 0)
        return detector_module.Detector(nlp, RuleEngine(nlp), det.model, det.matrix, det.manifest)


@fuzz("memory_zone")
@given(text=ANY_TEXT, speaker=st.sampled_from(SPEAKERS))
def test_scoring_inside_a_memory_zone_gives_identical_results(det, zoned, text, speaker):
    before = len(zoned.nlp.vocab.strings)
    assert zoned.score_text(text, speaker=speaker).to_dict() == det.score_text(text, speaker=speaker).to_dict()
    assert len(zoned.nlp.vocab.strings) == before  # nothing new is kept


# --- the bounded suffix search tokenizes exactly as spaCy's ------------------------------------------------------
AFFIXY = st.text(alphabet=st.sampled_from(list(".!?'’\"()[]*-—…,;:$€%°0123456789aAsStTnmkgKMB😡🙄#@/")) | ANY_CHAR,
                 max_size=60)


@pytest.fixture(scope="module")
def reference_nlp():
    """The tokenizer with spaCy's own suffix search over the whole token (quadratic on long runs)."""
    from spacy.util import compile_suffix_regex

    from escalsignal.text import _CONTRACTION, make_nlp

    nlp = make_nlp()
    nlp.tokenizer.suffix_search = compile_suffix_regex(list(nlp.Defaults.suffixes) + [_CONTRACTION]).search
    return nlp


@fuzz("suffix_window")
@given(chunks=st.lists(AFFIXY | st.builds(lambda a, n: a * n, AFFIXY, st.integers(1, 30)), max_size=4))
def test_the_bounded_suffix_search_tokenizes_like_spacy(det, reference_nlp, chunks):
    from escalsignal.text import clean

    text, _ = clean(" ".join(chunks))
    assert [(t.text, t.idx) for t in det.nlp.make_doc(text)] == [(t.text, t.idx) for t in reference_nlp.make_doc(text)]


# --- escalation matrices ------------------------------------------------------------------------------------
BASE = json.loads(DEFAULT_MATRIX.read_text(encoding="utf-8"))
PATHS = [("routes",), ("rules", 0), ("rules", 1, "tags"), ("rules", 3, "route"), ("rules", 2, "signals"),
         ("rules", 4, "priority"), ("rules", 5, "escalation_type"), ("metadata_rules", 0, "equals"),
         ("metadata_rules", 1, "in"), ("metadata_rules", 2, "gte"), ("metadata_rules", 2, "field"), ("default",),
         ("default", "route"), ("policy",), ("policy", "raise_at"), ("policy", "window"), ("policy", "weights"),
         ("policy", "decay"), ("policy", "second_request_bonus"), ("version",), ("rules",), ("metadata_rules",)]
EDIT_VALUE = st.one_of(JSON_VALUE, st.sampled_from([
    "supervisor", "moon", "P0", "P1", "fraud", ["fraud"], ["urgency"], ["anger"], float("nan"), float("inf"), -1,
    0.5, 3, 2.5, {"urgency": "x"}, {"urgency": -1}, {"urgency": 0.3}, [{}], []]))


@fuzz("matrix")
@given(edits=st.lists(st.tuples(st.sampled_from(PATHS), EDIT_VALUE, st.booleans()), min_size=1, max_size=3))
def test_any_matrix_loads_or_is_a_config_error_and_a_loaded_one_scores(det, edits):
    data = copy.deepcopy(BASE)
    for path, value, delete in edits:
        node = data
        try:
            for key in path[:-1]:
                node = node[key]
            if delete:
                del node[path[-1]]
            else:
                node[path[-1]] = value
        except (KeyError, IndexError, TypeError):
            continue
    try:
        matrix = EscalationMatrix.from_mapping(data, "m.json", tags=frozenset({"fraud", "outage"}))
    except ConfigError as exc:
        assert str(exc).startswith("m.json: ")
        return
    from escalsignal.policy import CallState, update

    # A matrix that loads never fails later: every turn gives a score in [0, 1] and a declared route.
    state = CallState(window=matrix.policy.window, max_quotes=matrix.policy.max_quotes)
    for text in ("get me a manager", "someone stole my card", "I called 3 times, ridiculous", "ok"):
        state.turn += 1
        d = update(state, det.score_text(text), matrix, {"customer_tier": "vip", "hold_seconds": 1000})
        assert 0.0 <= d.score <= 1.0


def test_matrix_strategy_reaches_both_outcomes():
    ok = EscalationMatrix.from_mapping(copy.deepcopy(BASE), "m.json")
    assert ok.default.route == "supervisor"
    with pytest.raises(ConfigError):
        EscalationMatrix.from_mapping({**BASE, "version": 2}, "m.json")
