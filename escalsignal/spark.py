"""Apache Spark: score a DataFrame of utterances on a cluster, one call per group, with the single-machine code.

    pip install "escalsignal[spark]"

    from escalsignal.spark import score_spark
    scored = score_spark(spark.read.json("s3://bucket/transcripts/"))     # or .parquet, .csv(header=True)

``score_spark`` groups rows by ``call_id`` (``groupBy(...).applyInPandas``), orders each call by ``turn``, then
``timestamp``, then an optional ``order_by`` column (a DataFrame has no row order of its own), and feeds it to one
session through ``escalsignal.frame.score_frame``: the same code as ``escalsignal score``, so Spark and one
machine give identical results for the same call. The model is loaded once per executor Python worker (and kept
while Spark reuses the worker); a model, matrix or pattern files other than the bundled ones are shipped to
executors as a broadcast variable, so executors need escalsignal installed but no shared file system.
"""
from __future__ import annotations

import hashlib
import json
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .frame import SCORE_COLUMNS, score_frame
from .types import SIGNALS

if TYPE_CHECKING:
    import pandas as pd
    from pyspark.sql import DataFrame

    from .detector import Detector

#: Loaded detectors in this (executor) process, by model payload key.
_DETECTORS: dict[Any, Any] = {}


def score_schema_fields() -> list[Any]:
    """Spark fields of ``SCORE_COLUMNS``."""
    from pyspark.sql import types as T

    kinds: dict[str, Any] = {"session_turn": T.LongType(), "escalate": T.BooleanType(), "score": T.DoubleType(),
                             "escalation_active": T.BooleanType()}
    for s in SIGNALS:
        kinds[f"{s}_score"] = T.DoubleType()
        kinds[f"{s}_detected"] = T.BooleanType()
    return [T.StructField(c, kinds.get(c, T.StringType()), True) for c in SCORE_COLUMNS]


def model_payload(model: str | Path | None = None, matrix: str | Path | None = None,
                  patterns: list[str | Path] | None = None) -> dict[str, Any] | None:
    """The files executors need to load a non-default model, matrix or pattern files (``None`` for the bundled)."""
    if model is None and matrix is None and not patterns:
        return None
    files: dict[str, bytes] = {}
    for p in patterns or ():
        p = Path(p)
        name = f"patterns/{p.name}"
        if name in files:
            raise ValueError(f"two pattern files are named {p.name!r}; executors need distinct names")
        files[name] = p.read_bytes()
    if model is not None:
        model = Path(model)
        manifest = json.loads((model / "manifest.json").read_text(encoding="utf-8"))
        arrays = manifest.get("arrays")
        if not isinstance(arrays, str) or "/" in arrays or "\\" in arrays or arrays.startswith("."):
            raise ValueError(f"{model / 'manifest.json'}: 'arrays' must be a plain file name")
        files["model/manifest.json"] = (model / "manifest.json").read_bytes()
        files[f"model/{arrays}"] = (model / arrays).read_bytes()
    if matrix is not None:
        matrix = Path(matrix)
        files[f"matrix{matrix.suffix or '.json'}"] = matrix.read_bytes()
    digest = hashlib.sha256()
    for name in sorted(files):
        digest.update(name.encode() + b"\0" + files[name])
    return {"key": digest.hexdigest(), "files": files}


def load_detector(payload: dict[str, Any] | None) -> Detector:
    """The detector for ``payload``, loaded once per process (model integrity checked as in ``Detector.load``)."""
    key = None if payload is None else payload["key"]
    det = _DETECTORS.get(key)
    if det is None:
        from .detector import Detector

        if payload is None:
            det = Detector.load()
        else:
            root = Path(tempfile.mkdtemp(prefix="escalsignal-model-"))
            model = matrix = None
            patterns: list[Path] = []
            for name, data in payload["files"].items():
                path = root / name
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(data)
                if name.startswith("model/"):
                    model = path.parent
                elif name.startswith("patterns/"):
                    patterns.append(path)
                else:
                    matrix = path
            # The model's manifest pins the pattern hashes, so a model/patterns mismatch fails here as it would
            # on the driver.
            det = Detector.load(model, matrix=matrix, patterns=sorted(patterns) or None)
        _DETECTORS[key] = det
    return det


def score_call_group(det: Detector, pdf: "pd.DataFrame", order: list[str]) -> "pd.DataFrame":
    """Score the rows of one call (a pandas frame), ordered by ``order`` columns (nulls last, then row order)."""
    import pandas as pd

    if order and len(pdf) > 1:
        keys = pd.DataFrame({f"k{i}": pd.to_numeric(pdf[c], errors="coerce") if c in ("turn", "timestamp") else pdf[c]
                             for i, c in enumerate(order)}, index=pdf.index)
        try:
            idx = keys.sort_values(list(keys.columns), kind="mergesort", na_position="last").index
            pdf = pdf.loc[idx]
        except TypeError:  # an order_by column with mixed types: keep the rows as Spark handed them
            pass
    return score_frame(pdf.reset_index(drop=True), det)


def score_spark(df: "DataFrame", *, model: str | Path | None = None, matrix: str | Path | None = None,
                patterns: list[str | Path] | None = None, order_by: str | None = None) -> "DataFrame":
    """Score a Spark DataFrame of utterances; returns its columns plus ``escalsignal.frame.SCORE_COLUMNS``.

    Columns read: ``call_id`` (required), ``text``, optional ``speaker``, ``timestamp``, ``turn``, ``metadata``
    (JSON text or a map). Each call must fit in one executor's memory (calls are bounded in practice: the
    session itself keeps bounded state). Rows that cannot be scored get ``error`` and null scores; none is
    dropped. ``order_by``: a column that breaks ties after turn and timestamp (e.g. a line number).
    """
    from pyspark.sql import types as T

    if "call_id" not in df.columns:
        raise ValueError("score_spark needs a 'call_id' column to group utterances by call")
    clash = [c for c in SCORE_COLUMNS if c in df.columns]
    if clash:
        raise ValueError(f"the DataFrame already has output column(s) {clash}; rename or drop them first")
    if order_by is not None and order_by not in df.columns:
        raise ValueError(f"order_by column {order_by!r} is not in the DataFrame")
    order = [c for c in ("turn", "timestamp") if c in df.columns] + ([order_by] if order_by else [])
    from .detector import Detector

    payload = model_payload(model, matrix, patterns)
    if payload is not None:
        # Fail on the driver, before any job starts, if these files cannot make a Detector.
        Detector.load(model, matrix=matrix, patterns=patterns)
    shipped = df.sparkSession.sparkContext.broadcast(payload) if payload is not None else None
    schema = T.StructType(list(df.schema.fields) + score_schema_fields())
    names = [f.name for f in schema.fields]

    def score_group(pdf: "pd.DataFrame") -> "pd.DataFrame":
        det = load_detector(shipped.value if shipped is not None else None)
        return score_call_group(det, pdf, order)[names]

    return df.groupBy("call_id").applyInPandas(score_group, schema=schema)
