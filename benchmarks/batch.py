"""Batch scoring throughput and memory: ``escalsignal score`` over a synthetic archive, 1 and 2 jobs, two sizes.

    python benchmarks/batch.py [--calls 20000] [--small 5000] [--repeats 3] [--jobs 1 2] [--keep DIR]

The archive is built from the team's written calls (``data/calls``) and the sample archive: each synthetic call
takes the turns of one or two written calls (12 to 28 utterances, about 20 on average), gets a fresh call_id and
timestamps, and has every digit run replaced by random digits (account and order numbers differ from call to
call, as in real archives). One utterance per line, calls contiguous.

Measured, all through the real CLI in a subprocess (``--no-progress``, output to a file):
* throughput: utterances per second as the CLI reports it (model already loaded; workers' start included), median
  of ``--repeats`` runs on the small archive for each job count, and one run on the large archive;
* peak memory: the largest sum of PSS over the CLI process and its workers (sampled every 0.1 s; PSS splits the
  pages that forked workers share with the parent), and the largest single-process peak RSS (VmHWM);
* the ceiling: ``Session.add`` alone over the same utterances in this process, one core, no I/O;
* the reference for 2 cores: two independent 1-job CLIs at once, one per half of the small archive. They share
  nothing, so their combined rate is what this machine gives two scoring processes with separate caches: the
  bound for ``--jobs 2`` (whose two scoring processes also fill separate caches) short of sharing a cache;
* the repeat cache: how many utterances were exact repeats it held, and 1 job with ``--cache-size 0``. The
  archive reuses a few thousand written texts, so it repeats more than a real archive may: read the cached and
  uncached figures as the two ends of a range.

Memory note: past 20,000 new token strings the Detector scores inside spaCy memory zones, and every 200,000 such
utterances it rebuilds its spaCy pipeline (``detector.RECYCLE_AFTER``); while the new pipeline is built the old
one is still alive, so the peak steps up once (by about 30 MB) near 350,000 utterances per process and stays
there. ``--more 40000`` adds a larger archive to show the plateau.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
_DIGITS = re.compile(r"\d+")


def template_calls() -> list[list[tuple[str, str]]]:
    calls: list[list[tuple[str, str]]] = []
    for path in sorted((ROOT / "data" / "calls").glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            rec = json.loads(line)
            turns = [(t["speaker"], t["text"]) for t in rec["turns"] if isinstance(t.get("text"), str)]
            if turns:
                calls.append(turns)
    sample: dict[str, list[tuple[str, str]]] = {}
    for line in (ROOT / "examples" / "sample_calls.jsonl").read_text(encoding="utf-8").splitlines():
        rec = json.loads(line)
        sample.setdefault(rec["call_id"], []).append((rec["speaker"], rec["text"]))
    return calls + list(sample.values())


def build_archive(path: Path, n_calls: int, seed: int = 7) -> int:
    """Write ``n_calls`` synthetic calls, one utterance per line; returns the number of utterances."""
    rnd = random.Random(seed)
    calls = template_calls()
    n = 0
    with open(path, "w", encoding="utf-8") as f:
        for i in range(n_calls):
            want = rnd.randint(12, 28)
            turns: list[tuple[str, str]] = []
            while len(turns) < want:
                turns += rnd.choice(calls)
            ts = 0.0
            cid = f"c{i:07d}"
            for k, (speaker, text) in enumerate(turns[:want]):
                text = _DIGITS.sub(lambda m: "".join(rnd.choice("0123456789") for _ in m.group()), text)
                ts += rnd.uniform(2.0, 15.0)
                f.write(json.dumps({"call_id": cid, "turn": k, "speaker": speaker, "text": text,
                                    "timestamp": round(ts, 1)}) + "\n")
                n += 1
    return n


def _pids(root: int) -> list[int]:
    out, todo = [], [root]
    while todo:
        pid = todo.pop()
        out.append(pid)
        try:
            for task in os.listdir(f"/proc/{pid}/task"):
                with open(f"/proc/{pid}/task/{task}/children") as f:
                    todo += [int(c) for c in f.read().split()]
        except OSError:
            pass
    return out


def _field(path: str, key: str) -> int:
    try:
        with open(path) as f:
            for line in f:
                if line.startswith(key):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def run_cli(archive: Path, out: Path, jobs: int, cache: bool = True) -> dict[str, float]:
    """One CLI run, sampling memory of the process tree; returns rate, wall time and peaks (MB)."""
    cmd = [sys.executable, "-m", "escalsignal", "score", str(archive), "-o", str(out), "--jobs", str(jobs),
           "--no-progress", *([] if cache else ["--cache-size", "0"])]
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stderr=subprocess.PIPE, text=True, cwd=ROOT)
    peak_pss = 0
    hwm: dict[int, int] = {}
    done = threading.Event()

    def sample() -> None:
        nonlocal peak_pss
        while not done.is_set():
            pids = _pids(proc.pid)
            peak_pss = max(peak_pss, sum(_field(f"/proc/{p}/smaps_rollup", "Pss:") for p in pids))
            for p in pids:
                hwm[p] = max(hwm.get(p, 0), _field(f"/proc/{p}/status", "VmHWM:"))
            done.wait(0.1)

    th = threading.Thread(target=sample, daemon=True)
    th.start()
    _, err = proc.communicate()
    wall = time.perf_counter() - t0
    done.set()
    th.join()
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed:\n{err}")
    m = re.search(r"read (\d+) utterances .*\(([\d.]+) s, ([\d,]+) utterances/s\)", err)
    if not m:
        raise RuntimeError(f"unexpected CLI output:\n{err}")
    return {"utterances": int(m.group(1)), "seconds": float(m.group(2)), "rate": float(m.group(3).replace(",", "")),
            "wall": wall, "peak_pss_mb": peak_pss / 1024, "peak_rss_mb": max(hwm.values() or [0]) / 1024}


def split_halves(archive: Path, first: Path, second: Path) -> None:
    """Cut the archive in two at the call boundary nearest its middle line (calls are contiguous)."""
    lines = archive.read_bytes().splitlines(keepends=True)
    calls = [json.loads(line)["call_id"] for line in lines]
    cut = len(lines) // 2
    while 0 < cut < len(lines) and calls[cut] == calls[cut - 1]:
        cut += 1
    first.write_bytes(b"".join(lines[:cut]))
    second.write_bytes(b"".join(lines[cut:]))


def independent_pair(first: Path, second: Path, out: Path) -> float:
    """Two 1-job CLIs at once, one per half: what two cores give to two processes that share nothing (each fills
    its own repeat cache and loads its own model, as each of ``--jobs 2``'s workers does). The combined rate is
    all utterances over the slower process's scoring time."""
    from concurrent.futures import ThreadPoolExecutor

    outs = (out.with_suffix(".1"), out.with_suffix(".2"))
    with ThreadPoolExecutor(2) as pool:  # a failed run raises here, with the CLI's own message
        runs = list(pool.map(lambda half, o: run_cli(half, o, 1), (first, second), outs))
    for o in outs:
        o.unlink(missing_ok=True)
    return sum(r["utterances"] for r in runs) / max(r["seconds"] for r in runs)


def ceiling(archive: Path, n: int, cache_size: int | None = None) -> tuple[float, dict[str, int]]:
    """Session.add alone over the first ``n`` utterances, one session per call, in this process; with the
    Detector's repeat cache info (hits and misses) of that run. The garbage collector is tuned as the CLI tunes its
    scoring processes (``tune_gc_for_batch``): untuned, the rate moved by 6% with when full collections happened to
    fall (298 more pattern phrases did that), while the CLI's did not move."""
    import gc

    from escalsignal import Detector
    from escalsignal.batch import tune_gc_for_batch

    det = Detector.load() if cache_size is None else Detector.load(cache_size=cache_size)
    threshold = gc.get_threshold()
    tune_gc_for_batch()
    rows = []
    with open(archive, encoding="utf-8") as f:
        for line in f:
            rows.append(json.loads(line))
            if len(rows) >= n:
                break
    sessions: dict[str, object] = {}
    t0 = time.perf_counter()
    for r in rows:
        s = sessions.get(r["call_id"])
        if s is None:
            sessions.clear()
            s = sessions[r["call_id"]] = det.session(r["call_id"])
        s.add(r["text"], speaker=r["speaker"], timestamp=r["timestamp"])  # type: ignore[attr-defined]
    rate = len(rows) / (time.perf_counter() - t0)
    gc.unfreeze()
    gc.set_threshold(*threshold)
    return rate, det.cache_info()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--calls", type=int, default=20000, help="calls in the large archive")
    ap.add_argument("--small", type=int, default=5000, help="calls in the small archive (throughput repeats)")
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--more", type=int, nargs="*", default=[],
                    help="further archive sizes (calls) for the memory table, one run per job count")
    ap.add_argument("--keep", help="directory for the archives and outputs (default: a temporary one)")
    a = ap.parse_args()
    tmp = Path(a.keep) if a.keep else Path(tempfile.mkdtemp(prefix="escalsignal-bench-"))
    tmp.mkdir(parents=True, exist_ok=True)
    small, large = tmp / f"archive-{a.small}.jsonl", tmp / f"archive-{a.calls}.jsonl"
    n_small = build_archive(small, a.small)
    n_large = build_archive(large, a.calls)
    print(f"archives: {a.small:,} calls / {n_small:,} utterances ({small.stat().st_size / 2**20:.0f} MB) and "
          f"{a.calls:,} calls / {n_large:,} utterances ({large.stat().st_size / 2**20:.0f} MB); "
          f"{os.cpu_count()} cores")
    rate, info = ceiling(small, 20000)
    rate_off, _ = ceiling(small, 20000, cache_size=0)
    hit = info["hits"] / max(info["hits"] + info["misses"], 1)
    print(f"ceiling, Session.add alone, one core: {rate:,.0f} utterances/s with the repeat cache "
          f"({hit:.0%} of utterances were exact repeats it held), {rate_off:,.0f} without it")
    med: dict[int, float] = {}
    print(f"{'archive':>10s} {'jobs':>4s} {'utt/s (median)':>15s} {'runs':>30s} {'peak PSS MB':>12s} {'peak RSS MB':>12s}")
    print(f"load average before: {os.getloadavg()[0]:.2f} (other processes on the machine skew the figures)")
    all_runs: dict[int, list[dict[str, float]]] = {j: [] for j in a.jobs}
    uncached: list[dict[str, float]] = []
    halves = (tmp / "half-1.jsonl", tmp / "half-2.jsonl")
    split_halves(small, *halves)
    pair: list[float] = []
    for _ in range(a.repeats):  # interleaved, so that a busy spell on the machine hits every job count alike
        for jobs in a.jobs:
            all_runs[jobs].append(run_cli(small, tmp / "out.jsonl", jobs))
        uncached.append(run_cli(small, tmp / "out.jsonl", 1, cache=False))
        pair.append(independent_pair(*halves, tmp / "out.jsonl"))
    for jobs in a.jobs:
        runs = all_runs[jobs]
        med[jobs] = statistics.median(r["rate"] for r in runs)
        print(f"{a.small:>10,} {jobs:>4d} {med[jobs]:>15,.0f} {', '.join(format(r['rate'], ',.0f') for r in runs):>30s} "
              f"{max(r['peak_pss_mb'] for r in runs):>12.0f} {max(r['peak_rss_mb'] for r in runs):>12.0f}")
    print(f"{a.small:>10,} {'1, --cache-size 0':>4s} {statistics.median(r['rate'] for r in uncached):>10,.0f} "
          f"{', '.join(format(r['rate'], ',.0f') for r in uncached):>30s}")
    for jobs in a.jobs:
        r = run_cli(large, tmp / "out.jsonl", jobs)
        print(f"{a.calls:>10,} {jobs:>4d} {r['rate']:>15,.0f} {'(one run)':>30s} {r['peak_pss_mb']:>12.0f} "
              f"{r['peak_rss_mb']:>12.0f}")
    for calls in a.more:
        path = tmp / f"archive-{calls}.jsonl"
        n_more = build_archive(path, calls) if not path.exists() else sum(1 for _ in open(path, "rb"))
        print(f"({calls:,} calls: {n_more:,} utterances)")
        for jobs in a.jobs:
            r = run_cli(path, tmp / "out.jsonl", jobs)
            print(f"{calls:>10,} {jobs:>4d} {r['rate']:>15,.0f} {'(one run)':>30s} {r['peak_pss_mb']:>12.0f} "
                  f"{r['peak_rss_mb']:>12.0f}")
    ref = statistics.median(pair)
    print(f"reference: two independent 1-job processes, one per half of the small archive, at once: {ref:,.0f} "
          f"utterances/s combined ({', '.join(format(r, ',.0f') for r in pair)})")
    if 1 in med and 2 in med:
        print(f"2 jobs / 1 job: {med[2] / med[1]:.2f}x; 2 jobs / the independent pair: {med[2] / ref:.2f} "
              f"(median rates on the small archive)")
    print(f"load average after: {os.getloadavg()[0]:.2f}")
    print("goals: >= 20,000 utterances/s per core, near-linear to 2 cores, peak memory flat in archive size")
    (tmp / "out.jsonl").unlink(missing_ok=True)


if __name__ == "__main__":
    main()
