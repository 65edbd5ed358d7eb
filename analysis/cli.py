"""`python -m analysis` — intervals, fractional counting, other indices, country matrices,
change between periods and exports, from the loaded graph."""
from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import Callable, List, NoReturn, Optional, TypeVar

import pandas as pd
import typer

from analysis import AnalysisError, bundle, change, counting, exports, matrix, series, uncertainty
from cypher import runner
from cypher.runner import QueryError
from graph import Graph, GraphError, open_graph

T = TypeVar("T")
app = typer.Typer(help="Analyses beyond the study's closeness: bootstrap intervals, fractional counting, "
                       "Jaccard / association strength / inclusion, country matrices, change between two "
                       "periods, and network exports (GraphML, GEXF, VOSviewer, Pajek, CSV, a zip bundle).",
                  no_args_is_help=True, add_completion=False)


def _choices(name: str, values: tuple[str, ...]) -> type[Enum]:
    """An option's allowed values, as Typer wants them (it lists them in --help)."""
    return Enum(name, {value: value for value in values}, type=str)


Format = _choices("Format", ("table", "csv", "json"))
Counting = _choices("Counting", counting.COUNTINGS)
Kind = _choices("Kind", ("paper", "patent"))
Level = _choices("Level", ("institution", "country"))
ExportFormat = _choices("ExportFormat", (*exports.FORMATS, "bundle"))


A = typer.Option(..., "--a", help="Country code, e.g. CN.")
B = typer.Option(..., "--b", help="The other country's code, e.g. US.")
KIND = typer.Option(Kind.paper, "--kind", help="Papers or patents.")
ROLE = typer.Option("inventor", "--role", help="Patents: count the inventors' or the applicants' countries.")
FROM = typer.Option(None, "--from", help="First year (default: no bound).")
TO = typer.Option(None, "--to", help="Last year (default: no bound).")
BRANCH = typer.Option(None, "--branch", help="Only records of this technology branch, e.g. FPGA.")
COUNTING = typer.Option(Counting.whole, "--counting",
                        help="whole (the study's) or fractional (a pair on a record with k countries gets 1/(k-1)).")
NETWORK_COUNTING = typer.Option(Counting.whole, "--counting",
                                help="whole (the study's) or fractional (a record with m nodes gives each 1/m and "
                                     "each pair of them 1/(m-1)).")
ROLLUP = typer.Option(True, "--rollup/--no-rollup", help="Count institutes and campuses with their parent.")
FORMAT = typer.Option(Format.table, "--format", "-f", help="Output format.")


def _run(work: Callable[[Graph], T]) -> T:
    """Open the graph, do the work, close it; errors are caught here, once, and exit 2."""
    try:
        graph = open_graph()
    except GraphError as exc:
        _fail(exc)
    try:
        return work(graph)
    except (AnalysisError, QueryError, GraphError, OSError) as exc:
        _fail(exc)
    finally:
        graph.close()


def _fail(exc: Exception) -> NoReturn:
    typer.echo(f"error: {exc}", err=True)
    raise typer.Exit(2)


def _answer(compute: Callable[[Graph], pd.DataFrame], fmt: Format) -> None:
    _print(_run(compute), fmt)


def _print(df: pd.DataFrame, fmt: Format) -> None:
    if fmt is Format.csv:
        df.to_csv(sys.stdout, index=df.index.name is not None or not isinstance(df.index, pd.RangeIndex))
    elif fmt is Format.json:
        typer.echo(df.to_json(orient="records" if isinstance(df.index, pd.RangeIndex) else "index",
                              force_ascii=False))
    else:
        typer.echo(df.round(4).to_string(index=not isinstance(df.index, pd.RangeIndex)) if len(df) else "(no rows)")


def _filters(kind: Kind, role: str, year_from: Optional[int], year_to: Optional[int], branch: Optional[str]) -> dict:
    return {"kind": kind.value, "role": role, "year_from": year_from, "year_to": year_to, "branch": branch}


@app.command("closeness-ci")
def closeness_ci(a: str = A, b: str = B, kind: Kind = KIND, role: str = ROLE, year_from: Optional[int] = FROM,
                 year_to: Optional[int] = TO, branch: Optional[str] = BRANCH, counting_: Counting = COUNTING,
                 resamples: int = typer.Option(uncertainty.RESAMPLES, "--resamples", help="Bootstrap resamples."),
                 seed: int = typer.Option(uncertainty.SEED, "--seed", help="Random seed (same seed, same interval)."),
                 fmt: Format = FORMAT) -> None:
    """Closeness and shares per year with 95% bootstrap intervals, the size-only expectation,
    observed / expected and the small-count flag (docs/uncertainty.md)."""
    _answer(lambda g: uncertainty.closeness_ci(g, a.upper(), b.upper(), counting=counting_.value,
                                               resamples=resamples, seed=seed,
                                               **_filters(kind, role, year_from, year_to, branch)), fmt)


@app.command("indices")
def indices(a: str = A, b: str = B, kind: Kind = KIND, role: str = ROLE, year_from: Optional[int] = FROM,
            year_to: Optional[int] = TO, branch: Optional[str] = BRANCH, counting_: Counting = COUNTING,
            fmt: Format = FORMAT) -> None:
    """Closeness (Salton), Jaccard, association strength and inclusion per year (docs/indices.md)."""
    _answer(lambda g: series.indices_table(g, a.upper(), b.upper(), counting=counting_.value,
                                           **_filters(kind, role, year_from, year_to, branch)), fmt)


@app.command("reconcile")
def reconcile(a: str = A, b: str = B, kind: Kind = KIND, role: str = ROLE, year_from: Optional[int] = FROM,
              year_to: Optional[int] = TO, branch: Optional[str] = BRANCH, fmt: Format = FORMAT) -> None:
    """Whole against fractional counts per year, and the records with 2, 3 and 4+ countries
    that make them differ (docs/uncertainty.md)."""
    _answer(lambda g: counting.reconciliation(counting.fetch_cells(
        g, a.upper(), b.upper(), **_filters(kind, role, year_from, year_to, branch))), fmt)


@app.command("reconcile-institutions")
def reconcile_institutions(institution: List[str] = typer.Option(..., "--institution",
                                                                 help="An institution's name (repeat the option "
                                                                      "for several), e.g. 'Tsinghua University'."),
                           a: Optional[str] = typer.Option(None, "--a", help="Add the a–b records of this pair: a."),
                           b: Optional[str] = typer.Option(None, "--b", help="The pair's other country."),
                           kind: Kind = KIND, year_from: Optional[int] = FROM, year_to: Optional[int] = TO,
                           branch: Optional[str] = BRANCH, rollup: bool = ROLLUP, fmt: Format = FORMAT) -> None:
    """Each institution's whole against fractional totals (records, international, a–b) and its
    records with 1, 2 and 3+ institutions that make them differ (docs/uncertainty.md)."""
    _answer(lambda g: counting.institution_reconciliation(counting.fetch_institution_types(
        g, institution, a=a.upper() if a else None, b=b.upper() if b else None, kind=kind.value,
        year_from=year_from, year_to=year_to, branch=branch, rollup=rollup)), fmt)


@app.command("matrix")
def country_matrix(codes: str = typer.Option(..., "--codes", help="Countries, comma-separated: CN,US,GB,JP,DE."),
                   kind: Kind = KIND, role: str = ROLE, year_from: Optional[int] = FROM,
                   year_to: Optional[int] = TO, branch: Optional[str] = BRANCH, counting_: Counting = COUNTING,
                   index: str = typer.Option("closeness", "--index",
                                             help="closeness, jaccard, association_strength, inclusion, "
                                                  "or a count: n_ab."),
                   long: bool = typer.Option(False, "--long", help="One row per pair with every count and index."),
                   fmt: Format = FORMAT) -> None:
    """A country × country matrix of an index over a year range, whole or fractional counting."""
    def compute(graph: Graph) -> pd.DataFrame:
        wanted = matrix.parse_codes(codes)
        table = matrix.country_matrix(graph, wanted, kind=kind.value, role=role, year_from=year_from,
                                      year_to=year_to, branch=branch, counting=counting_.value)
        missing = matrix.missing_codes(table, wanted)
        if missing:
            typer.echo(f"note: no records in the range for {', '.join(missing)}", err=True)
        return table if long else matrix.square(table, index, wanted)

    _answer(compute, fmt)


@app.command("change")
def compare(from1: int = typer.Option(..., "--from1", help="First period: first year."),
            to1: int = typer.Option(..., "--to1", help="First period: last year."),
            from2: int = typer.Option(..., "--from2", help="Second period: first year."),
            to2: int = typer.Option(..., "--to2", help="Second period: last year."),
            level: Level = typer.Option(Level.institution, "--level", help="Institutions or countries."),
            kind: Kind = KIND, branch: Optional[str] = BRANCH, rollup: bool = ROLLUP,
            counting_: Counting = NETWORK_COUNTING,
            limit: int = typer.Option(100, "--limit", help="Nodes: each period's most productive."),
            min_weight: float = typer.Option(1, "--min-weight", help="Links: at least this many records in one period."),
            nodes: bool = typer.Option(False, "--nodes", help="List the nodes instead of the links."),
            fmt: Format = FORMAT) -> None:
    """Links that appeared, disappeared, grew, shrank or stayed the same between two periods."""
    scope = change.Scope(level=level.value, kind=kind.value, branch=branch, rollup=rollup, counting=counting_.value)

    def compute(graph: Graph) -> pd.DataFrame:
        result = change.compare_periods(graph, change.Period(from1, to1), change.Period(from2, to2), scope,
                                        limit=limit, min_weight=min_weight)
        return result.nodes if nodes else result.links

    _answer(compute, fmt)


@app.command("export")
def export(fmt: ExportFormat = typer.Option(..., "--format", "-f", help="File format."),
           out: Path = typer.Option(..., "--out", "-o", help="The file to write (two-file formats add _map/_network "
                                                             "or _nodes/_edges to its name)."),
           year_from: Optional[int] = FROM, year_to: Optional[int] = TO,
           level: Level = typer.Option(Level.institution, "--level", help="Institutions or countries."),
           kind: Kind = KIND, branch: Optional[str] = BRANCH, rollup: bool = ROLLUP,
           counting_: Counting = NETWORK_COUNTING,
           countries: Optional[str] = typer.Option(None, "--countries", help="Only these countries, e.g. CN,US."),
           limit: int = typer.Option(100, "--limit", help="Nodes: the most productive."),
           min_weight: float = typer.Option(1, "--min-weight", help="Links: at least this many shared records."),
           lang: str = typer.Option("en", "--lang", help="Labels in English (en) or Chinese (zh)."),
           a: str = typer.Option("CN", "--a", help="Bundle: the pair whose series go in."),
           b: str = typer.Option("US", "--b", help="Bundle: the pair's other country.")) -> None:
    """Write the collaboration network of a year range (a time slice) for Gephi, VOSviewer or
    Pajek, as CSV, or a zip bundle with the data, the queries behind it and a data fingerprint."""
    scope = change.Scope(level=level.value, kind=kind.value, branch=branch, rollup=rollup, counting=counting_.value,
                         countries=tuple(c.strip().upper() for c in countries.split(",") if c.strip()) or None
                         if countries else None)

    def write(graph: Graph) -> list[Path]:
        name, params = scope.nodes_query(change.Period(year_from, year_to), limit)
        params["min_weight"] = min_weight
        nodes, edges = exports.split_network(runner.run_df(graph, name, params, row_cap=None), lang)
        if nodes.empty:
            raise AnalysisError("the network is empty for these filters: widen the years or drop a filter")
        if fmt is not ExportFormat.bundle:
            return exports.export(nodes, edges, fmt.value, out)
        figures = bundle.standard_figures(graph, nodes, edges, bundle.QueryCall.bound(name, params), a.upper(),
                                          b.upper(), counting=counting_.value, kind=kind.value, year_from=year_from,
                                          year_to=year_to, branch=branch)
        bundle.write_bundle(out, figures, bundle.fingerprint(graph))
        return [out]

    for path in _run(write):
        typer.echo(str(path))


def main() -> None:
    app()
