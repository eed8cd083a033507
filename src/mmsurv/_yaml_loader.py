"""YAML with bounded work and no silent overwrite: the loader of study files.

PyYAML's safe loader builds anchors and aliases as shared objects, so a few hundred bytes
of nested aliases stand for billions of values once validated; it follows nesting by
recursion, so a deep enough file ends in a RecursionError; and it keeps the last of two
equal keys. This loader refuses each with one error that names the line: nesting deeper
than :data:`MAX_DEPTH`, a document that would expand to more than :data:`MAX_NODES`
values (aliases counted as often as they are used), and a key given twice in one
mapping (merge keys ``<<`` may still be overridden, as YAML intends).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

__all__ = ["MAX_DEPTH", "MAX_NODES", "safe_load"]

#: Deepest nesting of lists and mappings accepted (a study file needs about 8).
MAX_DEPTH = 64
#: Most values a document may expand to, aliases expanded (an inline curve of 80,000
#: clicks is about 250,000).
MAX_NODES = 250_000

_MERGE = "tag:yaml.org,2002:merge"


class LimitError(yaml.MarkedYAMLError):
    """A YAML document beyond the loader's limits (depth, size, duplicate keys)."""


class _Loader(yaml.SafeLoader):
    def __init__(self, stream: str, on_float: Callable[[str, float], Any] | None = None) -> None:
        super().__init__(stream)
        self._depth = 0
        self._on_float = on_float

    def construct_printed_float(self, node: ScalarNode) -> Any:
        value = self.construct_yaml_float(node)
        return value if self._on_float is None else self._on_float(node.value, value)

    def compose_node(self, parent: Node | None, index: Any) -> Node | None:
        if self.check_event(yaml.AliasEvent):
            return super().compose_node(parent, index)
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                mark = self.peek_event().start_mark
                raise LimitError(
                    problem=f"nested deeper than {MAX_DEPTH} levels", problem_mark=mark
                )
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def construct_mapping(self, node: MappingNode, deep: bool = False) -> dict:
        if isinstance(node, MappingNode):
            seen: dict[Any, int] = {}
            for key_node, _ in node.value:
                if not isinstance(key_node, ScalarNode) or key_node.tag == _MERGE:
                    continue
                key = self.construct_object(key_node, deep=True)
                line = key_node.start_mark.line + 1
                if key in seen:
                    raise LimitError(
                        problem=f"duplicate key {key!r} (first given at line {seen[key]})",
                        problem_mark=key_node.start_mark,
                    )
                seen[key] = line
        return super().construct_mapping(node, deep=deep)


_Loader.add_constructor("tag:yaml.org,2002:float", _Loader.construct_printed_float)


def _children(node: Node) -> list[Node]:
    if isinstance(node, SequenceNode):
        return list(node.value)
    if isinstance(node, MappingNode):
        return [part for pair in node.value for part in pair]
    return []


def _expanded_size(root: Node) -> int:
    """Values the document stands for, every alias expanded (linear in the nodes: the
    size of a shared node is computed once). An alias inside its own anchor is refused."""
    sizes: dict[int, int] = {}
    open_nodes: set[int] = set()
    stack: list[tuple[Node, bool]] = [(root, False)]
    while stack:
        node, done = stack.pop()
        if done:
            open_nodes.discard(id(node))
            sizes[id(node)] = 1 + sum(sizes[id(c)] for c in _children(node))
            if sizes[id(node)] > MAX_NODES:
                raise LimitError(
                    problem=f"expands to more than {MAX_NODES:,} values (anchors and aliases "
                    "nested too deeply)",
                    problem_mark=node.start_mark,
                )
            continue
        if id(node) in sizes:
            continue
        if id(node) in open_nodes:
            raise LimitError(problem="an alias refers to itself", problem_mark=node.start_mark)
        open_nodes.add(id(node))
        stack.append((node, True))
        stack.extend((c, False) for c in _children(node) if id(c) not in sizes)
    return sizes[id(root)]


def safe_load(text: str, *, on_float: Callable[[str, float], Any] | None = None) -> Any:
    """Parse one YAML document like ``yaml.safe_load``, within the limits above.

    ``on_float``, when given, makes each float of the document: it is called with the
    float's text as written and its value, and returns what the document holds.

    Raises
    ------
    yaml.YAMLError
        Invalid YAML, or a document beyond the limits (``problem`` and ``problem_mark``
        say what and where).

    Examples
    --------
    >>> safe_load("a: 1\\nb: [2, 3]")
    {'a': 1, 'b': [2, 3]}
    >>> safe_load("a: 1\\na: 2")
    Traceback (most recent call last):
    ...
    mmsurv._yaml_loader.LimitError: duplicate key 'a' (first given at line 1)
      in "<unicode string>", line 2, column 1:
        a: 2
        ^
    """
    loader = _Loader(text, on_float)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        _expanded_size(node)
        return loader.construct_document(node)
    finally:
        loader.dispose()
