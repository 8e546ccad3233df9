"""Apache Spark in local mode gives exactly the single-machine results (escalsignal.spark.score_spark)."""
import json
import os
import shutil
import sys
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parent.parent / "examples" / "sample_calls.jsonl"


def _java() -> bool:
    home = os.environ.get("JAVA_HOME")
    return bool(shutil.which("java") or (home and (Path(home) / "bin" / "java").exists()))


pytestmark = pytest.mark.skipif(not _java(), reason="Java is not installed: Spark needs a JVM to run")


@pytest.fixture(scope="module")
def spark():
    os.environ["PYSPARK_PYTHON"] = sys.executable  # executors run this interpreter (with escalsignal installed)
    os.environ["PYSPARK_DRIVER_PYTHON"] = sys.executable
    from pyspark.sql import SparkSession

    session = (SparkSession.builder.master("local[2]").appName("escalsignal-test")
               .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "2")
               .config("spark.sql.execution.arrow.pyspark.enabled", "true").getOrCreate())
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


def _norm(v):
    import pandas as pd

    return None if v is None or (not isinstance(v, str) and pd.isna(v)) else v


def test_spark_local_mode_equals_single_machine(spark, det):
    import pandas as pd

    from escalsignal.batch import score_lines
    from escalsignal.detector import default_model_dir
    from escalsignal.frame import SCORE_COLUMNS, score_frame
    from escalsignal.spark import score_spark

    rows = [json.loads(l) for l in EXAMPLES.read_text(encoding="utf-8").splitlines() if l.strip()]
    rows += [{"call_id": "demo-01", "turn": 90, "speaker": "robot", "text": "hi", "timestamp": 900.0},
             {"call_id": "demo-02", "turn": 90, "speaker": "customer", "text": None, "timestamp": 900.0}]
    pdf = pd.DataFrame(rows)
    local = score_frame(pdf, det)  # one machine: rows in file order
    # Spark gets the rows shuffled: grouping by call and ordering by turn must restore each call.
    sdf = spark.createDataFrame(pdf.sample(frac=1.0, random_state=7))
    # An explicit model directory exercises shipping the model to executors (broadcast), as on a cluster.
    scored = score_spark(sdf, model=default_model_dir()).toPandas()

    assert len(scored) == len(pdf)  # nothing lost, nothing duplicated
    assert list(scored.columns) == list(pdf.columns) + list(SCORE_COLUMNS)
    key = ["call_id", "turn"]
    a = scored.sort_values(key).reset_index(drop=True)
    b = local.sort_values(key).reset_index(drop=True)
    assert a[key].values.tolist() == b[key].values.tolist()
    for col in SCORE_COLUMNS:
        assert [_norm(v) for v in a[col]] == [_norm(v) for v in b[col]], col
    # ... and the one-machine frame is what the CLI path (JSONL lines) gives.
    cli = [r for r in score_lines(det, [json.dumps(r) for r in rows]) if "error" not in r]
    ok = b[b["error"].isna()].sort_values(["call_id", "session_turn"])
    assert [(r["call_id"], r["turn"], r["score"], r["escalate"]) for r in sorted(cli, key=lambda r: (r["call_id"], r["turn"]))] \
        == list(zip(ok["call_id"], ok["session_turn"], ok["score"], ok["escalate"]))
    assert sorted(e for e in a["error"] if _norm(e)) == ["'speaker' must be one of ('customer', 'agent'), not 'robot'",
                                                         "missing 'text'"]


def test_score_spark_refuses_ambiguous_input(spark):
    from escalsignal.spark import score_spark

    with pytest.raises(ValueError, match="call_id"):
        score_spark(spark.createDataFrame([("hi",)], ["text"]))
    with pytest.raises(ValueError, match="score"):
        score_spark(spark.createDataFrame([("c", "hi", 1.0)], ["call_id", "text", "score"]))


def test_spark_ships_a_teams_own_pattern_files_to_executors(spark, custom_patterns_model):
    import pandas as pd

    from escalsignal import Detector
    from escalsignal.frame import score_frame
    from escalsignal.spark import score_spark

    model, patterns, _ = custom_patterns_model
    pdf = pd.DataFrame([{"call_id": "c1", "turn": 0, "speaker": "customer", "text": "hi, my order is late"},
                        {"call_id": "c1", "turn": 1, "speaker": "customer", "text": "just put the boss on"},
                        {"call_id": "c2", "turn": 0, "speaker": "customer", "text": "put the boss on please"}])
    local = score_frame(pdf, Detector.load(model, patterns=patterns))
    scored = score_spark(spark.createDataFrame(pdf), model=model, patterns=patterns).toPandas()
    a = scored.sort_values(["call_id", "turn"]).reset_index(drop=True)
    b = local.sort_values(["call_id", "turn"]).reset_index(drop=True)
    assert a["manager_request_score"].tolist() == b["manager_request_score"].tolist()
    assert a["evidence"].tolist() == b["evidence"].tolist() and "acme.boss_please" in a["evidence"][1]


def test_spark_refuses_patterns_the_model_was_not_trained_with_before_any_job(spark, tmp_path):
    import pandas as pd

    from escalsignal import ModelIntegrityError
    from escalsignal.rules import PATTERN_DIR
    from escalsignal.spark import score_spark

    extra = tmp_path / "extra.jsonl"
    extra.write_text('{"id": "x.y", "signal": "frustration", "weight": 1.0, "description": "d", "pattern": "so done"}\n')
    sdf = spark.createDataFrame(pd.DataFrame([{"call_id": "c", "speaker": "customer", "text": "hi"}]))
    with pytest.raises(ModelIntegrityError, match="other pattern files"):
        score_spark(sdf, patterns=sorted(PATTERN_DIR.glob("*.jsonl")) + [extra])
