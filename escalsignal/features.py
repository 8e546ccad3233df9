"""Rule matches + tokens -> a sparse feature dict. The one feature path for training and for scoring.

Features are named strings so that every model term can be explained: ``w=`` unigram, ``b=`` bigram,
``r=`` an active rule, ``x=`` a suppressed rule (by signal and scope), ``sig=`` summed rule weight per signal,
``tag=`` rule tags (profanity, intensifier, ...), and intensity cues a transcript may or may not carry
(caps, "!!", elongated words). N-grams use normalised tokens (lower case, digits and number words as ``<num>``,
fillers dropped), so chat and speech views of the same words share features. Words inside a suppressed match are
marked: ``-`` for a declined want ("don't need a -manager"), ``~`` for any other scope ("my wife said she wanted a
~manager").
"""
from __future__ import annotations

import re
import string

from .rules import RuleMatch
from .text import Prepared, prepare
from .types import SIGNALS

NUMBER_WORDS = frozenset(
    "two three four five six seven eight nine ten eleven twelve fifteen twenty thirty forty fifty hundred".split()
)
ORDINALS = frozenset("third fourth fifth sixth seventh eighth ninth tenth".split())
_PUNCT = frozenset(string.punctuation + "“”‘’…–—")
#: Function words get no unigram feature (they still make bigrams: "can_i", "speak_to", "not_working").
#: Alone they only measured how our written lines of each kind are phrased: "and", "please", "your" and "can" each
#: weighed about +1 log-odds for some signal, so long or polite real turns scored high for no reason.
FUNCTION_WORDS = frozenset(
    "a an the and or but so to of in on at for with from by as is are am was were be been being it its this that "
    "these those there here i me my mine we us our you your yours u ur he him his she her they them their do does "
    "did have has had will would can could shall should may might must please just also then than too very".split()
)
_CAP_RULE_SUM = 6.0


def _token_norm(norm: str, starts_with_digit: bool) -> str:
    if norm in ORDINALS:
        return "<ord>"
    if starts_with_digit:
        return "<ord>" if norm[-2:] in ("st", "nd", "rd", "th") and norm[:-2].isdigit() else "<num>"
    if norm in NUMBER_WORDS:
        return "<num>"
    return norm


def extract(prep: Prepared, matches: list[RuleMatch]) -> dict[str, float]:
    """Feature dict for one (customer) utterance."""
    feats: dict[str, float] = {}
    words: list[str] = []
    n_alpha = n_caps = n_elong = 0
    maybe_elongated = _TRIPLE.search(prep.text) is not None  # one C scan; most utterances have no "sooo"
    # Tokens inside a suppressed match (negated, hypothetical, reported, over) are marked, as in NegEx-style
    # "NOT_" features: "I don't want to talk to a supervisor" must not vote with the words of a real request.
    # A declined want ("I don't need a supervisor") marks its words "-", not "~": other suppressed words are often
    # part of a real request ("still no supervisor after two hours"), so the two must not share weights. A word
    # inside both kinds of match is declined.
    muted: dict[int, str] = {}
    for m in matches:
        if m.status != "active" and m.pattern.weight > 0:
            mark = "-" if m.status == "declined" else "~"
            for i in range(m.start, m.end):
                if muted.get(i) != "-":
                    muted[i] = mark
    if muted:
        for m in matches:
            if m.status == "active" and m.pattern.weight > 0 and m.pattern.signal in SIGNALS:
                for i in range(m.start, m.end):
                    muted.pop(i, None)
    for i, (text, norm) in enumerate(zip(prep.texts, prep.norms)):
        if text.isalpha():
            if len(text) >= 2:
                n_alpha += 1
                if text.isupper():
                    n_caps += 1
            if maybe_elongated and len(text) >= 4 and _has_run(norm, 3):
                n_elong += 1
        elif _PUNCT.issuperset(text):
            continue
        w = _token_norm(norm, text[:1].isdigit())
        words.append(muted[i] + w if i in muted else w)
    prev = "<s>"
    for w in words:
        if w not in FUNCTION_WORDS:
            feats["w=" + w] = 1.0
        feats["b=" + prev + "_" + w] = 1.0
        prev = w
    if words:
        feats["b=" + prev + "_</s>"] = 1.0
    # No feature for the utterance's length: fitted on our corpus it learned how long our written lines of each
    # kind are (a -2.3 log-odds penalty on 4-8 word lines for repeat contact), which says nothing about real turns.

    text = prep.text
    if n_alpha >= 2 and n_caps:
        feats["caps_ratio"] = n_caps / n_alpha
        if n_caps >= 2 and n_caps / n_alpha >= 0.5:
            feats["shouting"] = 1.0
    n_excl = text.count("!")
    if n_excl:
        feats["exclaim"] = min(n_excl, 5) / 5.0
        if "!!" in text:
            feats["exclaim_run"] = 1.0
    if "?!" in text or "!?" in text or "??" in text:
        feats["interrobang"] = 1.0
    if n_elong:
        feats["elongated"] = 1.0

    sums: dict[str, float] = {}
    for m in matches:
        pat = m.pattern
        if m.status == "active":
            feats["r=" + pat.id] = 1.0
            sums[pat.signal] = sums.get(pat.signal, 0.0) + pat.weight
            for tag in pat.tags:
                feats["tag=" + tag] = feats.get("tag=" + tag, 0.0) + 1.0
        else:
            key = "x=" + pat.signal + ":" + m.status
            feats[key] = 1.0
    for sig, total in sums.items():
        if sig in SIGNALS:
            feats["sig=" + sig] = max(-_CAP_RULE_SUM, min(total, _CAP_RULE_SUM)) / _CAP_RULE_SUM
    return feats


_TRIPLE = re.compile(r"(.)\1\1", re.IGNORECASE | re.DOTALL)


def _has_run(s: str, n: int) -> bool:
    run, last = 0, ""
    for c in s:
        run = run + 1 if c == last else 1
        if run >= n:
            return True
        last = c
    return False


#: Name prefixes of word and bigram features (the ones a length-normalised signal scales; see ``model.py``).
NGRAM_PREFIXES = ("w=", "b=")


def is_ngram(name: str) -> bool:
    return name[:2] in NGRAM_PREFIXES


#: Word and bigram features of a length-normalised signal are divided by their number to this power. 0.5 would
#: be the L2 norm, which over-corrects as in document retrieval (Singhal et al., "pivoted document length
#: normalization", 1996): a long angry turn has more angry words, not just more words. Measured for frustration
#: on our held-out lines and the public dev sets: 0.5 raised support- and complaint-tweet AUC by 0.013-0.014 but
#: cost 0.05 F1 on our held-out lines; 0.25 keeps most of the gain (complaint tweets 0.799 -> 0.812) for 0.007.
LENGTH_NORM_POWER = 0.25


def ngram_scale(feats: dict[str, float]) -> float:
    """(number of word and bigram features) ** -LENGTH_NORM_POWER, counted before any is dropped as unknown to a
    model, so that training and serving scale a text alike."""
    n = sum(1 for name in feats if is_ngram(name))
    return n ** -LENGTH_NORM_POWER if n > 1 else 1.0


def analyze(nlp, rules, text: str, customer: bool = True) -> tuple[Prepared, list[RuleMatch], dict[str, float]]:
    """text -> (prepared doc, rule matches, features): the single path used by training and by ``score_text``.

    An agent turn (``customer=False``) carries no signal: it gets only the info kinds' matches and no features."""
    prep = prepare(nlp, text)
    if not prep.doc:
        return prep, [], {}
    matches = rules.match(prep, info_only=not customer)
    return prep, matches, (extract(prep, matches) if customer else {})
