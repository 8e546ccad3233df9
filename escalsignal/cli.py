"""Command line: ``escalsignal score`` and ``report`` here; ``train``, ``evaluate``, ``calibrate`` delegate to their modules."""
from __future__ import annotations

import argparse
import json
import sys
import time
from typing import Any


class _Progress:
    """A one-line progress display on standard error, only when it is a terminal (quiet when piped)."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled and sys.stderr.isatty()
        self.t0 = time.monotonic()
        self.last = 0.0
        self.shown = False

    def __call__(self, counts: Any, source: Any) -> None:
        now = time.monotonic()
        if not self.enabled or now - self.last < 0.5:
            return
        self.last = now
        rate = counts.read / max(now - self.t0, 1e-9)
        frac = source.fraction()
        tail = ""
        if frac:
            eta = (now - self.t0) * (1 - frac) / frac
            tail = f" {frac:6.1%}  eta {int(eta) // 60}:{int(eta) % 60:02d}"
        sys.stderr.write(f"\r{counts.read:,} utterances  {counts.calls:,} calls  {rate:,.0f}/s{tail}   ")
        sys.stderr.flush()
        self.shown = True

    def close(self) -> None:
        if self.shown:
            sys.stderr.write("\r\033[K")
            sys.stderr.flush()


class _GracefulStop:
    """While active, the first Ctrl-C (or SIGTERM) asks the run to stop at a checkpoint; a second one aborts at once.

    A run stopped this way resumes (``--resume``) exactly where it stopped instead of at its last timed checkpoint.
    """

    def __init__(self) -> None:
        self.signum = 0
        self._saved: dict[int, Any] = {}

    def requested(self) -> bool:
        return self.signum != 0

    def _handle(self, signum: int, frame: Any) -> None:
        if self.signum:
            raise KeyboardInterrupt
        self.signum = signum
        _note("stopping at the next record with a checkpoint (interrupt again to abort now)")

    def __enter__(self) -> "_GracefulStop":
        import signal
        import threading

        if threading.current_thread() is threading.main_thread():
            for sig in (signal.SIGINT, signal.SIGTERM):
                self._saved[sig] = signal.signal(sig, self._handle)
        return self

    def __exit__(self, *exc: Any) -> None:
        import signal

        for sig, old in self._saved.items():
            signal.signal(sig, old)


def _load(a: argparse.Namespace) -> tuple[Any, Any]:
    import functools

    from .detector import Detector

    if a.cache_size < 0:
        raise SystemExit(f"escalsignal: --cache-size must be 0 or more, not {a.cache_size}")
    options = {"matrix": a.matrix, "patterns": a.patterns, "cache_size": a.cache_size}
    return Detector.load(a.model, **options), functools.partial(Detector.load, a.model, **options)


def _note(msg: str) -> None:
    print(f"escalsignal: {msg}", file=sys.stderr)


def _source(a: argparse.Namespace) -> Any:
    """The input named on the command line, or None (after saying why) when it does not exist."""
    from .batch import Source

    try:
        return Source(a.input, a.input_format)
    except FileNotFoundError as exc:
        _note(str(exc))
        return None


def cmd_score(a: argparse.Namespace) -> int:
    from .batch import Report, ResumeError, score_archive, tune_gc_for_batch

    source = _source(a)
    if source is None:
        return 2
    det, loader = _load(a)
    tune_gc_for_batch()  # this process only scores from here on
    report = Report() if a.report else None
    progress = _Progress(not a.no_progress)
    t0 = time.perf_counter()
    stop = _GracefulStop()
    try:
        with stop:
            counts = score_archive(det, source, a.output, fmt=a.format, calls_summary=a.calls_summary,
                                   report=report, n_jobs=a.jobs, resume=a.resume, max_open_calls=a.max_open_calls,
                                   checkpoint_seconds=a.checkpoint_seconds, loader=loader, progress=progress,
                                   notice=_note, stop=stop.requested)
    except ResumeError as exc:
        progress.close()
        _note(str(exc))
        return 2
    except KeyboardInterrupt:
        progress.close()
        return 128 + (stop.signum or 2)
    progress.close()
    dt = time.perf_counter() - t0
    c = counts.to_dict()
    print(f"read {c['read']} utterances in {c['calls']} calls: scored {c['scored']}, rejected {c['rejected']}, "
          f"escalations {c['escalations']} ({dt:.1f} s, {c['read'] / max(dt, 1e-9):,.0f} utterances/s)",
          file=sys.stderr)
    if report is not None:
        sys.stderr.write(report.format(c))
    return 0


def cmd_report(a: argparse.Namespace) -> int:
    from .batch import Report, is_summary_file, read_summaries, score_archive

    rep = Report()
    counts = None
    if a.input != "-" and is_summary_file(a.input):
        for s in read_summaries(a.input):
            rep.add(s)
    else:
        source = _source(a)
        if source is None:
            return 2
        det, loader = _load(a)
        progress = _Progress(not a.no_progress)
        try:
            counts = score_archive(det, source, None, fmt="none", report=rep, n_jobs=a.jobs,
                                   max_open_calls=a.max_open_calls, loader=loader, progress=progress)
        finally:
            progress.close()
        counts = counts.to_dict()
    if a.json:
        print(json.dumps(rep.to_dict(counts), indent=1))
    else:
        sys.stdout.write(rep.format(counts))
    return 0


#: Subcommands that live in their own modules: name -> (module, function taking argv).
DELEGATED = {
    "train": ("escalsignal.train", "main"),
    "evaluate": ("escalsignal.evaluate", "main_evaluate"),
    "calibrate": ("escalsignal.evaluate", "main_calibrate"),
}


def _common(p: argparse.ArgumentParser) -> None:
    from .batch import DEFAULT_MAX_OPEN_CALLS
    from .detector import DEFAULT_CACHE_SIZE

    p.add_argument("--input-format", choices=["auto", "jsonl", "csv"], default="auto",
                   help="input format (default: by file suffix; standard input is sniffed)")
    p.add_argument("-j", "--jobs", type=int, default=1,
                   help="processes scoring whole calls, this one included (default 1; 0 = every core)")
    p.add_argument("--model", help="model directory (default: the bundled model)")
    p.add_argument("--matrix", help="escalation matrix file, JSON or TOML (default: the bundled one)")
    p.add_argument("--patterns", action="append", metavar="FILE",
                   help="a pattern file the model was trained with (repeat for each; escalsignal train --patterns); "
                        "default: the bundled ones")
    p.add_argument("--max-open-calls", type=int, default=DEFAULT_MAX_OPEN_CALLS,
                   help=f"call sessions kept in memory before the least recently seen moves to disk "
                        f"(default {DEFAULT_MAX_OPEN_CALLS})")
    p.add_argument("--cache-size", type=int, default=DEFAULT_CACHE_SIZE,
                   help=f"results of short utterances kept per process for exact repeats (default {DEFAULT_CACHE_SIZE}; "
                        "0 = off; results are identical either way)")
    p.add_argument("--no-progress", action="store_true", help="no progress line, even on a terminal")


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] and argv[0] in DELEGATED:
        import importlib

        module, func = DELEGATED[argv[0]]
        return getattr(importlib.import_module(module), func)(argv[1:])
    ap = argparse.ArgumentParser(prog="escalsignal", description="Escalation signals in contact-center transcripts.")
    sub = ap.add_subparsers(dest="command", required=True)
    sc = sub.add_parser("score", help="score an archive of utterances or calls (JSONL, CSV, a directory)")
    sc.add_argument("input", help="JSONL or CSV file (optionally .gz), a directory of them, or - for standard input")
    sc.add_argument("-o", "--output", help="output file (default: standard output); written atomically")
    sc.add_argument("--format", choices=["jsonl", "csv", "text"], default="jsonl",
                    help="jsonl (default) or csv: one record per utterance; text: one line per escalation")
    sc.add_argument("--calls-summary", metavar="FILE", help="also write one summary per call (CSV if FILE ends in .csv)")
    sc.add_argument("--report", action="store_true", help="print archive KPIs on standard error at the end")
    sc.add_argument("--resume", action="store_true", help="continue an interrupted run into the same -o FILE")
    sc.add_argument("--checkpoint-seconds", type=float, default=10.0,
                    help="longest interval between the points a file run can resume from "
                         "(default 10; the first comes after 1 s)")
    _common(sc)
    rp = sub.add_parser("report", help="archive KPIs: calls, escalation rate, rate per signal, routes, reasons")
    rp.add_argument("input", help="a transcript archive (scored on the fly) or a --calls-summary file")
    rp.add_argument("--json", action="store_true", help="print the KPIs as JSON")
    _common(rp)
    for name in DELEGATED:
        sub.add_parser(name, help=f"see escalsignal {name} -h", add_help=False)
    a = ap.parse_args(argv)
    try:
        return cmd_report(a) if a.command == "report" else cmd_score(a)
    except BrokenPipeError:
        # The reader went away (``escalsignal score ... | head``): stop quietly, as Unix tools do. Python would
        # otherwise report the pipe again when it flushes standard output at exit.
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141


if __name__ == "__main__":
    raise SystemExit(main())
