"""Line numbers for configuration errors: where a field sits in a JSON or TOML file.

``json`` and ``tomllib`` return plain values without positions. A file that has already parsed is scanned once
more, here, only when an error is reported, to find the line of the field it names (``rules[3].route``). The
scanners assume a document the real parser accepted; on anything unexpected they give up and return ``None``,
and the error is reported without a line.
"""
from __future__ import annotations

import json
import re
from typing import Union

Key = Union[str, int]
_WS = re.compile(r"[ \t\n\r]*")
_PATH_PART = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


def parse_path(field: str) -> tuple[Key, ...]:
    """``"rules[3].route"`` -> ``("rules", 3, "route")``."""
    return tuple(int(m.group(2)) if m.group(2) is not None else m.group(1) for m in _PATH_PART.finditer(field))


def field_line(text: str, field: str, toml: bool = False) -> int | None:
    """1-based line of ``field`` (or of its nearest enclosing field that is present), or ``None``."""
    try:
        positions = _toml_positions(text) if toml else _json_positions(text)
    except Exception:  # a locator must never hide the error it is decorating
        return None
    path = parse_path(field)
    while path:
        if path in positions:
            return text.count("\n", 0, positions[path]) + 1
        path = path[:-1]
    return None


# --- JSON -------------------------------------------------------------------------------------------------------
def _json_positions(text: str) -> dict[tuple[Key, ...], int]:
    """Offset of every object key and array item, by path."""
    decoder = json.JSONDecoder()
    pos: dict[tuple[Key, ...], int] = {}

    def skip(i: int) -> int:
        return _WS.match(text, i).end()  # type: ignore[union-attr]

    def value(i: int, path: tuple[Key, ...], depth: int) -> int:
        if depth > 100:
            raise ValueError("too deep")
        i = skip(i)
        c = text[i]
        if c == "{":
            i = skip(i + 1)
            if text[i] == "}":
                return i + 1
            while True:
                i = skip(i)
                key, j = json.decoder.scanstring(text, i + 1)
                pos[path + (key,)] = i  # duplicate keys: the last wins, as in json.loads
                j = skip(j)
                if text[j] != ":":
                    raise ValueError("expected ':'")
                i = skip(value(j + 1, path + (key,), depth + 1))
                if text[i] == ",":
                    i += 1
                    continue
                return i + 1
        if c == "[":
            i = skip(i + 1)
            if text[i] == "]":
                return i + 1
            n = 0
            while True:
                i = skip(i)
                pos[path + (n,)] = i
                i = skip(value(i, path + (n,), depth + 1))
                if text[i] == ",":
                    i, n = i + 1, n + 1
                    continue
                return i + 1
        return decoder.raw_decode(text, i)[1]

    start = 1 if text.startswith("\ufeff") else 0
    value(start, (), 0)
    return pos


# --- TOML -------------------------------------------------------------------------------------------------------
_BARE = re.compile(r"[A-Za-z0-9_-]+")


class _Toml:
    """Just enough of TOML's grammar to know where each key, table and array item starts."""

    def __init__(self, text: str) -> None:
        self.s = text
        self.i = 0
        self.pos: dict[tuple[Key, ...], int] = {}
        self.aot: dict[tuple[str, ...], int] = {}  # array-of-tables name path -> index of its current element

    # low-level helpers
    def ws(self, newlines: bool = False) -> None:
        s = self.s
        while self.i < len(s):
            c = s[self.i]
            if c in " \t" or (newlines and c in "\r\n"):
                self.i += 1
            elif c == "#":
                while self.i < len(s) and s[self.i] != "\n":
                    self.i += 1
            else:
                return

    def string(self) -> str:
        s, i = self.s, self.i
        for q in ('"""', "'''"):
            if s.startswith(q, i):
                end = s.index(q, i + 3)
                while s.startswith(q[0], end + 3):  # up to two quotes may close a multi-line string
                    end += 1
                self.i = end + 3
                return s[i + 3:end]
        if s[i] == "'":
            end = s.index("'", i + 1)
            self.i = end + 1
            return s[i + 1:end]
        j = i + 1
        while s[j] != '"':
            j += 2 if s[j] == "\\" else 1
        self.i = j + 1
        return json.loads(s[i:j + 1]) if "\\" in s[i:j + 1] else s[i + 1:j]

    def key(self) -> list[str]:
        parts = []
        while True:
            self.ws()
            if self.s[self.i] in "\"'":
                parts.append(self.string())
            else:
                m = _BARE.match(self.s, self.i)
                if not m:
                    raise ValueError("bad key")
                parts.append(m.group())
                self.i = m.end()
            self.ws()
            if self.i < len(self.s) and self.s[self.i] == ".":
                self.i += 1
                continue
            return parts

    def resolve(self, names: list[str]) -> tuple[Key, ...]:
        """A header's name path with the current index of every array of tables on it."""
        out: list[Key] = []
        for k in range(len(names)):
            out.append(names[k])
            idx = self.aot.get(tuple(names[:k + 1]))
            if idx is not None:
                out.append(idx)
        return tuple(out)

    # grammar
    def document(self) -> None:
        s = self.s
        table: tuple[Key, ...] = ()
        while True:
            self.ws(newlines=True)
            if self.i >= len(s):
                return
            start = self.i
            if s.startswith("[[", self.i):
                self.i += 2
                names = self.key()
                self.i += 2  # "]]"
                name = tuple(names)
                self.aot[name] = self.aot.get(name, -1) + 1
                for other in [k for k in self.aot if len(k) > len(name) and k[:len(name)] == name]:
                    del self.aot[other]  # nested arrays of tables restart in each new element
                table = self.resolve(names)
                self.pos.setdefault(table[:-1], start)
                self.pos[table] = start
            elif s[self.i] == "[":
                self.i += 1
                names = self.key()
                self.i += 1  # "]"
                table = self.resolve(names)
                self.pos[table] = start
            else:
                self.keyvalue(table)

    def keyvalue(self, table: tuple[Key, ...]) -> None:
        start = self.i
        names = self.key()
        path = table
        for name in names:
            path = path + (name,)
            self.pos.setdefault(path, start)
        self.pos[path] = start
        self.ws()
        if self.s[self.i] != "=":
            raise ValueError("expected '='")
        self.i += 1
        self.ws()
        self.value(path)

    def value(self, path: tuple[Key, ...]) -> None:
        s = self.s
        c = s[self.i]
        if c in "\"'":
            self.string()
        elif c == "[":
            self.i += 1
            n = 0
            while True:
                self.ws(newlines=True)
                if s[self.i] == "]":
                    self.i += 1
                    return
                self.pos[path + (n,)] = self.i
                self.value(path + (n,))
                self.ws(newlines=True)
                if s[self.i] == ",":
                    self.i += 1
                    n += 1
        elif c == "{":
            self.i += 1
            while True:
                self.ws()
                if s[self.i] == "}":
                    self.i += 1
                    return
                self.keyvalue(path)
                self.ws()
                if s[self.i] == ",":
                    self.i += 1
        else:  # number, bool, date: up to the next delimiter
            m = re.compile(r"[^,\]}\s#]+").match(s, self.i)
            if not m:
                raise ValueError("bad value")
            self.i = m.end()


def _toml_positions(text: str) -> dict[tuple[Key, ...], int]:
    t = _Toml(text)
    t.document()
    return t.pos
