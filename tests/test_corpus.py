"""The team's corpus in data/ meets what the default model is promised to be trained on, and data/README.md
states its current size and generated share."""
import importlib.util
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SIGNALS = ("frustration", "repeat_contact", "manager_request", "urgency", "churn_threat", "legal_threat")


@pytest.fixture(scope="module")
def stats():
    spec = importlib.util.spec_from_file_location("corpus_stats", ROOT / "data" / "tools" / "stats.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.corpus_stats(ROOT / "data")


def test_size_scenarios_and_styles(stats):
    assert stats["utterances"] >= 6000
    assert stats["speakers"]["customer"] > 0 and stats["speakers"]["agent"] > 0
    assert len(stats["scenarios"]) >= 12
    assert {"chat", "spoken", "asr"} <= set(stats["styles"])


def test_calls_with_and_without_escalation(stats):
    calls = stats["calls"]["hand"] + stats["calls"]["generated"]
    assert calls >= 400 and 0 < stats["calls"]["escalate"] < calls


@pytest.mark.parametrize("signal", SIGNALS)
def test_every_signal_has_at_least_as_many_hard_negatives_as_positives(stats, signal):
    assert stats["hard_negatives"][signal] >= stats["positives"][signal] > 0


def test_the_readme_states_the_current_size_and_generated_share(stats):
    text = " ".join((ROOT / "data" / "README.md").read_text(encoding="utf-8").split())
    n, gen = stats["utterances"], stats["origin"]["generated"]
    assert f"{n:,} labelled utterances" in text
    assert f"{gen:,} ({round(100 * gen / n)}%) generated" in text
