"""Per-utterance latency, load time and memory of escalsignal, beside spaCy's tokenizer alone (same run).

    python benchmarks/latency.py [--n 20000] [--repeats 5]

Pinned to one core. Utterances are the sample archive's turns cut to at most 40 tokens, fed in call order
through one session per call, with the repeat cache off (every utterance is scored in full). Reports medians over repeats; the baseline (spaCy's blank English tokenizer on
the same utterances) is measured in the same run so the ratio is meaningful on a shared, noisy machine.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "examples" / "sample_calls.jsonl"

# Peak RSS is read from VmHWM: ru_maxrss survives exec on Linux and would report the (heavier) parent's peak.
LOAD_CODE = """
import sys, time, json
t0 = time.perf_counter()
{body}
dt = time.perf_counter() - t0
hwm = [l for l in open("/proc/self/status") if l.startswith("VmHWM")][0].split()[1]
print(json.dumps({{"seconds": dt, "peak_rss_mb": int(hwm) / 1024}}))
"""
LOAD_PROJECT = """import escalsignal
det = escalsignal.Detector.load()
for t in {texts!r}: det.session("x").add(t)"""
LOAD_BASELINE = """import spacy
nlp = spacy.blank("en")
for t in {texts!r}: nlp.make_doc(t)"""


def utterances(limit_tokens: int = 40) -> list[tuple[str, str, str]]:
    import spacy

    nlp = spacy.blank("en")
    out = []
    for line in SAMPLE.read_text(encoding="utf-8").splitlines():
        rec = json.loads(line)
        doc = nlp.make_doc(rec["text"])
        text = doc[:limit_tokens].text if len(doc) > limit_tokens else rec["text"]
        out.append((rec["call_id"], rec["speaker"], text))
    return out


def percentiles(samples: list[float]) -> tuple[float, float]:
    s = sorted(samples)
    return s[len(s) // 2] * 1e6, s[min(int(len(s) * 0.99), len(s) - 1)] * 1e6


def run_once(n: int, utts: list[tuple[str, str, str]]) -> dict[str, float]:
    from escalsignal import Detector
    from escalsignal.text import make_nlp

    # The sample archive is cycled, so every utterance after the first pass would be an exact repeat: the repeat
    # cache is off here, and the figures are those of utterances the detector has not seen before.
    det = Detector.load(cache_size=0)
    nlp = make_nlp()
    base, proj = [], []
    sessions: dict[str, object] = {}
    clock = time.perf_counter
    for i in range(n):
        call, speaker, text = utts[i % len(utts)]
        key = f"{call}-{i // len(utts)}"  # a fresh session per pass over the archive
        sess = sessions.get(key) or sessions.setdefault(key, det.session(key))
        t0 = clock()
        nlp.make_doc(text)
        t1 = clock()
        sess.add(text, speaker=speaker)
        t2 = clock()
        base.append(t1 - t0)
        proj.append(t2 - t1)
        if len(sessions) > 64:
            sessions.clear()
    b50, b99 = percentiles(base)
    p50, p99 = percentiles(proj)
    return {"baseline_p50_us": b50, "baseline_p99_us": b99, "add_p50_us": p50, "add_p99_us": p99}


def cold(body: str) -> dict[str, float]:
    out = subprocess.run([sys.executable, "-c", LOAD_CODE.format(body=body)], capture_output=True, text=True,
                         check=True, cwd=ROOT)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=20000, help="utterances per repeat")
    ap.add_argument("--repeats", type=int, default=5)
    a = ap.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
    utts = utterances()
    customer = [u for u in utts if u[1] == "customer"]
    print(f"{len(utts)} utterances ({len(customer)} customer), <= 40 tokens, {a.n} per repeat, {a.repeats} repeats, one core")
    runs = [run_once(a.n, utts) for _ in range(a.repeats)]
    med = {k: statistics.median(r[k] for r in runs) for k in runs[0]}
    texts = [u[2] for u in utts[:50]]
    loads = [cold(LOAD_PROJECT.format(texts=texts)) for _ in range(a.repeats)]
    bases = [cold(LOAD_BASELINE.format(texts=texts)) for _ in range(a.repeats)]
    lp, lb = statistics.median(l["seconds"] for l in loads), statistics.median(l["seconds"] for l in bases)
    mp, mb = statistics.median(l["peak_rss_mb"] for l in loads), statistics.median(l["peak_rss_mb"] for l in bases)
    print(f"{'measure':42s} {'escalsignal':>12s} {'spaCy tokenizer':>16s} {'ratio':>7s}")
    print(f"{'session.add p50 (us)':42s} {med['add_p50_us']:12.1f} {med['baseline_p50_us']:16.1f} {med['add_p50_us'] / med['baseline_p50_us']:7.1f}")
    print(f"{'session.add p99 (us)':42s} {med['add_p99_us']:12.1f} {med['baseline_p99_us']:16.1f} {med['add_p99_us'] / med['baseline_p99_us']:7.1f}")
    print(f"{'import + Detector.load() (s)':42s} {lp:12.3f} {lb:16.3f} {lp / lb:7.1f}")
    print(f"{'peak RSS after load + 50 utterances (MB)':42s} {mp:12.1f} {mb:16.1f} {mp / mb:7.1f}")
    print("goals: p50 <= 100 us, p99 <= 500 us, load <= 1.5 s, peak RSS <= 200 MB")


if __name__ == "__main__":
    main()
