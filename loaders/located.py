"""Parse YAML / JSON / JSON Lines into plain data that remembers its line numbers.

Claim-sheet errors must name the file and line. PyYAML's node tree has positions; this
module turns it into `LDict` / `LList` (dict / list subclasses with ``line`` and
``lines[key]``). It refuses what a claim sheet never needs and an attacker likes: tags,
aliases (billion-laughs bombs), duplicate keys and absurd nesting.
"""

from __future__ import annotations

import json

import yaml

from graph.errors import SheetError

MAX_DEPTH = 40


class LDict(dict):
    line: int | None = None

    def __init__(self, *a, **kw):
        super().__init__(*a, **kw)
        self.lines: dict[str, int | None] = {}

    def line_of(self, key: str) -> int | None:
        return self.lines.get(key, self.line)


class LList(list):
    line: int | None = None

    def __init__(self, *a):
        super().__init__(*a)
        self.lines: list[int | None] = []

    def line_of(self, i: int) -> int | None:
        return self.lines[i] if i < len(self.lines) else self.line


_STD_TAGS = {
    "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq", "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int", "tag:yaml.org,2002:float", "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null", "tag:yaml.org,2002:timestamp",
}


class _Builder:
    def __init__(self, path: str):
        self.path = path
        self.loader = yaml.SafeLoader("")

    def build(self, node, depth=0):
        line = node.start_mark.line + 1
        if depth > MAX_DEPTH:
            raise SheetError(f"nesting deeper than {MAX_DEPTH} levels", file=self.path,
                             line=line, hint="a claim sheet is at most a few levels deep")
        if node.tag not in _STD_TAGS:
            raise SheetError(f"YAML tag {node.tag!r} is not allowed", file=self.path, line=line,
                             hint="remove the tag; claim sheets hold plain values only")
        if isinstance(node, yaml.MappingNode):
            out = LDict()
            out.line = line
            for knode, vnode in node.value:
                if not isinstance(knode, yaml.ScalarNode):
                    raise SheetError("a mapping key must be a plain name", file=self.path,
                                     line=knode.start_mark.line + 1)
                key = str(self.loader.construct_scalar(knode))
                if key == "<<":
                    raise SheetError("YAML merge keys (<<) are not allowed", file=self.path,
                                     line=knode.start_mark.line + 1, hint="write the keys out")
                if key in out:
                    raise SheetError(f"duplicate key {key!r}", file=self.path,
                                     line=knode.start_mark.line + 1,
                                     hint=f"the first is at line {out.lines[key]}; keep one")
                out[key] = self.build(vnode, depth + 1)
                out.lines[key] = knode.start_mark.line + 1
            return out
        if isinstance(node, yaml.SequenceNode):
            out = LList()
            out.line = line
            for item in node.value:
                out.append(self.build(item, depth + 1))
                out.lines.append(item.start_mark.line + 1)
            return out
        try:
            return self.loader.construct_object(node, deep=True)
        except (ValueError, OverflowError):
            if node.tag == "tag:yaml.org,2002:timestamp":
                # an impossible date such as 2019-02-30: keep the text; the sheet reader
                # says which field is wrong and why
                return str(node.value)
            what = node.tag.rsplit(":", 1)[-1]
            short = node.value if len(node.value) <= 40 else node.value[:39] + "…"
            raise SheetError(f"the value {short!r} cannot be read as a YAML {what}",
                             file=self.path, line=line, hint="quote it if it is text") from None


class _Composer(yaml.SafeLoader):
    """Composer that refuses aliases before any expansion can happen."""

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise SheetError("YAML aliases (*name) are not allowed",
                             line=event.start_mark.line + 1,
                             hint="write the value out; aliases can hide huge expansions")
        self._depth = getattr(self, "_depth", 0) + 1
        try:
            if self._depth > MAX_DEPTH:
                event = self.peek_event()
                raise SheetError(f"nesting deeper than {MAX_DEPTH} levels",
                                 line=event.start_mark.line + 1,
                                 hint="a claim sheet is at most a few levels deep")
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


def parse_yaml_documents(text: str, path: str) -> list:
    """Every YAML document of ``text`` as located data (an empty document is skipped)."""
    loader = None
    docs = []
    builder = _Builder(path)
    try:
        loader = _Composer(text)  # the reader refuses control characters here
        while loader.check_node():
            node = loader.get_node()
            if node is not None:
                docs.append((builder.build(node), node.start_mark.line + 1))
    except SheetError as e:
        raise e.located(path) from None
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        line = mark.line + 1 if mark else None
        what = (e.problem or e.context or "malformed YAML").strip()
        raise SheetError(f"malformed YAML: {what}", file=path, line=line,
                         hint="check the indentation and quoting on that line") from None
    except yaml.reader.ReaderError as e:
        line = text.count("\n", 0, e.position) + 1 if isinstance(e.position, int) else None
        raise SheetError(f"character {e.character:#06x} is not allowed in YAML", file=path,
                         line=line, hint="write it as an escape inside double quotes "
                         "(\"\\x07\") or remove it") from None
    except yaml.YAMLError as e:
        raise SheetError(f"malformed YAML: {' '.join(str(e).split())}", file=path,
                         hint="check the file is a YAML claim sheet") from None
    except RecursionError:
        raise SheetError("nesting too deep", file=path, hint="a claim sheet is shallow") from None
    finally:
        if loader is not None:
            loader.dispose()
    return docs


def _no_duplicates(pairs):
    out = {}
    for k, v in pairs:
        if k in out:
            raise ValueError(f"duplicate key {k!r}")
        out[k] = v
    return out


def _no_duplicates_fast(pairs):
    out = dict(pairs)
    if len(out) != len(pairs):
        return _no_duplicates(pairs)  # raises, naming the key
    return out


def parse_json(text: str, path: str, line_offset: int = 0, *, one_line: bool = False):
    """One JSON value. Lines come from the YAML composer where it can read the text.

    ``one_line``: the text is one line of a JSON Lines file, so every value is on that
    line and the (slow, pure-Python) YAML pass for line numbers is skipped.
    """
    try:
        data = json.loads(text, object_pairs_hook=_no_duplicates_fast if one_line
                          else _no_duplicates)
    except ValueError as e:
        line = getattr(e, "lineno", None)
        msg = getattr(e, "msg", str(e))
        if "integer string conversion" in msg:
            msg = "a number with more than 4300 digits"
        elif getattr(e, "colno", None):
            msg = f"{msg} (column {e.colno})"
        raise SheetError(f"malformed JSON: {msg}", file=path,
                         line=(line or 1) + line_offset,
                         hint="check the brackets, commas and quotes there") from None
    except RecursionError:
        raise SheetError("nesting too deep", file=path, line=line_offset + 1,
                         hint="a claim sheet is shallow") from None
    # the depth walk costs as much as the parse; a text with fewer brackets than the
    # limit cannot be that deep
    if (text.count("{") + text.count("[") > MAX_DEPTH) and _depth(data) > MAX_DEPTH:
        raise SheetError(f"nesting deeper than {MAX_DEPTH} levels", file=path,
                         line=line_offset + 1, hint="a claim sheet is at most a few levels deep")
    if one_line:
        # plain data: every value of a JSON Lines sheet is on its one line, which the
        # reader knows (wrapping each value to say so cost a third of the parse)
        return data
    try:
        docs = parse_yaml_documents(text, path)
        if len(docs) == 1 and _same(docs[0][0], data):
            located = docs[0][0]
            if line_offset:
                _shift(located, line_offset)
            return located
    except SheetError:
        pass
    return _wrap(data, line_offset + 1)


def _depth(v, d=0):
    stack = [(v, 1)]
    deepest = 0
    while stack:
        x, d = stack.pop()
        deepest = max(deepest, d)
        if deepest > MAX_DEPTH:
            return deepest
        if isinstance(x, dict):
            stack.extend((y, d + 1) for y in x.values())
        elif isinstance(x, list):
            stack.extend((y, d + 1) for y in x)
    return deepest


def _same(a, b) -> bool:
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    return type(a) is type(b) and a == b


def _wrap(v, line):
    if isinstance(v, dict):
        out = LDict({k: _wrap(x, line) for k, x in v.items()})
        out.line = line
        return out
    if isinstance(v, list):
        out = LList([_wrap(x, line) for x in v])
        out.line = line
        return out
    return v


def _shift(v, offset):
    if isinstance(v, LDict):
        v.line = (v.line or 1) + offset
        v.lines = {k: (n or 1) + offset for k, n in v.lines.items()}
        for x in v.values():
            _shift(x, offset)
    elif isinstance(v, LList):
        v.line = (v.line or 1) + offset
        v.lines = [(n or 1) + offset for n in v.lines]
        for x in v:
            _shift(x, offset)
