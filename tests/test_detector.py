"""The public API of Detector.score_text, as other tools rely on it."""
import threading

import pytest

import escalsignal
from escalsignal import SIGNALS, Detector, ModelIntegrityError
from escalsignal.text import MAX_CHARS


def test_score_text_returns_every_signal_with_probability_and_decision(det):
    u = det.score_text("This is the third time I'm calling, get me a supervisor now!", speaker="customer")
    assert set(u.signals) == set(SIGNALS)
    for s in u.signals.values():
        assert 0.0 <= s.score <= 1.0 and s.detected == (s.score >= s.threshold)
    assert u.signals["manager_request"].detected and u.signals["repeat_contact"].detected


def test_evidence_spans_point_into_the_callers_text(det):
    text = "um so I've called you three times and I want a supervisor"
    u = det.score_text(text)
    ev = [e for s in u.signals.values() for e in s.evidence]
    assert ev
    for e in ev:
        assert text[e.start:e.end] == e.text


def test_every_detected_signal_is_explained(det):
    u = det.score_text("get me a manager, this is ridiculous")
    for s in u.signals.values():
        if s.detected:
            assert s.contributions and all(c > 0 for _, c in s.contributions)


def test_agent_speech_never_carries_customer_signals(det):
    u = det.score_text("I'm sorry you've called three times, let me get my supervisor, I know it's urgent", speaker="agent")
    assert all(s.score == 0.0 and not s.detected for s in u.signals.values())
    assert any(e.signal == "agent_escalation" for e in u.info)


def test_unknown_speaker_is_a_value_error_naming_the_valid_ones(det):
    with pytest.raises(ValueError, match="'customer', 'agent'"):
        det.score_text("hello", speaker="bot")


@pytest.mark.parametrize("bad", [None, 42, b"bytes", ["list"]])
def test_non_string_text_is_a_type_error_naming_the_type(det, bad):
    with pytest.raises(TypeError, match=type(bad).__name__):
        det.score_text(bad)


@pytest.mark.parametrize("text", ["", "   ", "\n\t", "um uh"])
def test_empty_text_scores_all_zero(det, text):
    u = det.score_text(text)
    assert all(s.score == 0.0 and not s.detected for s in u.signals.values())


@pytest.mark.parametrize("text", ["\x00\x01\x1b[31m", "😡😡😡🙄", "¿Dónde está mi reembolso? ¡Es urgente!",
                                  "我的卡被偷了", "مرحبا أريد المدير", "\ud800 lone surrogate", "a" * 10_000])
def test_odd_input_does_not_crash(det, text):
    u = det.score_text(text)
    assert all(0.0 <= s.score <= 1.0 for s in u.signals.values())


def test_long_text_is_cut_and_flagged(det):
    u = det.score_text("manager please. " * 70_000)  # ~1 MB
    assert u.truncated and len(u.text) == MAX_CHARS


def test_detector_is_immutable(det):
    with pytest.raises(AttributeError):
        det.model = None


def test_detector_is_safe_to_share_between_threads(det):
    texts = [f"call {i}: I've called {i % 5} times, get me a manager" if i % 2 else f"thanks {i}" for i in range(200)]
    serial = [det.score_text(t).to_dict() for t in texts]
    results: dict[int, dict] = {}

    def work(lo):
        for i in range(lo, len(texts), 4):
            results[i] = det.score_text(texts[i]).to_dict()

    threads = [threading.Thread(target=work, args=(k,)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert [results[i] for i in range(len(texts))] == serial


def test_results_serialise(det):
    import json

    d = det.score_text("get me a manager").to_dict()
    assert json.loads(json.dumps(d))["signals"]["manager_request"]["detected"] is True


def test_loading_with_edited_patterns_is_refused(tmp_path):
    from escalsignal.rules import PATTERN_DIR

    for p in PATTERN_DIR.glob("*.jsonl"):
        (tmp_path / p.name).write_text(p.read_text())
    extra = tmp_path / "manager_request.jsonl"
    extra.write_text(extra.read_text().replace('"weight": 3.0', '"weight": 2.9', 1))
    with pytest.raises(ModelIntegrityError, match="other pattern files"):
        Detector.load(patterns=sorted(tmp_path.glob("*.jsonl")))


def test_import_is_cheap():
    import subprocess
    import sys

    code = "import sys, escalsignal; print(sorted(m for m in ('spacy', 'sklearn', 'numpy') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_public_names_are_listed():
    for name in escalsignal.__all__:
        assert getattr(escalsignal, name) is not None


# --- the repeat cache: exact repeats of short utterances skip spaCy, with identical results -------------------
REPEATS = [
    ("customer", "get me a supervisor right now"),
    ("agent", "get me a supervisor right now"),  # same words, other speaker: a different result
    ("customer", "okay thank you"),
    ("customer", "i called twice yesterday and nobody called back"),
    ("agent", "let me transfer you to my supervisor"),
]


def test_repeated_utterances_score_exactly_as_without_the_cache():
    cached, uncached = Detector.load(), Detector.load(cache_size=0)
    for _ in range(3):
        for speaker, text in REPEATS:
            assert cached.score_text(text, speaker).to_dict() == uncached.score_text(text, speaker).to_dict()
    info = cached.cache_info()
    assert info["misses"] == len(REPEATS) and info["hits"] == 2 * len(REPEATS)
    assert uncached.cache_info() == {"hits": 0, "misses": 0, "entries": 0, "size": 0}


def test_the_cache_keeps_at_most_its_size_and_skips_long_texts():
    from escalsignal.detector import CACHE_MAX_CHARS

    d = Detector.load(cache_size=8)
    for i in range(50):
        d.score_text(f"order {i} is late")
    assert d.cache_info()["entries"] == 8
    long_text = "my manager " * (CACHE_MAX_CHARS // 10)
    d.score_text(long_text)
    d.score_text(long_text)
    assert d.cache_info()["misses"] == 50 and d.cache_info()["hits"] == 0


def test_bad_input_is_still_rejected_when_the_cache_is_on(det):
    det.score_text("hello")
    with pytest.raises(ValueError):
        det.score_text("hello", speaker="bot")
    with pytest.raises(TypeError):
        det.score_text(b"hello")


@pytest.mark.parametrize("size", [-1, 1.5, True, "10"])
def test_cache_size_must_be_a_non_negative_int(size):
    with pytest.raises(ValueError, match="cache_size"):
        Detector.load(cache_size=size)


def test_a_caller_changing_its_result_does_not_change_the_next_one():
    d = Detector.load()
    first = d.score_text("get me a supervisor")
    first.signals.clear()  # the dataclass is frozen, the dict inside it is the caller's own
    again = d.score_text("get me a supervisor")
    assert d.cache_info()["hits"] == 1 and again.signals["manager_request"].detected
