"""`python -m cypher` — list and run the saved queries."""
from __future__ import annotations

import json
import sys
from enum import Enum
from typing import Optional

import typer

from cypher import runner
from graph import GraphError, open_graph

app = typer.Typer(help="Run CollabGraph's saved Cypher queries (cypher/*.cypher) against the graph.",
                  no_args_is_help=True, add_completion=False)


class Format(str, Enum):
    table = "table"
    csv = "csv"
    json = "json"


@app.command("list")
def list_queries() -> None:
    """List the saved queries with their parameters and returned columns."""
    for query in runner.saved_queries().values():
        typer.echo(f"{query.name}: {query.title}")
        for p in query.params:
            default = "required" if p.required else f"default {json.dumps(p.default)}"
            typer.echo(f"    --param {p.name}=…   {p.help} ({default})")
        typer.echo(f"    returns: {', '.join(query.returns)}")


@app.command("run")
def run_query(
    name: str = typer.Argument(..., help="Saved query name, e.g. closeness (see `list`)."),
    param: Optional[list[str]] = typer.Option(None, "--param", "-p",
                                              help="key=value; repeat for each parameter. "
                                                   "Values are JSON where they parse (2019, null, [\"CN\"])."),
    fmt: Format = typer.Option(Format.table, "--format", "-f", help="Output format."),
) -> None:
    """Run one saved query and print its rows."""
    try:
        params = _parse_params(param or [])
        graph = open_graph()
    except (ValueError, GraphError) as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2)
    try:
        df = runner.run_df(graph, name, params, row_cap=None)
    except (runner.QueryError, GraphError) as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2)
    finally:
        graph.close()
    if fmt is Format.csv:
        df.to_csv(sys.stdout, index=False)
    elif fmt is Format.json:
        typer.echo(df.to_json(orient="records", force_ascii=False))
    else:
        typer.echo(df.to_string(index=False) if len(df) else "(no rows)")


def _parse_params(items: list[str]) -> dict:
    params = {}
    for item in items:
        if "=" not in item:
            raise ValueError(f"--param {item!r}: expected key=value, e.g. --param a=CN")
        key, value = item.split("=", 1)
        params[key.strip()] = runner.parse_value(value)
    return params


def main() -> None:
    app()
