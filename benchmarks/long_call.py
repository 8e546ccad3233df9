"""Memory and latency over one very long call: do they stay flat from 10,000 to 100,000 utterances?

    python benchmarks/long_call.py [--turns 100000] [--every 10000] [--repeats 1]

One session is fed ``--turns`` utterances: the sample archive's turns (customer and agent, in call order, cut to
40 tokens), seven in ten with a fresh order number and reference code appended, as ids, amounts and typos do in
real transcripts (strings spaCy has never seen). Each mode runs in its own process pinned to one core:

* ``escalsignal``: ``Detector.load()`` as shipped (spaCy vocabulary growth capped, then memory zones);
* ``uncapped``: the same with the cap lifted, i.e. how escalsignal behaved before the cap;
* ``tokenizer``: spaCy's blank English tokenizer alone on the same utterances, the baseline of the same run.

At every checkpoint it prints resident memory (VmRSS), peak memory (VmHWM), the strings in spaCy's vocabulary,
the session's serialised state size, and the median per-utterance latency of the block of turns since the last
checkpoint. With ``--repeats`` > 1 every figure is the median over repeats.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "examples" / "sample_calls.jsonl"
MODES = ("escalsignal", "uncapped", "tokenizer")


def status_mb(key: str) -> float:
    for line in open("/proc/self/status"):
        if line.startswith(key):
            return int(line.split()[1]) / 1024
    return float("nan")


def stream(n: int, seed: int = 0):
    """(speaker, text) pairs: the sample archive in call order, repeated, with unseen ids in most of them."""
    import spacy

    nlp = spacy.blank("en")
    base = []
    for line in SAMPLE.read_text(encoding="utf-8").splitlines():
        rec = json.loads(line)
        doc = nlp.make_doc(rec["text"])
        base.append((rec["speaker"], doc[:40].text if len(doc) > 40 else rec["text"]))
    rng = random.Random(seed)
    letters = "abcdefghijklmnopqrstuvwxyz"
    for i in range(n):
        speaker, text = base[i % len(base)]
        if rng.random() < 0.7:
            text = f"{text} order {rng.randrange(10**9)} ref {''.join(rng.choices(letters, k=6))}"
        yield speaker, text


def worker(mode: str, turns: int, every: int) -> None:
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
    from escalsignal import detector as detector_module
    from escalsignal.text import make_nlp

    if mode == "uncapped":
        detector_module.VOCAB_GROWTH_LIMIT = 10**12
    if mode == "tokenizer":
        nlp = make_nlp()
        step = nlp.make_doc
        state_size = lambda: 0  # noqa: E731
    else:
        det = detector_module.Detector.load()
        nlp = det.nlp
        sess = det.session("long-call")
        step = lambda text, speaker: sess.add(text, speaker=speaker)  # noqa: E731
        state_size = lambda: len(json.dumps(sess.to_dict()))  # noqa: E731
    clock = time.perf_counter
    block: list[float] = []
    print(json.dumps({"turn": 0, "rss_mb": status_mb("VmRSS"), "peak_mb": status_mb("VmHWM"),
                      "strings": len(nlp.vocab.strings), "state_bytes": state_size(), "p50_us": None}), flush=True)
    for i, (speaker, text) in enumerate(stream(turns), 1):
        if mode == "tokenizer":
            t0 = clock()
            step(text)
        else:
            t0 = clock()
            step(text, speaker)
        block.append(clock() - t0)
        if i % every == 0:
            print(json.dumps({"turn": i, "rss_mb": status_mb("VmRSS"), "peak_mb": status_mb("VmHWM"),
                              "strings": len(nlp.vocab.strings), "state_bytes": state_size(),
                              "p50_us": statistics.median(block) * 1e6}), flush=True)
            block = []


def run(mode: str, turns: int, every: int) -> list[dict]:
    out = subprocess.run([sys.executable, __file__, "--worker", mode, "--turns", str(turns), "--every", str(every)],
                         capture_output=True, text=True, check=True, cwd=ROOT)
    return [json.loads(line) for line in out.stdout.splitlines() if line.startswith("{")]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--turns", type=int, default=100_000)
    ap.add_argument("--every", type=int, default=10_000)
    ap.add_argument("--repeats", type=int, default=1)
    ap.add_argument("--worker", choices=MODES, help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.worker:
        worker(a.worker, a.turns, a.every)
        return
    results = {}
    for mode in MODES:
        runs = [run(mode, a.turns, a.every) for _ in range(a.repeats)]
        results[mode] = [{k: (statistics.median(r[j][k] for r in runs) if runs[0][j][k] is not None else None)
                          for k in runs[0][j]} for j in range(len(runs[0]))]
    print(f"one session, {a.turns} utterances (70% with unseen ids), one core, {a.repeats} repeat(s); "
          "per checkpoint: RSS / peak MB, spaCy strings, session state bytes, p50 us of the block")
    header = f"{'turn':>7s}"
    for mode in MODES:
        header += f" | {mode:^38s}"
    print(header)
    for j in range(len(results[MODES[0]])):
        row = f"{results[MODES[0]][j]['turn']:7d}"
        for mode in MODES:
            r = results[mode][j]
            p50 = f"{r['p50_us']:6.1f}" if r["p50_us"] is not None else "     -"
            row += f" | {r['rss_mb']:6.1f}/{r['peak_mb']:6.1f} {r['strings']:8d} {r['state_bytes']:7d} {p50}"
        print(row)
    print()
    marks = [r["turn"] for r in results[MODES[0]]]
    first = marks.index(a.every) if a.every in marks else 1
    for mode in MODES:
        rs = results[mode]
        lo, hi = rs[first], rs[-1]
        print(f"{mode:12s} peak {lo['peak_mb']:6.1f} MB at {lo['turn']:>6d} -> {hi['peak_mb']:6.1f} MB at "
              f"{hi['turn']:>6d} ({hi['peak_mb'] - lo['peak_mb']:+.1f} MB); strings {lo['strings']} -> {hi['strings']};"
              f" p50 {lo['p50_us']:.1f} -> {hi['p50_us']:.1f} us ({(hi['p50_us'] / lo['p50_us'] - 1) * 100:+.0f}%)")


if __name__ == "__main__":
    main()
