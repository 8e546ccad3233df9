"""pandas helpers for analysts: score a DataFrame of utterances, load scored output and call summaries.

pandas is optional (``pip install "escalsignal[pandas]"``); nothing here is imported by ``import escalsignal``.
Scoring goes through the same ``batch.Engine`` as the CLI, so a frame, a file and a live session agree.
"""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Iterator

from .batch import (DEFAULT_MAX_OPEN_CALLS, FLAT_COLUMNS, Engine, flat_record, read_summaries, row_items,
                    summary_flat)
from .types import SIGNALS

if TYPE_CHECKING:
    import pandas as pd

    from .detector import Detector

#: Columns that ``score_frame`` (and ``escalsignal.spark.score_spark``) add to the input's columns.
SCORE_COLUMNS: tuple[str, ...] = (
    "session_turn", "escalate", "score", "priority", "escalation_type", "route", "escalation_active",
    "signals_detected", *(f"{s}_score" for s in SIGNALS), *(f"{s}_detected" for s in SIGNALS),
    "reasons", "evidence", "error",
)


def _pandas() -> Any:
    try:
        import pandas
    except ImportError:  # pragma: no cover - depends on the environment
        raise ImportError('escalsignal.frame needs pandas: pip install "escalsignal[pandas]"') from None
    return pandas


def frame_items(df: "pd.DataFrame", name: str | None = None) -> Iterator[tuple]:
    """One item per row (an utterance to score, or an error record); ``line`` is the 1-based row position."""
    cols = [str(c) for c in df.columns]
    for line, row in enumerate(df.itertuples(index=False, name=None), 1):
        yield from row_items(dict(zip(cols, row)), name, line, strings=False)


def score_columns(flat: dict[str, Any]) -> dict[str, Any]:
    """A flat output record (``batch.flat_record``) as ``SCORE_COLUMNS``; the session's turn is ``session_turn``."""
    out = {c: flat.get(c) for c in SCORE_COLUMNS}
    out["session_turn"] = flat.get("turn")
    return out


def score_frame(df: "pd.DataFrame", det: Detector | None = None, *, n_jobs: int = 1,
                max_open_calls: int = DEFAULT_MAX_OPEN_CALLS) -> "pd.DataFrame":
    """Score a DataFrame of utterances; returns its columns plus ``SCORE_COLUMNS``, same index and row order.

    Columns read: ``call_id``, ``text``, optional ``speaker`` (default customer), ``timestamp``, ``turn`` and
    ``metadata`` (a dict or JSON text). Rows are fed to their call's session in row order, exactly like a live
    call; a row that cannot be scored gets ``error`` and empty scores.
    """
    pd = _pandas()
    clash = [c for c in SCORE_COLUMNS if c in df.columns]
    if clash:
        raise ValueError(f"the frame already has output column(s) {clash}; rename or drop them first")
    if det is None:
        from .detector import Detector

        det = Detector.load()
    eng = Engine(det, n_jobs=n_jobs, emit="flat", max_open_calls=max_open_calls)
    try:
        rows = [score_columns(flat) for _, _, flat, _ in eng.run(frame_items(df))]
    finally:
        eng.close()
    out = pd.DataFrame(rows, index=df.index, columns=list(SCORE_COLUMNS))
    out["session_turn"] = out["session_turn"].astype("Int64")
    return pd.concat([df, out], axis=1)


def records_frame(records: Iterable[dict[str, Any]]) -> "pd.DataFrame":
    """Output or error records (``batch.score_lines``/``score_path``, or JSONL output) as a ``FLAT_COLUMNS`` frame."""
    pd = _pandas()
    return pd.DataFrame([flat_record(r) for r in records], columns=list(FLAT_COLUMNS))


def read_scored(path: str | Path) -> "pd.DataFrame":
    """Load a scored output file (JSONL or CSV, as written by ``escalsignal score``) as ``FLAT_COLUMNS``."""
    import json

    pd = _pandas()
    path = Path(path)
    if path.suffix.lower() == ".csv":
        return pd.read_csv(path, dtype={"call_id": str})
    with open(path, encoding="utf-8") as f:
        return records_frame(json.loads(line) for line in f if line.strip())


def read_calls_summary(path: str | Path) -> "pd.DataFrame":
    """Load a calls-summary file (JSONL or CSV) with one row per call; lists and objects stay JSON text."""
    pd = _pandas()
    return pd.DataFrame([summary_flat(s) for s in read_summaries(path)])
