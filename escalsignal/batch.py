"""Scoring archives: records in, one output record per utterance (or one error record) out, nothing dropped.

Input (``read_source``): JSONL with one utterance per line (``call_id``, ``speaker``, ``text``, optional
``timestamp``, ``turn``, ``metadata``), JSONL with one call per line (``call_id``, ``turns: [...]``, optional
``metadata``), CSV with the utterance columns, gzip-compressed variants of those, or a directory of such files.

Every utterance of a call goes through one ``Session`` in input order, exactly as in a live call, so streaming
and batch results are identical. Calls need not be contiguous: a call whose lines stop for a while is moved out
of memory (its ``Session`` state goes to a small on-disk store) and is restored exactly when its ``call_id``
comes back. Output is in input order whatever the number of processes.

The ``Engine`` is the one driver behind the CLI, ``score_lines``, ``score_calls``, the pandas helpers and the
Spark function: it reads lazily, keeps a bounded window of utterances in flight, scores each call in one process
(``--jobs N``: this one and N-1 workers), and never holds the archive or all sessions in memory.
"""
from __future__ import annotations

import csv
import gzip
import io
import json
import math
import os
import pickle
import shutil
import sqlite3
import sys
import tempfile
import time
from collections import Counter, OrderedDict, deque
from dataclasses import dataclass
from json.encoder import encode_basestring as _jstr  # the encoder's own string escaper (in C)
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Callable, Iterable, Iterator

from .types import SIGNALS, SPEAKERS, CallSummary, Reason, Recommendation

if TYPE_CHECKING:
    from .detector import Detector

#: Sessions kept in memory, over all processes, before the least recently seen call is moved to the store.
DEFAULT_MAX_OPEN_CALLS = 2000
#: Escalation events listed per call in the calls summary (the count ``escalations`` is never capped).
MAX_EVENTS = 50
SUFFIXES = {".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "jsonl", ".csv": "csv"}

# Items flowing through the engine (plain tuples: cheap to build and to pickle):
#   utterance: ("u", call_id, speaker, text, timestamp, metadata | None, src, end_of_call_record)
#   error:     ("e", call_id | None, message, src)
# src = (file | None, line, turn_index | None): where the record came from, for error records.


# --- records ----------------------------------------------------------------------------------------------
@dataclass
class Counts:
    """read = scored + rejected, always. ``calls`` counts distinct calls with at least one scored utterance."""

    read: int = 0
    scored: int = 0
    rejected: int = 0
    escalations: int = 0
    calls: int = 0

    def add(self, flag: int) -> None:
        self.read += 1
        if flag == 2:
            self.rejected += 1
        else:
            self.scored += 1
            self.escalations += flag

    def to_dict(self) -> dict[str, int]:
        return {"read": self.read, "scored": self.scored, "rejected": self.rejected,
                "escalations": self.escalations, "calls": self.calls}


def recommendation_record(rec: Recommendation, speaker: str, timestamp: float | None) -> dict[str, Any]:
    """The output record of one utterance (field names documented in the README)."""
    return {**_record_head(rec, speaker, timestamp), "signals": signals_record(rec.utterance), **_record_tail(rec)}


def signals_record(utt: Any) -> dict[str, Any]:
    """The ``signals`` field of an output record: per signal its score, decision and rule evidence."""
    signals = {}
    for n, s in utt.signals.items():
        ev = s.evidence
        signals[n] = {"score": round(s.score, 4), "detected": s.detected,
                      "evidence": [{"rule_id": e.rule_id, "text": e.text, "start": e.start, "end": e.end}
                                   for e in ev] if ev else []}
    return signals


def _record_head(rec: Recommendation, speaker: str, timestamp: float | None) -> dict[str, Any]:
    return {"call_id": rec.call_id, "turn": rec.turn, "speaker": speaker, "timestamp": timestamp}


def _record_tail(rec: Recommendation) -> dict[str, Any]:
    return {
        "escalate": rec.escalate, "score": rec.score, "priority": rec.priority,
        "escalation_type": rec.escalation_type, "route": rec.route,
        "reasons": [_reason_dict(r) for r in rec.reasons] if rec.reasons else [],
        "escalation_active": rec.escalation_active,
    }


#: Encoded ``signals`` fields kept per process, see ``_JsonLines``.
SIGNALS_MEMO = 4096


class _JsonLines:
    """``json.dumps(recommendation_record(...), ensure_ascii=False)`` + newline, written directly for this schema.

    The record has a fixed shape, so its text is put together from the encoder's own C string escaper and
    ``float.__repr__`` (how the encoder writes floats) without building the nested dicts first; any other value
    goes through the encoder itself. The encoded ``signals`` of a result the repeat cache hands out again is
    reused: a repeated utterance gets the very same immutable ``SignalScore`` objects (and every agent turn the
    same all-zero ones), and ``signals`` is most of a record's JSON (about 600 of 700 characters). Same run, 100k
    utterances, 1 job: +8% utterances/s without the repeat cache, +10% with it. The parity tests in
    ``test_batch.py`` hold the bytes equal to ``json.dumps``.
    """

    def __init__(self) -> None:
        self.encode = json.JSONEncoder(ensure_ascii=False).encode
        # ids of the SignalScore objects -> (those objects, their encoded signals). Holding the objects keeps
        # their ids from being reused, so an equal key means the very same objects.
        self.memo: dict[tuple[int, ...], tuple[tuple[Any, ...], str]] = {}

    def __call__(self, rec: Recommendation, speaker: str, timestamp: float | None) -> str:
        utt = rec.utterance
        scores = tuple(utt.signals.values())
        key = tuple(map(id, scores))
        memo = self.memo
        hit = memo.get(key)
        if hit is not None:
            frag = hit[1]
        else:
            frag = self.signals(utt)
            if len(memo) >= SIGNALS_MEMO:
                del memo[next(iter(memo))]  # the oldest entry
            memo[key] = (scores, frag)
        v = self.value
        reasons = self.encode([_reason_dict(r) for r in rec.reasons]) if rec.reasons else "[]"
        return (f'{{"call_id": {v(rec.call_id)}, "turn": {v(rec.turn)}, "speaker": {v(speaker)}, '
                f'"timestamp": {v(timestamp)}, "signals": {frag}, "escalate": {v(rec.escalate)}, '
                f'"score": {v(rec.score)}, "priority": {v(rec.priority)}, '
                f'"escalation_type": {v(rec.escalation_type)}, "route": {v(rec.route)}, "reasons": {reasons}, '
                f'"escalation_active": {v(rec.escalation_active)}}}\n')

    def signals(self, utt: Any) -> str:
        """The encoded ``signals_record(utt)``."""
        value = self.value
        parts = []
        for name, s in utt.signals.items():
            ev = s.evidence
            evidence = ("[" + ", ".join([f'{{"rule_id": {_jstr(e.rule_id)}, "text": {_jstr(e.text)}, '
                                         f'"start": {value(e.start)}, "end": {value(e.end)}}}'
                                         for e in ev]) + "]") if ev else "[]"
            parts.append(f'{_jstr(name)}: {{"score": {value(round(s.score, 4))}, '
                         f'"detected": {value(s.detected)}, "evidence": {evidence}}}')
        return "{" + ", ".join(parts) + "}"

    def value(self, x: Any) -> str:
        """One scalar as the encoder writes it."""
        t = type(x)
        if t is str:
            return _jstr(x)
        if t is float and x - x == 0.0:  # finite; the encoder writes NaN and Infinity its own way
            return float.__repr__(x)
        if t is int:
            return int.__repr__(x)
        if x is None:
            return "null"
        if t is bool:
            return "true" if x else "false"
        return self.encode(x)


def _reason_dict(r: Reason) -> dict[str, Any]:
    return {"signal": r.signal, "message": r.message, "turn": r.turn, "start": r.start, "end": r.end,
            "quote": r.quote, "rule_id": r.rule_id}


def error_record(src: tuple, call_id: str | None, message: str) -> dict[str, Any]:
    """``{"file"?, "line", "turn_index"?, "call_id"?, "error"}``: the input position and why it was rejected."""
    file, line, index = src
    rec: dict[str, Any] = {} if file is None else {"file": file}
    rec["line"] = line
    if index is not None:
        rec["turn_index"] = index
    if call_id is not None:
        rec["call_id"] = call_id
    rec["error"] = message
    return rec


#: Columns of the CSV output (and, renamed, of the pandas and Spark outputs): one row per utterance.
FLAT_COLUMNS: tuple[str, ...] = (
    "call_id", "turn", "speaker", "timestamp", "escalate", "score", "priority", "escalation_type", "route",
    "escalation_active", "signals_detected",
    *(f"{s}_score" for s in SIGNALS), *(f"{s}_detected" for s in SIGNALS),
    "reasons", "evidence", "file", "line", "turn_index", "error",
)


def flat_record(rec: dict[str, Any]) -> dict[str, Any]:
    """One output or error record as flat columns (``FLAT_COLUMNS``); lists and objects become JSON text."""
    if "error" in rec:
        return {"call_id": rec.get("call_id"), "file": rec.get("file"), "line": rec.get("line"),
                "turn_index": rec.get("turn_index"), "error": rec["error"]}
    sig = rec["signals"]
    flat = {"call_id": rec["call_id"], "turn": rec["turn"], "speaker": rec["speaker"], "timestamp": rec["timestamp"],
            "escalate": rec["escalate"], "score": rec["score"], "priority": rec["priority"],
            "escalation_type": rec["escalation_type"], "route": rec["route"],
            "escalation_active": rec["escalation_active"],
            "signals_detected": "|".join(s for s in SIGNALS if sig[s]["detected"])}
    for s in SIGNALS:
        flat[f"{s}_score"] = sig[s]["score"]
    for s in SIGNALS:
        flat[f"{s}_detected"] = sig[s]["detected"]
    flat["reasons"] = json.dumps(rec["reasons"], ensure_ascii=False)
    flat["evidence"] = json.dumps({s: sig[s]["evidence"] for s in SIGNALS if sig[s]["evidence"]}, ensure_ascii=False)
    return flat


def text_line(rec: dict[str, Any]) -> str:
    """``--format text``: one readable line per escalation or error record, nothing for other utterances."""
    if "error" in rec:
        where = f"{rec['file']} line {rec['line']}" if rec.get("file") else f"line {rec['line']}"
        return f"{where}: ERROR {rec['error']}\n"
    if not rec["escalate"]:
        return ""
    why = "; ".join(r["message"] for r in rec["reasons"]) or "-"
    return (f"{rec['call_id']} turn {rec['turn']}: ESCALATE {rec['priority']} {rec['escalation_type']} -> "
            f"{rec['route']} (score {rec['score']:.2f}): {why}\n")


class _CsvLine:
    """Formats one CSV row to a string (the same quoting as ``csv.writer`` on a file)."""

    def __init__(self, columns: tuple[str, ...]) -> None:
        self.columns = columns
        self.buf = io.StringIO()
        self.writer = csv.writer(self.buf, lineterminator="\n")

    def __call__(self, row: dict[str, Any]) -> str:
        self.buf.seek(0)
        self.buf.truncate()
        self.writer.writerow(["" if row.get(c) is None else row.get(c) for c in self.columns])
        return self.buf.getvalue()


def csv_header(columns: tuple[str, ...] = FLAT_COLUMNS) -> str:
    return _CsvLine(columns)(dict(zip(columns, columns)))


def _formatter(emit: str) -> Callable[[dict[str, Any]], Any]:
    if emit == "json":
        encode = json.JSONEncoder(ensure_ascii=False).encode
        return lambda r: encode(r) + "\n"
    if emit == "csv":
        line = _CsvLine(FLAT_COLUMNS)
        return lambda r: line(flat_record(r))
    if emit == "flat":
        return flat_record
    if emit == "text":
        return text_line
    if emit in ("dict", "object"):
        return lambda r: r
    if emit == "none":
        return lambda r: None
    raise ValueError(f"unknown emit mode {emit!r}")


# --- the per-call summary -----------------------------------------------------------------------------------
SUMMARY_COLUMNS: tuple[str, ...] = (
    "call_id", "turns", "customer_turns", "escalated", "escalations", "first_escalation_turn", "max_score",
    "priority", "route", "signals_seen", "signal_counts", "metadata", "escalation_events", "prior_contacts",
    "already_tried", "trigger_quotes", "agent_actions",
)


def summary_record(s: CallSummary, events: list[dict[str, Any]], n_events: int) -> dict[str, Any]:
    """The calls-summary record of one call: outcome, signals seen, escalation events and the handoff context."""
    counts = s.signal_counts
    return {
        "call_id": s.call_id, "turns": s.turns, "customer_turns": s.customer_turns, "escalated": s.escalated,
        "escalations": n_events, "first_escalation_turn": s.first_escalation_turn, "max_score": s.max_score,
        "priority": s.priority, "route": s.route, "signals_seen": [x for x in SIGNALS if counts.get(x)],
        "signal_counts": {x: counts.get(x, 0) for x in SIGNALS}, "metadata": s.metadata,
        "escalation_events": events,
        "prior_contacts": [_reason_dict(r) for r in s.prior_contacts],
        "already_tried": [_reason_dict(r) for r in s.already_tried],
        "trigger_quotes": [_reason_dict(r) for r in s.trigger_quotes],
        "agent_actions": [_reason_dict(r) for r in s.agent_actions],
    }


def summary_flat(rec: dict[str, Any]) -> dict[str, Any]:
    """A calls-summary record as CSV columns: ``signals_seen`` joined with ``|``, other lists/objects as JSON."""
    out = dict(rec)
    out["signals_seen"] = "|".join(rec["signals_seen"])
    for key in ("signal_counts", "metadata", "escalation_events", "prior_contacts", "already_tried",
                "trigger_quotes", "agent_actions"):
        out[key] = json.dumps(rec[key], ensure_ascii=False)
    return out


def summary_unflat(row: dict[str, str]) -> dict[str, Any]:
    """Inverse of ``summary_flat`` for a row read back from a calls-summary CSV (used by ``report``)."""
    out: dict[str, Any] = {k: (v if v != "" else None) for k, v in row.items()}
    for key in ("turns", "customer_turns", "first_escalation_turn"):
        out[key] = int(out[key]) if out.get(key) is not None else None
    out["max_score"] = float(out["max_score"]) if out.get("max_score") is not None else None
    out["signals_seen"] = [s for s in (row.get("signals_seen") or "").split("|") if s]
    out["escalated"] = (row.get("escalated") or "").lower() == "true"
    out["escalations"] = int(row.get("escalations") or 0)
    for key in ("signal_counts", "metadata", "escalation_events", "prior_contacts", "already_tried",
                "trigger_quotes", "agent_actions"):
        out[key] = json.loads(row[key]) if row.get(key) else ([] if key not in ("signal_counts", "metadata") else {})
    return out


# --- validation -------------------------------------------------------------------------------------------
def _call_id(value: Any) -> str | None:
    if isinstance(value, str) and value:
        try:
            value.encode("utf-8")  # a lone surrogate ("\ud800" is valid JSON) cannot name a call anywhere
        except UnicodeEncodeError:
            return None
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return None


def _number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _check_turn(obj: Any) -> tuple[str, str, float | None]:
    """Validate one utterance object; ``(text, speaker, timestamp)`` or ``ValueError`` saying what is wrong."""
    if not isinstance(obj, dict):
        raise ValueError(f"expected a JSON object, got {type(obj).__name__}")
    text, speaker, ts = obj.get("text"), obj.get("speaker", "customer"), obj.get("timestamp")
    if not isinstance(text, str):
        raise ValueError("missing 'text'" if text is None else f"'text' must be a string, not {type(text).__name__}")
    if speaker not in SPEAKERS:
        raise ValueError(f"'speaker' must be one of {SPEAKERS}, not {speaker!r}")
    if ts is not None and (not _number(ts) or not math.isfinite(ts)):
        raise ValueError(f"'timestamp' must be a finite number, not {ts!r}" if _number(ts)
                         else f"'timestamp' must be a number, not {type(ts).__name__}")
    turn = obj.get("turn")
    if turn is not None and (not isinstance(turn, int) or isinstance(turn, bool)):
        raise ValueError(f"'turn' must be an integer, not {type(turn).__name__}")
    return text, speaker, ts


def _metadata_problem(meta: Any) -> str | None:
    return None if meta is None or isinstance(meta, dict) else f"'metadata' must be an object, not {type(meta).__name__}"


def record_items(obj: Any, src_file: str | None, line: int) -> Iterator[tuple]:
    """The items of one parsed record (an utterance or a whole call): utterances to score and error records."""
    if not isinstance(obj, dict):
        yield ("e", None, f"expected a JSON object, got {type(obj).__name__}", (src_file, line, None))
        return
    if "turns" in obj:
        yield from _call_items(obj, src_file, line)
        return
    call_id = _call_id(obj.get("call_id"))
    src = (src_file, line, None)
    if call_id is None:
        yield ("e", None, "missing or invalid 'call_id'", src)
        return
    meta = obj.get("metadata")
    problem = _metadata_problem(meta)
    if problem:
        yield ("e", call_id, problem, src)
        return
    try:
        text, speaker, ts = _check_turn(obj)
    except ValueError as exc:
        yield ("e", call_id, str(exc), src)
        return
    yield ("u", call_id, speaker, text, ts, meta or None, src, False)


def _call_items(obj: dict[str, Any], src_file: str | None, line: int) -> Iterator[tuple]:
    turns = obj["turns"]
    raw_id = obj.get("call_id")
    call_id = _call_id(raw_id)
    if not isinstance(turns, list):
        yield ("e", call_id, f"'turns' must be a list, not {type(turns).__name__}", (src_file, line, None))
        return
    problem = "missing or invalid 'call_id'" if call_id is None else _metadata_problem(obj.get("metadata"))
    if problem:
        if not turns:
            yield ("e", call_id, problem, (src_file, line, None))
        for i in range(len(turns)):
            yield ("e", call_id, problem, (src_file, line, i))
        return
    checked: list[Any] = []
    last_ok = -1
    for i, turn in enumerate(turns):
        try:
            checked.append(_check_turn(turn))
            last_ok = i
        except ValueError as exc:
            checked.append(str(exc))
    meta = obj.get("metadata") or None
    for i, c in enumerate(checked):
        if isinstance(c, str):
            yield ("e", call_id, c, (src_file, line, i))
        else:
            yield ("u", call_id, c[1], c[0], c[2], meta, (src_file, line, i), i == last_ok)
            meta = None  # the call's metadata opens (or updates) the session once, before its first turn


def _to_native(value: Any) -> Any:
    """pandas/numpy scalars to plain Python; NaN/NaT/None to None; integral floats stay floats (callers decide)."""
    if value is None:
        return None
    if isinstance(value, float):
        return None if math.isnan(value) else value
    item = getattr(value, "item", None)  # numpy scalar
    if item is not None and not isinstance(value, (str, bytes, dict, list)):
        try:
            value = item()
        except (TypeError, ValueError):
            return value
        if isinstance(value, float) and math.isnan(value):
            return None
        return value
    try:
        import pandas as pd  # only if a frame is being scored, so pandas is already imported

        if value is pd.NaT or value is pd.NA:
            return None
    except ImportError:  # pragma: no cover
        pass
    return value


def row_items(row: dict[str, Any], src_file: str | None, line: int, *, strings: bool) -> Iterator[tuple]:
    """Items of one tabular row (CSV, pandas, Spark). ``strings``: CSV text cells (empty means missing)."""
    src = (src_file, line, None)
    rec: dict[str, Any] = {}
    for key, value in row.items():
        value = (None if value == "" else value) if strings and key != "text" else _to_native(value)
        rec[key] = value
    try:
        if "timestamp" in rec and rec["timestamp"] is not None and (strings or isinstance(rec["timestamp"], str)):
            try:
                rec["timestamp"] = float(rec["timestamp"])
            except (TypeError, ValueError):
                raise ValueError(f"'timestamp' must be a number, not {rec['timestamp']!r}") from None
        turn = rec.get("turn")
        if isinstance(turn, float) and turn.is_integer():
            rec["turn"] = int(turn)
        elif turn is not None and (strings or isinstance(turn, str)):
            try:
                rec["turn"] = int(turn)
            except (TypeError, ValueError):
                raise ValueError(f"'turn' must be an integer, not {turn!r}") from None
        meta = rec.get("metadata")
        if isinstance(meta, str):
            try:
                rec["metadata"] = json.loads(meta)
            except ValueError:
                raise ValueError("'metadata' must be a JSON object") from None
        elif meta is not None and not isinstance(meta, dict):
            try:
                rec["metadata"] = dict(meta)  # a Spark MapType arrives as a list of pairs or a mapping
            except (TypeError, ValueError):
                pass
        if rec.get("speaker") is None:
            rec.pop("speaker", None)
        cid = rec.get("call_id")
        if isinstance(cid, float) and cid.is_integer():
            rec["call_id"] = int(cid)
    except ValueError as exc:
        yield ("e", _call_id(rec.get("call_id")), str(exc), src)
        return
    rec.pop("turns", None)
    yield from record_items(rec, src_file, line)


# --- readers ----------------------------------------------------------------------------------------------
def read_jsonl(lines: Iterable[bytes | str], name: str | None = None) -> Iterator[tuple]:
    """Items of JSONL lines (utterance or call records); blank lines are skipped, bad lines become errors."""
    for lineno, raw in enumerate(lines, 1):
        if isinstance(raw, bytes):
            try:
                raw = raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                yield ("e", None, f"invalid UTF-8 at byte {exc.start}", (name, lineno, None))
                continue
        if not raw.strip():
            continue
        try:
            obj = json.loads(raw)
        except json.JSONDecodeError as exc:
            yield ("e", None, f"invalid JSON: {exc.msg}", (name, lineno, None))
            continue
        except RecursionError:
            yield ("e", None, "invalid JSON: nested too deeply", (name, lineno, None))
            continue
        yield from record_items(obj, name, lineno)


def read_csv(stream: IO[bytes], name: str | None = None) -> Iterator[tuple]:
    """Items of a CSV file with a header row (``call_id``, ``speaker``, ``text``, ``timestamp``, ``turn``, ...).

    ``line`` in error records is the line where the row starts (a quoted field may span lines).
    """
    text = io.TextIOWrapper(stream, encoding="utf-8", errors="surrogateescape", newline="")
    reader = csv.reader(text)
    try:
        header = next(reader)
    except StopIteration:
        return
    except csv.Error as exc:
        yield ("e", None, f"invalid CSV header: {exc}", (name, 1, None))
        return
    header = [h.strip().lstrip("\ufeff") for h in header]
    n = len(header)
    prev = reader.line_num
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            yield ("e", None, f"invalid CSV: {exc}", (name, prev + 1, None))
            prev = reader.line_num
            continue
        start, prev = prev + 1, reader.line_num
        if not row or (len(row) == 1 and not row[0].strip()):
            continue
        try:
            "\x00".join(row).encode("utf-8")
        except UnicodeEncodeError:
            yield ("e", None, "invalid UTF-8", (name, start, None))
            continue
        if len(row) != n:
            cid = _call_id(row[header.index("call_id")]) if "call_id" in header and len(row) > header.index("call_id") else None
            yield ("e", cid, f"expected {n} fields, got {len(row)}", (name, start, None))
            continue
        yield from row_items(dict(zip(header, row)), name, start, strings=True)


def _sniff(head: bytes) -> str:
    head = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    return "jsonl" if head[:1] in (b"{", b"[") else "csv"


class Source:
    """Input files (or standard input) read lazily, with progress (fraction of bytes read) when sizes are known."""

    def __init__(self, spec: str | Path, input_format: str | None = None) -> None:
        self.spec = str(spec)
        self.input_format = None if input_format in (None, "auto") else input_format
        if self.spec == "-":
            self.files: list[Path] = []
        else:
            path = Path(spec)
            if path.is_dir():
                self.files = sorted(p for p in path.rglob("*") if p.is_file() and not p.name.startswith(".")
                                    and _suffix_format(p) is not None)
            elif path.is_file():
                self.files = [path]
            else:
                raise FileNotFoundError(f"{spec}: no such file or directory")
        self.total = sum(p.stat().st_size for p in self.files) or None
        self.done_bytes = 0
        self._current: IO[bytes] | None = None

    def describe(self) -> list[str]:
        return ["-"] if self.spec == "-" else [str(p.resolve()) for p in self.files]

    def fraction(self) -> float | None:
        if not self.total:
            return None
        pos = 0
        cur = self._current
        if cur is not None:
            try:
                raw = getattr(cur, "fileobj", None) or cur  # a gzip file: position in the compressed file
                pos = raw.tell()
            except (OSError, ValueError):
                pos = 0
        return min((self.done_bytes + pos) / self.total, 1.0)

    def items(self) -> Iterator[tuple]:
        if self.spec == "-":
            stream = sys.stdin.buffer
            fmt = self.input_format or _sniff(stream.peek(64) if hasattr(stream, "peek") else b"{")
            yield from (read_jsonl(stream, None) if fmt == "jsonl" else read_csv(stream, None))
            return
        single = len(self.files) == 1 and self.spec == str(self.files[0])
        for path in self.files:
            name = str(path)
            opener = gzip.open if path.suffix == ".gz" else open
            with opener(path, "rb") as f:
                fmt = self.input_format or _suffix_format(path)
                if fmt is None:
                    fmt = _sniff(f.peek(64) if hasattr(f, "peek") else b"{")
                self._current = f
                src = None if single else name
                yield from (read_jsonl(f, src) if fmt == "jsonl" else read_csv(f, src))
                self._current = None
            self.done_bytes += path.stat().st_size


def _suffix_format(path: Path) -> str | None:
    suffixes = path.suffixes
    if suffixes and suffixes[-1] == ".gz":
        suffixes = suffixes[:-1]
    return SUFFIXES.get(suffixes[-1].lower()) if suffixes else None


# --- the state store ------------------------------------------------------------------------------------------
#: Bits of the store's filter of call ids it may hold (1 MB). Most calls of an archive are new, and a lookup that
#: finds nothing cost the parent 15 us per call (measured with 1 job); the filter answers "never stored" without
#: SQLite. Two bits per call: at a million stored calls about 5% of new calls still take the (needless) lookup.
#: Fixed size, so memory stays flat however long the archive.
FILTER_BITS = 1 << 23


class _Store:
    """SQLite file of sessions moved out of memory (and of per-call summaries), plus checkpoint metadata.

    Created on first use. In a resumable run it is committed only at checkpoints, together with the checkpoint
    metadata, so an interrupted run rolls back to a consistent point.
    """

    def __init__(self, path: Path | None, *, resumable: bool = False) -> None:
        self.path = path
        self.resumable = resumable
        self._db: sqlite3.Connection | None = None
        self._tmpdir: str | None = None
        self._uncommitted = 0
        self._bits = bytearray(FILTER_BITS >> 3)
        if path is not None and path.exists():
            self._open()

    @staticmethod
    def _bit_pair(call_id: str) -> tuple[int, int]:
        h = hash(call_id)  # salted per process: the filter is rebuilt from the table when a file is opened
        return h & (FILTER_BITS - 1), (h >> 23) & (FILTER_BITS - 1)

    def _mark(self, call_id: str) -> None:
        for k in self._bit_pair(call_id):
            self._bits[k >> 3] |= 1 << (k & 7)

    def _may_hold(self, call_id: str) -> bool:
        return all(self._bits[k >> 3] & (1 << (k & 7)) for k in self._bit_pair(call_id))

    def _open(self) -> sqlite3.Connection:
        if self._db is None:
            if self.path is None:
                self._tmpdir = tempfile.mkdtemp(prefix="escalsignal-")
                self.path = Path(self._tmpdir) / "state.sqlite"
            db = sqlite3.connect(str(self.path))
            db.execute("PRAGMA synchronous=OFF")
            db.execute("CREATE TABLE IF NOT EXISTS calls (call_id TEXT PRIMARY KEY, seq INTEGER, state BLOB, summary TEXT)")
            db.execute("CREATE INDEX IF NOT EXISTS calls_seq ON calls(seq)")
            db.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT)")
            db.commit()
            for (call_id,) in db.execute("SELECT call_id FROM calls"):
                self._mark(call_id)
            self._db = db
        return self._db

    def get(self, call_id: str) -> bytes | None:
        if self._db is None or not self._may_hold(call_id):
            return None
        row = self._db.execute("SELECT state FROM calls WHERE call_id=?", (call_id,)).fetchone()
        return row[0] if row else None

    def put(self, call_id: str, seq: int, blob: bytes, summary: str | None) -> None:
        db = self._open()
        db.execute("INSERT OR REPLACE INTO calls VALUES (?, ?, ?, ?)", (call_id, seq, blob, summary))
        self._mark(call_id)
        self._uncommitted += 1
        if not self.resumable and self._uncommitted >= 2000:
            self.commit()

    def commit(self, meta: dict[str, Any] | None = None) -> None:
        db = self._open()
        if meta is not None:
            db.executemany("INSERT OR REPLACE INTO meta VALUES (?, ?)", [(k, json.dumps(v)) for k, v in meta.items()])
        db.commit()
        self._uncommitted = 0

    def meta(self) -> dict[str, Any]:
        if self._db is None:
            return {}
        return {k: json.loads(v) for k, v in self._db.execute("SELECT key, value FROM meta")}

    def summaries(self) -> Iterator[dict[str, Any]]:
        if self._db is None:
            return
        for (text,) in self._db.execute("SELECT summary FROM calls WHERE summary IS NOT NULL ORDER BY seq"):
            yield json.loads(text)

    def close(self, *, remove: bool = False) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None
        if self._tmpdir is not None:
            shutil.rmtree(self._tmpdir, ignore_errors=True)
            self._tmpdir = None
        elif remove and self.path is not None:
            for suffix in ("", "-journal", "-wal", "-shm"):
                Path(str(self.path) + suffix).unlink(missing_ok=True)


# --- the scorer (one per process) ----------------------------------------------------------------------------
class _Call:
    """A call's session in a scoring process. ``dirty``: changed since its state was last written to the store (a
    restored call is clean: the store holds exactly its state), so a clean call is not pickled and written again."""

    __slots__ = ("sess", "seq", "events", "n_events", "dirty")

    def __init__(self, sess: Any, seq: int, events: list | None = None, n_events: int = 0,
                 dirty: bool = True) -> None:
        self.sess, self.seq, self.events, self.n_events = sess, seq, events if events is not None else [], n_events
        self.dirty = dirty


class _Scorer:
    """Scores utterance messages through per-call sessions; keeps the sessions the engine tells it to keep.

    Messages: ``("u", seq, call_id, speaker, text, ts, metadata, end)`` score; ``("x", call_id)`` hand a session
    back to the store; ``("r", blob)`` restore one; ``("d", gen, final)`` copy every session to the store.
    Output entries: ``("r", flag, payload, summary)`` per utterance (flag 0 scored, 1 escalation, 2 failed),
    ``("s", call_id, seq, blob, summary_json)`` session states (``blob`` None: stored already), ``("m", gen)`` dump
    markers.
    """

    def __init__(self, det: Detector, emit: str, summaries: bool) -> None:
        self.det = det
        self.emit = emit
        self.summaries = summaries
        self.calls: dict[str, _Call] = {}
        fmt = _formatter(emit)
        #: (Recommendation, speaker, timestamp) -> the output record in the emit format.
        self.record: Callable[[Recommendation, str, float | None], Any] = (
            _JsonLines() if emit == "json" else lambda rec, speaker, ts: fmt(recommendation_record(rec, speaker, ts)))

    def handle(self, msg: tuple, out: list) -> None:
        kind = msg[0]
        if kind == "u":
            out.append(self._score(msg))
        elif kind == "x":
            c = self.calls.pop(msg[1])
            out.append(self._state(c))
        elif kind == "r":
            self._restore(msg[1])
        elif kind == "d":
            for c in self.calls.values():
                out.append(self._state(c))
            if msg[2]:
                self.calls.clear()
            out.append(("m", msg[1]))
        else:  # pragma: no cover
            raise ValueError(f"unknown message {kind!r}")

    def _score(self, msg: tuple) -> tuple:
        _, seq, call_id, speaker, text, ts, meta, end = msg
        c = self.calls.get(call_id)
        if c is None:
            c = self.calls[call_id] = _Call(self.det.session(call_id, meta), seq)
        elif meta:
            c.sess.update_metadata(**meta)
        c.dirty = True
        try:
            rec = c.sess.add(text, speaker=speaker, timestamp=ts)
        except Exception as exc:  # never expected: validation ran before; still, nothing is lost
            return ("r", 2, f"scoring failed: {type(exc).__name__}: {exc}", None)
        if rec.escalate:
            c.n_events += 1
            if len(c.events) < MAX_EVENTS:
                c.events.append({"turn": rec.turn, "priority": rec.priority, "escalation_type": rec.escalation_type,
                                 "route": rec.route, "reasons": [r.signal for r in rec.reasons],
                                 "rules": [r.rule_id for r in rec.reasons if r.rule_id]})
        if self.emit == "object":
            return ("r", 1 if rec.escalate else 0, rec, c.sess.summary() if end else None)
        payload = self.record(rec, speaker, ts) if self.emit != "none" else None
        return ("r", 1 if rec.escalate else 0, payload, None)

    def _state(self, c: _Call) -> tuple:
        """The ``("s", ...)`` entry that writes the call's state to the store; for a clean call, one without state
        that only tells the engine the call is out of this process."""
        s = c.sess
        if not c.dirty:
            return ("s", s.call_id, c.seq, None, None)
        c.dirty = False
        blob = pickle.dumps((s.call_id, s.metadata, s.state, s.last_timestamp, c.seq, c.events, c.n_events), 5)
        summary = json.dumps(summary_record(s.summary(), c.events, c.n_events)) if self.summaries else None
        return ("s", s.call_id, c.seq, blob, summary)

    def _restore(self, blob: bytes) -> None:
        from .session import Session

        call_id, metadata, state, last_ts, seq, events, n_events = pickle.loads(blob)
        sess = Session(self.det, call_id, metadata, state)
        sess.last_timestamp = last_ts
        self.calls[call_id] = _Call(sess, seq, events, n_events, dirty=False)


def tune_gc_for_batch() -> None:
    """For processes that do nothing but batch scoring (the CLI and its workers): leave the loaded Detector out of
    garbage collection and collect less often.

    Scoring allocates many short-lived dicts and tuples but makes no reference cycles; with the default thresholds
    CPython ran a collection every 700 allocations, each walking the Detector's hundreds of thousands of objects
    (pattern tables, model vocabulary), which cost about a fifth of the time per utterance. ``gc.freeze`` moves
    what exists now to a generation that is never scanned; cycles created later are still collected.
    """
    import gc

    gc.collect()
    gc.freeze()
    gc.set_threshold(GC_THRESHOLD, 20, 20)


#: Allocations between young-generation collections in batch processes (CPython's default is 700).
GC_THRESHOLD = 20_000
#: Messages a worker may have queued before new calls are scored in the parent instead: about 20 ms of work, so
#: a worker does not run dry while the parent scores a chunk of its own (on the benchmark archive, 4 runs each,
#: 512 and 2,048 ran ``--jobs 2`` about 3% and 5% slower than 1,024).
WORKER_QUEUE = 1024
#: Utterances in flight per process, in chunks. Results are taken back in input order, so the window must cover
#: a worker's queue and the parent's own work behind it (32 chunks ran ``--jobs 2`` about 9% slower than 64).
WINDOW_CHUNKS = 64


#: Bytes a pipe between the parent and a worker holds (Linux's default is 64 KiB; 1 MiB is what an unprivileged
#: process may ask for by default, ``/proc/sys/fs/pipe-max-size``).
PIPE_BYTES = 1 << 20


def _grow_pipe(conn: Any) -> None:
    """Let a pipe hold about a thousand utterances' messages or results. With 64 KiB (about 300 input messages or
    90 output records) the parent blocked writing to a busy worker when it could have been scoring, and the
    worker's results waited in its process: ``--jobs 2`` ran 33-35,000 utterances/s on the benchmark archive
    instead of 41-46,000. Where the call is missing or refused, the default size only costs speed."""
    import fcntl

    try:
        fcntl.fcntl(conn.fileno(), fcntl.F_SETPIPE_SZ, PIPE_BYTES)  # type: ignore[attr-defined]
    except (AttributeError, OSError):
        pass


class _Feeder:
    """Sends a worker's results from a thread of its own, so the worker never blocks on a full result pipe and
    always goes back to reading its input: a worker blocked writing results while the parent is blocked writing
    it more work would wait for each other forever."""

    def __init__(self, conn: Any) -> None:
        import queue
        import threading

        self.conn, self.queue = conn, queue.SimpleQueue()
        self.thread = threading.Thread(target=self._run, name="escalsignal-results", daemon=True)
        self.thread.start()

    def _run(self) -> None:
        while True:
            obj = self.queue.get()
            if obj is None:
                return
            try:
                self.conn.send(obj)
            except OSError:  # the parent is gone: nobody reads the results
                return

    def put(self, obj: Any) -> None:
        self.queue.put(obj)

    def close(self) -> None:
        """Send what is queued, then stop."""
        self.queue.put(None)
        self.thread.join()
        self.conn.close()


def _worker_main(det: Any, loader: Any, emit: str, summaries: bool, inq: Any, results: Any,
                 parent_ends: tuple) -> None:
    import signal
    import traceback

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides what an interrupt means
    for end in parent_ends:  # so that the parent's exit is an end of input here, and a broken result pipe
        end.close()
    outq = _Feeder(results)
    try:
        scorer = _Scorer(det if det is not None else loader(), emit, summaries)
        tune_gc_for_batch()
        while True:
            try:
                msgs = inq.recv()
            except EOFError:
                break
            if msgs is None:
                break
            out: list = []
            for m in msgs:
                scorer.handle(m, out)
            outq.put(out)
    except BaseException:  # report, then stop: the parent raises
        outq.put(("fail", traceback.format_exc()))
    finally:
        outq.close()


class _Local:
    def __init__(self, scorer: _Scorer) -> None:
        self.scorer, self.out = scorer, []

    def send(self, msgs: list) -> None:
        for m in msgs:
            self.scorer.handle(m, self.out)

    def recv(self) -> Any:
        out, self.out = self.out, []
        return out

    def stop(self) -> None:
        pass


class _Proc:
    """A scoring process. Work goes to it over a plain pipe, pickled and written by the parent's own thread; results
    come back over another, written by the worker's feeder thread (``_Feeder``), so a full input pipe always
    drains. With a ``multiprocessing.Queue`` for the input too, the parent's two feeder threads contended for the
    GIL with its reading and writing thread; the plain pipe ran ``--jobs 2`` about 4% faster (benchmark archive,
    5 interleaved runs)."""

    def __init__(self, ctx: Any, det: Any, loader: Any, emit: str, summaries: bool, others: tuple = ()) -> None:
        work, self.inq = ctx.Pipe(duplex=False)
        self.outq, done = ctx.Pipe(duplex=False)
        _grow_pipe(self.inq)
        _grow_pipe(done)
        self.proc = ctx.Process(target=_worker_main, daemon=True,
                                args=(det, loader, emit, summaries, work, done, (self.inq, self.outq, *others)))
        self.proc.start()
        work.close()  # the worker holds these ends now: if it dies, a send fails and a receive ends
        done.close()

    def send(self, msgs: list) -> None:
        try:
            self.inq.send(msgs)
        except (BrokenPipeError, ConnectionResetError):
            raise RuntimeError(f"scoring process {self.proc.pid} died (exit code {self.proc.exitcode})") from None

    def ready(self) -> bool:
        """Results are waiting to be received."""
        return self.outq.poll()

    def recv(self) -> Any:
        while not self.outq.poll(1.0):
            if not self.proc.is_alive():
                break
        try:
            return self.outq.recv()
        except (EOFError, OSError):
            self.proc.join(timeout=1.0)
            raise RuntimeError(f"scoring process {self.proc.pid} died (exit code {self.proc.exitcode})") from None

    def stop(self, *, kill: bool = False) -> None:
        if kill:
            if self.proc.is_alive():
                self.proc.terminate()
        else:
            try:
                self.inq.send(None)
            except (OSError, ValueError):
                pass
        self.inq.close()
        self.outq.close()  # a worker still sending gets a broken pipe and stops
        self.proc.join(timeout=10)
        if self.proc.is_alive():
            self.proc.kill()
            self.proc.join()


def item_src(item: tuple) -> tuple:
    """``(file, line, turn_index)`` of an item."""
    return item[6] if item[0] == "u" else item[3] if item[0] == "e" else item[2]


def resolve_jobs(n_jobs: int | None) -> int:
    """``None``/1: one process; ``0`` or negative: every usable core (``-1`` all, ``-2`` all but one, ...)."""
    if n_jobs is None:
        return 1
    if n_jobs > 0:
        return n_jobs
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return max(1, cores + 1 + n_jobs) if n_jobs < 0 else cores


# --- the engine ---------------------------------------------------------------------------------------------
class Engine:
    """Scores a stream of items in input order with ``n_jobs`` processes over whole calls, in bounded memory.

    ``n_jobs`` processes: this one, which also reads and writes, and ``n_jobs - 1`` workers. Each call is scored
    in one of them, so a call's utterances go through one ``Session`` in order, whichever process runs it. A new
    call goes to the least busy worker whose queue holds fewer than ``WORKER_QUEUE`` messages, otherwise to this
    process: the workers never run dry, and this process scores whatever its reading and writing leave it time for.
    With three processes on two cores instead (a parent that only read, routed and wrote, and two workers), the
    workers waited for input a fifth of the time and ``--jobs 2`` ran 0.83 of two independent processes.

    The parent keeps at most ``window`` utterances in flight and mirrors each process's set of open sessions:
    when more than ``max_open_calls`` are open, the least recently seen call's state moves to the store; it is
    restored, exactly, in whichever process the call goes to when it comes back. Results are yielded in input
    order as ``(item, flag, payload, summary)``; ``flag`` is 0 scored, 1 escalation, 2 rejected.
    """

    def __init__(self, det: Detector, *, n_jobs: int = 1, emit: str = "dict", summaries: bool = False,
                 store_path: Path | None = None, resumable: bool = False, loader: Callable[[], Detector] | None = None,
                 max_open_calls: int = DEFAULT_MAX_OPEN_CALLS, chunk: int = 64) -> None:
        import multiprocessing as mp

        self.det = det
        self.n = resolve_jobs(n_jobs)
        self.emit = emit
        self.fmt = _formatter(emit)
        self.store = _Store(store_path, resumable=resumable)
        #: Copy every session to the store at the end: needed for summaries only. A resumable run that finishes
        #: removes its store; one stopped after its last result resumes from its last checkpoint, which truncates
        #: the partial output to that checkpoint's length, so no final commit is needed (about 2% of a 1-job run).
        self.keep_final = summaries
        self.cap = max(1, -(-max_open_calls // self.n))
        self.mirrors: list[OrderedDict[str, None]] = [OrderedDict() for _ in range(self.n)]
        #: open call -> the process holding its session; calls whose state is on its way to the store -> process.
        self.home: dict[str, int] = {}
        self.evicting: dict[str, int] = {}
        #: messages sent to each process (utterances, session moves, checkpoints) and result entries taken back.
        self.sent = [0] * self.n
        self.taken = [0] * self.n
        self.results: list[deque] = [deque() for _ in range(self.n)]
        self.pending: list[list] = [[] for _ in range(self.n)]
        self.order: deque = deque()
        self.new_calls = 0
        self.items_done = 0
        self._gen = 0
        if self.n == 1:
            self.chunk, self.window = 1, 1
            self.workers: list[Any] = [_Local(_Scorer(det, emit, summaries))]
        else:
            self.chunk, self.window = chunk, self.n * WINDOW_CHUNKS * chunk
            methods = mp.get_all_start_methods()
            if "fork" in methods:
                ctx, wdet, wload = mp.get_context("fork"), det, None  # the loaded Detector is shared copy-on-write
            elif loader is not None:
                ctx, wdet, wload = mp.get_context("spawn"), None, loader
            else:
                raise ValueError("n_jobs > 1 needs the 'fork' start method here, or a loader=... that loads the Detector")
            self.workers = [_Local(_Scorer(det, emit, summaries))]
            try:
                for _ in range(self.n - 1):
                    others = tuple(e for w in self.workers[1:] for e in (w.inq, w.outq))
                    self.workers.append(_Proc(ctx, wdet, wload, emit, summaries, others))
            except BaseException:
                self.close(kill=True)
                raise

    # -- routing
    def _send(self, w: int, msg: tuple) -> None:
        p = self.pending[w]
        p.append(msg)
        if len(p) >= self.chunk:
            self._flush(w)

    def _flush(self, w: int) -> None:
        if self.pending[w]:
            msgs, self.pending[w] = self.pending[w], []
            self.sent[w] += len(msgs)
            self.workers[w].send(msgs)

    def _pull(self, w: int) -> None:
        out = self.workers[w].recv()
        if isinstance(out, tuple) and out and out[0] == "fail":
            raise RuntimeError(f"a scoring process failed:\n{out[1]}")
        self.taken[w] += len(out)
        res = self.results[w]
        for e in out:
            if e[0] == "s":
                if e[3] is not None:  # None: the store already holds this call's state
                    self.store.put(e[1], e[2], e[3], e[4])
                self.evicting.pop(e[1], None)
            else:
                res.append(e)

    def _next(self, w: int) -> tuple:
        res = self.results[w]
        while not res:
            self._flush(w)
            self._pull(w)
        return res.popleft()

    def _route(self, item: tuple, seq: int) -> None:
        call_id = item[1]
        w = self.home.get(call_id)
        if w is not None:
            self.mirrors[w].move_to_end(call_id)
        else:
            while call_id in self.evicting:  # its state is on its way back from its process: wait for it
                v = self.evicting[call_id]
                self._flush(v)
                self._pull(v)
            w = self._place()
            mirror = self.mirrors[w]
            self.home[call_id] = w
            blob = self.store.get(call_id)
            if blob is not None:
                self._send(w, ("r", blob))
            else:
                self.new_calls += 1
            mirror[call_id] = None
            if len(mirror) > self.cap:
                old, _ = mirror.popitem(last=False)
                del self.home[old]
                self.evicting[old] = w
                self._send(w, ("x", old))
        self._send(w, ("u", seq, call_id, item[2], item[3], item[4], item[5], item[7]))
        self.order.append((w, item))

    def _queued(self, w: int) -> int:
        """Messages sent to process ``w`` or waiting to be, less the result entries taken back (a moved session
        sends back one state and a restored one none, so this is a little off: it only steers where new calls go)."""
        return self.sent[w] + len(self.pending[w]) - self.taken[w]

    def _place(self) -> int:
        """The process a new call goes to: the worker with the shortest queue under ``WORKER_QUEUE``, taking back
        results that are ready before judging; this process (0) when every worker has enough to do."""
        best, shortest = 0, WORKER_QUEUE
        for w in range(1, self.n):
            q = self._queued(w)
            while q >= WORKER_QUEUE and self.workers[w].ready():
                self._pull(w)
                q = self._queued(w)
            if q < shortest:
                best, shortest = w, q
        return best

    def _drain_one(self, on_checkpoint: Callable[[], dict[str, Any]] | None) -> tuple | None:
        entry = self.order.popleft()
        w, item = entry
        if w == -1:  # an error record made by the reader
            self.items_done += 1
            return (item, 2, self.fmt(error_record(item[3], item[1], item[2])), None)
        if w == -3:  # a call with no turns (score_calls): nothing to score, nothing read
            return (item, 3, None, None)
        if w == -2:  # a checkpoint barrier: every process copied its sessions into the store
            for v in range(self.n):
                marker = self._next(v)
                assert marker == ("m", item), marker
            meta = dict(on_checkpoint() if on_checkpoint else {})
            meta.update(items=self.items_done, calls=self.new_calls)
            self.store.commit(meta)
            return None
        _, flag, payload, summary = self._next(w)
        self.items_done += 1
        if flag == 2:
            payload = self.fmt(error_record(item[6], item[1], payload))
        return (item, flag, payload, summary)

    def _barrier(self, final: bool) -> None:
        self._gen += 1
        for w in range(self.n):
            self._send(w, ("d", self._gen, final))
            self._flush(w)
        self.order.append((-2, self._gen))

    def run(self, items: Iterable[tuple], *, skip: int = 0, checkpoint_seconds: float | None = None,
            on_checkpoint: Callable[[], dict[str, Any]] | None = None,
            stop: Callable[[], bool] | None = None) -> Iterator[tuple]:
        """Yield ``(item, flag, payload, summary)`` per item, in input order. ``skip``: items already done.

        With ``checkpoint_seconds``, every so often all sessions are copied to the store, and the store is
        committed together with ``on_checkpoint()``'s metadata (called once all earlier results were yielded).
        The first checkpoint comes after a second and the interval doubles up to ``checkpoint_seconds``, so a
        run killed early loses little. When ``stop()`` turns true (checked between input records; e.g. after
        Ctrl-C), a checkpoint is committed at that record and ``KeyboardInterrupt`` is raised: a resume then
        continues exactly there.
        """
        order = self.order
        self.items_done = skip
        delays = checkpoint_delays(checkpoint_seconds) if checkpoint_seconds is not None else None
        next_ckpt = time.monotonic() + next(delays) if delays is not None else None
        seq = -1
        for item in items:
            seq += 1
            if seq < skip:
                continue
            kind = item[0]
            if kind == "u":
                self._route(item, seq)
            else:
                order.append((-1 if kind == "e" else -3, item))
            stopping = stop is not None and stop()
            if len(order) >= self.window or stopping:
                low = self.window // 2
                if next_ckpt is not None and (stopping or time.monotonic() >= next_ckpt):
                    self._barrier(False)  # drained at once, so the checkpoint is committed now
                    low = 0
                    next_ckpt = time.monotonic() + next(delays)  # type: ignore[arg-type]
                while len(order) > low:
                    r = self._drain_one(on_checkpoint)
                    if r is not None:
                        yield r
                if stopping:
                    raise KeyboardInterrupt
        for w in range(self.n):
            self._flush(w)
        while order:
            r = self._drain_one(on_checkpoint)
            if r is not None:
                yield r
        if self.keep_final:
            self._barrier(True)
            while order:
                self._drain_one(on_checkpoint)

    def summaries(self) -> Iterator[dict[str, Any]]:
        """Per-call summary records, in order of each call's first utterance (after ``run`` has finished)."""
        return self.store.summaries()

    def close(self, *, kill: bool = False, remove_store: bool = True) -> None:
        for w in getattr(self, "workers", []):
            w.stop(kill=kill) if isinstance(w, _Proc) else w.stop()
        self.workers = []
        self.store.close(remove=remove_store)


# --- Python API ---------------------------------------------------------------------------------------------
def score_lines(det: Detector, lines: Iterable[bytes | str], counts: Counts | None = None, *,
                n_jobs: int = 1) -> Iterator[dict[str, Any]]:
    """Score JSONL lines (utterance-per-line or call-per-line), lazily, in input order.

    Yields one output record per utterance and one error record per rejected record; updates ``counts``.
    """
    counts = counts if counts is not None else Counts()
    eng = Engine(det, n_jobs=n_jobs, emit="dict")
    try:
        for _, flag, payload, _ in eng.run(read_jsonl(lines)):
            counts.add(flag)
            counts.calls = eng.new_calls
            yield payload
    finally:
        eng.close()


def score_path(det: Detector, path: str | Path, *, n_jobs: int = 1, input_format: str | None = None,
               counts: Counts | None = None, flat: bool = False) -> Iterator[dict[str, Any]]:
    """Score a file or directory (JSONL, CSV, gzip, as the CLI does); yields records (``flat``: CSV columns)."""
    counts = counts if counts is not None else Counts()
    eng = Engine(det, n_jobs=n_jobs, emit="flat" if flat else "dict")
    try:
        for _, flag, payload, _ in eng.run(Source(path, input_format).items()):
            counts.add(flag)
            counts.calls = eng.new_calls
            yield payload
    finally:
        eng.close()


@dataclass(frozen=True)
class CallResult:
    """One call's results from ``score_calls``: a recommendation per scored turn, error records, the summary."""

    call_id: str | None
    recommendations: tuple[Recommendation, ...]
    errors: tuple[dict[str, Any], ...] = ()
    summary: CallSummary | None = None


def _call_record(call: Any) -> Any:
    if isinstance(call, dict):
        rec = dict(call)
    elif isinstance(call, (tuple, list)) and len(call) in (2, 3):
        rec = {"call_id": call[0], "turns": call[1]}
        if len(call) == 3:
            rec["metadata"] = call[2]
    else:
        return call  # rejected by record_items with a clear message
    turns = rec.get("turns")
    if isinstance(turns, (list, tuple)):
        rec["turns"] = [t if isinstance(t, dict) else
                        dict(zip(("speaker", "text", "timestamp"), t)) if isinstance(t, (tuple, list)) else t
                        for t in turns]
    return rec


def score_calls(det: Detector, calls: Iterable[Any], *, n_jobs: int = 1,
                max_open_calls: int = DEFAULT_MAX_OPEN_CALLS) -> Iterator[CallResult]:
    """Score whole calls, lazily and in order, with ``n_jobs`` processes; one ``CallResult`` per call.

    A call is ``{"call_id", "turns": [{"speaker", "text", "timestamp"?}, ...], "metadata"?}`` or a tuple
    ``(call_id, turns[, metadata])`` whose turns may be ``(speaker, text[, timestamp])``. Results equal feeding
    the turns to ``det.session(call_id, metadata).add(...)``; a ``call_id`` given twice continues its session.
    """
    def items() -> Iterator[tuple]:
        for i, call in enumerate(calls):
            rec = _call_record(call)
            if isinstance(rec, dict):
                if "turns" not in rec:
                    rec["turns"] = None
                elif rec["turns"] == []:
                    yield ("p", _call_id(rec.get("call_id")), (None, i, None))
                    continue
            yield from record_items(rec, None, i)

    eng = Engine(det, n_jobs=n_jobs, emit="object", max_open_calls=max_open_calls)
    cur: int | None = None
    call_id: str | None = None
    recs: list[Recommendation] = []
    errs: list[dict[str, Any]] = []
    summary: CallSummary | None = None
    try:
        for item, flag, payload, summ in eng.run(items()):
            src = item_src(item)
            if src[1] != cur:
                if cur is not None:
                    yield CallResult(call_id, tuple(recs), tuple(errs), summary)
                cur, call_id, recs, errs, summary = src[1], item[1], [], [], None
            if flag == 2:
                errs.append(payload)
            elif flag != 3:
                recs.append(payload)
                if summ is not None:
                    summary = summ
        if cur is not None:
            yield CallResult(call_id, tuple(recs), tuple(errs), summary)
    finally:
        eng.close()


# --- archive KPIs -------------------------------------------------------------------------------------------
def _top(counter: Counter, top: int, total: int) -> list[list[Any]]:
    """``[[key, count, share], ...]``, most common first and ties by key: the same for any order of counting."""
    ranked = sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))[:top]
    return [[k, v, round(v / total, 4)] for k, v in ranked]


class Report:
    """Archive KPIs from per-call summary records: escalation rate, rate per signal, routes and reasons."""

    def __init__(self) -> None:
        self.calls = 0
        self.escalated = 0
        self.escalations = 0
        self.signal_calls: Counter[str] = Counter()
        self.routes: Counter[str] = Counter()
        self.priorities: Counter[str] = Counter()
        self.reasons: Counter[str] = Counter()
        self.rules: Counter[str] = Counter()
        self.events = 0

    def add(self, s: dict[str, Any]) -> None:
        self.calls += 1
        self.escalated += bool(s.get("escalated"))
        self.escalations += int(s.get("escalations") or 0)
        for sig in s.get("signals_seen") or ():
            self.signal_calls[sig] += 1
        for e in s.get("escalation_events") or ():
            self.events += 1
            self.routes[e.get("route") or "-"] += 1
            self.priorities[e.get("priority") or "-"] += 1
            for r in set(e.get("reasons") or ()):
                self.reasons[r] += 1
            for r in set(e.get("rules") or ()):
                self.rules[r] += 1

    def to_dict(self, counts: dict[str, int] | None = None, top: int = 10) -> dict[str, Any]:
        n = self.calls or 1
        ev = self.events or 1
        out: dict[str, Any] = {}
        if counts is not None:
            out["utterances"] = {k: counts[k] for k in ("read", "scored", "rejected")}
        out.update({
            "calls": self.calls, "escalated_calls": self.escalated,
            "escalation_rate": round(self.escalated / n, 4), "escalations": self.escalations,
            "repeat_contact_rate": round(self.signal_calls["repeat_contact"] / n, 4),
            "signal_rates": {s: round(self.signal_calls[s] / n, 4) for s in SIGNALS},
            "top_routes": _top(self.routes, top, ev),
            "priorities": dict(sorted(self.priorities.items())),
            "top_reasons": _top(self.reasons, top, ev),
            "top_rules": _top(self.rules, top, ev),
        })
        return out

    def format(self, counts: dict[str, int] | None = None) -> str:
        d = self.to_dict(counts)
        lines = []
        if "utterances" in d:
            u = d["utterances"]
            lines.append(f"utterances           {u['read']:,} read, {u['scored']:,} scored, {u['rejected']:,} rejected")
        lines += [
            f"calls                {d['calls']:,}",
            f"escalated calls      {d['escalated_calls']:,} ({d['escalation_rate']:.1%}), "
            f"{d['escalations']:,} escalations",
            f"repeat-contact rate  {d['repeat_contact_rate']:.1%} of calls",
            "signal rates (share of calls where the signal was detected at least once):",
            *(f"  {s:16s} {r:6.1%}" for s, r in d["signal_rates"].items()),
        ]
        for title, key in (("top routes", "top_routes"), ("top reasons", "top_reasons"),
                           ("top trigger rules", "top_rules")):
            lines.append(f"{title} (share of escalations):")
            lines += [f"  {k:32s} {v:8,} {share:6.1%}" for k, v, share in d[key]] or ["  -"]
        return "\n".join(lines) + "\n"


def read_summaries(path: str | Path) -> Iterator[dict[str, Any]]:
    """Records of a calls-summary file written by ``escalsignal score --calls-summary`` (JSONL or CSV)."""
    path = Path(path)
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8", newline="") as f:
        if _suffix_format(path) == "csv":
            for row in csv.DictReader(f):
                yield summary_unflat(row)
        else:
            for line in f:
                if line.strip():
                    yield json.loads(line)


def is_summary_file(path: str | Path) -> bool:
    """Whether ``path`` is a calls-summary file (its first record has ``signals_seen``) rather than transcripts."""
    path = Path(path)
    if not path.is_file():
        return False
    try:
        first = next(read_summaries(path), None)
    except (ValueError, UnicodeDecodeError, csv.Error, OSError, EOFError):
        return False
    return isinstance(first, dict) and "signals_seen" in first and "escalated" in first


# --- archive runs: atomic output, checkpoints, resume ---------------------------------------------------------
def checkpoint_delays(every: float) -> Iterator[float]:
    """Seconds to each next checkpoint: 1, 2, 4, ... up to ``every`` (never more than ``every``)."""
    delay = min(1.0, every)
    while True:
        yield delay
        delay = min(delay * 2, every)


class ResumeError(Exception):
    """``--resume`` cannot continue: the partial output was made from other input, options or model."""


def work_dir(output: str | Path) -> Path:
    """Where an unfinished run keeps its partial output and state: ``.NAME.escalsignal/`` beside the output."""
    out = Path(output)
    return out.parent / f".{out.name}.escalsignal"


def _atomic_write(path: Path, lines: Iterable[str]) -> None:
    tmp = path.parent / f".{path.name}.partial"
    with open(tmp, "w", encoding="utf-8", errors="backslashreplace", newline="") as f:
        for line in lines:
            f.write(line)
    os.replace(tmp, path)


def write_summaries(path: str | Path, records: Iterable[dict[str, Any]]) -> None:
    """Write calls-summary records to ``path`` (CSV when it ends in .csv, else JSONL), via a temporary file."""
    path = Path(path)
    if _suffix_format(path) == "csv":
        line = _CsvLine(SUMMARY_COLUMNS)
        gen = (line(summary_flat(r)) for r in records)
        lines: Iterable[str] = _chain_header(csv_header(SUMMARY_COLUMNS), gen)
    else:
        lines = (json.dumps(r, ensure_ascii=False) + "\n" for r in records)
    _atomic_write(path, lines)


def _chain_header(header: str, rest: Iterable[str]) -> Iterator[str]:
    yield header
    yield from rest


def score_archive(det: Detector, source: Source, output: str | None, *, fmt: str = "jsonl",
                  calls_summary: str | None = None, report: Report | None = None, n_jobs: int = 1,
                  resume: bool = False, max_open_calls: int = DEFAULT_MAX_OPEN_CALLS,
                  checkpoint_seconds: float = 10.0, loader: Callable[[], Detector] | None = None,
                  progress: Callable[[Counts, Source], None] | None = None,
                  notice: Callable[[str], None] = lambda s: None, stop: Callable[[], bool] | None = None) -> Counts:
    """Score ``source`` to ``output`` (a path, or None/"-" for standard output) and return the counts.

    A file output is written as ``.NAME.escalsignal/output.partial`` and renamed to NAME only when the run is
    complete; the run checkpoints every ``checkpoint_seconds`` and ``resume=True`` continues from the last
    checkpoint of an interrupted run. Calls summaries (and ``report``) are filled at the end. ``stop``: checked
    between records; when it returns true the run commits a checkpoint there and raises ``KeyboardInterrupt``
    (the CLI sets it on Ctrl-C or SIGTERM), so ``resume=True`` loses nothing of a stopped run.
    """
    from . import __version__

    emit = {"jsonl": "json", "csv": "csv", "text": "text", "none": "none"}[fmt]
    to_stdout = output in (None, "-")
    if resume and to_stdout:
        raise ResumeError("--resume needs an output file (-o FILE): standard output cannot be continued")
    fingerprint = {"escalsignal": __version__, "input": source.describe(), "input_format": source.input_format,
                   "format": fmt, "model": det.manifest.get("arrays_sha256"), "matrix": det.matrix.source,
                   "summaries": calls_summary is not None or report is not None}
    counts = Counts()
    skip = 0
    meta: dict[str, Any] = {}
    work = partial = store_path = None
    if not to_stdout:
        work = work_dir(output)  # type: ignore[arg-type]
        partial, store_path = work / "output.partial", work / "state.sqlite"
        if resume and store_path.is_file():
            probe = _Store(store_path)
            meta = probe.meta()
            probe.close()
            if not meta.get("items"):
                meta = {}
            elif meta.get("fingerprint") != fingerprint:
                diff = sorted(k for k in fingerprint if fingerprint[k] != (meta.get("fingerprint") or {}).get(k))
                raise ResumeError(f"{work}: the partial output was made with other {', '.join(diff)}; "
                                  "run without --resume to start again")
        if resume and not meta:
            notice("nothing to resume: starting from the beginning")
        if meta:
            size = partial.stat().st_size if partial.is_file() else -1
            if size < meta["output_bytes"]:
                raise ResumeError(f"{partial}: shorter than its last checkpoint; run without --resume")
            with open(partial, "r+b") as f:
                f.truncate(meta["output_bytes"])
            skip = meta["items"]
            counts = Counts(**meta["counts"])
            notice(f"resuming: {counts.read:,} records already scored, continuing after input record {skip:,}")
        else:
            if work.exists():
                shutil.rmtree(work)
            work.mkdir(parents=True)
    engine = Engine(det, n_jobs=n_jobs, emit=emit, summaries=fingerprint["summaries"], store_path=store_path,
                    resumable=not to_stdout, loader=loader, max_open_calls=max_open_calls)
    if meta:
        engine.new_calls = meta.get("calls", 0)
    out: IO[bytes] = sys.stdout.buffer if to_stdout else open(partial, "ab")  # type: ignore[arg-type]
    nbytes = meta.get("output_bytes", 0)
    ok = False
    try:
        if fmt == "csv" and not meta:
            header = csv_header().encode("utf-8")
            out.write(header)
            nbytes += len(header)

        def on_checkpoint() -> dict[str, Any]:
            out.flush()
            counts.calls = engine.new_calls
            return {"fingerprint": fingerprint, "output_bytes": nbytes, "counts": counts.to_dict()}

        tick = 0
        for _, flag, payload, _ in engine.run(source.items(), skip=skip, on_checkpoint=on_checkpoint,
                                              checkpoint_seconds=None if to_stdout else checkpoint_seconds,
                                              stop=stop):
            counts.add(flag)
            if payload:
                data = payload.encode("utf-8", "backslashreplace")  # a lone surrogate becomes \udXXX
                out.write(data)
                nbytes += len(data)
            tick += 1
            if progress is not None and tick >= 256:
                tick = 0
                counts.calls = engine.new_calls
                progress(counts, source)
        counts.calls = engine.new_calls
        out.flush()
        if calls_summary is not None or report is not None:
            def summaries() -> Iterator[dict[str, Any]]:
                for s in engine.summaries():
                    if report is not None:
                        report.add(s)
                    yield s

            if calls_summary is not None:
                write_summaries(calls_summary, summaries())
            else:
                for _ in summaries():
                    pass
        ok = True
    finally:
        if not to_stdout:
            out.close()
        engine.close(kill=not ok, remove_store=ok or to_stdout)
        if ok and work is not None:
            os.replace(partial, output)  # type: ignore[arg-type]
            shutil.rmtree(work, ignore_errors=True)
        elif work is not None and (work / "state.sqlite").is_file():
            notice(f"interrupted: the partial output is kept in {work}; run the same command with --resume "
                   "to continue")
    return counts
