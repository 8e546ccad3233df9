"""Text -> spaCy Doc, made robust to transcript noise before any rule or feature sees it.

Speech-to-text output has fillers ("um", "uh") and chat has slang ("u", "pls"). Fillers are dropped from the
Doc the matchers see (so "speak to um a manager" still matches) while every token keeps its character offsets
in the caller's text, so evidence spans always point into what the caller passed.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable, Iterable

if TYPE_CHECKING:  # spaCy is imported lazily: ``import escalsignal`` must stay cheap.
    from spacy.language import Language
    from spacy.tokens import Doc

#: Characters of one utterance that are scored; the rest is ignored and ``UtteranceScore.truncated`` is set.
#: A live-call segment is a few hundred characters; 5,000 covers a long e-mail and bounds the time per call.
MAX_CHARS = 5000

FILLERS = frozenset({"um", "umm", "uh", "uhh", "uhm", "erm", "er", "hmm", "hm", "mm", "mmm", "ah", "eh"})

#: Chat and phone spellings mapped to the word the patterns are written for.
SLANG = {
    "u": "you", "ur": "your", "yr": "your", "r": "are", "pls": "please", "plz": "please", "pleas": "please",
    "thx": "thanks", "ty": "thanks", "thanx": "thanks", "mgr": "manager", "mngr": "manager", "supv": "supervisor",
    "im": "i", "ive": "i", "idk": "i don't know", "cuz": "because", "cos": "because", "bc": "because", "b/c": "because",
    "wanna": "want", "gonna": "going", "gotta": "got", "ppl": "people", "msg": "message", "msgs": "messages",
    "acct": "account", "acc": "account", "amt": "amount", "tmrw": "tomorrow", "tmr": "tomorrow", "tmrw.": "tomorrow",
    "2day": "today", "2nite": "tonight", "tho": "though", "hrs": "hours", "hr": "hour", "mins": "minutes",
    "min": "minute", "wks": "weeks", "wk": "week", "yrs": "years", "3rd": "third", "2nd": "second", "4th": "fourth",
    "5th": "fifth", "6th": "sixth", "7th": "seventh", "8th": "eighth", "9th": "ninth", "10th": "tenth",
    "recieve": "receive", "recieved": "received", "cancelled": "canceled", "cancelling": "canceling",
    "wat": "what", "wut": "what", "rn": "now", "srsly": "seriously", "abt": "about", "becuase": "because",
}

_URL = re.compile(r"^(https?://|www\.)", re.I)


@dataclass(frozen=True)
class Prepared:
    """A Doc ready for matching, its token norms and texts, and each token's character span in the caller's text."""

    text: str
    doc: Doc
    norms: list[str]
    texts: list[str]
    starts: list[int]
    ends: list[int]
    truncated: bool

    def span_text(self, start_token: int, end_token: int) -> tuple[int, int, str]:
        """Character span and quote in the caller's text covering doc tokens [start_token, end_token)."""
        start, end = self.starts[start_token], self.ends[end_token - 1]
        return start, end, self.text[start:end]


#: Contractions are split by suffix rules rather than spaCy's special-case table: once a special case fires,
#: spaCy's tokenizer stops caching the rest of the text, which made any utterance with "i've" or "don't" about
#: ten times slower to tokenize. "dont"/"cant" (chat, no apostrophe) are split the same way.
_CONTRACTION = (
    r"(?<=[a-zA-Z])(?:n['’]t|['’](?:ve|m|re|ll|d|s))$"
    r"|(?:(?<=^do)|(?<=^does)|(?<=^did)|(?<=^is)|(?<=^was)|(?<=^were)|(?<=^are)|(?<=^have)|(?<=^has)|(?<=^had)"
    r"|(?<=^could)|(?<=^would)|(?<=^should)|(?<=^ca)|(?<=^wo)|(?<=^ai)|(?<=^Do)|(?<=^Ca))nt$"
)
CONTRACTION_NORMS = {
    "n't": "not", "n’t": "not", "nt": "not", "'ve": "have", "’ve": "have", "'m": "am", "’m": "am", "'re": "are",
    "’re": "are", "'ll": "will", "’ll": "will", "'d": "would", "’d": "would", "ca": "can", "wo": "will", "ai": "is",
}


def make_nlp(name: str | None = None) -> Language:
    """The default is ``spacy.blank("en")``: a tokenizer only, nothing downloaded. ``name`` loads an installed pipeline.

    Either way the tokenizer gets the contraction handling above and the vocabulary ``WordNorms``, so features match
    those the model was trained on.
    """
    import spacy
    from spacy.util import compile_suffix_regex

    nlp = spacy.load(name) if name else spacy.blank("en")
    tok = nlp.tokenizer
    tok.suffix_search = _tail_search(compile_suffix_regex(list(nlp.Defaults.suffixes) + [_CONTRACTION]))
    if tok.url_match is not None:
        tok.url_match = _short_url_match(tok.url_match)
    tok.rules = {}
    _install_norms(nlp)
    return nlp


class WordNorms:
    """spaCy's NORM getter for new lexemes, extended so that a word gets the norm the patterns are written for once
    per word type (spaCy keeps it on the lexeme), not once per token: first a slip of a key word is undone, then
    chat spellings, contraction parts, @handles, links and masked swearing are mapped (``chat_norm``).

    A word one slip away from a word the patterns look for gets that word as its norm ("somenoe" -> "someone",
    "supervsior" -> "supervisor", "perrson" -> "person"). Only two slips are undone, an adjacent swap and a
    doubled letter, and only toward key words of 5+ letters: unlike a dropped or changed letter they seldom turn
    one English word into another, and we have no English lexicon to tell a typo from a real word ("tires" is one
    substitution from "times"; with 4-letter keys, "bleed" became "bled" and "furry" "fury"). Words in
    ``protected`` (pattern and stop words, and common words one such slip from a key word: "filled", "brian") keep
    their own norm. Without keys (``make_nlp`` before the rules install theirs) no slip is undone.
    """

    def __init__(self, base: Callable[[str], str], keys: frozenset[str] = frozenset(),
                 protected: frozenset[str] = frozenset()) -> None:
        self.base, self.keys, self.protected = base, keys, protected

    def __call__(self, string: str) -> str:
        return chat_norm(self.undo_slip(self.base(string)))

    def undo_slip(self, norm: str) -> str:
        if len(norm) < 5 or norm in self.keys or norm in self.protected or not norm.isalpha():
            return norm
        keys = self.keys
        for i in range(1, len(norm)):
            if norm[i] == norm[i - 1]:
                fixed = norm[:i] + norm[i + 1:]
                if fixed in keys:
                    return fixed
        for i in range(len(norm) - 1):
            if norm[i] != norm[i + 1]:
                fixed = norm[:i] + norm[i + 1] + norm[i] + norm[i + 2:]
                if fixed in keys:
                    return fixed
        return norm


def chat_norm(norm: str) -> str:
    """Chat spellings and contraction parts as the word the patterns are written for; @handles, links and masked
    swearing ("f***", "sh*t") as ``<handle>``, ``<url>``, ``<masked>``."""
    new = _NORMS.get(norm)
    if new is not None:
        return new
    first = norm[:1]
    if first == "@" and len(norm) > 1:
        return "<handle>"
    if (first == "h" or first == "w") and _URL.match(norm):
        return "<url>"
    if "*" in norm and _MASKED.match(norm):
        return "<masked>"
    return norm


#: Common words one swap or doubled letter from a key word the patterns use or may come to use ("brian" / "brain",
#: "filling" / "filing", "trail" / "trial"), which must keep their own norm.
TYPO_PROTECTED = frozenset(
    "filled filling field fields boots compliant latter supper hopping dinner trail angel united untied quiet "
    "diary dairy sacred casual causal marital martial bowel calvary petrol brian".split()
)


def install_typo_norms(nlp: Language, keys: Iterable[str], protected: Iterable[str] = ()) -> None:
    """Make ``nlp``'s words normalise slips of ``keys`` (see ``WordNorms``), words already in its vocabulary too."""
    from spacy.lang.en.stop_words import STOP_WORDS

    usable = frozenset(k for k in keys if len(k) >= 5 and k.isalpha())
    _install_norms(nlp, usable, frozenset(protected) | TYPO_PROTECTED | STOP_WORDS)


def _install_norms(nlp: Language, keys: frozenset[str] = frozenset(), protected: frozenset[str] = frozenset()) -> None:
    """Put ``WordNorms`` over spaCy's own NORM getter (replacing one installed before) and re-norm the lexemes the
    vocabulary already has (spaCy's tokenizer exceptions, words seen earlier), so that a word's norm does not
    depend on when spaCy first saw it."""
    from spacy.attrs import NORM

    vocab = nlp.vocab
    base = vocab.lex_attr_getters[NORM]
    getter = WordNorms(base.base if isinstance(base, WordNorms) else base, keys, protected)
    vocab.lex_attr_getters[NORM] = getter
    for lex in vocab:
        norm = getter(lex.orth_)
        if lex.norm_ != norm:
            lex.norm_ = norm


def keep_lexeme_attrs(nlp: Language, names: Iterable[str]) -> None:
    """Compute only NORM and the attributes in ``names`` (e.g. ``LIKE_NUM`` in a Matcher pattern) for new words.

    spaCy fills all 22 attributes of a word type it sees for the first time (shape, prefix, suffix, like_url,
    is_stop, ...) through Python functions and adds every string value to its string store. Scoring reads only
    the text and NORM of a token, plus what Matcher patterns name: a new word (an order number, a name, a typo)
    took about 19 us to tokenize and now takes about 6, and adds 2 strings to the vocabulary instead of up to 6.
    Lexemes made before keep their attributes; the others read as 0 / False. The getters come from the language's
    defaults each time (our NORM getter stays), so a later call can bring back an attribute an earlier one dropped.
    """
    from spacy.attrs import IDS, NORM
    from spacy.lang.lex_attrs import LEX_ATTRS

    vocab = nlp.vocab
    every = {**LEX_ATTRS, **nlp.Defaults.lex_attr_getters, NORM: vocab.lex_attr_getters[NORM]}
    keep = {NORM} | {IDS[n] for n in names if n in IDS}
    vocab.lex_attr_getters = {k: f for k, f in every.items() if k in keep}


#: Longest token spaCy's URL pattern is tried on. The pattern backtracks quadratically ("x:x:x:..." of 5,000
#: characters took 84 ms); 2,048 characters is the practical limit of a URL in browsers, and no text the model
#: was trained on has a token even a tenth as long. A longer token is split like any other word.
URL_MAX_CHARS = 2048


def _short_url_match(match):
    def url_match(string: str):
        return match(string) if len(string) <= URL_MAX_CHARS else None

    return url_match


#: Characters at the end of a token in which a suffix is looked for; see ``_tail_search``.
SUFFIX_WINDOW = 10


def _tail_search(regex: re.Pattern[str]):
    """``regex.search`` for suffix patterns (anchored at ``$``), in time bounded by ``SUFFIX_WINDOW``.

    spaCy strips suffixes one at a time and searches the whole remaining token for each, and ``re.search`` tries
    every start position: a 5,000-character run of "!" took 4 s to tokenize (quadratic). Searching from
    ``len - SUFFIX_WINDOW`` finds the same match, because every suffix pattern is shorter than the window
    except runs of dots ("...."); a match that starts right at the window's edge may be such a run, and only then
    is the whole token searched. ``pos`` keeps lookbehinds and ``^`` seeing the whole token, so results are
    identical to ``regex.search``.
    """
    search = regex.search

    def suffix_search(string: str):
        start = len(string) - SUFFIX_WINDOW
        if start <= 0:
            return search(string)
        m = search(string, start)
        if m is not None and m.start() == start:
            return search(string)
        return m

    return suffix_search


def clean(text: str) -> tuple[str, bool]:
    """Validate and cut to ``MAX_CHARS``; control characters become spaces so offsets stay aligned."""
    if not isinstance(text, str):
        raise TypeError(f"text must be str, not {type(text).__name__}")
    truncated = len(text) > MAX_CHARS
    if truncated:
        text = text[:MAX_CHARS]
    if not text.isprintable():
        text = "".join(c if c.isprintable() or c in "\n\t" else " " for c in text)
        # Lone surrogates (from bad decoding upstream) cannot be encoded by spaCy's string store.
        text = text.encode("utf-8", "replace").decode("utf-8") if _has_surrogate(text) else text
    return text, truncated


def _has_surrogate(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def prepare(nlp: Language, text: str) -> Prepared:
    """Validate, tokenize and drop fillers (keeping offsets). Norms (slang, handles, links, masked swearing, slips
    of key words) are the lexemes' own, set once per word type by ``WordNorms``."""
    cleaned, truncated = clean(text)
    doc = nlp.make_doc(cleaned)
    texts: list[str] = []
    starts: list[int] = []
    norms: list[str] = []
    for t in doc:  # one pass: each Token access allocates a Python object
        texts.append(t.text)
        starts.append(t.idx)
        norms.append(t.norm_)
    if not FILLERS.isdisjoint(norms) or any(map(str.isspace, texts)):
        from spacy.tokens import Doc

        keep = [i for i, (w, t) in enumerate(zip(norms, texts)) if not (w in FILLERS or t.isspace())]
        texts = [texts[i] for i in keep]
        starts = [starts[i] for i in keep]
        norms = [norms[i] for i in keep]
        doc = Doc(doc.vocab, words=texts, spaces=[True] * len(texts))
    ends = [s + len(t) for s, t in zip(starts, texts)]
    return Prepared(cleaned, doc, norms, texts, starts, ends, truncated)


#: Chat spellings first, then contraction parts: one lookup per token.
_NORMS = {**CONTRACTION_NORMS, **SLANG}


#: Masked swearing ("f***", "sh*t", "f**king") stays one token; it gets the norm "<masked>".
_MASKED = re.compile(r"^[a-z]{1,3}\*{1,4}[a-z]{0,5}$")


_ASR_DROP = re.compile(r"https?://\S+|[@#]\w+|&\w+;")
_ASR_PUNCT = re.compile(r"[^\w\s']")


def asr_view(text: str) -> str:
    """What a speech recogniser hands over: no case, punctuation, handles, links or emoji.

    Used to train on both views of each line, so the model does not lean on cues speech never has.
    """
    text = _ASR_PUNCT.sub(" ", _ASR_DROP.sub(" ", text).lower())
    return " ".join(text.split())
