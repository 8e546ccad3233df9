"""Command line: ``escalsignal score`` here; ``train``, ``evaluate``, ``calibrate`` delegate to their modules."""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any, TextIO


def _text_line(rec: dict[str, Any]) -> str:
    why = "; ".join(r["message"] for r in rec["reasons"]) or "-"
    return (f"{rec['call_id']} turn {rec['turn']}: ESCALATE {rec['priority']} {rec['escalation_type']} -> "
            f"{rec['route']} (score {rec['score']:.2f}): {why}")


def cmd_score(a: argparse.Namespace) -> int:
    from .batch import Counts, score_lines
    from .detector import Detector

    det = Detector.load(a.model, matrix=a.matrix)
    counts = Counts()
    src = sys.stdin.buffer if a.input == "-" else open(a.input, "rb")
    out: TextIO = sys.stdout if a.output in (None, "-") else open(a.output, "w", encoding="utf-8")
    try:
        for rec in score_lines(det, src, counts):
            if a.format == "jsonl":
                out.write(json.dumps(rec, ensure_ascii=False) + "\n")
            elif "error" in rec:
                out.write(f"line {rec['line']}: ERROR {rec['error']}\n")
            elif rec["escalate"]:
                out.write(_text_line(rec) + "\n")
    finally:
        if src is not sys.stdin.buffer:
            src.close()
        if out is not sys.stdout:
            out.close()
    c = counts.to_dict()
    print(f"read {c['read']} utterances in {c['calls']} calls: scored {c['scored']}, rejected {c['rejected']}, "
          f"escalations {c['escalations']}", file=sys.stderr)
    return 0


#: Subcommands that live in their own modules: name -> (module, function taking argv).
DELEGATED = {
    "train": ("escalsignal.train", "main"),
    "evaluate": ("escalsignal.evaluate", "main_evaluate"),
    "calibrate": ("escalsignal.evaluate", "main_calibrate"),
}


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] and argv[0] in DELEGATED:
        import importlib

        module, func = DELEGATED[argv[0]]
        return getattr(importlib.import_module(module), func)(argv[1:])
    ap = argparse.ArgumentParser(prog="escalsignal", description="Escalation signals in contact-center transcripts.")
    sub = ap.add_subparsers(dest="command", required=True)
    sc = sub.add_parser("score", help="score a JSONL archive of utterances or calls")
    sc.add_argument("input", help="JSONL file, or - for standard input")
    sc.add_argument("-o", "--output", help="output file (default: standard output)")
    sc.add_argument("--format", choices=["jsonl", "text"], default="jsonl",
                    help="jsonl: one record per utterance; text: one readable line per escalation")
    sc.add_argument("--model", help="model directory (default: the bundled model)")
    sc.add_argument("--matrix", help="escalation matrix file, JSON or TOML (default: the bundled one)")
    for name in DELEGATED:
        sub.add_parser(name, help=f"see escalsignal {name} -h", add_help=False)
    a = ap.parse_args(argv)
    return cmd_score(a)


if __name__ == "__main__":
    raise SystemExit(main())
