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
