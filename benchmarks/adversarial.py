"""Adversarial input: does scoring time stay linear in the text length, up to 1 MB of repeated characters?

    python benchmarks/adversarial.py [--repeats 5] [--quick]

1. ``Detector.score_text`` on runs of one repeated unit (punctuation, emoji, quotes, cue words, fillers, ...) of
   1,250, 2,500 and 5,000 characters (scoring stops at ``text.MAX_CHARS`` = 5,000) and of 1,000,000 characters.
   Every call gets a fresh text (a counter in front), so spaCy's tokenizer cache never hides the first-time cost.
   ``x4`` is time(5,000) / time(1,250): about 4 when linear, 16 when quadratic. The baseline of the same run is
   ordinary text of the same length (sample-archive turns joined).
2. The regular expressions escalsignal runs itself (suffix search, URL, masked swearing, ASR view) on 250,000,
   500,000 and 1,000,000 characters, uncut: ``x4`` again compares the largest size with the smallest.
3. For comparison, spaCy's own suffix search (searching the whole token each time, as before
   ``text._tail_search``) tokenizing runs of 625 and 1,250 characters.

Pinned to one core; every figure is the median over ``--repeats``.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "examples" / "sample_calls.jsonl"

UNITS = {
    "!": "!", "'": "'", "(": "(", "*": "*", "?!(*": "?!(*", "'s": "'s", "...": "...", "-": "-", "a-": "a-",
    "emoji": "😡", "emoji+ZWJ": "👨\u200d👩\u200d👧", "RTL": "\u202eأريد", "combining": "e\u0301", "NUL": "\x00",
    "surrogate": "\ud800", "letters": "a", "digits": "1", "1.": "1.", "url": "http://x.co/", "url-ish x:": "x:", "@handle": "@a",
    "f***": "f***", "dont ": "dont ", "um ": "um ", "manager ": "manager ", "I don't need a ": "I don't need a ",
    "if ": "if ", "called again ": "called again ", "soooo": "o",
}
SIZES = (1250, 2500, 5000)
BIG = 1_000_000


def timed(fn, arg) -> float:
    t0 = time.perf_counter()
    fn(arg)
    return time.perf_counter() - t0


def make(unit: str, n: int, k: int) -> str:
    head = f"{k}"
    return head + (unit * ((n - len(head)) // len(unit) + 1))[: n - len(head)]


def ordinary(n: int) -> str:
    texts = [json.loads(line)["text"] for line in SAMPLE.read_text(encoding="utf-8").splitlines()]
    out = " ".join(texts)
    while len(out) < n:
        out += " " + out
    return out[:n]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--quick", action="store_true", help="fewer units, for a smoke run")
    a = ap.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
    from spacy.util import compile_suffix_regex

    from escalsignal import Detector
    from escalsignal.text import _CONTRACTION, _MASKED, _URL, asr_view, make_nlp

    det = Detector.load()
    counter = iter(range(10**9))
    units = dict(list(UNITS.items())[:6]) if a.quick else UNITS

    def score_ms(text_for) -> float:
        return statistics.median(timed(det.score_text, text_for(next(counter))) for _ in range(a.repeats)) * 1e3

    print(f"1. Detector.score_text, ms (median of {a.repeats}, fresh text each call, one core)")
    print(f"{'input':24s} {'1,250':>8s} {'2,500':>8s} {'5,000':>8s} {'x4':>5s} {'1 MB':>8s}")
    rows = {"ordinary text (baseline)": [score_ms(lambda k, n=n: f"{k} " + ordinary(n)) for n in SIZES]
            + [score_ms(lambda k: f"{k} " + ordinary(BIG))]}
    for name, unit in units.items():
        rows[name] = [score_ms(lambda k, n=n, u=unit: make(u, n, k)) for n in SIZES] + \
                     [score_ms(lambda k, u=unit: make(u, BIG, k))]
    worst = max(rows, key=lambda r: rows[r][2])
    for name, r in rows.items():
        print(f"{name:24.24s} {r[0]:8.2f} {r[1]:8.2f} {r[2]:8.2f} {r[2] / r[0]:5.1f} {r[3]:8.2f}")
    base = rows["ordinary text (baseline)"][2]
    print(f"slowest at 5,000 characters: {worst!r}, {rows[worst][2]:.1f} ms = {rows[worst][2] / base:.0f}x ordinary text;"
          f" largest x4: {max(r[2] / r[0] for r in rows.values()):.1f}")

    print(f"\n2. escalsignal's own regular expressions on uncut text, ms (median of {a.repeats})")
    nlp = make_nlp()
    suffix = nlp.tokenizer.suffix_search
    checks = {
        "suffix search, '!' run": (suffix, "!"),
        "suffix search, '.' run": (suffix, "."),
        "suffix search, 'a' run": (suffix, "a"),
        "URL match, 'http://' run": (_URL.match, "http://"),
        "masked match, '*' run": (_MASKED.match, "f*"),
        "ASR view, '&a' run": (asr_view, "&a"),
        "ASR view, '@' run": (asr_view, "@"),
        "ASR view, emoji run": (asr_view, "😡"),
    }
    print(f"{'regex':28s} {'250 k':>8s} {'500 k':>8s} {'1 M':>8s} {'x4':>5s}")
    for name, (fn, unit) in checks.items():
        r = [statistics.median(timed(fn, (unit * (n // len(unit) + 1))[:n]) for _ in range(a.repeats)) * 1e3
             for n in (250_000, 500_000, 1_000_000)]
        print(f"{name:28s} {r[0]:8.2f} {r[1]:8.2f} {r[2]:8.2f} {r[2] / r[0]:5.1f}")

    print("\n3. tokenizing one run with spaCy's own suffix search (before) and the bounded one (now), ms")
    before = make_nlp()
    before.tokenizer.suffix_search = compile_suffix_regex(list(before.Defaults.suffixes) + [_CONTRACTION]).search
    print(f"{'run':10s} {'before 625':>11s} {'before 1,250':>13s} {'now 625':>9s} {'now 1,250':>10s} {'now 5,000':>10s}")
    for unit in ("!", "'", "emoji"):
        u = UNITS.get(unit, unit)
        t = [statistics.median(timed(nlp_.make_doc, make(u, n, next(counter))) for _ in range(max(1, a.repeats // 2)))
             * 1e3 for nlp_, n in ((before, 625), (before, 1250), (nlp, 625), (nlp, 1250), (nlp, 5000))]
        print(f"{unit:10s} {t[0]:11.1f} {t[1]:13.1f} {t[2]:9.1f} {t[3]:10.1f} {t[4]:10.1f}")


if __name__ == "__main__":
    main()
