"""escalsignal evaluate and calibrate: figures, lead time, threshold choice, calibrated copies and the report.

Hand-computed figures use tiny fixtures; call-level behaviour that must be exact uses a stub scorer (known
scores) under the real Session and policy; the end-to-end checks use the shipped model but never its exact scores.
"""
import json
from types import SimpleNamespace

import numpy as np
import pytest

from escalsignal import Detector
from escalsignal.detector import default_model_dir
from escalsignal.evaluate import (
    Call, CallOutcome, Dataset, Line, Turn, calibrate, calibrate_calls, call_metrics, evaluate, load_data,
    main_calibrate, main_evaluate, run_calls, signal_metrics, threshold_for_precision, write_report,
)
from escalsignal.policy import EscalationMatrix
from escalsignal.types import SIGNALS, SignalScore, UtteranceScore


# --- signal figures ----------------------------------------------------------------------------------------
# y:  1    1    0     0    1    0
# p: .9   .4  .35   .2   .8   .6      AUC: 8 of the 9 (positive, negative) pairs are ordered right = 8/9
# AP: ranked .9(1) .8(1) .6(0) .4(1) ...: (1/1 + 2/2 + 3/4) / 3 = 0.916667
Y = [1, 1, 0, 0, 1, 0]
P = [0.9, 0.4, 0.35, 0.2, 0.8, 0.6]


@pytest.mark.parametrize("threshold, tp, fp, fn, tn, precision, recall, f1", [
    (0.5, 2, 1, 1, 2, 2 / 3, 2 / 3, 2 / 3),
    (0.3, 3, 2, 0, 1, 3 / 5, 1.0, 3 / 4),
    (0.6, 2, 1, 1, 2, 2 / 3, 2 / 3, 2 / 3),  # detected means score >= threshold
    (0.95, 0, 0, 3, 3, None, 0.0, 0.0),      # nothing detected: precision is undefined, not 0
])
def test_signal_figures_match_hand_computed_values(threshold, tp, fp, fn, tn, precision, recall, f1):
    m = signal_metrics(Y, P, threshold)
    assert (m["n"], m["pos"], m["tp"], m["fp"], m["fn"], m["tn"]) == (6, 3, tp, fp, fn, tn)
    assert m["precision"] == pytest.approx(precision) if precision is not None else m["precision"] is None
    assert m["recall"] == pytest.approx(recall) and m["f1"] == pytest.approx(f1)
    assert m["auc"] == pytest.approx(8 / 9) and m["ap"] == pytest.approx(2.75 / 3)


def test_threshold_free_figures_are_undefined_with_one_class():
    m = signal_metrics([0, 0, 0], [0.1, 0.7, 0.2], 0.5)
    assert m["auc"] is None and m["ap"] is None and m["recall"] is None and m["fp"] == 1


# --- call figures and lead time -----------------------------------------------------------------------------
OUTCOMES = [
    CallOutcome("A", 1, 5, (3,), 0.9),     # alerted 2 turns early: lead +2
    CallOutcome("B", 1, 2, (4, 8), 0.7),   # alerted 2 turns late: lead -2; two alerts
    CallOutcome("C", 1, 3, (), 0.3),       # missed
    CallOutcome("D", 0, None, (1,), 0.8),  # false alert
    CallOutcome("E", 0, None, (), 0.1),
    CallOutcome("F", None, None, (2,), 0.5),  # no call label: counts for alert volume only
]


def test_call_figures_match_hand_computed_values():
    m = call_metrics(OUTCOMES)
    assert (m["calls"], m["labelled"], m["escalate"], m["alerted"]) == (6, 5, 3, 4)
    assert (m["tp"], m["fp"], m["fn"], m["tn"]) == (2, 1, 1, 1)
    assert m["precision"] == pytest.approx(2 / 3) and m["recall"] == pytest.approx(2 / 3)
    assert m["alerts_per_100_calls"] == pytest.approx(100 * 5 / 6)  # 1 + 2 + 1 + 1 alerts over all 6 calls
    assert m["false_alerts_per_100_calls"] == pytest.approx(100 * 1 / 5)  # 1 alert on a no-escalation call, 5 labelled
    assert m["auc"] == pytest.approx(4 / 6)  # highest call score: .9 .7 .3 vs .8 .1
    assert m["lead_time"] == {"n": 2, "missed": 1, "median": 0.0, "mean": 0.0, "min": -2, "max": 2,
                              "early": 1, "on_time": 0, "late": 1}


@pytest.mark.parametrize("escalate, due, alerts, lead", [
    (1, 5, (3,), 2), (1, 5, (5,), 0), (1, 2, (4, 8), -2), (1, 3, (), None), (0, None, (1,), None), (1, None, (1,), None),
])
def test_lead_is_labelled_turn_minus_first_alert(escalate, due, alerts, lead):
    assert CallOutcome("c", escalate, due, alerts, 0.0).lead == lead


class Stub:
    """A detector with known scores: texts name them ("manager=0.95"), everything else scores 0.01."""

    def __init__(self, thresholds=None):
        self.matrix = EscalationMatrix.load()
        self.model = SimpleNamespace(thresholds=dict(thresholds or {s: 0.5 for s in SIGNALS}))

    def score_text(self, text, speaker="customer"):
        wanted = dict(part.split("=") for part in text.split() if "=" in part) if speaker == "customer" else {}
        signals = {}
        for s in SIGNALS:
            p = float(wanted.get(s.split("_")[0], 0.01 if speaker == "customer" else 0.0))
            t = self.model.thresholds[s]
            signals[s] = SignalScore(s, p, speaker == "customer" and p >= t, t)
        return UtteranceScore(text, speaker, signals)


def call(call_id, texts, escalate=None, due=None):
    """Customer and agent turns alternate, customer first."""
    turns = tuple(Turn("customer" if i % 2 == 0 else "agent", t, {}) for i, t in enumerate(texts))
    return Call(call_id, turns, escalate, due)


def test_lead_time_of_a_known_call_through_the_real_policy():
    # A clear manager request at turn 4 is the first alert; escalation was labelled warranted at turn 6 (early
    # warning of 2 turns) in one call and at turn 2 (2 turns late) in the other.
    texts = ["hello", "hi, how can I help", "my bill", "let me look", "manager=0.97", "one moment", "ok"]
    data = Dataset([], [call("early", texts, 1, 6), call("late", texts, 1, 2), call("calm", ["hello"] * 5, 0)], [])
    ev = evaluate(Stub(), data)
    assert [o.first_alert for o in ev.outcomes] == [4, 4, None]
    lt = ev.metrics()["calls"]["lead_time"]
    assert (lt["min"], lt["max"], lt["early"], lt["late"], lt["mean"]) == (-2, 2, 1, 1, 0.0)


def test_missing_labels_are_unlabelled_not_negative():
    data = Dataset([Line("a", "manager=0.9", "customer", {"manager_request": 1}),
                    Line("b", "hello", "customer", {"manager_request": 0, "frustration": 0}),
                    Line("c", "frustration=0.8", "customer", {"frustration": 1}),
                    Line("d", "manager=0.9", "agent", {"manager_request": 0})], [], [])
    m = evaluate(Stub(), data).metrics()
    assert m["utterances"] == 3  # agent lines are never scored for customer signals
    assert (m["signals"]["manager_request"]["n"], m["signals"]["frustration"]["n"]) == (2, 2)
    assert set(m["signals"]) == {"manager_request", "frustration"}


def test_replayed_sessions_equal_live_sessions(det):
    texts = ["Hi, I'm calling about my internet.", "Sure, what's going on?",
             "It's been down for three days and this is the fourth time I've called!", "I'm sorry to hear that.",
             "I want to speak to a supervisor right now.", "Let me get my supervisor.",
             "And if this isn't fixed today I'm cancelling and calling my lawyer."]
    calls = [call("x", texts), call("y", texts[:3]), call("z", ["Thanks, that's all."])]
    live = []
    for c in calls:
        sess = det.session(c.call_id)
        live.append(tuple(i for i, t in enumerate(c.turns) if sess.add(t.text, speaker=t.speaker).escalate))
    utts = [[det.score_text(t.text, speaker=t.speaker) for t in c.turns] for c in calls]
    assert [o.alerts for o in run_calls(det.matrix, calls, utts)] == live


# --- data files -----------------------------------------------------------------------------------------------
def write_jsonl(path, records):
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


@pytest.mark.parametrize("record, message", [
    ({"text": "hi", "labels": {"frustation": 1}}, "unknown label 'frustation'"),
    ({"text": "hi", "labels": {"frustration": 2}}, "must be 0 or 1"),
    ({"labels": {"frustration": 1}}, "needs a speaker"),
    ({"turns": [{"speaker": "customer", "text": "hi"}], "labels": {"escalate": 1, "escalate_turn": 3}}, "escalate_turn"),
    ({"turns": [{"speaker": "customer", "text": "hi"}], "labels": {"escalate": 0, "escalate_turn": 0}}, "not 1"),
    ({"turns": [{"speaker": "customer", "text": "hi"}], "labels": {"escalated": 1}}, "unknown call label"),
])
def test_bad_records_are_refused_with_file_and_line(tmp_path, record, message):
    path = write_jsonl(tmp_path / "team.jsonl", [{"text": "fine", "labels": {}}, record])
    with pytest.raises(ValueError, match=message) as err:
        load_data(path)
    assert "team.jsonl:2" in str(err.value)


# --- calibration ----------------------------------------------------------------------------------------------
# y:  1   1   0   1   0   0        cut at  .9   .8   .7   .6   .5   .1
# p: .9  .8  .7  .6  .5  .1        prec   1/1  2/2  2/3  3/4  3/5  3/6     recall 1/3 2/3 2/3 1 1 1
@pytest.mark.parametrize("target, threshold, precision, recall", [
    (1.0, 0.75, 1.0, 2 / 3),   # the lowest cut at precision 1 is .8; the threshold sits halfway to .7
    (0.75, 0.55, 0.75, 1.0),
    (0.5, 0.55, 0.75, 1.0),    # full recall from the cut at .6 on: the highest of those, not .1
])
def test_threshold_for_precision_gives_the_most_recall_at_the_target(target, threshold, precision, recall):
    ch = threshold_for_precision([1, 1, 0, 1, 0, 0], [0.9, 0.8, 0.7, 0.6, 0.5, 0.1], target)
    assert ch.reached and ch.threshold == pytest.approx(threshold)
    assert (ch.precision, ch.recall) == (pytest.approx(precision), pytest.approx(recall))


def test_unreachable_precision_keeps_no_threshold():
    ch = threshold_for_precision([0, 1], [0.9, 0.1], 0.9)
    assert not ch.reached and ch.threshold is None and ch.precision == pytest.approx(0.5)


def test_calibrated_signal_thresholds_hit_the_target_and_unreachable_ones_are_kept():
    lines = [Line(str(i), f"manager={p}", "customer", {"manager_request": y})
             for i, (y, p) in enumerate([(1, 0.95), (1, 0.9), (0, 0.85), (1, 0.7), (0, 0.6), (0, 0.4), (1, 0.3)])]
    lines += [Line("u", "urgency=0.9", "customer", {"urgency": 0}), Line("v", "urgency=0.2", "customer", {"urgency": 1})]
    ev = evaluate(Stub(), Dataset(lines, [], []))
    res = calibrate(ev, target_precision=0.75)
    assert res["thresholds"]["manager_request"] == pytest.approx(0.65)  # cut at .7: 3 of 4 detected are right
    assert res["signals"]["urgency"]["reached"] is False and res["thresholds"]["urgency"] == 0.5
    m = signal_metrics(ev.y["manager_request"], ev.p["manager_request"], res["thresholds"]["manager_request"])
    assert m["precision"] >= 0.75 and m["recall"] == pytest.approx(0.75)


# Five calls, each with one customer turn of a known manager score; the call score grows with it.
CALLS = [call(f"c{i}", [f"manager={s}"], y) for i, (s, y) in enumerate([(0.99, 1), (0.85, 1), (0.75, 0), (0.65, 1), (0.55, 0)])]


def raise_grid_below(score):
    from escalsignal.evaluate import RAISE_GRID

    return max(t for t in RAISE_GRID if t <= score)


@pytest.mark.parametrize("kwargs, alerted", [
    ({"alerts_per_100": 40}, 2),         # at most 2 of 5 calls: the two highest-scoring calls
    ({"target_precision": 1.0}, 2),      # c0, c1 are escalations; c2 is not: most recall at precision 1
    ({"target_precision": 0.75}, 4),     # c0..c3: 3 of 4 right, full recall
    ({"alerts_per_100": 80, "target_precision": 0.6}, 4),
])
def test_call_level_calibration_hits_its_target(kwargs, alerted):
    stub = Stub()
    utts = [[stub.score_text(t.text, t.speaker) for t in c.turns] for c in CALLS]
    scores = sorted((o.max_score for o in run_calls(stub.matrix, CALLS, utts)), reverse=True)
    res = calibrate_calls(stub.matrix, CALLS, utts, **kwargs)
    # of the raise thresholds alerting on exactly these calls, the highest
    assert res["reached"] and res["raise_at"] == raise_grid_below(scores[alerted - 1])
    f = res["figures"]
    assert f["alerted"] == alerted
    if "alerts_per_100" in kwargs:
        assert f["alerts_per_100_calls"] <= kwargs["alerts_per_100"]
    if "target_precision" in kwargs:
        assert f["precision"] >= kwargs["target_precision"]


def test_call_level_calibration_reports_an_unreachable_target():
    stub = Stub()
    calls = [call("a", ["manager=0.9"], 0), call("b", ["manager=0.8"], 1)]
    res = calibrate_calls(stub.matrix, calls, [[stub.score_text(t.text, t.speaker) for t in c.turns] for c in calls],
                          target_precision=1.0)
    assert res == {"raise_at": None, "reached": False}


# --- end to end with the shipped model ----------------------------------------------------------------------------
UTTERANCES = [
    ("I want to speak to your supervisor right now.", {"manager_request": 1, "frustration": 0}),
    ("Put a manager on the line, please.", {"manager_request": 1}),
    ("Can I talk to a real person instead of this bot?", {"manager_request": 1}),
    ("Transfer me to whoever is in charge there.", {"manager_request": 1}),
    ("The manager at my local branch was lovely to me.", {"manager_request": 0}),
    ("What time does the store open on Sunday?", {"manager_request": 0, "frustration": 0}),
    ("I'd like to update my mailing address.", {"manager_request": 0, "frustration": 0}),
    ("Thanks, that fixed it.", {"manager_request": 0, "frustration": 0}),
    ("This is absolutely ridiculous, three weeks and still nothing!!", {"frustration": 1}),
    ("Your service is a complete joke.", {"frustration": 1}),
    ("I'm so fed up with this company.", {"frustration": 1}),
    ("Could you check the status of my order?", {"frustration": 0}),
]
CALL_RECORDS = [
    {"call_id": "e1", "labels": {"escalate": 1, "escalate_turn": 4}, "turns": [
        {"speaker": "customer", "text": "Hi, my internet has been down since Monday."},
        {"speaker": "agent", "text": "Sorry about that, let me check."},
        {"speaker": "customer", "text": "This is the third time I've called about it."},
        {"speaker": "agent", "text": "I can see the earlier tickets."},
        {"speaker": "customer", "text": "I want a supervisor now, or I'm cancelling.", "labels": {"manager_request": 1}}]},
    {"call_id": "n1", "labels": {"escalate": 0, "escalate_turn": None}, "turns": [
        {"speaker": "customer", "text": "Hello, I'd like to change my billing date."},
        {"speaker": "agent", "text": "Of course, to which day?"},
        {"speaker": "customer", "text": "The fifteenth, please. Thanks!", "labels": {"manager_request": 0}}]},
    {"call_id": "n2", "labels": {"escalate": 0}, "turns": [
        {"speaker": "customer", "text": "Can you tell me when my parcel will arrive?"},
        {"speaker": "agent", "text": "It's due tomorrow."}]},
]


@pytest.fixture
def team_data(tmp_path):
    folder = tmp_path / "team"
    folder.mkdir()
    write_jsonl(folder / "lines.jsonl", [{"id": f"t{i}", "text": t, "labels": lab} for i, (t, lab) in enumerate(UTTERANCES)])
    write_jsonl(folder / "calls.jsonl", CALL_RECORDS)
    return folder


def test_evaluate_prints_and_writes_figures_for_lines_and_calls(team_data, tmp_path, capsys):
    out = tmp_path / "figures.json"
    assert main_evaluate([str(team_data), "--json", str(out)]) == 0
    text = capsys.readouterr().out
    for words in ("precision", "recall", "ROC-AUC", "false alerts per 100 calls", "lead time", "manager_request"):
        assert words in text
    m = json.loads(out.read_text())
    assert m["utterances"] == len(UTTERANCES) + 2  # the two labelled call turns count as utterances
    assert m["signals"]["manager_request"]["n"] == 8 + 2 and m["signals"]["frustration"]["pos"] == 3
    assert set(m["signals"]) == {"manager_request", "frustration"}
    assert m["calls"]["calls"] == 3 and m["calls"]["escalate"] == 1


def test_calibrate_writes_a_loadable_copy_that_hits_its_target(team_data, tmp_path, capsys, det):
    out = tmp_path / "calibrated"
    assert main_calibrate([str(team_data), "--target-precision", "0.9", "--alerts-per-100-calls", "40",
                           "-o", str(out)]) == 0
    manifest = json.loads((out / "manifest.json").read_text())
    cal = manifest["calibration"]
    assert cal["target_precision"] == 0.9 and set(cal["signals"]) == {"manager_request", "frustration"}
    new = Detector.load(out)
    assert new.model.thresholds == manifest["thresholds"]
    if cal["calls"]["raise_at"] is not None:
        assert new.matrix.policy.raise_at == manifest["policy"]["raise_at"]
    figures = evaluate(new, load_data(team_data)).metrics()
    for s, r in cal["signals"].items():
        if r["reached"]:
            assert figures["signals"][s]["precision"] >= 0.9
        else:
            assert manifest["thresholds"][s] == det.model.thresholds[s]
    if cal["calls"]["reached"]:
        assert figures["calls"]["alerts_per_100_calls"] <= 40
        assert figures["calls"]["precision"] is None or figures["calls"]["precision"] >= 0.9
    original = json.loads((default_model_dir() / "manifest.json").read_text())
    assert manifest["arrays_sha256"] == original["arrays_sha256"]  # thresholds change, the model does not


def test_calibrate_refuses_to_overwrite_the_model_and_needs_a_target(team_data, capsys):
    with pytest.raises(SystemExit):
        main_calibrate([str(team_data), "-o", "somewhere"])
    with pytest.raises(SystemExit, match="copy"):
        main_calibrate([str(team_data), "--target-precision", "0.9", "-o", str(default_model_dir())])


def test_report_is_html_with_png_plots(team_data, tmp_path, det):
    image = pytest.importorskip("matplotlib.image", reason="the report needs the 'report' extra (matplotlib)")
    ev = evaluate(det, load_data(team_data))
    index = write_report(ev, tmp_path / "report")
    html = index.read_text()
    assert html.startswith("<!doctype html>") and "Confusion table" in html and "lead time" in html.lower()
    expected = {"score_distribution.png"} | {f"{k}_{s}.png" for s in ("manager_request", "frustration")
                                             for k in ("pr", "calibration")}
    written = {p.name for p in (tmp_path / "report").glob("*.png")}
    assert expected <= written
    for name in written:
        pixels = image.imread(tmp_path / "report" / name)
        assert pixels.ndim == 3 and pixels.shape[0] > 100 and pixels.shape[1] > 100
    assert html.count("data:image/png;base64,") == len(written)  # self-contained: every plot is embedded
    assert json.loads((tmp_path / "report" / "metrics.json").read_text())["signals"]


@pytest.mark.parametrize("policy, raise_at, rearm_below", [
    ({"raise_at": 0.8}, 0.8, None),                        # None: the matrix's own value
    ({"raise_at": 0.3, "rearm_below": 0.2}, 0.3, 0.2),
])
def test_a_manifest_policy_overrides_the_matrix_policy(tmp_path, policy, raise_at, rearm_below):
    import shutil

    model = tmp_path / "model"
    shutil.copytree(default_model_dir(), model)
    manifest = json.loads((model / "manifest.json").read_text())
    (model / "manifest.json").write_text(json.dumps(manifest | {"policy": policy}))
    matrix = EscalationMatrix.load().policy
    got = Detector.load(model).matrix.policy
    assert got.raise_at == raise_at and got.rearm_below == (rearm_below or matrix.rearm_below)
    assert (got.cooldown_turns, got.weights) == (matrix.cooldown_turns, matrix.weights)


@pytest.mark.parametrize("policy", [{"raise_at": 0.2}, {"raise_at": "high"}, {"threshold": 0.7}, [0.7]])
def test_a_bad_manifest_policy_is_refused_at_load(tmp_path, policy):
    import shutil

    from escalsignal.errors import ConfigError

    model = tmp_path / "model"
    shutil.copytree(default_model_dir(), model)
    manifest = json.loads((model / "manifest.json").read_text())
    (model / "manifest.json").write_text(json.dumps(manifest | {"policy": policy}))
    with pytest.raises(ConfigError, match="manifest.json"):
        Detector.load(model)
