"""Labelled data in the project's JSONL formats (see data/README.md): loading, validation and the split.

The held-out split is made by ``group`` (variants of one line, lines of one template, turns of one call share a
group), by a hash of the group name: deterministic, independent of file order, and variants never straddle it.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

import numpy as np

from .types import SIGNALS, SPEAKERS

HELDOUT_SHARE = 0.2


@dataclass(frozen=True)
class Example:
    id: str
    group: str
    text: str
    speaker: str
    labels: tuple[int, ...]  # in SIGNALS order
    source: str  # file name
    origin: str = "hand"  # "hand" (written line by line) or "generated" (template, ASR view, composed call)


def group_unit(key: str) -> float:
    """A fixed point in [0, 1] for a group key: where a group falls depends on its name only, not on file order or
    on which other groups exist (the held-out split and the cross-validation folds both rest on this)."""
    return int(hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()[:8], 16) / 0xFFFFFFFF


def split_of(group: str, heldout_share: float = HELDOUT_SHARE) -> str:
    return "heldout" if group_unit(group) < heldout_share else "train"


def _labels(obj: dict[str, Any], where: str) -> tuple[int, ...]:
    labels = obj.get("labels")
    if not isinstance(labels, dict):
        raise ValueError(f"{where}: 'labels' must be an object")
    out = []
    for s in SIGNALS:
        v = labels.get(s, 0)
        if v not in (0, 1):
            raise ValueError(f"{where}: label {s!r} must be 0 or 1, got {v!r}")
        out.append(int(v))
    return tuple(out)


def read_jsonl(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    with Path(path).open(encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, 1):
            if line.strip():
                try:
                    yield lineno, json.loads(line)
                except json.JSONDecodeError as exc:
                    raise ValueError(f"{path}:{lineno}: invalid JSON ({exc.msg})") from None


def iter_examples(paths: list[Path]) -> Iterator[Example]:
    """Utterance examples from utterance files and from the turns of call files."""
    for path in paths:
        for lineno, obj in read_jsonl(path):
            where = f"{path.name}:{lineno}"
            if "turns" in obj:
                group = "call:" + str(obj.get("call_id", where))
                origin = str(obj.get("origin", "hand"))
                for i, turn in enumerate(obj["turns"]):
                    if turn.get("speaker") not in SPEAKERS or not isinstance(turn.get("text"), str):
                        raise ValueError(f"{where}: turn {i} needs a speaker in {SPEAKERS} and a text")
                    yield Example(f"{group}#{i}", group, turn["text"], turn["speaker"],
                                  _labels(turn, f"{where} turn {i}"), path.name, origin)
            else:
                if obj.get("speaker", "customer") not in SPEAKERS or not isinstance(obj.get("text"), str):
                    raise ValueError(f"{where}: needs a speaker in {SPEAKERS} and a text")
                ex_id = str(obj.get("id", where))
                yield Example(ex_id, str(obj.get("group", ex_id)), obj["text"], obj.get("speaker", "customer"),
                              _labels(obj, where), path.name, str(obj.get("origin", "hand")))


def iter_calls(paths: list[Path]) -> Iterator[dict[str, Any]]:
    for path in paths:
        for _, obj in read_jsonl(path):
            if "turns" in obj:
                yield obj


def data_files(root: Path) -> list[Path]:
    """Every *.jsonl under ``root`` (recursively), in a stable order."""
    root = Path(root)
    return sorted(root.rglob("*.jsonl")) if root.is_dir() else [root]


def corpus_digest(paths: list[Path]) -> str:
    h = hashlib.sha256()
    for p in paths:
        h.update(p.name.encode())
        h.update(hashlib.sha256(p.read_bytes()).digest())
    return h.hexdigest()


def label_matrix(examples: list[Example]) -> np.ndarray:
    return np.array([e.labels for e in examples], dtype=np.int64).reshape(len(examples), len(SIGNALS))
