"""escalsignal train: deterministic, loadable, and the shipped model is what data/ builds."""
import json
import subprocess
import sys
from pathlib import Path

import pytest

from escalsignal import Detector
from escalsignal.corpus import corpus_digest, data_files, split_of
from escalsignal.detector import default_model_dir

ROOT = Path(__file__).resolve().parent.parent


def train(data, out, *extra):
    subprocess.run([sys.executable, "-m", "escalsignal", "train", str(data), "-o", str(out), *extra],
                   check=True, capture_output=True, text=True)
    return json.loads((out / "manifest.json").read_text())


@pytest.fixture(scope="module")
def small_data(tmp_path_factory):
    """A slice of the corpus: enough lines of every signal to fit, small enough to train in seconds."""
    folder = tmp_path_factory.mktemp("data")
    for path in sorted((ROOT / "data" / "hand").glob("*.jsonl")):
        lines = path.read_text(encoding="utf-8").splitlines()[:150]
        (folder / path.name).write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


def test_training_is_deterministic(small_data, tmp_path):
    a = train(small_data, tmp_path / "a", "--no-cv-thresholds")
    b = train(small_data, tmp_path / "b", "--no-cv-thresholds")
    assert a["arrays_sha256"] == b["arrays_sha256"] and a["artifact_sha256"] == b["artifact_sha256"]
    assert (tmp_path / "a" / "manifest.json").read_bytes() == (tmp_path / "b" / "manifest.json").read_bytes()


def test_trained_model_loads_and_scores(small_data, tmp_path):
    manifest = train(small_data, tmp_path / "m", "--no-cv-thresholds")
    assert manifest["training"]["data_sha256"] == corpus_digest(data_files(small_data))
    assert set(manifest["metrics"]["heldout"]) >= {"frustration", "manager_request"}
    det = Detector.load(tmp_path / "m")
    assert det.score_text("I want to speak to a manager").signals["manager_request"].score > 0.5


def test_split_is_by_group_and_stable():
    assert split_of("call:hcall-001") == split_of("call:hcall-001")
    share = sum(split_of(f"g{i}") == "heldout" for i in range(5000)) / 5000
    assert 0.17 < share < 0.23


def test_shipped_model_was_built_from_the_shipped_data():
    manifest = json.loads((default_model_dir() / "manifest.json").read_text())
    assert manifest["training"]["data_sha256"] == corpus_digest(data_files(ROOT / "data"))
    assert manifest["training"]["seed"] == 0
