"""Safe loading and bounded resources: model files, escalation matrices, pattern files, long-lived detectors."""
from __future__ import annotations

import io
import json
import pickle
import random
import re
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from escalsignal import ConfigError, Detector, ModelIntegrityError, PatternError
from escalsignal import detector as detector_module
from escalsignal.detector import default_model_dir
from escalsignal.model import ARRAYS, ARTIFACT, MANIFEST, SignalModel, sha256_file
from escalsignal.policy import DEFAULT_MATRIX, EscalationMatrix
from escalsignal.rules import load_pattern_records

ROOT = Path(__file__).resolve().parent.parent


# --- model files --------------------------------------------------------------------------------------------
@pytest.fixture
def model_dir(tmp_path):
    """A copy of the shipped model directory (read once, so a retrain in progress does not tear it)."""
    for f in default_model_dir().iterdir():
        if f.is_file():
            shutil.copy(f, tmp_path / f.name)
    return tmp_path


@pytest.fixture
def no_unpickling(monkeypatch):
    """Any attempt to unpickle during the test fails it."""
    import joblib

    def refuse(*a, **k):
        raise AssertionError("something was unpickled")

    for mod, name in ((pickle, "load"), (pickle, "loads"), (pickle, "Unpickler"), (joblib, "load")):
        monkeypatch.setattr(mod, name, refuse)
    real_load = np.load

    def np_load(*a, **k):
        assert k.get("allow_pickle") is False, "np.load without allow_pickle=False"
        return real_load(*a, **k)

    monkeypatch.setattr(np, "load", np_load)


def edit_manifest(directory: Path, **changes) -> None:
    path = directory / MANIFEST
    manifest = json.loads(path.read_text())
    manifest.update(changes)
    path.write_text(json.dumps(manifest))


def rewrite_arrays(directory: Path, change) -> None:
    """Replace model.npz by an edited one *and* update its hash: a consistent but malformed model."""
    path = directory / ARRAYS
    with np.load(path, allow_pickle=False) as data:
        arrays = dict(data)
    change(arrays)
    buf = io.BytesIO()
    np.savez(buf, **arrays)
    path.write_bytes(buf.getvalue())
    edit_manifest(directory, arrays_sha256=sha256_file(path))


def test_the_default_detector_loads_without_unpickling(model_dir, no_unpickling):
    det = Detector.load(model_dir)
    assert det.score_text("get me a manager").signals["manager_request"].detected


def test_the_default_detector_never_imports_joblib_or_sklearn():
    code = ("import sys; from escalsignal import Detector; Detector.load().session('x').add('get me a manager'); "
            "print(sorted(m for m in ('joblib', 'sklearn') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT).stdout
    assert out.strip() == "[]"


@pytest.mark.parametrize("damage", ["flip", "truncate", "empty", "replace-with-pickle", "append"])
@pytest.mark.parametrize("name", [ARRAYS, ARTIFACT])
def test_a_tampered_or_truncated_model_file_is_refused_before_anything_is_read(model_dir, no_unpickling, name, damage):
    path = model_dir / name
    data = path.read_bytes()
    path.write_bytes({
        "flip": data[:200] + bytes([data[200] ^ 1]) + data[201:],
        "truncate": data[: len(data) // 2],
        "empty": b"",
        "replace-with-pickle": pickle.dumps({"evil": True}),
        "append": data + b"\0",
    }[damage])
    with pytest.raises(ModelIntegrityError, match="sha256"):
        SignalModel.load(model_dir, estimators=name == ARTIFACT)
    if name == ARRAYS:
        with pytest.raises(ModelIntegrityError, match="sha256"):
            Detector.load(model_dir)


@pytest.mark.parametrize("change, message", [
    ({"format_version": 2}, "format 2 is not supported"),
    ({"format_version": "1"}, "not supported"),
    ({"signals": ["frustration", "anger"]}, "signals"),
    ({"arrays": "/etc/passwd"}, "plain file name"),
    ({"arrays": "../model.npz"}, "plain file name"),
    ({"thresholds": [0.5]}, "malformed|thresholds"),
    ({"thresholds": {"urgency": 7}}, r"thresholds must be numbers in \[0, 1\]"),
])
def test_a_wrong_version_or_malformed_manifest_is_refused(model_dir, no_unpickling, change, message):
    edit_manifest(model_dir, **change)
    with pytest.raises(ModelIntegrityError, match=message):
        Detector.load(model_dir)


def test_the_estimators_file_name_is_checked_too(model_dir, no_unpickling):
    edit_manifest(model_dir, artifact="../../model.joblib")
    with pytest.raises(ModelIntegrityError, match="plain file name"):
        SignalModel.load(model_dir, estimators=True)


@pytest.mark.parametrize("content", [b"5", b"null", b"[]", b'{"a": "\xff"}', b"{", b""])
def test_a_manifest_that_is_not_a_json_object_is_refused(model_dir, no_unpickling, content):
    (model_dir / MANIFEST).write_bytes(content)
    with pytest.raises(ModelIntegrityError):
        Detector.load(model_dir)


def test_a_missing_model_directory_is_refused(tmp_path):
    with pytest.raises(ModelIntegrityError, match="no manifest"):
        Detector.load(tmp_path / "nowhere")


@pytest.mark.parametrize("change, message", [
    (lambda a: a.update(coef=np.array([object()] * 3, dtype=object)), "unreadable model arrays"),
    (lambda a: a.pop("calib"), "unreadable model arrays"),
    (lambda a: a.update(coef=a["coef"][:-1]), "shapes"),
    (lambda a: a.update(coef=a["coef"] * np.nan), "not all finite"),
    (lambda a: a.update(calib=a["calib"].astype(str)), "not all finite"),
    (lambda a: a.update(intercept=np.full_like(a["intercept"], np.inf)), "not all finite"),
])
def test_consistent_but_malformed_arrays_are_refused_without_unpickling(model_dir, no_unpickling, change, message):
    rewrite_arrays(model_dir, change)
    with pytest.raises(ModelIntegrityError, match=message):
        Detector.load(model_dir)


@pytest.mark.parametrize("content", [b"PK\x03\x04" + b"\0" * 64, b"not a zip at all", pickle.dumps([1, 2])])
def test_arrays_that_are_not_an_npz_archive_are_refused(model_dir, no_unpickling, content):
    (model_dir / ARRAYS).write_bytes(content)
    edit_manifest(model_dir, arrays_sha256=sha256_file(model_dir / ARRAYS))
    with pytest.raises(ModelIntegrityError):
        Detector.load(model_dir)


def test_the_estimators_are_unpickled_only_on_request_and_after_the_hash_check(model_dir, monkeypatch):
    import joblib

    calls = []
    real = joblib.load
    monkeypatch.setattr(joblib, "load", lambda *a, **k: calls.append(a) or real(*a, **k))
    SignalModel.load(model_dir)
    assert calls == []
    edit_manifest(model_dir, artifact_sha256="0" * 64)
    with pytest.raises(ModelIntegrityError, match="sha256"):
        SignalModel.load(model_dir, estimators=True)
    assert calls == []


# --- escalation matrices: errors name the file, the line and the field ----------------------------------------
MATRIX_TEXT = DEFAULT_MATRIX.read_text(encoding="utf-8")


def line_of(text: str, needle: str, nth: int = 0) -> int:
    pos = -1
    for _ in range(nth + 1):
        pos = text.index(needle, pos + 1)
    return text.count("\n", 0, pos) + 1


@pytest.mark.parametrize("old, new, field, line_needle", [
    ('"route": "fraud_team"', '"route": "fraud_teem"', r"rules\[1\]\.route", '"route": "fraud_teem"'),
    ('"signals": ["churn_threat"]', '"signals": ["churn"]', r"rules\[5\]\.signals", '"signals": ["churn"]'),
    ('"priority": "P3",\n     "description": "Sustained', '"priority": "P9",\n     "description": "Sustained',
     r"rules\[7\]\.priority", '"P9"'),
    ('"escalation_type": "priority", "route": "vip_desk"', '"escalation_type": "urgent", "route": "vip_desk"',
     r"metadata_rules\[1\]\.escalation_type", '"escalation_type": "urgent"'),
    ('"gte": 900', '"gte": "900"', r"metadata_rules\[2\]\.gte", '"gte": "900"'),
    ('"policy": {}', '"policy": {\n    "raise_at": 0.6,\n    "window": 2.5\n  }', r"policy\.window", '"window"'),
    ('"policy": {}', '"policy": {\n    "weights": {\n      "urgency": "high"\n    }\n  }', r"policy\.weights\.urgency",
     '"urgency": "high"'),
    ('"policy": {}', '"policy": {"speed": 3}', r"policy\.speed", '"policy"'),
    ('"version": 1', '"version": 7', "version", '"version"'),
])
def test_json_matrix_errors_name_file_line_and_field(tmp_path, old, new, field, line_needle):
    assert_matrix_error(tmp_path / "matrix.json", MATRIX_TEXT, old, new, field, line_needle)


def assert_matrix_error(path, base: str, old: str, new: str, field: str, line_needle: str) -> None:
    """``base`` with ``old`` replaced by ``new``, written to ``path``, fails to load naming file, line and field."""
    assert old in base
    text = base.replace(old, new, 1)
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match=rf"^{re.escape(path.name)}:{line_of(text, line_needle)}: field '{field}'"):
        EscalationMatrix.load(path)


TOML = '''# escalation matrix
version = 1
routes = ["desk", "fraud"]

[default]
id = "d"
escalation_type = "priority"
route = "desk"
priority = "P2"

[[rules]]
id = "m"
signals = ["manager_request"]
escalation_type = "hierarchical"
route = "desk"
priority = "P1"

[[rules]]
id = "f"
signals = ["urgency"]
tags = ["fraud"]
escalation_type = "functional"
route = "fraud"
priority = "P1"

[[metadata_rules]]
id = "vip"
field = "customer_tier"
in = ["vip"]
escalation_type = "priority"
route = "desk"
priority = "P2"

[policy]
raise_at = 0.6
weights = { urgency = 0.7, frustration = 0.5 }
'''


@pytest.mark.parametrize("old, new, field, line_needle", [
    ('route = "fraud"', 'route = "fraudd"', r"rules\[1\]\.route", 'route = "fraudd"'),
    ('signals = ["urgency"]', 'signals = ["urgent"]', r"rules\[1\]\.signals", 'signals = ["urgent"]'),
    ('tags = ["fraud"]', 'tags = "fraud"', r"rules\[1\]\.tags", 'tags = "fraud"'),
    ('in = ["vip"]', 'gte = "x"\nin = ["vip"]', r"metadata_rules\[0\]", '[[metadata_rules]]'),
    ('in = ["vip"]', 'in = "vip"', r"metadata_rules\[0\]\.in", 'in = "vip"'),
    ('priority = "P1"\n\n[[rules]]', 'priority = "P7"\n\n[[rules]]', r"rules\[0\]\.priority", '"P7"'),
    ('frustration = 0.5', 'frustration = nan', r"policy\.weights\.frustration", "frustration = nan"),
    ('raise_at = 0.6', 'raise_at = 0.6\nwindow = 4', r"policy", "[policy]"),
    ('[policy]', '[policy]\ncolour = "red"', r"policy\.colour", 'colour = "red"'),
    ('id = "d"', 'id = 5', r"default\.id", "id = 5"),
])
def test_toml_matrix_errors_name_file_line_and_field(tmp_path, old, new, field, line_needle):
    assert_matrix_error(tmp_path / "m.toml", TOML, old, new, field, line_needle)


def test_the_toml_matrix_loads(tmp_path):
    path = tmp_path / "m.toml"
    path.write_text(TOML, encoding="utf-8")
    assert EscalationMatrix.load(path).signal_rules[1].tags == frozenset({"fraud"})


def test_a_matrix_routing_on_a_tag_no_pattern_defines_is_refused_at_load(tmp_path):
    path = tmp_path / "matrix.json"
    path.write_text(MATRIX_TEXT.replace('"tags": ["fraud"]', '"tags": ["fruad"]'), encoding="utf-8")
    EscalationMatrix.load(path)  # alone, a matrix cannot know the tags...
    with pytest.raises(ConfigError, match=r"matrix\.json:\d+: field 'rules\[1\]\.tags': unknown tag 'fruad'"):
        Detector.load(matrix=path)  # ...the detector checks them against its patterns


@pytest.mark.parametrize("policy", [
    {"second_request_bonus": -1.0}, {"repeated_frustration_bonus": float("nan")}, {"weights": {"urgency": -0.5}},
    {"weights": {"urgency": float("inf")}}, {"max_quotes": 1.5}, {"decay": "0.5"},
])
def test_policy_values_that_would_break_scoring_are_refused_at_load(policy):
    data = json.loads(MATRIX_TEXT)
    data["policy"] = policy
    with pytest.raises(ConfigError, match=r"field 'policy\."):
        EscalationMatrix.from_mapping(data, "m.json")


# --- pattern files ------------------------------------------------------------------------------------------
GOOD = {"id": "x.one", "signal": "urgency", "weight": 1.0, "description": "d", "pattern": "help now",
        "examples": {"match": ["help now"], "no_match": ["hi"]}}


@pytest.mark.parametrize("record, field", [
    ({**GOOD, "signal": "panic"}, "signal"),
    ({**GOOD, "weight": float("nan")}, "weight"),
    ({**GOOD, "pattern": [{"NORM": "x", "OP": "{2,}"}]}, r"pattern\[0\]\.OP"),  # quantifiers must be bounded: {2}, {0,3}
    ({**GOOD, "scopes": "negation"}, "scopes"),
    ({k: v for k, v in GOOD.items() if k != "description"}, "description"),
])
def test_invalid_pattern_lines_name_file_line_and_field(tmp_path, record, field):
    path = tmp_path / "mine.jsonl"
    path.write_text("// my patterns\n" + json.dumps(GOOD) + "\n\n" + json.dumps({**record, "id": "x.two"}) + "\n")
    with pytest.raises(PatternError, match=rf"^mine\.jsonl:4: field '{field}'"):
        load_pattern_records([path])


# --- a long-lived detector keeps bounded memory -------------------------------------------------------------
def random_utterances(n: int, seed: int = 0) -> list[str]:
    rng = random.Random(seed)
    letters = "abcdefghijklmnopqrstuvwxyz"
    return [f"my order {rng.randrange(10**9)} for {''.join(rng.choices(letters, k=7))} is late, I called again"
            for _ in range(n)]


def test_spacy_vocabulary_growth_is_capped(det):
    from escalsignal.rules import RuleEngine
    from escalsignal.text import make_nlp

    nlp = make_nlp()
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(detector_module, "VOCAB_GROWTH_LIMIT", 1000)
        capped = detector_module.Detector(nlp, RuleEngine(nlp), det.model, det.matrix, det.manifest)
    start = len(nlp.vocab.strings)
    texts = random_utterances(3000)  # about 6,000 strings spaCy has never seen
    got = [capped.score_text(t).to_dict() for t in texts]
    assert len(nlp.vocab.strings) <= start + 1000 + 20
    assert got[-200:] == [det.score_text(t).to_dict() for t in texts[-200:]]  # same scores past the cap


def test_the_vocabulary_is_rebuilt_after_recycle_after_utterances_in_memory_zones(det, monkeypatch):
    monkeypatch.setattr(detector_module, "VOCAB_GROWTH_LIMIT", 0)
    monkeypatch.setattr(detector_module, "RECYCLE_AFTER", 300)
    d = Detector.load()
    start, first = len(d.nlp.vocab.strings), d.nlp
    texts = random_utterances(350)
    assert [d.score_text(t).to_dict() for t in texts] == [det.score_text(t).to_dict() for t in texts]
    assert d.nlp is not first and d._recycler.zoned == 50 and len(d.nlp.vocab.strings) == start


def test_patterns_changed_on_disk_stop_the_rebuild_but_not_the_scoring(det, tmp_path, monkeypatch):
    from escalsignal.rules import PATTERN_DIR

    for p in PATTERN_DIR.glob("*.jsonl"):
        shutil.copy(p, tmp_path / p.name)
    monkeypatch.setattr(detector_module, "VOCAB_GROWTH_LIMIT", 0)
    monkeypatch.setattr(detector_module, "RECYCLE_AFTER", 5)
    d = Detector.load(patterns=sorted(tmp_path.glob("*.jsonl")))
    first = d.nlp
    with (tmp_path / "urgency.jsonl").open("a") as fh:
        fh.write("\n")
    with pytest.warns(RuntimeWarning, match="can no longer be rebuilt"):
        got = [d.score_text(t).to_dict() for t in random_utterances(8)]
    assert got == [det.score_text(t).to_dict() for t in random_utterances(8)]
    assert d.nlp is first and d._recycler is None


def test_the_default_cap_is_set_from_the_loaded_vocabulary(det):
    assert det._vocab_limit >= detector_module.VOCAB_GROWTH_LIMIT > 0


# --- tokenizer: bounded suffix search -----------------------------------------------------------------------
def test_every_bounded_suffix_pattern_fits_the_suffix_window():
    """``text._tail_search`` is exact only if every suffix pattern but runs ("\\.\\.+") is shorter than the window."""
    import re

    import spacy

    from escalsignal.text import _CONTRACTION, SUFFIX_WINDOW

    try:
        from re import _parser as sre_parse  # Python 3.11+
    except ImportError:  # pragma: no cover
        import sre_parse  # type: ignore[no-redef]

    unbounded = []
    for pattern in list(spacy.blank("en").Defaults.suffixes) + [_CONTRACTION]:
        lo, hi = sre_parse.parse(pattern).getwidth()
        if hi >= sre_parse.MAXREPEAT:
            unbounded.append(pattern)
        else:
            assert hi + 1 < SUFFIX_WINDOW, pattern
    assert unbounded == [r"\.\.+"]  # a run: the window's edge check falls back to the full search


@pytest.mark.parametrize("text", ["wait" + "." * 40, "ok" + "." * 9, "x" + "." * 10 + "!", "5km" + "!" * 30,
                                  "dont" + "!" * 20, "I" + "'" * 30 + "s", "(" * 20 + "no" + ")" * 20])
def test_the_bounded_suffix_search_gives_spacys_tokens(det, text):
    from spacy.util import compile_suffix_regex

    from escalsignal.text import _CONTRACTION, make_nlp

    ref = make_nlp()
    ref.tokenizer.suffix_search = compile_suffix_regex(list(ref.Defaults.suffixes) + [_CONTRACTION]).search
    assert [t.text for t in det.nlp.make_doc(text)] == [t.text for t in ref.make_doc(text)]


def test_a_long_real_url_is_still_one_token(det):
    url = "https://maps.example.com/place/" + "/".join(f"seg{i}-{i * 7}" for i in range(60)) + "?q=a%20b&z=1"
    assert 300 < len(url) < 2048
    u = det.score_text(f"I sent {url} twice")
    assert [t.text for t in det.nlp.make_doc(f"I sent {url} twice")] == ["I", "sent", url, "twice"]
    assert u.text.split()[2] == url
