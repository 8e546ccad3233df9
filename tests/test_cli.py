"""escalsignal score / report, end to end through a subprocess, as a user runs them."""
import csv
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples" / "sample_calls.jsonl"
SAMPLE = [json.loads(l) for l in EXAMPLES.read_text(encoding="utf-8").splitlines() if l.strip()]
SIGNALS = ("frustration", "repeat_contact", "manager_request", "urgency", "churn_threat", "legal_threat")


def cli(*args, input=None, check=True):
    return subprocess.run([sys.executable, "-m", "escalsignal", *map(str, args)], input=input, capture_output=True,
                          text=True, check=check, cwd=ROOT)


def closing_counts(stderr):
    line = [l for l in stderr.splitlines() if l.startswith("read ")][-1]
    words = line.replace(",", "").split()
    return {"read": int(words[1]), "calls": int(words[4]), "scored": int(words[7]), "rejected": int(words[9])}


def test_score_a_directory_to_csv_with_calls_summary_and_two_jobs(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.jsonl").write_text("".join(json.dumps(r) + "\n" for r in SAMPLE[:120]), encoding="utf-8")
    with open(src / "b.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, ["call_id", "turn", "speaker", "text", "timestamp"])
        w.writeheader()
        w.writerows(SAMPLE[120:])
    out, calls = tmp_path / "scored.csv", tmp_path / "calls.jsonl"
    proc = cli("score", src, "-o", out, "--format", "csv", "--calls-summary", calls, "--jobs", 2, "--report")
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert len(rows) == len(SAMPLE) and not any(r["error"] for r in rows)
    assert {f"{s}_score" for s in SIGNALS} <= set(rows[0]) and {"escalate", "route", "reasons"} <= set(rows[0])
    assert [(r["call_id"], int(r["turn"])) for r in rows[:3]] == [("demo-01", 0), ("demo-01", 1), ("demo-01", 2)]
    summaries = [json.loads(l) for l in calls.read_text().splitlines()]
    assert [s["call_id"] for s in summaries] == list(dict.fromkeys(r["call_id"] for r in SAMPLE))
    assert closing_counts(proc.stderr) == {"read": 208, "calls": 20, "scored": 208, "rejected": 0}
    assert "escalated calls" in proc.stderr and "top routes" in proc.stderr  # --report
    assert not list(tmp_path.glob(".*"))  # no work files left behind


def test_stdin_to_stdout_is_quiet_when_piped():
    data = "".join(json.dumps(r) + "\n" for r in SAMPLE[:30])
    proc = cli("score", "-", input=data)
    records = [json.loads(l) for l in proc.stdout.splitlines()]
    assert len(records) == 30 and records[0]["call_id"] == "demo-01"
    assert "\r" not in proc.stderr and proc.stderr.count("\n") == 1  # only the closing line: no progress bar


def test_csv_from_stdin_is_recognised():
    data = "call_id,speaker,text\nz,customer,I want a supervisor now\n"
    proc = cli("score", "-", "--format", "text", input=data)
    assert proc.stdout.startswith("z turn 0: ESCALATE")


def test_broken_lines_are_counted_and_reported_not_fatal(tmp_path):
    path = tmp_path / "broken.jsonl"
    path.write_bytes(b'{"call_id": "a", "text": "hello"}\n{oops\n\xff\xfe\n{"call_id": "a"}\n'
                     b'{"call_id": "a", "text": "I want a manager"}\n')
    proc = cli("score", path, "-o", tmp_path / "out.jsonl")
    out = [json.loads(l) for l in (tmp_path / "out.jsonl").read_text().splitlines()]
    c = closing_counts(proc.stderr)
    assert c["read"] == c["scored"] + c["rejected"] == len(out) == 5 and c["rejected"] == 3
    assert [o.get("line") for o in out if "error" in o] == [2, 3, 4]


def test_report_from_an_archive_equals_report_from_its_calls_summary(tmp_path):
    summary = tmp_path / "calls.csv"
    cli("score", EXAMPLES, "-o", tmp_path / "out.jsonl", "--calls-summary", summary)
    from_archive = json.loads(cli("report", EXAMPLES, "--json").stdout)
    from_summary = json.loads(cli("report", summary, "--json").stdout)
    assert from_archive.pop("utterances") == {"read": 208, "scored": 208, "rejected": 0}
    assert from_archive == from_summary
    assert from_archive["calls"] == 20 and 0 < from_archive["escalation_rate"] <= 1
    assert set(from_archive["signal_rates"]) == set(SIGNALS) and from_archive["top_routes"]


def _checkpointed_items(state):
    try:
        db = sqlite3.connect(f"file:{state}?mode=ro", uri=True, timeout=0.1)
        try:
            row = db.execute("SELECT value FROM meta WHERE key='items'").fetchone()
        finally:
            db.close()
        return json.loads(row[0]) if row else 0
    except sqlite3.Error:
        return 0


def _start_scoring_25_copies(tmp_path, checkpoint_seconds):
    """A running ``escalsignal score`` of 25 copies of the sample calls into tmp_path/out.jsonl."""
    archive = tmp_path / "big.jsonl"
    archive.write_text("".join(json.dumps(dict(r, call_id=f"{r['call_id']}-{k}")) + "\n"
                               for k in range(25) for r in SAMPLE), encoding="utf-8")
    out = tmp_path / "out.jsonl"
    args = [sys.executable, "-m", "escalsignal", "score", archive, "-o", out,
            "--checkpoint-seconds", checkpoint_seconds]
    proc = subprocess.Popen(list(map(str, args)), cwd=ROOT, stderr=subprocess.PIPE, text=True)
    return archive, out, proc


def test_killed_run_leaves_no_output_and_resume_completes_it(tmp_path):
    archive, out, proc = _start_scoring_25_copies(tmp_path, "0.05")
    state = tmp_path / ".out.jsonl.escalsignal" / "state.sqlite"
    deadline = time.monotonic() + 120
    while proc.poll() is None and _checkpointed_items(state) < 300 and time.monotonic() < deadline:
        time.sleep(0.02)
    os.kill(proc.pid, signal.SIGKILL)
    proc.communicate()
    assert proc.returncode == -signal.SIGKILL, "the run finished before it could be interrupted"
    assert not out.exists()  # the final name appears only when the run is complete
    resumed = cli("score", archive, "-o", out, "--resume")
    assert "resuming:" in resumed.stderr
    clean = cli("score", archive, "-o", tmp_path / "clean.jsonl")
    assert out.read_bytes() == (tmp_path / "clean.jsonl").read_bytes()
    assert closing_counts(resumed.stderr) == closing_counts(clean.stderr) == {
        "read": 25 * 208, "calls": 500, "scored": 25 * 208, "rejected": 0}


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_ctrl_c_stops_at_a_checkpoint_and_resume_continues_there(tmp_path, signum):
    # No timed checkpoint during the run: whatever the resume keeps, the stop itself committed.
    archive, out, proc = _start_scoring_25_copies(tmp_path, "3600")
    partial = tmp_path / ".out.jsonl.escalsignal" / "output.partial"
    deadline = time.monotonic() + 120
    while proc.poll() is None and not (partial.is_file() and partial.stat().st_size > 0) \
            and time.monotonic() < deadline:
        time.sleep(0.01)
    os.kill(proc.pid, signum)
    _, stderr = proc.communicate()
    assert proc.returncode == 128 + signum, stderr
    assert "stopping at the next record with a checkpoint" in stderr and not out.exists()
    stopped_at = _checkpointed_items(tmp_path / ".out.jsonl.escalsignal" / "state.sqlite")
    assert 0 < stopped_at < 25 * 208
    resumed = cli("score", archive, "-o", out, "--resume")
    assert f"resuming: {stopped_at:,} records already scored" in resumed.stderr
    clean = cli("score", archive, "-o", tmp_path / "clean.jsonl")
    assert out.read_bytes() == (tmp_path / "clean.jsonl").read_bytes()


def test_resume_needs_an_output_file():
    proc = cli("score", EXAMPLES, "--resume", check=False)
    assert proc.returncode == 2 and "--resume needs an output file" in proc.stderr


@pytest.mark.parametrize("args, message", [
    (["score", "no/such/file.jsonl"], "no such file or directory"),
    (["report", "no/such/file.jsonl"], "no such file or directory"),
])
def test_missing_input_is_a_clear_error(args, message):
    proc = cli(*args, check=False)
    assert proc.returncode == 2 and message in proc.stderr


def test_progress_is_shown_on_a_terminal(tmp_path):
    pty = pytest.importorskip("pty")
    archive = tmp_path / "a.jsonl"
    archive.write_text("".join(json.dumps(dict(r, call_id=f"{r['call_id']}-{k}")) + "\n"
                               for k in range(3) for r in SAMPLE), encoding="utf-8")
    master, slave = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "escalsignal", "score", str(archive), "-o", str(tmp_path / "o.jsonl")],
                            cwd=ROOT, stderr=slave, stdout=subprocess.DEVNULL)
    os.close(slave)
    seen = b""
    while True:
        try:
            chunk = os.read(master, 4096)
        except OSError:  # the terminal closed: the process has exited
            break
        if not chunk:
            break
        seen += chunk
    proc.wait()
    os.close(master)
    assert proc.returncode == 0
    assert b"\r" in seen and b"utterances" in seen and b"calls" in seen and b"%" in seen


def test_the_repeat_cache_changes_speed_not_results(tmp_path):
    with_cache, without = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    cli("score", EXAMPLES, "-o", with_cache)
    cli("score", EXAMPLES, "-o", without, "--cache-size", 0)
    assert with_cache.read_bytes() == without.read_bytes()
    proc = cli("score", EXAMPLES, "--cache-size", -1, check=False)
    assert proc.returncode != 0 and "--cache-size must be 0 or more" in proc.stderr


def test_a_reader_that_stops_early_ends_the_run_quietly():
    # ``escalsignal score big.jsonl | head``: no traceback about the closed pipe.
    proc = subprocess.Popen([sys.executable, "-m", "escalsignal", "score", EXAMPLES], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    first = proc.stdout.readline()
    proc.stdout.close()
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=60) == 141
    assert json.loads(first)["call_id"] == "demo-01" and "Traceback" not in err
