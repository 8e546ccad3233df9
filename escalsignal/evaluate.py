"""Measure a model on labelled data, tune its thresholds, and write an HTML report.

    escalsignal evaluate DATA [--model DIR] [--matrix FILE] [--asr] [--report DIR] [--json FILE]
    escalsignal calibrate DATA (--target-precision P | --alerts-per-100-calls N) [--model DIR] -o DIR

DATA is a JSONL file or a directory of them, in the project's formats (data/FORMAT.md): utterance records
(``text``, ``speaker``, ``labels: {signal: 0|1}``) and call records (``turns: [{speaker, text, labels}]``,
``labels: {escalate: 0|1, escalate_turn: N|null}``). A signal missing from a record's ``labels`` is *unlabelled*
for that record: it is left out of that signal's figures (a team may label only the signals it cares about).
Agent speech is never scored for customer signals, so agent lines and turns are left out of the signal figures.

Signal figures are per customer utterance (utterance records and the customer turns of calls): precision, recall
and F1 at the model's thresholds (``detected`` is ``score >= threshold``), ROC-AUC and average precision of the
score. Call figures come from running every call through a session, exactly as a live call: a call is *alerted*
when at least one turn recommends escalation; an *alert* is one such recommendation (a call may get more than one
when new evidence changes the route or raises the priority). The early-warning lead time of an escalation call is
``escalate_turn - first alerted turn`` in turns (agent turns count): positive is early, negative is late.

Calibration replays the same sessions with other thresholds; nothing is retrained. It writes a copy of the model
directory whose manifest carries the new ``thresholds`` and, for the call level, a ``policy`` table
(``raise_at``, ``rearm_below``) that ``Detector.load`` applies on top of the escalation matrix's policy.
"""
from __future__ import annotations

import argparse
import base64
import dataclasses
import html
import json
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Iterator, Sequence

import numpy as np

from .types import SIGNALS, SPEAKERS

CALL_LABELS = ("escalate", "escalate_turn")
#: raise_at values tried by ``calibrate`` for the call level.
RAISE_GRID = tuple(round(0.05 + 0.01 * i, 2) for i in range(95))


# --- labelled data ------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Line:
    """A labelled utterance record. ``labels`` holds only the signals it was labelled for."""

    id: str
    text: str
    speaker: str
    labels: dict[str, int]


@dataclass(frozen=True)
class Turn:
    speaker: str
    text: str
    labels: dict[str, int]


@dataclass(frozen=True)
class Call:
    call_id: str
    turns: tuple[Turn, ...]
    escalate: int | None = None  # None: the call has no call-level label
    escalate_turn: int | None = None
    metadata: dict[str, Any] = field(default_factory=dict)


@dataclass
class Dataset:
    lines: list[Line]
    calls: list[Call]
    files: list[Path]

    def digest(self) -> str:
        from .corpus import corpus_digest

        return corpus_digest(self.files)


def signal_labels(obj: dict[str, Any], where: str) -> dict[str, int]:
    """The labelled signals of a record or turn. Unknown keys are refused, so a misspelt signal is not ignored."""
    labels = obj.get("labels", {})
    if not isinstance(labels, dict):
        raise ValueError(f"{where}: 'labels' must be an object")
    out = {}
    for key, value in labels.items():
        if key not in SIGNALS:
            raise ValueError(f"{where}: unknown label {key!r}; signals are {', '.join(SIGNALS)}")
        if value not in (0, 1):
            raise ValueError(f"{where}: label {key!r} must be 0 or 1, got {value!r}")
        out[key] = int(value)
    return out


def _text(obj: dict[str, Any], where: str) -> tuple[str, str]:
    speaker = obj.get("speaker", "customer")
    if speaker not in SPEAKERS or not isinstance(obj.get("text"), str):
        raise ValueError(f"{where}: needs a speaker in {SPEAKERS} and a text")
    return speaker, obj["text"]


def _call(obj: dict[str, Any], where: str) -> Call:
    turns = obj["turns"]
    if not isinstance(turns, list):
        raise ValueError(f"{where}: 'turns' must be a list")
    parsed = []
    for i, t in enumerate(turns):
        if not isinstance(t, dict):
            raise ValueError(f"{where} turn {i}: expected an object")
        speaker, text = _text(t, f"{where} turn {i}")
        parsed.append(Turn(speaker, text, signal_labels(t, f"{where} turn {i}")))
    labels = obj.get("labels") or {}
    if not isinstance(labels, dict):
        raise ValueError(f"{where}: call 'labels' must be an object")
    extra = set(labels) - set(CALL_LABELS)
    if extra:
        raise ValueError(f"{where}: unknown call label {sorted(extra)[0]!r}; call labels are {', '.join(CALL_LABELS)}")
    esc, due = labels.get("escalate"), labels.get("escalate_turn")
    if esc is not None and esc not in (0, 1):
        raise ValueError(f"{where}: 'escalate' must be 0 or 1, got {esc!r}")
    if due is not None:
        if not isinstance(due, int) or isinstance(due, bool) or not 0 <= due < len(parsed):
            raise ValueError(f"{where}: 'escalate_turn' must be a turn index in 0..{len(parsed) - 1} or null")
        if esc != 1:
            raise ValueError(f"{where}: 'escalate_turn' is set but 'escalate' is not 1")
    meta = obj.get("metadata") or {}
    if not isinstance(meta, dict):
        raise ValueError(f"{where}: 'metadata' must be an object")
    return Call(str(obj.get("call_id", where)), tuple(parsed), None if esc is None else int(esc), due, meta)


def load_data(path: str | Path) -> Dataset:
    """Read a JSONL file or every *.jsonl under a directory."""
    from .corpus import data_files, read_jsonl

    files = [f for f in data_files(Path(path)) if f.is_file()]
    if not files:
        raise ValueError(f"{path}: no JSONL files")
    lines, calls = [], []
    for f in files:
        for lineno, obj in read_jsonl(f):
            where = f"{f.name}:{lineno}"
            if not isinstance(obj, dict):
                raise ValueError(f"{where}: expected a JSON object")
            if "turns" in obj:
                calls.append(_call(obj, where))
            else:
                speaker, text = _text(obj, where)
                lines.append(Line(str(obj.get("id", where)), text, speaker, signal_labels(obj, where)))
    return Dataset(lines, calls, files)


def label_masks(paths: Sequence[Path]) -> Iterator[tuple[bool, ...]]:
    """For each example ``corpus.iter_examples`` yields (same files, same order): which signals are labelled."""
    from .corpus import read_jsonl

    for path in paths:
        for lineno, obj in read_jsonl(path):
            where = f"{path.name}:{lineno}"
            for rec in obj["turns"] if "turns" in obj else (obj,):
                labelled = signal_labels(rec, where)
                yield tuple(s in labelled for s in SIGNALS)


# --- scoring ------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class CallOutcome:
    """What a session did with one labelled call."""

    call_id: str
    escalate: int | None
    escalate_turn: int | None
    alerts: tuple[int, ...]  # turn indices of the escalation recommendations
    max_score: float  # highest call-level score over the call

    @property
    def first_alert(self) -> int | None:
        return self.alerts[0] if self.alerts else None

    @property
    def lead(self) -> int | None:
        """escalate_turn - first alerted turn (positive: early warning; negative: late); None if not applicable."""
        if self.escalate != 1 or self.escalate_turn is None or not self.alerts:
            return None
        return self.escalate_turn - self.alerts[0]


class _Replay:
    """Stands in for a Detector inside a real ``Session``: hands back scores computed earlier, in call order.

    Sessions only ask their detector for ``matrix`` and ``score_text``, so replaying cached utterance scores gives
    exactly what a live session gives, and lets calibration try many thresholds without scoring text again.
    """

    __slots__ = ("matrix", "_scores")

    def __init__(self, matrix: Any, scores: Iterable[Any]) -> None:
        self.matrix = matrix
        self._scores = iter(scores)

    def score_text(self, text: str, speaker: str = "customer") -> Any:
        return next(self._scores)


def run_calls(matrix: Any, calls: Sequence[Call], utts: Sequence[Sequence[Any]]) -> list[CallOutcome]:
    """Run each call's utterance scores through a session under ``matrix``'s policy."""
    from .session import Session

    out = []
    for call, scores in zip(calls, utts, strict=True):
        sess = Session(_Replay(matrix, scores), call.call_id, call.metadata)  # type: ignore[arg-type]
        alerts, best = [], 0.0
        for i, turn in enumerate(call.turns):
            rec = sess.add(turn.text, speaker=turn.speaker)
            best = max(best, rec.score)
            if rec.escalate:
                alerts.append(i)
        out.append(CallOutcome(call.call_id, call.escalate, call.escalate_turn, tuple(alerts), best))
    return out


def rethreshold(utt: Any, thresholds: dict[str, float]) -> Any:
    """The same utterance score with other per-signal thresholds (what a model with those thresholds says)."""
    signals = {}
    for name, s in utt.signals.items():
        t = float(thresholds.get(name, s.threshold))
        signals[name] = s if t == s.threshold else dataclasses.replace(
            s, threshold=t, detected=utt.speaker == "customer" and s.score >= t)
    return dataclasses.replace(utt, signals=signals)


@dataclass
class Evaluation:
    """Scores of a data set under one model: enough to compute every figure and plot, and to recalibrate."""

    model: str
    files: list[str]
    thresholds: dict[str, float]
    matrix: Any
    #: Per signal: labels and scores of the customer utterances labelled for it.
    y: dict[str, np.ndarray]
    p: dict[str, np.ndarray]
    calls: list[Call]
    call_utts: list[list[Any]]
    outcomes: list[CallOutcome]
    asr: bool = False
    #: Customer utterances labelled for at least one signal.
    n_utterances: int = 0

    @property
    def raise_at(self) -> float:
        return float(self.matrix.policy.raise_at)

    def metrics(self) -> dict[str, Any]:
        sig = {s: signal_metrics(self.y[s], self.p[s], self.thresholds[s]) for s in SIGNALS if len(self.y[s])}
        out: dict[str, Any] = {"model": self.model, "data": self.files, "asr": self.asr,
                               "utterances": self.n_utterances,
                               "thresholds": dict(self.thresholds), "raise_at": self.raise_at, "signals": sig}
        if self.outcomes:
            out["calls"] = call_metrics(self.outcomes)
        return out


def evaluate(det: Any, data: Dataset, *, asr: bool = False, model_name: str = "") -> Evaluation:
    """Score every customer utterance and run every call through a session."""
    from .text import asr_view

    view = asr_view if asr else (lambda t: t)
    ys: dict[str, list[int]] = {s: [] for s in SIGNALS}
    ps: dict[str, list[float]] = {s: [] for s in SIGNALS}

    n = 0

    def add(labels: dict[str, int], utt: Any) -> None:
        nonlocal n
        n += bool(labels)
        for s, v in labels.items():
            ys[s].append(v)
            ps[s].append(utt.signals[s].score)

    for line in data.lines:
        if line.speaker == "customer" and line.labels:
            add(line.labels, det.score_text(view(line.text), speaker="customer"))
    call_utts = []
    for call in data.calls:
        scores = []
        for turn in call.turns:
            utt = det.score_text(view(turn.text), speaker=turn.speaker)
            scores.append(utt)
            if turn.speaker == "customer":
                add(turn.labels, utt)
        call_utts.append(scores)
    thresholds = {s: float(det.model.thresholds.get(s, 0.5)) for s in SIGNALS}
    return Evaluation(
        model=model_name, files=[str(f) for f in data.files], thresholds=thresholds, matrix=det.matrix,
        y={s: np.array(ys[s], dtype=np.int64) for s in SIGNALS}, p={s: np.array(ps[s], dtype=float) for s in SIGNALS},
        calls=list(data.calls), call_utts=call_utts, outcomes=run_calls(det.matrix, data.calls, call_utts), asr=asr, n_utterances=n)


# --- figures ------------------------------------------------------------------------------------------------
def _ratio(a: float, b: float) -> float | None:
    return a / b if b else None


def signal_metrics(y: Sequence[int], p: Sequence[float], threshold: float) -> dict[str, Any]:
    """Figures of one signal at ``threshold`` (detected = score >= threshold); None where undefined."""
    from sklearn.metrics import average_precision_score, roc_auc_score

    y, p = np.asarray(y, dtype=np.int64), np.asarray(p, dtype=float)
    d = p >= threshold
    tp, fp = int((d & (y == 1)).sum()), int((d & (y == 0)).sum())
    fn, tn = int((~d & (y == 1)).sum()), int((~d & (y == 0)).sum())
    both = 0 < y.sum() < len(y)
    return {"n": int(len(y)), "pos": int(y.sum()), "threshold": float(threshold),
            "tp": tp, "fp": fp, "fn": fn, "tn": tn,
            "precision": _ratio(tp, tp + fp), "recall": _ratio(tp, tp + fn), "f1": _ratio(2 * tp, 2 * tp + fp + fn),
            "auc": float(roc_auc_score(y, p)) if both else None,
            "ap": float(average_precision_score(y, p)) if both else None}


def call_metrics(outcomes: Sequence[CallOutcome]) -> dict[str, Any]:
    """Call-level figures. Alert volume counts every call; the others only calls with an ``escalate`` label."""
    from sklearn.metrics import average_precision_score, roc_auc_score

    n_all = len(outcomes)
    lab = [o for o in outcomes if o.escalate is not None]
    y = np.array([o.escalate for o in lab], dtype=np.int64)
    alerted = np.array([bool(o.alerts) for o in lab], dtype=bool)
    s = np.array([o.max_score for o in lab], dtype=float)
    tp, fp = int((alerted & (y == 1)).sum()), int((alerted & (y == 0)).sum())
    pos = int(y.sum())
    both = 0 < pos < len(lab)
    out: dict[str, Any] = {
        "calls": n_all, "labelled": len(lab), "escalate": pos, "alerted": int(sum(bool(o.alerts) for o in outcomes)),
        "tp": tp, "fp": fp, "fn": pos - tp, "tn": len(lab) - pos - fp,
        "precision": _ratio(tp, tp + fp), "recall": _ratio(tp, pos), "f1": _ratio(2 * tp, tp + fp + pos),
        "auc": float(roc_auc_score(y, s)) if both else None, "ap": float(average_precision_score(y, s)) if both else None,
        "alerts_per_100_calls": _ratio(100.0 * sum(len(o.alerts) for o in outcomes), n_all),
        "false_alerts_per_100_calls": _ratio(100.0 * sum(len(o.alerts) for o in lab if o.escalate == 0), len(lab)),
    }
    due = [o for o in lab if o.escalate == 1 and o.escalate_turn is not None]
    leads = [o.lead for o in due if o.lead is not None]
    out["lead_time"] = {
        "n": len(leads), "missed": sum(1 for o in due if not o.alerts),
        "median": float(np.median(leads)) if leads else None, "mean": float(np.mean(leads)) if leads else None,
        "min": min(leads) if leads else None, "max": max(leads) if leads else None,
        "early": sum(1 for v in leads if v > 0), "on_time": sum(1 for v in leads if v == 0),
        "late": sum(1 for v in leads if v < 0),
    }
    return out


def _fmt(v: Any, digits: int = 3) -> str:
    if v is None:
        return "-"
    if isinstance(v, float):
        return f"{v:.{digits}f}"
    return str(v)


def _common_dir(files: list[str]) -> str:
    import os.path

    return os.path.commonpath([str(Path(f).parent) for f in files])


def format_metrics(m: dict[str, Any]) -> str:
    files = m["data"]
    where = ", ".join(files) if len(files) <= 3 else f"{len(files)} files in {_common_dir(files)}"
    rows = [f"model {m['model']}{'  (ASR view of the text)' if m.get('asr') else ''}",
            f"data {where}: {m['utterances']} labelled customer utterances, "
            f"{m['calls']['calls'] if m.get('calls') else 0} calls", ""]
    if m["signals"]:
        head = f"{'signal':<16}{'n':>7}{'pos':>6}{'thresh':>8}{'precision':>11}{'recall':>8}{'F1':>7}{'ROC-AUC':>9}{'AP':>7}"
        rows.append(head)
        for s, r in m["signals"].items():
            rows.append(f"{s:<16}{r['n']:>7}{r['pos']:>6}{r['threshold']:>8.2f}{_fmt(r['precision']):>11}"
                        f"{_fmt(r['recall']):>8}{_fmt(r['f1']):>7}{_fmt(r['auc']):>9}{_fmt(r['ap']):>7}")
    else:
        rows.append("no labelled customer utterances")
    c = m.get("calls")
    if c:
        lt = c["lead_time"]
        rows += ["", f"calls {c['calls']} ({c['labelled']} with an escalate label, {c['escalate']} escalate), "
                     f"raise_at {m['raise_at']:.2f}: {c['alerted']} alerted",
                 f"  escalation precision {_fmt(c['precision'])}  recall {_fmt(c['recall'])}  F1 {_fmt(c['f1'])}  "
                 f"ROC-AUC {_fmt(c['auc'])}  AP {_fmt(c['ap'])}",
                 f"  alerts per 100 calls {_fmt(c['alerts_per_100_calls'], 1)}  "
                 f"false alerts per 100 calls {_fmt(c['false_alerts_per_100_calls'], 1)}",
                 f"  lead time (escalate_turn - first alert, turns; negative = late): median {_fmt(lt['median'], 1)}  "
                 f"mean {_fmt(lt['mean'], 2)}  range {_fmt(lt['min'])}..{_fmt(lt['max'])}  "
                 f"early {lt['early']}, on time {lt['on_time']}, late {lt['late']}, missed {lt['missed']}"]
    return "\n".join(rows)


def _json_ready(obj: Any) -> Any:
    if isinstance(obj, float):
        return round(obj, 4)
    if isinstance(obj, dict):
        return {k: _json_ready(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_json_ready(v) for v in obj]
    return obj


# --- HTML report --------------------------------------------------------------------------------------------
def _figure(w: float, h: float, rows: int = 1, cols: int = 1) -> tuple[Any, Any]:
    try:
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure
    except ImportError:  # pragma: no cover - exercised only without the extra
        raise SystemExit("the HTML report needs matplotlib: pip install 'escalsignal[report]'") from None
    fig = Figure(figsize=(w, h), dpi=100)
    FigureCanvasAgg(fig)
    return fig, fig.subplots(rows, cols, squeeze=False)


def _save(fig: Any, path: Path) -> Path:
    fig.tight_layout()
    fig.savefig(path, format="png", metadata={"Software": None})
    return path


def write_report(ev: Evaluation, out_dir: str | Path, metrics: dict[str, Any] | None = None) -> Path:
    """Write ``index.html`` (self-contained: the plots are embedded) and the plots as PNG files beside it."""
    from sklearn.calibration import calibration_curve
    from sklearn.metrics import precision_recall_curve

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    m = metrics or ev.metrics()
    pngs: list[tuple[str, Path]] = []
    plotted = [s for s, r in m["signals"].items() if r["auc"] is not None]
    for s in plotted:
        y, p, r = ev.y[s], ev.p[s], m["signals"][s]
        fig, ax = _figure(4.6, 3.6)
        prec, rec, _ = precision_recall_curve(y, p)
        a = ax[0, 0]
        a.step(rec, prec, where="post", color="C0", label=f"AP {r['ap']:.3f}")
        a.axhline(y.mean(), color="grey", lw=0.8, ls=":", label=f"base rate {y.mean():.2f}")
        if r["precision"] is not None:
            a.plot([r["recall"]], [r["precision"]], "o", color="C3", label=f"threshold {r['threshold']:.2f}")
        a.set(xlabel="recall", ylabel="precision", xlim=(0, 1.01), ylim=(0, 1.02), title=f"{s}: precision-recall")
        a.legend(loc="lower left", fontsize=8)
        pngs.append((f"{s}: precision-recall", _save(fig, out / f"pr_{s}.png")))

        fig, ax = _figure(4.6, 4.4, rows=2)
        frac, mean_p = calibration_curve(y, p, n_bins=10, strategy="uniform")
        a = ax[0, 0]
        a.plot([0, 1], [0, 1], color="grey", lw=0.8, ls=":", label="perfectly calibrated")
        a.plot(mean_p, frac, "o-", color="C0", label="this data")
        a.set(xlabel="mean score in bin", ylabel="share labelled 1", xlim=(0, 1), ylim=(0, 1.02),
              title=f"{s}: calibration (reliability)")
        a.legend(loc="upper left", fontsize=8)
        b = ax[1, 0]
        b.hist(p, bins=20, range=(0, 1), color="C0")
        b.set(xlabel="score", ylabel="lines", xlim=(0, 1))
        pngs.append((f"{s}: calibration", _save(fig, out / f"calibration_{s}.png")))

    shown = [s for s, r in m["signals"].items() if r["n"]]
    if shown or ev.outcomes:
        panels = shown + (["calls"] if ev.outcomes else [])
        cols = min(3, len(panels))
        rows = -(-len(panels) // cols)
        fig, ax = _figure(4.0 * cols, 2.9 * rows, rows=rows, cols=cols)
        for k, name in enumerate(panels):
            a = ax[k // cols, k % cols]
            if name == "calls":
                lab = [o for o in ev.outcomes if o.escalate is not None]
                y = np.array([o.escalate for o in lab]) if lab else np.zeros(0)
                p = np.array([o.max_score for o in lab]) if lab else np.zeros(0)
                thr, title = ev.raise_at, "calls: highest call score"
            else:
                y, p, thr, title = ev.y[name], ev.p[name], ev.thresholds[name], name
            if len(p):
                a.hist([p[y == 0], p[y == 1]], bins=20, range=(0, 1), label=["labelled 0", "labelled 1"],
                       color=["C0", "C3"])
            a.axvline(thr, color="k", lw=1, ls="--", label=f"threshold {thr:.2f}")
            a.set(title=title, xlabel="score", ylabel="count", xlim=(0, 1))
            a.set_yscale("symlog", linthresh=10)
            a.legend(fontsize=7)
        for k in range(len(panels), rows * cols):
            ax[k // cols, k % cols].set_visible(False)
        pngs.append(("score distribution", _save(fig, out / "score_distribution.png")))

    leads = [o.lead for o in ev.outcomes if o.lead is not None]
    if leads:
        fig, ax = _figure(4.6, 3.0)
        a = ax[0, 0]
        lo, hi = min(leads + [0]), max(leads + [0])
        a.hist(leads, bins=np.arange(lo - 0.5, hi + 1.5, 1.0), color="C2")
        a.axvline(0, color="k", lw=1, ls="--")
        a.set(title="early-warning lead time", xlabel="escalate_turn - first alert (turns; < 0 late)", ylabel="calls")
        pngs.append(("lead time", _save(fig, out / "lead_time.png")))

    (out / "index.html").write_text(_html(m, pngs), encoding="utf-8")
    (out / "metrics.json").write_text(json.dumps(_json_ready(m), indent=2) + "\n", encoding="utf-8")
    return out / "index.html"


_CSS = ("body{font-family:system-ui,sans-serif;margin:2em;max-width:1200px;color:#222}"
        "table{border-collapse:collapse;margin:0.5em 0 1.5em}td,th{border:1px solid #ccc;padding:3px 8px;"
        "text-align:right}th:first-child,td:first-child{text-align:left}figure{display:inline-block;margin:0.5em}"
        "figcaption{font-size:0.85em;color:#555}.note{color:#555;font-size:0.9em}")


def _table(head: list[str], rows: list[list[Any]]) -> str:
    h = "".join(f"<th>{html.escape(c)}</th>" for c in head)
    body = "".join("<tr>" + "".join(f"<td>{html.escape(_fmt(v))}</td>" for v in r) + "</tr>" for r in rows)
    return f"<table><tr>{h}</tr>{body}</table>"


def _html(m: dict[str, Any], pngs: list[tuple[str, Path]]) -> str:
    e = html.escape
    parts = ["<!doctype html><html><head><meta charset='utf-8'><title>escalsignal evaluation</title>",
             f"<style>{_CSS}</style></head><body><h1>escalsignal evaluation</h1>",
             f"<p>Model: <code>{e(m['model'])}</code>{' (ASR view of the text)' if m.get('asr') else ''}<br>",
             "Data: " + ", ".join(f"<code>{e(d)}</code>" for d in m["data"]) + "</p>"]
    sig = m["signals"]
    parts.append("<h2>Signals</h2><p class='note'>Per customer utterance labelled for the signal; precision, "
                 "recall and F1 at the model's threshold (detected = score &ge; threshold).</p>")
    parts.append(_table(["signal", "n", "labelled 1", "threshold", "precision", "recall", "F1", "ROC-AUC", "AP"],
                        [[s, r["n"], r["pos"], r["threshold"], r["precision"], r["recall"], r["f1"], r["auc"], r["ap"]]
                         for s, r in sig.items()]))
    parts.append("<h2>Confusion table</h2>")
    conf = [[s, r["tp"], r["fp"], r["fn"], r["tn"]] for s, r in sig.items()]
    c = m.get("calls")
    if c and c["labelled"]:
        conf.append(["calls (alerted vs escalate label)", c["tp"], c["fp"], c["fn"], c["tn"]])
    parts.append(_table(["", "true positive", "false positive", "false negative", "true negative"], conf))
    if c:
        lt = c["lead_time"]
        parts.append("<h2>Calls</h2>")
        parts.append(_table(["calls", "escalate", "alerted", "precision", "recall", "F1", "ROC-AUC", "AP",
                             "alerts / 100 calls", "false alerts / 100 calls"],
                            [[c["calls"], c["escalate"], c["alerted"], c["precision"], c["recall"], c["f1"], c["auc"],
                              c["ap"], c["alerts_per_100_calls"], c["false_alerts_per_100_calls"]]]))
        parts.append("<p class='note'>Lead time = labelled escalate_turn &minus; first recommended turn "
                     "(positive: early warning, negative: late).</p>")
        parts.append(_table(["calls with a lead", "median", "mean", "min", "max", "early", "on time", "late", "missed"],
                            [[lt["n"], lt["median"], lt["mean"], lt["min"], lt["max"], lt["early"], lt["on_time"],
                              lt["late"], lt["missed"]]]))
    parts.append("<h2>Plots</h2>")
    for caption, path in pngs:
        data = base64.b64encode(path.read_bytes()).decode("ascii")
        parts.append(f"<figure><img src='data:image/png;base64,{data}' alt='{e(caption)}'>"
                     f"<figcaption>{e(caption)} ({e(path.name)})</figcaption></figure>")
    parts.append("</body></html>\n")
    return "\n".join(parts)


# --- calibration --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class ThresholdChoice:
    threshold: float | None  # None: the target is not reachable on this data
    precision: float | None
    recall: float | None
    reached: bool


def threshold_for_precision(y: Sequence[int], p: Sequence[float], target: float) -> ThresholdChoice:
    """The threshold giving the most recall at a precision of at least ``target`` on (y, p).

    Of the cuts with that recall, the highest: going lower would only add lines labelled 0. The threshold is
    placed halfway between the lowest detected score and the next lower score in the data, so it does not sit on
    a line's score. Not reachable: ``threshold=None`` with the best precision any threshold gets.
    """
    y, p = np.asarray(y, dtype=np.int64), np.asarray(p, dtype=float)
    if not y.sum():
        return ThresholdChoice(None, None, None, False)
    values = np.unique(p)[::-1]  # distinct scores, highest first; a cut at values[k] detects p >= values[k]
    tp = np.array([(y[p >= v] == 1).sum() for v in values], dtype=float)
    det = np.array([(p >= v).sum() for v in values], dtype=float)
    prec = tp / det
    ok = np.flatnonzero(prec >= target - 1e-12)
    if not len(ok):
        k = int(np.argmax(prec))
        return ThresholdChoice(None, float(prec[k]), float(tp[k] / y.sum()), False)
    recall = tp[ok]
    k = int(ok[np.flatnonzero(recall == recall.max())[0]])  # values are descending: the first is the highest cut
    v = float(values[k])
    t = v
    if k + 1 < len(values):
        below = float(values[k + 1])
        t = (v + below) / 2
        r = round(t, 4)
        if below < r <= v:
            t = r
    return ThresholdChoice(t, float(prec[k]), float(tp[k] / y.sum()), True)


def _policy_with(policy: Any, raise_at: float) -> Any:
    rearm = policy.rearm_below
    if rearm >= raise_at:  # keep the hysteresis ratio when the raise threshold moves below the re-arm level
        rearm = round(raise_at * policy.rearm_below / policy.raise_at, 4)
    return dataclasses.replace(policy, raise_at=raise_at, rearm_below=rearm)


def calibrate_calls(matrix: Any, calls: Sequence[Call], utts: Sequence[Sequence[Any]], *,
                    target_precision: float | None = None, alerts_per_100: float | None = None,
                    grid: Sequence[float] = RAISE_GRID) -> dict[str, Any]:
    """The ``raise_at`` on ``grid`` meeting every target given (call precision, alerts per 100 calls) with the
    most escalation recall (without ``escalate`` labels: the most alerted calls); of those, the highest.

    Returns the choice (``raise_at`` None when no grid value meets the targets) and its figures.
    """
    silent: set[int] = set()  # calls without any alert at a lower raise_at stay without one at a higher one
    best: tuple[float, float] | None = None  # (recall or alerted calls, raise_at)
    for t in grid:
        m = dataclasses.replace(matrix, policy=_policy_with(matrix.policy, t))
        idx = [i for i in range(len(calls)) if i not in silent]
        got = run_calls(m, [calls[i] for i in idx], [utts[i] for i in idx])
        outcomes: list[CallOutcome] = []
        it = iter(got)
        for i, call in enumerate(calls):
            if i in silent:
                outcomes.append(CallOutcome(call.call_id, call.escalate, call.escalate_turn, (), 0.0))
            else:
                o = next(it)
                outcomes.append(o)
                if not o.alerts:
                    silent.add(i)
        cm = call_metrics(outcomes)
        ok = True
        if target_precision is not None:
            ok &= cm["precision"] is not None and cm["precision"] >= target_precision - 1e-12
        if alerts_per_100 is not None:
            ok &= (cm["alerts_per_100_calls"] or 0.0) <= alerts_per_100 + 1e-12
        if ok:
            gain = cm["recall"] if cm["recall"] is not None else float(cm["alerted"])
            if best is None or gain >= best[0] - 1e-12:
                best = (gain, t)
    if best is None:
        return {"raise_at": None, "reached": False}
    m = dataclasses.replace(matrix, policy=_policy_with(matrix.policy, best[1]))
    figures = call_metrics(run_calls(m, calls, utts))  # every call again: AUC needs every call's score
    return {"raise_at": best[1], "rearm_below": m.policy.rearm_below, "reached": True, "figures": figures}


def calibrate(ev: Evaluation, *, target_precision: float | None = None,
              alerts_per_100: float | None = None) -> dict[str, Any]:
    """New per-signal thresholds (from ``target_precision``) and call-level raise threshold (from either target).

    Per signal: the threshold with the most recall at precision >= target on the labelled utterances
    (``threshold_for_precision``); a signal without positives in the data, or whose target is not reachable,
    keeps the model's threshold. Calls: ``calibrate_calls``, replaying the calls with the new signal thresholds.
    """
    if target_precision is None and alerts_per_100 is None:
        raise ValueError("give a target precision, an alert volume (alerts per 100 calls), or both")
    thresholds = dict(ev.thresholds)
    signals: dict[str, Any] = {}
    if target_precision is not None:
        for s in SIGNALS:
            y, p = ev.y[s], ev.p[s]
            if not len(y) or not y.sum():
                continue
            ch = threshold_for_precision(y, p, target_precision)
            if ch.reached and ch.threshold is not None:
                thresholds[s] = ch.threshold
            signals[s] = {"threshold_before": ev.thresholds[s], "threshold": thresholds[s], "reached": ch.reached,
                          "precision": ch.precision, "recall": ch.recall, "n": int(len(y)), "pos": int(y.sum())}
    out: dict[str, Any] = {"target_precision": target_precision, "alerts_per_100_calls": alerts_per_100,
                           "thresholds": thresholds, "signals": signals}
    call_target = target_precision if any(c.escalate is not None for c in ev.calls) else None
    if ev.calls and (call_target is not None or alerts_per_100 is not None):
        utts = [[rethreshold(u, thresholds) for u in us] for us in ev.call_utts]
        res = calibrate_calls(ev.matrix, ev.calls, utts, target_precision=call_target, alerts_per_100=alerts_per_100)
        res["raise_at_before"] = ev.raise_at
        out["calls"] = res
    return out


def recalibrated(ev: Evaluation, thresholds: dict[str, float], raise_at: float | None) -> Evaluation:
    """``ev`` as a model with these thresholds (and call raise threshold) would have produced it."""
    matrix = ev.matrix if raise_at is None else dataclasses.replace(ev.matrix, policy=_policy_with(ev.matrix.policy, raise_at))
    utts = [[rethreshold(u, thresholds) for u in us] for us in ev.call_utts]
    return dataclasses.replace(ev, thresholds=dict(thresholds), matrix=matrix, call_utts=utts,
                               outcomes=run_calls(matrix, ev.calls, utts))


def write_calibrated_model(model_dir: Path, out_dir: Path, result: dict[str, Any], data_sha256: str) -> dict[str, Any]:
    """Copy the model directory and write the calibrated thresholds into the copy's manifest."""
    from .model import MANIFEST, read_manifest

    model_dir, out_dir = Path(model_dir), Path(out_dir)
    if out_dir.resolve() == model_dir.resolve():
        raise SystemExit("calibrate writes a copy of the model: -o must be another directory than --model")
    manifest = read_manifest(model_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    for key in ("artifact", "arrays"):
        shutil.copyfile(model_dir / manifest[key], out_dir / manifest[key])
    manifest["thresholds"] = {s: result["thresholds"][s] for s in SIGNALS}
    calls = result.get("calls")
    if calls and calls.get("raise_at") is not None:
        manifest["policy"] = {**manifest.get("policy", {}), "raise_at": calls["raise_at"],
                              "rearm_below": calls["rearm_below"]}
    manifest["calibration"] = _json_ready({
        "data_sha256": data_sha256, "target_precision": result["target_precision"],
        "alerts_per_100_calls": result["alerts_per_100_calls"], "signals": result["signals"], "calls": calls or {},
    })
    (out_dir / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return manifest


# --- command line -------------------------------------------------------------------------------------------
def _load(a: argparse.Namespace) -> tuple[Any, Path]:
    from .detector import Detector, default_model_dir

    model_dir = Path(a.model) if a.model else default_model_dir()
    return Detector.load(model_dir, matrix=a.matrix), model_dir


def _default_model_dir() -> Path:
    from .detector import default_model_dir

    return default_model_dir()


def _common(ap: argparse.ArgumentParser) -> None:
    ap.add_argument("data", help="labelled JSONL file or directory (utterance and/or call records)")
    ap.add_argument("--model", help="model directory (default: the bundled model)")
    ap.add_argument("--matrix", help="escalation matrix file, JSON or TOML (default: the bundled one)")
    ap.add_argument("--asr", action="store_true", help="score the speech-recogniser view of every text")


def _read(path: str) -> Dataset:
    try:
        return load_data(path)
    except (OSError, ValueError) as exc:
        raise SystemExit(f"escalsignal: {exc}") from None


def main_evaluate(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="escalsignal evaluate",
                                 description="Measure a model on labelled data at its own thresholds.")
    _common(ap)
    ap.add_argument("--report", metavar="DIR", help="write an HTML report with PNG plots (needs escalsignal[report])")
    ap.add_argument("--json", metavar="FILE",
                    help="also write the figures as JSON (- for standard output; the table then goes to stderr)")
    a = ap.parse_args(argv)
    data = _read(a.data)
    det, model_dir = _load(a)
    ev = evaluate(det, data, asr=a.asr, model_name=str(model_dir))
    m = ev.metrics()
    print(format_metrics(m), file=sys.stderr if a.json == "-" else sys.stdout)
    if a.json:
        text = json.dumps(_json_ready(m), indent=2) + "\n"
        if a.json == "-":
            sys.stdout.write(text)
        else:
            Path(a.json).write_text(text, encoding="utf-8")
    if a.report:
        path = write_report(ev, a.report, m)
        print(f"report: {path}", file=sys.stderr)
    return 0


def main_calibrate(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        prog="escalsignal calibrate",
        description="Pick per-signal and call-level thresholds from labelled data and write them into a copy of "
                    "the model (no retraining).")
    _common(ap)
    ap.add_argument("-o", "--out", required=True, help="directory for the calibrated copy of the model")
    ap.add_argument("--target-precision", type=float, metavar="P",
                    help="per signal and per call: the threshold with the most recall at a precision of at least P")
    ap.add_argument("--alerts-per-100-calls", type=float, metavar="N",
                    help="call level: the raise threshold with the most recall at most N alerts per 100 calls")
    a = ap.parse_args(argv)
    if a.target_precision is None and a.alerts_per_100_calls is None:
        ap.error("give --target-precision, --alerts-per-100-calls, or both")
    if a.target_precision is not None and not 0 < a.target_precision <= 1:
        ap.error("--target-precision must be in (0, 1]")
    if a.alerts_per_100_calls is not None and a.alerts_per_100_calls < 0:
        ap.error("--alerts-per-100-calls must be >= 0")
    model_dir = Path(a.model) if a.model else None
    if Path(a.out).resolve() == (model_dir or _default_model_dir()).resolve():
        raise SystemExit("calibrate writes a copy of the model: -o must be another directory than --model")
    data = _read(a.data)
    det, model_dir = _load(a)
    ev = evaluate(det, data, asr=a.asr, model_name=str(model_dir))
    res = calibrate(ev, target_precision=a.target_precision, alerts_per_100=a.alerts_per_100_calls)
    for s, r in res["signals"].items():
        state = "reached" if r["reached"] else "NOT reachable on this data: threshold kept"
        print(f"{s:<16} threshold {r['threshold_before']:.3f} -> {r['threshold']:.4f}  "
              f"precision {_fmt(r['precision'])} recall {_fmt(r['recall'])} (n {r['n']}, labelled 1 {r['pos']}): {state}")
    calls = res.get("calls")
    if calls:
        if calls["raise_at"] is None:
            print(f"calls            raise_at {calls['raise_at_before']:.2f} kept: no raise threshold meets the target")
        else:
            f = calls["figures"]
            print(f"calls            raise_at {calls['raise_at_before']:.2f} -> {calls['raise_at']:.2f}  "
                  f"precision {_fmt(f['precision'])} recall {_fmt(f['recall'])}  "
                  f"alerts per 100 calls {_fmt(f['alerts_per_100_calls'], 1)}")
    elif a.alerts_per_100_calls is not None:
        print("calls            no calls in the data: raise threshold kept")
    write_calibrated_model(model_dir, Path(a.out), res, data.digest())
    new = recalibrated(ev, res["thresholds"], calls["raise_at"] if calls else None)
    print("\nwith the calibrated thresholds, on the same data (measure on other data to see how they generalise):")
    print(format_metrics(new.metrics() | {"model": str(a.out)}))
    print(f"wrote {a.out} (load it with Detector.load({str(a.out)!r}) or --model {a.out})", file=sys.stderr)
    return 0
