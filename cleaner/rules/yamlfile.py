"""Safe YAML loading that remembers the line of every key and list item, for error messages.

Only plain data is built (SafeLoader: no tags that construct objects). Duplicate keys, which YAML
silently collapses, are reported because a rule written twice is almost always a mistake.
"""

from __future__ import annotations

from typing import Any

import yaml


class LineDict(dict[str, Any]):
    """A mapping that knows the line it starts on and the line of each key."""

    line: int = 0
    key_lines: dict[str, int]


class LineList(list[Any]):
    """A sequence that knows the line it starts on and the line of each item."""

    line: int = 0
    item_lines: list[int]


class DuplicateKey(yaml.YAMLError):
    def __init__(self, key: str, line: int) -> None:
        super().__init__(f"key {key!r} appears twice in one mapping (line {line}); keep one")
        self.line = line


MAX_DEPTH = 64  # nesting of lists and mappings; rule files need a handful
MAX_NODES = 1_000_000  # values once every alias is expanded (a "billion laughs" file has 10^9)


class LimitError(yaml.YAMLError):
    """A rule file past one of the limits above: refused before anything is built from it."""

    def __init__(self, message: str, line: int) -> None:
        super().__init__(message)
        self.line = line


class BadValue(yaml.YAMLError):
    """A tagged scalar that cannot be built (``!!int 'x'``, ``!!binary`` that is not base64)."""

    def __init__(self, message: str, line: int) -> None:
        super().__init__(message)
        self.line = line


class _Loader(yaml.SafeLoader):
    """SafeLoader that refuses deep nesting before it can exhaust the stack, and aliases
    whose expansion (what validation and the compiled rules would walk) passes MAX_NODES."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0
        self._weights: dict[int, int] = {}

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        try:
            return super().construct_object(node, deep=deep)
        except (ValueError, TypeError, OverflowError) as exc:  # SafeLoader's own constructors
            raise BadValue(f"the value {node.tag} {str(node.value)[:40]!r} cannot be built: "
                           f"{exc}", node.start_mark.line + 1) from None

    def compose_node(self, parent: Any, index: Any) -> Any:
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                line = self.peek_event().start_mark.line + 1  # type: ignore[no-untyped-call]
                raise LimitError(f"nested more than {MAX_DEPTH} levels deep (the limit for a "
                                 "rule file); flatten it", line)
            node = super().compose_node(parent, index)
            assert node is not None
        finally:
            self._depth -= 1
        if id(node) not in self._weights:
            if isinstance(node, yaml.MappingNode):
                children = [n for pair in node.value for n in pair]
            elif isinstance(node, yaml.SequenceNode):
                children = list(node.value)
            else:
                children = []
            weight = 1 + sum(self._weights.get(id(n), 1) for n in children)
            if weight > MAX_NODES:
                raise LimitError(f"its aliases expand to more than {MAX_NODES:,} values (the "
                                 "limit for a rule file; a 'billion laughs' file?); write the "
                                 "values out or use fewer aliases of aliases",
                                 node.start_mark.line + 1)
            self._weights[id(node)] = weight
        return node


def _mapping(loader: _Loader, node: yaml.MappingNode) -> LineDict:
    result = LineDict()
    result.line = node.start_mark.line + 1
    result.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        line = key_node.start_mark.line + 1
        if not isinstance(key, str):
            key = str(key)
        if key in result:
            raise DuplicateKey(key, line)
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_lines[key] = line
    return result


def _sequence(loader: _Loader, node: yaml.SequenceNode) -> LineList:
    result = LineList(loader.construct_object(n, deep=True) for n in node.value)
    result.line = node.start_mark.line + 1
    result.item_lines = [n.start_mark.line + 1 for n in node.value]
    return result


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping)
_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _sequence)


def load(text: str) -> Any:
    """Parse one YAML document; raises yaml.YAMLError (with a mark) on bad input."""
    return yaml.load(text, Loader=_Loader)


def line_of(root: Any, path: list[str | int]) -> int | None:
    """The line of the deepest node on ``path`` that we know a line for."""
    line: int | None = getattr(root, "line", None)
    node = root
    for step in path:
        if isinstance(node, LineDict) and isinstance(step, str) and step in node:
            line = node.key_lines.get(step, line)
            node = node[step]
        elif isinstance(node, LineList) and isinstance(step, int) and 0 <= step < len(node):
            line = node.item_lines[step]
            node = node[step]
        else:
            break
    return line
