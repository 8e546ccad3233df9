import pytest

from escalsignal.text import MAX_CHARS, asr_view, clean, prepare


def test_fillers_are_dropped_but_offsets_point_into_the_original(nlp):
    text = "um I want uh a manager"
    p = prepare(nlp, text)
    assert p.norms == ["i", "want", "a", "manager"]
    start, end, quote = p.span_text(1, 4)  # "want ... manager"
    assert quote == text[start:end] == "want uh a manager"  # spans the caller's text, filler included


@pytest.mark.parametrize("text, norms", [
    ("I don't need it", ["i", "do", "not", "need", "it"]),
    ("i dont need it", ["i", "do", "not", "need", "it"]),
    ("I can't", ["i", "can", "not"]),
    ("u r pls", ["you", "are", "please"]),
    ("@AcmeAir help", ["<handle>", "help"]),
    ("this is f***ing bad", ["this", "is", "<masked>", "bad"]),
    ("I’ve called", ["i", "have", "called"]),
])
def test_norms(nlp, text, norms):
    assert prepare(nlp, text).norms == norms


def test_non_string_text_is_a_type_error_naming_the_type():
    with pytest.raises(TypeError, match="int"):
        clean(42)  # type: ignore[arg-type]


def test_long_text_is_cut_at_max_chars_and_flagged():
    text, truncated = clean("a" * (MAX_CHARS + 10))
    assert len(text) == MAX_CHARS and truncated


def test_control_characters_keep_offsets():
    text, _ = clean("help\x00me\x07now")
    assert len(text) == len("help\x00me\x07now") and "\x00" not in text


def test_asr_view_drops_case_punctuation_handles_and_emoji():
    assert asr_view("@Acme WHY is my card BLOCKED?!! 😡 https://x.co/a") == "why is my card blocked"
