"""Archives: every input record yields an output or an error record; results equal a live session's."""
import json
import subprocess
import sys
from pathlib import Path

from escalsignal.batch import Counts, score_lines

EXAMPLES = Path(__file__).resolve().parent.parent / "examples" / "sample_calls.jsonl"


def test_batch_results_equal_a_live_session(det):
    turns = [("customer", "my parcel never came"), ("agent", "sorry about that"),
             ("customer", "I've emailed you three times already"), ("customer", "get me a manager")]
    lines = [json.dumps({"call_id": "p", "speaker": s, "text": t, "timestamp": float(i)}) for i, (s, t) in enumerate(turns)]
    batch = list(score_lines(det, lines))
    sess = det.session("p")
    live = [sess.add(t, speaker=s, timestamp=float(i)) for i, (s, t) in enumerate(turns)]
    assert [(b["escalate"], b["score"], b["route"]) for b in batch] == [(r.escalate, r.score, r.route) for r in live]


def test_call_per_line_format(det):
    line = json.dumps({"call_id": "q", "turns": [{"speaker": "customer", "text": "hi"}, {"speaker": "agent", "text": "hello"}]})
    out = list(score_lines(det, [line]))
    assert [o["turn"] for o in out] == [0, 1] and all(o["call_id"] == "q" for o in out)


def test_nothing_is_lost_broken_lines_become_error_records(det):
    lines = [
        json.dumps({"call_id": "a", "speaker": "customer", "text": "hello"}),
        "{not json",
        b"\xff\xfe broken utf8",
        json.dumps({"call_id": "a", "speaker": "customer"}),
        json.dumps({"call_id": "a", "speaker": "robot", "text": "hi"}),
        json.dumps({"call_id": "a", "speaker": "customer", "text": 5}),
        json.dumps({"speaker": "customer", "text": "no call"}),
        json.dumps(["a", "list"]),
        json.dumps({"call_id": "b", "turns": [{"speaker": "customer", "text": "ok"}, {"text": None}]}),
        "",
        json.dumps({"call_id": "a", "speaker": "customer", "text": "get me a manager", "timestamp": "late"}),
    ]
    counts = Counts()
    out = list(score_lines(det, lines, counts))
    errors = [o for o in out if "error" in o]
    assert counts.read == counts.scored + counts.rejected == len(out) == 11
    assert counts.scored == 2 and counts.rejected == 9
    assert [e["line"] for e in errors] == [2, 3, 4, 5, 6, 7, 8, 9, 11]
    assert "invalid JSON" in errors[0]["error"] and "UTF-8" in errors[1]["error"] and "text" in errors[2]["error"]


def test_cli_scores_the_sample_archive(tmp_path):
    out = tmp_path / "out.jsonl"
    proc = subprocess.run([sys.executable, "-m", "escalsignal", "score", str(EXAMPLES), "-o", str(out)],
                          capture_output=True, text=True, check=True)
    records = [json.loads(l) for l in out.read_text().splitlines()]
    n_in = sum(1 for l in EXAMPLES.read_text().splitlines() if l.strip())
    assert len(records) == n_in and not any("error" in r for r in records)
    assert sum(r["escalate"] for r in records) >= 5
    assert f"read {n_in} utterances" in proc.stderr


def test_cli_text_format_reads_stdin(tmp_path):
    data = json.dumps({"call_id": "z", "speaker": "customer", "text": "I want a supervisor now"}) + "\n"
    proc = subprocess.run([sys.executable, "-m", "escalsignal", "score", "-", "--format", "text"], input=data,
                          capture_output=True, text=True, check=True)
    assert proc.stdout.startswith("z turn 0: ESCALATE") and "supervisor" in proc.stdout


# --- batch scoring of archives: formats, parity, accounting, resume ---------------------------------------------
import contextlib
import csv
import gzip
import itertools
import random

import pytest

from escalsignal.batch import (CallResult, Report, ResumeError, Source, checkpoint_delays, read_summaries,
                               score_archive, score_calls, score_path, work_dir)

SAMPLE = [json.loads(l) for l in EXAMPLES.read_text(encoding="utf-8").splitlines() if l.strip()]


def interleaved(records, seed=3):
    """The sample archive's utterances with calls interleaved (as in an export sorted by time), each call in order."""
    rnd = random.Random(seed)
    queues = {}
    for r in records:
        queues.setdefault(r["call_id"], []).append(r)
    live = [q for q in queues.values()]
    out = []
    while live:
        q = rnd.choice(live)
        out.append(q.pop(0))
        live = [q for q in live if q]
    return out


def live_records(det, records):
    """What a live platform gets: one session per call, fed each utterance in the given order."""
    from escalsignal.batch import recommendation_record

    sessions, out = {}, []
    for r in records:
        sess = sessions.get(r["call_id"]) or sessions.setdefault(r["call_id"], det.session(r["call_id"], r.get("metadata")))
        rec = sess.add(r["text"], speaker=r["speaker"], timestamp=r.get("timestamp"))
        out.append(recommendation_record(rec, r["speaker"], r.get("timestamp")))
    return out, sessions


def write_jsonl(path, records):
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def write_csv(path, records, columns=("call_id", "turn", "speaker", "text", "timestamp")):
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(columns)
        for r in records:
            w.writerow(["" if r.get(c) is None else r.get(c) for c in columns])
    return path


def write_gzip(path, records):
    path.write_bytes(gzip.compress("".join(json.dumps(r) + "\n" for r in records).encode()))
    return path


def as_calls(records):
    calls = {}
    for r in records:
        calls.setdefault(r["call_id"], []).append({k: r[k] for k in ("speaker", "text", "timestamp")})
    return [{"call_id": c, "turns": t} for c, t in calls.items()]


@pytest.fixture(scope="module")
def expected(det):
    return live_records(det, SAMPLE)[0]


FORMATS = {
    "utterance per line": lambda d: write_jsonl(d / "a.jsonl", SAMPLE),
    "call per line": lambda d: write_jsonl(d / "a.jsonl", as_calls(SAMPLE)),
    "CSV": lambda d: write_csv(d / "a.csv", SAMPLE),
    "gzip JSONL": lambda d: write_gzip(d / "a.jsonl.gz", SAMPLE),
    "directory of JSONL and CSV files": lambda d: (write_jsonl(d / "1.jsonl", SAMPLE[:100]), write_csv(d / "2.csv", SAMPLE[100:]), d)[-1],
}


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_input_format_gives_the_live_results(det, tmp_path, fmt, expected):
    path = FORMATS[fmt](tmp_path)
    assert list(score_path(det, path)) == expected


def test_csv_quoted_fields_may_span_lines_and_errors_name_the_row_start(det, tmp_path):
    path = tmp_path / "a.csv"
    path.write_text('call_id,speaker,text,timestamp\nc1,customer,"line one\nline two",1\nc1,customer,hi,soon\n',
                    encoding="utf-8")
    out = list(score_path(det, path))
    assert out[0]["turn"] == 0 and out[1] == {"line": 4, "call_id": "c1", "error": "'timestamp' must be a number, not 'soon'"}


@pytest.mark.parametrize("n_jobs", [1, 2])
@pytest.mark.parametrize("max_open_calls", [1, 2000], ids=["sessions moved to disk", "sessions in memory"])
def test_interleaved_calls_give_exactly_the_live_results(det, n_jobs, max_open_calls):
    records = interleaved(SAMPLE)
    want, _ = live_records(det, records)
    lines = [json.dumps(r) for r in records]
    from escalsignal.batch import Engine, read_jsonl

    eng = Engine(det, n_jobs=n_jobs, emit="dict", max_open_calls=max_open_calls)
    try:
        got = [payload for _, _, payload, _ in eng.run(read_jsonl(lines))]
    finally:
        eng.close()
    assert got == want


def test_a_call_id_that_comes_back_later_continues_its_session(det):
    lines = [json.dumps({"call_id": c, "speaker": "customer", "text": t}) for c, t in
             [("a", "I need a manager"), ("b", "hello"), ("a", "I need a manager, again")]]
    from escalsignal.batch import Engine, read_jsonl

    eng = Engine(det, max_open_calls=1)  # "a" is moved out of memory when "b" arrives
    out = [p for _, _, p, _ in eng.run(read_jsonl(lines))]
    eng.close()
    sess = det.session("a")
    live = [sess.add("I need a manager"), sess.add("I need a manager, again")]
    assert [(o["turn"], o["score"], o["escalate"]) for o in (out[0], out[2])] == [(r.turn, r.score, r.escalate) for r in live]


def test_a_session_is_written_to_the_store_only_when_it_changed_since_it_was_last_written(det):
    from escalsignal.batch import _Scorer

    scorer, out = _Scorer(det, "dict", summaries=False), []
    turn = ("u", 0, "a", "customer", "I need a manager", None, None, False)

    def written(msg):  # the state entry the message produces: its blob, or None when nothing is written
        out.clear()
        scorer.handle(msg, out)
        return [e for e in out if e[0] == "s"][0][3]

    scorer.handle(turn, out)
    blob = written(("d", 1, False))  # a checkpoint writes the new call
    assert blob is not None
    assert written(("x", "a")) is None  # evicted unchanged since the checkpoint: the store has it already
    scorer.handle(("r", blob), out)
    assert written(("x", "a")) is None  # restored and not scored: still what the store holds
    scorer.handle(("r", blob), out)
    scorer.handle(turn, out)
    again = written(("x", "a"))  # scored after the restore: written again, one turn further on
    assert again is not None and again != blob


@pytest.mark.parametrize("n_jobs", [1, 2])
def test_score_calls_yields_one_result_per_call_equal_to_a_live_session(det, n_jobs):
    calls = as_calls(SAMPLE)
    results = list(det.score_calls(calls, n_jobs=n_jobs))
    assert [r.call_id for r in results] == [c["call_id"] for c in calls]
    for call, res in zip(calls, results):
        sess = det.session(call["call_id"])
        live = [sess.add(t["text"], speaker=t["speaker"], timestamp=t["timestamp"]) for t in call["turns"]]
        assert res.recommendations == tuple(live)
        assert res.summary == sess.summary() and res.errors == ()


def test_score_calls_is_lazy_and_accepts_tuples(det):
    def endless():
        for i in itertools.count():
            yield (f"c{i}", [("customer", "I want a supervisor now"), ("agent", "one moment")])

    first = next(score_calls(det, endless()))
    assert isinstance(first, CallResult) and first.call_id == "c0" and first.recommendations[0].escalate
    assert [r.turn for r in first.recommendations] == [0, 1]


def test_score_calls_reports_bad_turns_and_empty_calls(det):
    res = list(score_calls(det, [{"call_id": "x", "turns": [{"text": "hi"}, {"speaker": "robot", "text": "x"}]},
                                 {"call_id": "y", "turns": []}, "not a call"]))
    assert [r.call_id for r in res] == ["x", "y", None]
    assert len(res[0].recommendations) == 1 and "speaker" in res[0].errors[0]["error"]
    assert res[1].recommendations == () and res[1].errors == ()
    assert "expected a JSON object" in res[2].errors[0]["error"]


# Every kind of broken record, with the line it is on and what the error must say.
BROKEN = [
    (b'{"call_id": "a", "speaker": "customer", "text": "hello"}', None),
    (b'{not json', "invalid JSON"),
    (b'{"call_id": "a", "text": "caf\xe9"}', "invalid UTF-8"),
    (b'{"call_id": "a", "speaker": "customer"}', "missing 'text'"),
    (b'{"call_id": "a", "text": ["a", "list"]}', "'text' must be a string"),
    (b'{"call_id": "a", "text": "hi", "speaker": "bot"}', "'speaker' must be one of"),
    (b'{"call_id": "a", "text": "hi", "timestamp": "noon"}', "'timestamp' must be a number"),
    (b'{"call_id": "a", "text": "hi", "timestamp": NaN}', "'timestamp' must be a finite number"),
    (b'{"call_id": "a", "text": "hi", "turn": "3"}', "'turn' must be an integer"),
    (b'{"call_id": "a", "text": "hi", "metadata": [1]}', "'metadata' must be an object"),
    (b'{"call_id": true, "text": "hi"}', "missing or invalid 'call_id'"),
    (b'{"text": "no call"}', "missing or invalid 'call_id'"),
    (b'[1, 2]', "expected a JSON object"),
    (b'"just a string"', "expected a JSON object"),
    (b'{"call_id": "c", "turns": "not a list"}', "'turns' must be a list"),
    (b'{"call_id": "a", "speaker": "customer", "text": "get me a manager", "timestamp": 3}', None),
]


def test_nothing_is_lost_every_broken_record_is_an_error_with_its_line(det, tmp_path):
    path = tmp_path / "broken.jsonl"
    path.write_bytes(b"\n".join(line for line, _ in BROKEN) + b"\n\n")
    from escalsignal.batch import Counts

    counts = Counts()
    out = list(score_path(det, path, counts=counts))
    assert counts.read == counts.scored + counts.rejected == len(out) == len(BROKEN)
    for lineno, ((_, why), rec) in enumerate(zip(BROKEN, out), 1):
        if why is None:
            assert "error" not in rec
        else:
            assert rec["line"] == lineno and why in rec["error"], (lineno, rec)
    assert [o["turn"] for o in out if "error" not in o] == [0, 1]  # the rejected lines never reached the session


def test_nothing_is_lost_in_csv(det, tmp_path):
    path = tmp_path / "broken.csv"
    path.write_bytes(b"call_id,speaker,text,timestamp,turn\n"
                     b"a,customer,hello,1,0\n"
                     b"a,customer,caf\xe9,2,1\n"
                     b"a,customer,too,many,fields,here\n"
                     b",customer,no call id,3,2\n"
                     b"a,robot,hi,4,3\n"
                     b"a,customer,hi,5,three\n"
                     b"a,,defaults to the customer,6,4\n")
    from escalsignal.batch import Counts

    counts = Counts()
    out = list(score_path(det, path, counts=counts))
    assert (counts.read, counts.scored, counts.rejected) == (7, 2, 5)
    assert [(o.get("line"), o.get("error", "ok")[:18]) for o in out] == [
        (None, "ok"), (3, "invalid UTF-8"), (4, "expected 5 fields,"), (5, "missing or invalid"),
        (6, "'speaker' must be "), (7, "'turn' must be an "), (None, "ok")]


def test_calls_summary_matches_the_session_and_feeds_the_report(det, tmp_path):
    archive = write_jsonl(tmp_path / "a.jsonl", interleaved(SAMPLE))
    _, sessions = live_records(det, interleaved(SAMPLE))
    for name in ("calls.jsonl", "calls.csv"):
        rep = Report()
        score_archive(det, Source(archive), str(tmp_path / "out.jsonl"), calls_summary=str(tmp_path / name),
                      report=rep, max_open_calls=3)
        summaries = list(read_summaries(tmp_path / name))
        first_seen = list(dict.fromkeys(r["call_id"] for r in interleaved(SAMPLE)))
        assert [s["call_id"] for s in summaries] == first_seen
        for s in summaries:
            live = sessions[s["call_id"]].summary()
            assert (s["turns"], s["escalated"], s["first_escalation_turn"], s["max_score"]) == (
                live.turns, live.escalated, live.first_escalation_turn, live.max_score)
            assert s["signals_seen"] == [k for k, v in live.signal_counts.items() if v]
            assert [q["quote"] for q in s["trigger_quotes"]] == [q.quote for q in live.trigger_quotes]
        kpi = rep.to_dict()
        assert kpi["calls"] == len(sessions)
        assert kpi["escalated_calls"] == sum(s.summary().escalated for s in sessions.values())
        assert kpi["repeat_contact_rate"] == round(sum(bool(s.summary().signal_counts.get("repeat_contact"))
                                                       for s in sessions.values()) / len(sessions), 4)


@pytest.mark.parametrize("fmt", ["jsonl", "csv"])
def test_output_is_identical_with_one_or_two_processes(det, tmp_path, fmt):
    archive = write_jsonl(tmp_path / "a.jsonl", interleaved(SAMPLE))
    outs = []
    for jobs in (1, 2):
        out = tmp_path / f"out{jobs}.{fmt}"
        score_archive(det, Source(archive), str(out), fmt=fmt, n_jobs=jobs, max_open_calls=4)
        outs.append(out.read_bytes())
    assert outs[0] == outs[1] and len(outs[0].splitlines()) == len(SAMPLE) + (fmt == "csv")


def test_two_processes_share_the_calls_and_give_the_one_process_output(det):
    """With ``n_jobs=2`` this process scores calls too, whenever the worker has enough queued."""
    from escalsignal.batch import Engine, WORKER_QUEUE, read_jsonl

    lines = [json.dumps({"call_id": f"c{i // 10}", "speaker": "customer", "text": f"order {i} is late again"})
             for i in range(6 * WORKER_QUEUE)]
    eng = Engine(det, n_jobs=2, emit="dict")
    try:
        two = [payload for _, _, payload, _ in eng.run(read_jsonl(lines))]
    finally:
        eng.close()
    assert eng.sent[0] > 0 and eng.sent[1] > 0  # messages each process was given: both scored calls
    assert two == list(score_lines(det, lines))


@contextlib.contextmanager
def deadline(seconds, message):
    """Fail with ``TimeoutError(message)`` after ``seconds`` instead of hanging the suite."""
    import signal

    def hung(*_):
        raise TimeoutError(message)

    previous = signal.signal(signal.SIGALRM, hung)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def test_a_call_longer_than_the_pipes_hold_does_not_stall_two_processes(det):
    """One call sends everything to one worker: more work than its input pipe holds while its results fill the
    other pipe. The worker's results go out from a thread of their own, so neither side waits for the other."""
    from escalsignal.batch import PIPE_BYTES, Engine, read_jsonl

    text = "the ticket is still open and nobody called me back about the refund for the router that broke " * 2
    text = text[:150]  # short enough for the repeat cache: the test is about the pipes, not about scoring
    lines = [json.dumps({"call_id": "one", "speaker": "customer", "text": text})] * (4 * PIPE_BYTES // len(text))

    eng = Engine(det, n_jobs=2, emit="dict")
    try:
        with deadline(120, "two processes waited for each other"):
            two = [payload for _, _, payload, _ in eng.run(read_jsonl(lines))]
    finally:
        eng.close(kill=True)
    assert two == list(score_lines(det, lines))


def test_a_scoring_process_that_dies_fails_the_run_instead_of_hanging(det):
    import os
    import signal

    from escalsignal.batch import Engine, read_jsonl

    lines = [json.dumps({"call_id": f"c{i % 50}", "speaker": "customer", "text": f"my order {i} never came"})
             for i in range(20000)]
    eng = Engine(det, n_jobs=2, emit="dict")
    try:
        with deadline(120, "the engine hung after its scoring process died"), \
                pytest.raises(RuntimeError, match="scoring process .* died"):
            for i, _ in enumerate(eng.run(read_jsonl(lines))):
                if i == 100:
                    os.kill(eng.workers[1].proc.pid, signal.SIGKILL)  # workers[0] is this process
    finally:
        eng.close(kill=True)


class Interrupted(Source):
    """A source whose reading is interrupted (as by Ctrl-C) after ``after`` records."""

    def __init__(self, path, after):
        super().__init__(path)
        self.after = after

    def items(self):
        for i, item in enumerate(super().items()):
            if i == self.after:
                raise KeyboardInterrupt
            yield item


@pytest.mark.parametrize("n_jobs", [1, 2])
def test_an_interrupted_run_leaves_no_output_and_resume_finishes_it_identically(det, tmp_path, n_jobs):
    # With two processes, a window of utterances is in flight before the first checkpoint can be written: the
    # interruption comes a few hundred records after it.
    from escalsignal.batch import WINDOW_CHUNKS

    after = 2 * WINDOW_CHUNKS * 64 + 250
    copies = [dict(r, call_id=f"{r['call_id']}-{k}") for k in range(after // len(SAMPLE) + 2) for r in SAMPLE]
    archive = write_jsonl(tmp_path / "a.jsonl", interleaved(copies))
    clean = tmp_path / "clean.jsonl"
    score_archive(det, Source(archive), str(clean), calls_summary=str(tmp_path / "clean-calls.jsonl"))
    out = tmp_path / "out.jsonl"
    with pytest.raises(KeyboardInterrupt):
        score_archive(det, Interrupted(archive, after), str(out), n_jobs=n_jobs, checkpoint_seconds=0.0,
                      max_open_calls=16, calls_summary=str(tmp_path / "calls.jsonl"))
    assert not out.exists()  # nothing half-written under the final name
    partial = work_dir(out) / "output.partial"
    with open(partial, "ab") as f:
        f.write(b'{"call_id": "torn li')  # the tail an interruption may leave
    notes = []
    counts = score_archive(det, Source(archive), str(out), n_jobs=n_jobs, resume=True, notice=notes.append,
                           calls_summary=str(tmp_path / "calls.jsonl"))
    assert notes and notes[0].startswith("resuming")
    assert out.read_bytes() == clean.read_bytes()
    assert (tmp_path / "calls.jsonl").read_bytes() == (tmp_path / "clean-calls.jsonl").read_bytes()
    assert counts.read == counts.scored == len(copies)
    assert counts.calls == len({r["call_id"] for r in copies})
    assert not work_dir(out).exists()


def test_checkpoints_start_after_a_second_and_double_up_to_the_interval():
    assert list(itertools.islice(checkpoint_delays(10.0), 6)) == [1.0, 2.0, 4.0, 8.0, 10.0, 10.0]
    assert list(itertools.islice(checkpoint_delays(0.5), 3)) == [0.5, 0.5, 0.5]
    assert list(itertools.islice(checkpoint_delays(0.0), 2)) == [0.0, 0.0]


@pytest.mark.parametrize("n_jobs", [1, 2])
def test_a_stop_request_commits_a_checkpoint_there_and_resume_loses_nothing(det, tmp_path, n_jobs):
    copies = [dict(r, call_id=f"{r['call_id']}-{k}") for k in range(6) for r in SAMPLE]
    archive = write_jsonl(tmp_path / "a.jsonl", interleaved(copies))
    clean = tmp_path / "clean.jsonl"
    score_archive(det, Source(archive), str(clean))
    out = tmp_path / "out.jsonl"
    seen = []

    def stop():  # asked once per input record, as the CLI's Ctrl-C handler is
        seen.append(1)
        return len(seen) >= 700

    # No timed checkpoint can come first: everything the resume keeps was committed by the stop itself.
    with pytest.raises(KeyboardInterrupt):
        score_archive(det, Source(archive), str(out), n_jobs=n_jobs, checkpoint_seconds=3600.0, stop=stop,
                      max_open_calls=16)
    assert not out.exists()
    notes = []
    counts = score_archive(det, Source(archive), str(out), n_jobs=n_jobs, resume=True, notice=notes.append)
    assert notes == ["resuming: 700 records already scored, continuing after input record 700"]
    assert out.read_bytes() == clean.read_bytes()
    assert counts.read == counts.scored == len(copies)


def test_resume_refuses_a_partial_output_of_other_input(det, tmp_path):
    a = write_jsonl(tmp_path / "a.jsonl", SAMPLE)
    b = write_jsonl(tmp_path / "b.jsonl", SAMPLE[:50])
    out = tmp_path / "out.jsonl"
    with pytest.raises(KeyboardInterrupt):
        score_archive(det, Interrupted(a, 100), str(out), checkpoint_seconds=0.0)
    with pytest.raises(ResumeError, match="input"):
        score_archive(det, Source(b), str(out), resume=True)


def test_score_frame_adds_scores_in_row_order(det):
    pd = pytest.importorskip("pandas")
    from escalsignal.frame import SCORE_COLUMNS, score_frame

    df = pd.DataFrame(interleaved(SAMPLE)).set_index(pd.Index(range(1000, 1000 + len(SAMPLE))))
    df.loc[5000] = {"call_id": "demo-01", "turn": -1, "speaker": "customer", "text": None, "timestamp": 0.0}
    out = score_frame(df, det, n_jobs=2)
    want, _ = live_records(det, interleaved(SAMPLE))
    assert list(out.index) == list(df.index) and list(out.columns) == list(df.columns) + list(SCORE_COLUMNS)
    assert out["session_turn"].tolist()[:-1] == [w["turn"] for w in want]
    assert out["score"].tolist()[:-1] == [w["score"] for w in want]
    assert out["escalate"].tolist()[:-1] == [w["escalate"] for w in want]
    assert out["error"].tolist()[-1] == "missing 'text'"


@pytest.mark.parametrize("call_id,text,timestamp", [
    ("plain", "I want a manager NOW, this is the third time I've called", 12.5),
    ("quotes \"and\" \\slashes", 'they said "call back tomorrow" \\ get me a supervisor, I called back twice already!!', 3),
    ("ünïcode-☎", "get me a supervisor 😡 my internet is down\u2028and I work from home", None),
    ("line\nbreaks", "this is\tthe\nfourth call\x00 about my refund, put me through to your manager", 1e-7),
    ("big", "I need someone in charge, the outage hit our whole business", 1.5e300),
])
def test_json_lines_are_exactly_the_encoded_records(call_id, text, timestamp):
    # The JSONL writer puts records together itself: every escape, number and null must come out as json.dumps
    # writes the whole record.
    from escalsignal import Detector
    from escalsignal.batch import _JsonLines, recommendation_record

    det = Detector.load(cache_size=0)
    sess = det.session(call_id)
    write = _JsonLines()
    recs = []
    for speaker in ("customer", "agent", "customer"):
        rec = sess.add(text, speaker=speaker, timestamp=timestamp)
        line = write(rec, speaker, timestamp)
        assert line == json.dumps(recommendation_record(rec, speaker, timestamp), ensure_ascii=False) + "\n"
        recs.append(rec)
    assert recs[0].escalate and recs[0].reasons and recs[2].escalation_active  # reasons and flags are covered too


def test_json_lines_are_exactly_the_encoded_records_when_results_repeat():
    # The JSONL writer reuses the encoded "signals" of a result the repeat cache hands out again: same bytes.
    from escalsignal import Detector
    from escalsignal.batch import SIGNALS_MEMO, _JsonLines, recommendation_record
    from escalsignal.detector import CACHE_MAX_CHARS

    det = Detector.load()
    write = _JsonLines()
    rows = [json.loads(l) for l in EXAMPLES.read_text(encoding="utf-8").splitlines() if l.strip()]
    for rnd in range(3):  # later rounds are cache hits (and memo hits)
        sess = det.session(f"again-{rnd}")
        for r in rows:
            rec = sess.add(r["text"], speaker=r.get("speaker", "customer"), timestamp=r.get("timestamp"))
            line = write(rec, r.get("speaker", "customer"), r.get("timestamp"))
            assert line == json.dumps(recommendation_record(rec, r.get("speaker", "customer"), r.get("timestamp")),
                                      ensure_ascii=False) + "\n"
    short = sum(len(r["text"]) <= CACHE_MAX_CHARS for r in rows)  # longer texts are not cached
    assert det.cache_info()["hits"] >= 2 * short > 0 and len(write.memo) <= SIGNALS_MEMO
