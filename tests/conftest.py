from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def nlp():
    from escalsignal.text import make_nlp

    return make_nlp()


@pytest.fixture(scope="session")
def rules(nlp):
    from escalsignal.rules import RuleEngine

    return RuleEngine(nlp)


@pytest.fixture(scope="session")
def det():
    from escalsignal import Detector

    return Detector.load()


# --- small trained models, for tests of training and of custom patterns (seconds, not minutes) ---------------
ROOT = Path(__file__).resolve().parent.parent


def train(data, out, *extra):
    """``escalsignal train`` in a subprocess, as a user runs it; returns the written manifest."""
    subprocess.run([sys.executable, "-m", "escalsignal", "train", str(data), "-o", str(out), *extra],
                   check=True, capture_output=True, text=True)
    return json.loads((out / "manifest.json").read_text())


@pytest.fixture(scope="session")
def small_data(tmp_path_factory):
    """A slice of the corpus: enough lines of every signal to fit, small enough to train in seconds."""
    folder = tmp_path_factory.mktemp("data")
    for path in sorted((ROOT / "data" / "hand").glob("*.jsonl")):
        lines = path.read_text(encoding="utf-8").splitlines()[:150]
        (folder / path.name).write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


CUSTOM_PATTERN = {
    "id": "acme.boss_please", "signal": "manager_request", "weight": 2.5,
    "description": "A team's own phrase for asking for a manager.",
    "pattern": ["put the boss on"],
    "examples": {"match": ["just put the boss on"], "no_match": ["the boss is on holiday"]},
}


@pytest.fixture(scope="session")
def custom_patterns_model(small_data, tmp_path_factory):
    """(model dir, pattern files, manifest) of a model trained with the bundled pattern files plus a team's own."""
    from escalsignal.rules import PATTERN_DIR

    folder = tmp_path_factory.mktemp("custom")
    own = folder / "acme.jsonl"
    own.write_text(json.dumps(CUSTOM_PATTERN) + "\n", encoding="utf-8")
    patterns = sorted(PATTERN_DIR.glob("*.jsonl")) + [own]
    args = [a for p in patterns for a in ("--patterns", str(p))]
    manifest = train(small_data, folder / "model", "--no-cv-thresholds", *args)
    return folder / "model", patterns, manifest
