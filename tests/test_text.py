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
    ("um u there", ["you", "there"]),  # the Doc rebuilt without the filler keeps the chat norm
    ("see https://x.co/a", ["see", "<url>"]),
])
def test_norms(nlp, text, norms):
    prep = prepare(nlp, text)
    assert prep.norms == norms
    assert [t.norm_ for t in prep.doc] == norms  # the matchers read the Doc's norms: the same ones


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


# --- chat slips of the rules' key words (WordNorms) ------------------------------------------------------------
@pytest.fixture(scope="module")
def typo_nlp():
    """A fresh pipeline: norms are fixed when spaCy first sees a word, so the shared one must not see these first."""
    from escalsignal.text import install_typo_norms, make_nlp

    nlp = make_nlp()
    install_typo_norms(nlp, ["supervisor", "someone", "person", "human", "urgent", "filed", "super", "brain"],
                       protected=["humna"])
    return nlp


@pytest.mark.parametrize("word, norm", [
    ("supervsior", "supervisor"),   # adjacent letters swapped
    ("Supervsior", "supervisor"),   # case does not matter
    ("SOMENOE", "someone"),
    ("perrson", "person"),          # a doubled letter
    ("huamn", "human"),
    ("urgnet", "urgent"),
    ("supervisor", "supervisor"),   # the key word itself
])
def test_a_swapped_or_doubled_letter_of_a_key_word_gets_the_key_words_norm(typo_nlp, word, norm):
    assert prepare(typo_nlp, word).norms == [norm]


@pytest.mark.parametrize("word", [
    "filled",   # a doubled letter of "filed", but a word of its own (protected list)
    "supper",   # of "super"
    "brian",    # a name, one swap from "brain"
    "humna",    # one swap from "human", but protected by the caller (as the rules protect their own words)
    "supervisr",  # a dropped letter is not undone: without a lexicon it turns real words into others
    "humna5",   # not all letters
    "uregtn",   # two swaps from "urgent": only one slip is undone
])
def test_real_words_and_other_slips_keep_their_own_norm(typo_nlp, word):
    assert prepare(typo_nlp, word).norms == [word.lower()]


def test_a_word_seen_before_the_key_words_were_installed_gets_the_same_norm():
    from escalsignal.text import install_typo_norms, make_nlp

    nlp = make_nlp()
    assert prepare(nlp, "supervsior").norms == ["supervsior"]  # no key words yet
    install_typo_norms(nlp, ["supervisor"])
    assert prepare(nlp, "supervsior").norms == ["supervisor"]


def test_the_vocabulary_with_typo_norms_still_pickles(typo_nlp):
    import pickle

    from spacy.attrs import NORM

    vocab = pickle.loads(pickle.dumps(typo_nlp.vocab))
    assert vocab.lex_attr_getters[NORM]("huamn") == "human"
