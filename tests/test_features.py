import pytest
from escalsignal.features import analyze
from escalsignal.text import asr_view


def feats(nlp, rules, text):
    return analyze(nlp, rules, text)[2]


def test_chat_and_asr_views_share_their_ngrams(nlp, rules):
    chat = feats(nlp, rules, "I've called 3 times, get me a manager!!")
    asr = feats(nlp, rules, asr_view("I've called 3 times, get me a manager!!"))
    ngrams = lambda f: {k for k in f if k.startswith(("w=", "b="))}
    assert ngrams(chat) == ngrams(asr)
    assert "exclaim_run" in chat and "exclaim_run" not in asr


def test_number_words_and_digits_are_one_feature(nlp, rules):
    assert "b=<num>_times" in feats(nlp, rules, "called three times")
    assert "b=<num>_times" in feats(nlp, rules, "called 3 times")
    assert "b=<ord>_time" in feats(nlp, rules, "the 3rd time")


def test_intensity_cues(nlp, rules):
    f = feats(nlp, rules, "WHY IS THIS STILL BROKEN?! sooo slow")
    assert f["shouting"] == 1.0 and f["interrobang"] == 1.0 and f["elongated"] == 1.0
    assert "shouting" not in feats(nlp, rules, "I called IBM about my ATM card")


def test_suppressed_rules_become_their_own_feature(nlp, rules):
    f = feats(nlp, rules, "I don't need a manager")
    assert "x=manager_request:declined" in f
    assert "r=mgr.want_manager" not in f
    assert "r=mgr.want_manager" in feats(nlp, rules, "I need a manager")
    assert "x=manager_request:negation" in feats(nlp, rules, "no manager has called me back")


@pytest.mark.parametrize("text, marked", [
    ("I don't want to talk to a supervisor", "w=-supervisor"),  # declined
    ("no manager has called me back", "w=~manager"),  # negated, not declined
    ("my wife said she wanted a supervisor", "w=~supervisor"),  # reported
])
def test_words_inside_a_suppressed_match_are_marked_by_kind(nlp, rules, text, marked):
    f = feats(nlp, rules, text)
    assert marked in f and "w=" + marked[3:] not in f
    assert "w=supervisor" in feats(nlp, rules, "I want to talk to a supervisor")


def test_empty_text_has_no_features(nlp, rules):
    assert feats(nlp, rules, "   ") == {}
