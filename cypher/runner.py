"""Saved queries: one `.cypher` file per question, its header the contract.

A file's header comment names the query, lists its parameters (with defaults
for the optional ones) and the columns it returns:

    // closeness — how close two countries are, year by year.
    // Parameters:
    //   $a      country code                      (no default: required)
    //   $kind   'paper' or 'patent'               default: 'paper'
    // Returns: year, n_ab, n_a, n_b, closeness, share_a, share_b

The runner reads that header, fills defaults, refuses unknown or missing
parameters before anything reaches the engine, and always passes every declared
parameter (FalkorDB rejects a query whose parameter is absent).  Values only
ever travel as parameters: no text is formatted into a query.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from graph import Graph, QueryResult
from graph.base import READ_ROW_CAP, READ_TIMEOUT_MS

QUERY_DIR = Path(__file__).parent
_PARAM_LINE = re.compile(r"^//\s+\$(?P<name>\w+)\s+(?P<text>.*?)(?:\s+default:\s*(?P<default>.+?))?\s*$")
_CONTINUATION = re.compile(r"^(?P<text>.*?)(?:\s+default:\s*(?P<default>.+?))?\s*$")
_REQUIRED = object()


class QueryError(ValueError):
    """A saved query was called wrongly (unknown name, missing or unknown parameter)."""


@dataclass(frozen=True)
class Param:
    name: str
    help: str
    default: Any = _REQUIRED

    @property
    def required(self) -> bool:
        return self.default is _REQUIRED


@dataclass(frozen=True)
class SavedQuery:
    name: str
    title: str
    params: tuple[Param, ...]
    returns: tuple[str, ...]
    text: str
    path: Path

    def bind(self, given: dict[str, Any]) -> dict[str, Any]:
        """Every declared parameter, defaults filled; unknown or missing ones refused."""
        declared = {p.name: p for p in self.params}
        unknown = sorted(set(given) - set(declared))
        if unknown:
            raise QueryError(
                f"{self.name}: unknown parameter(s) {', '.join(unknown)}; "
                f"it takes {', '.join(declared) or 'none'}"
            )
        bound = {}
        for p in self.params:
            if p.name in given:
                bound[p.name] = given[p.name]
            elif p.required:
                raise QueryError(f"{self.name}: missing parameter ${p.name} ({p.help})")
            else:
                bound[p.name] = p.default
        return bound


def parse_header(name: str, text: str, path: Path) -> SavedQuery:
    lines = text.splitlines()
    title = lines[0].lstrip("/ ").strip() if lines else name
    params, returns, section = [], (), None
    for line in lines:
        if not line.startswith("//"):
            break
        body = line[2:].strip()
        if body.startswith("Parameters:"):
            section = "params"
            continue
        if body.startswith("Returns:"):
            returns = tuple(c.strip() for c in body[len("Returns:"):].split(",") if c.strip())
            section = None
            continue
        if section != "params":
            continue
        match = _PARAM_LINE.match(line)
        if match:
            default = _REQUIRED if match["default"] is None else parse_value(match["default"])
            params.append(Param(match["name"], match["text"].strip(), default))
        elif params and body:
            # A continuation line of the previous parameter's help (it may carry the default).
            more = _CONTINUATION.match(body)
            last = params[-1]
            default = parse_value(more["default"]) if more["default"] is not None else last.default
            params[-1] = Param(last.name, f"{last.help} {more['text'].strip()}".strip(), default)
    return SavedQuery(name, title, tuple(params), returns, text, path)


def parse_value(text: str) -> Any:
    """A parameter value as typed on a command line or in a header: JSON where it parses
    (numbers, true/false/null, lists), 'quoted' strings, else the text itself."""
    text = text.strip()
    if len(text) >= 2 and text[0] == text[-1] == "'":
        return text[1:-1]
    try:
        return json.loads(text)
    except ValueError:
        return text


@cache
def saved_queries(directory: Path = QUERY_DIR) -> dict[str, SavedQuery]:
    queries = {}
    for path in sorted(directory.glob("*.cypher")):
        queries[path.stem] = parse_header(path.stem, path.read_text(encoding="utf-8"), path)
    return queries


def get(name: str) -> SavedQuery:
    queries = saved_queries()
    if name not in queries:
        raise QueryError(f"no saved query named {name!r}; known: {', '.join(queries)}")
    return queries[name]


def run(
    graph: Graph,
    name: str,
    params: dict[str, Any] | None = None,
    *,
    timeout_ms: int = READ_TIMEOUT_MS,
    row_cap: int | None = READ_ROW_CAP,
) -> QueryResult:
    """Run a saved query read-only with its parameters bound."""
    query = get(name)
    return graph.read(query.text, query.bind(params or {}), timeout_ms=timeout_ms, row_cap=row_cap)


def run_df(graph: Graph, name: str, params: dict[str, Any] | None = None, **kwargs):
    """The same, as a pandas DataFrame with the declared columns even when empty."""
    import pandas as pd

    result = run(graph, name, params, **kwargs)
    columns = result.columns or list(get(name).returns)
    return pd.DataFrame(result.rows, columns=columns)
