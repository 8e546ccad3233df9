"""One Detector shared by many threads, and calls moved between processes, give exactly the serial results."""
from __future__ import annotations

import json
import queue
import random
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from escalsignal import detector as detector_module

ROOT = Path(__file__).resolve().parent.parent
N_SESSIONS, N_THREADS = 1000, 8
SUBSET = 400  # sessions for the variants below (memory zones, rebuilds), which are slower


def sample_calls() -> list[list[tuple[str, str]]]:
    calls: dict[str, list[tuple[str, str]]] = {}
    for line in (ROOT / "examples" / "sample_calls.jsonl").read_text(encoding="utf-8").splitlines():
        rec = json.loads(line)
        calls.setdefault(rec["call_id"], []).append((rec["speaker"], rec["text"]))
    return list(calls.values())


def make_sessions(n: int = N_SESSIONS) -> list[dict]:
    """``n`` calls built from the sample archive; ids, order numbers and typos make most of them unique text."""
    rng = random.Random(6)
    base = sample_calls()
    out = []
    for i in range(n):
        turns = []
        for speaker, text in base[i % len(base)][: rng.randint(3, 9)]:
            r = rng.random()
            if r < 0.3:
                text += f" order {rng.randrange(10**8)} ref {''.join(rng.choices('abcdefghijklmnopqrstuvwxyz', k=6))}"
            elif r < 0.4:
                text = text.upper()
            turns.append((speaker, text))
        meta = {"customer_tier": "vip"} if i % 17 == 0 else {"hold_seconds": rng.choice([0, 300, 950])}
        out.append({"call_id": f"call-{i}", "metadata": meta, "turns": turns})
    return out


def run_call(det, call: dict) -> list[dict]:
    sess = det.session(call["call_id"], metadata=call["metadata"])
    out = [sess.add(text, speaker=speaker, timestamp=float(k)).to_dict() for k, (speaker, text) in
           enumerate(call["turns"])]
    return out + [sess.summary().to_dict()]


def run_threaded(det, calls: list[dict], n_threads: int = N_THREADS) -> list[list[dict]]:
    """Each worker holds four live calls at a time and feeds their turns round-robin, as a server would."""
    work: queue.Queue[int] = queue.Queue()
    for i in range(len(calls)):
        work.put(i)
    results: list[list[dict] | None] = [None] * len(calls)
    errors: list[BaseException] = []
    start = threading.Barrier(n_threads)

    def worker() -> None:
        try:
            start.wait()
            while True:
                batch = []
                for _ in range(4):
                    try:
                        batch.append(work.get_nowait())
                    except queue.Empty:
                        break
                if not batch:
                    return
                live = {i: (det.session(calls[i]["call_id"], metadata=calls[i]["metadata"]), []) for i in batch}
                for k in range(max(len(calls[i]["turns"]) for i in batch)):
                    for i, (sess, recs) in live.items():
                        if k < len(calls[i]["turns"]):
                            speaker, text = calls[i]["turns"][k]
                            recs.append(sess.add(text, speaker=speaker, timestamp=float(k)).to_dict())
                for i, (sess, recs) in live.items():
                    results[i] = recs + [sess.summary().to_dict()]
        except BaseException as exc:  # noqa: BLE001 - reported by the test
            errors.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(n_threads)]
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-5)  # switch threads every few bytecodes, so that unsafe sharing shows up as errors
    try:
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    finally:
        sys.setswitchinterval(interval)
    assert not errors, errors[0]
    return results  # type: ignore[return-value]


@pytest.fixture(scope="module")
def calls():
    return make_sessions()


@pytest.fixture(scope="module")
def serial(det, calls):
    return [run_call(det, c) for c in calls]


def fresh_detector(det, growth: int):
    """A detector with its own spaCy vocabulary whose memory zones start after ``growth`` new strings."""
    from escalsignal.rules import RuleEngine
    from escalsignal.text import make_nlp

    nlp = make_nlp()
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(detector_module, "VOCAB_GROWTH_LIMIT", growth)
        return detector_module.Detector(nlp, RuleEngine(nlp), det.model, det.matrix, det.manifest, cache_size=0)


@pytest.mark.parametrize("cache_size", [0, detector_module.DEFAULT_CACHE_SIZE], ids=["uncached", "repeat-cache"])
def test_eight_threads_scoring_1000_sessions_give_the_serial_results(calls, serial, cache_size):
    d = detector_module.Detector.load(cache_size=cache_size)
    assert run_threaded(d, calls) == serial


@pytest.mark.parametrize("growth", [0, 300], ids=["always-in-memory-zones", "crossing-into-memory-zones"])
def test_threads_give_the_serial_results_while_vocabulary_growth_is_capped(det, calls, serial, growth):
    d = fresh_detector(det, growth)
    start = len(d.nlp.vocab.strings)
    assert run_threaded(d, calls[:SUBSET]) == serial[:SUBSET]
    # About 1,000 new order numbers and references went by; at most ``growth`` new strings stayed.
    assert len(d.nlp.vocab.strings) <= start + growth + 50


def test_threads_give_the_serial_results_while_the_vocabulary_is_rebuilt(det, calls, serial):
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(detector_module, "VOCAB_GROWTH_LIMIT", 0)
        mp.setattr(detector_module, "RECYCLE_AFTER", 900)  # ~2,400 utterances: rebuilt twice
        d = detector_module.Detector.load(cache_size=0)  # every utterance goes through spaCy
        first = d.nlp
        assert run_threaded(d, calls[:SUBSET]) == serial[:SUBSET]
    assert d.nlp is not first and d._recycler is not None and not d._recycler.busy


RESUME_CODE = """
import json, sys
from escalsignal import Detector
det = Detector.load()
jobs = json.load(sys.stdin)
out = []
for job in jobs:
    sess = det.resume(job["state"])
    recs = [sess.add(t, speaker=s, timestamp=float(k)).to_dict() for k, (s, t) in job["rest"]]
    out.append(recs + [sess.summary().to_dict()])
json.dump(out, sys.stdout)
"""


def test_sessions_resumed_in_another_process_give_identical_results(det, calls, serial):
    picked = calls[:: len(calls) // 60][:60]
    jobs, expected = [], []
    for n, call in enumerate(picked):
        cut = n % (len(call["turns"]) + 1)  # anywhere from before the first turn to after the last
        sess = det.session(call["call_id"], metadata=call["metadata"])
        head = [sess.add(t, speaker=s, timestamp=float(k)).to_dict() for k, (s, t) in enumerate(call["turns"][:cut])]
        rest = [(k, turn) for k, turn in enumerate(call["turns"]) if k >= cut]
        jobs.append({"state": sess.to_dict(), "rest": rest})
        expected.append((head, run_call(det, call)))
    done = subprocess.run([sys.executable, "-c", RESUME_CODE], input=json.dumps(jobs), capture_output=True, text=True,
                          cwd=ROOT, check=True)
    got = json.loads(done.stdout)
    for (head, whole), tail in zip(expected, got):
        assert json.loads(json.dumps(head + tail)) == json.loads(json.dumps(whole))


def test_a_state_resumed_twice_gives_two_independent_calls(det):
    sess = det.session("twice")
    sess.add("I've called three times about this")
    state = sess.to_dict()
    a, b = det.resume(state), det.resume(state)
    a.add("this is ridiculous, get me a manager now")
    assert b.to_dict() == state
    assert b.add("ok thanks").to_dict() == det.resume(state).add("ok thanks").to_dict()
