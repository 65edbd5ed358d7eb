"""`python -m loader` — load exports into the graph."""
from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from graph import GraphError, data_dir, open_graph
from loader.pipeline import DEFAULT_BATCH, LoadSummary, load_paths
from loader.prepare import Preparer, alias_files

app = typer.Typer(help="Load bibliographic and patent exports into CollabGraph's graph.",
                  no_args_is_help=True, add_completion=False)
console = Console(stderr=True)


@app.command()
def load(
    paths: list[Path] = typer.Argument(..., help="Export files (the format is detected).", exists=True,
                                       dir_okay=False, readable=True),
    kind: Optional[str] = typer.Option(None, help="paper or patent; by default the format decides."),
    batch_size: int = typer.Option(DEFAULT_BATCH, help="Records written per transaction.", min=1),
) -> None:
    """Load export files; loading the same file again changes nothing."""
    if kind not in (None, "paper", "patent"):
        console.print(f"[red]error:[/] --kind must be paper or patent, not {kind!r}")
        raise typer.Exit(2)
    _load_and_report(paths, kind=kind, batch_size=batch_size)


@app.command()
def demo(
    seed: int = typer.Option(2024, help="Random seed; the same seed writes the same files."),
) -> None:
    """Write the calibrated demo dataset (generated records, not real ones) and load it."""
    from loader.demo.generate import write_demo

    out = data_dir() / "demo"
    paths = write_demo(out, seed=seed)
    console.print(f"CALIBRATED DEMO DATA (generated records, not real Web of Science or incoPat "
                  f"records) written to {out}")
    _load_and_report(paths, kind=None, batch_size=DEFAULT_BATCH)


@app.command()
def institutions(
    unresolved: bool = typer.Option(False, "--unresolved", help="List raw names that matched no alias."),
    limit: int = typer.Option(50, help="Rows to show."),
) -> None:
    """Institutions in the graph; with --unresolved, the raw names to add to the alias table."""
    from cypher.runner import run_df

    try:
        graph = open_graph()
    except GraphError as exc:
        console.print(f"[red]error:[/] {exc}")
        raise typer.Exit(2)
    try:
        df = run_df(graph, "unresolved_institutions" if unresolved else "institution_list",
                    {"limit": limit}, row_cap=None)
    finally:
        graph.close()
    if unresolved and len(df):
        # Fuzzy matches are suggestions for the analyst to confirm, never applied silently.
        from loader.normalise.institutions import InstitutionTable

        table = InstitutionTable.load(alias_files())
        df["suggestion"] = [
            ", ".join(f"{name} ({score:.0f})" for name, score in table.suggest(raw, country or None, limit=1))
            for raw, country in zip(df["name"], df["country"])
        ]
    typer.echo(df.to_string(index=False) if len(df) else "(none)")
    if unresolved and len(df):
        console.print(f"Add lines `alias,country,name` to {data_dir() / 'institution_aliases.csv'} "
                      "and load again to resolve them.")


@app.command()
def reset(yes: bool = typer.Option(False, "--yes", help="Do not ask.")) -> None:
    """Delete everything in the graph."""
    if not yes:
        typer.confirm("Delete the whole graph?", abort=True)
    graph = open_graph()
    try:
        graph.clear()
        graph.persist()
    finally:
        graph.close()
    console.print("graph cleared")


def _load_and_report(paths: list[Path], *, kind: str | None, batch_size: int) -> None:
    summary = _load(paths, kind=kind, batch_size=batch_size)
    _print_summary(summary)
    if not summary.ok:
        raise typer.Exit(1)


def _load(paths: list[Path], *, kind: str | None, batch_size: int) -> LoadSummary:
    try:
        graph = open_graph()
    except GraphError as exc:
        console.print(f"[red]error:[/] {exc}")
        raise typer.Exit(2)
    try:
        with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                      TextColumn("records"), TimeElapsedColumn(), console=console,
                      transient=True, disable=not console.is_terminal) as bar:
            task = bar.add_task("loading", total=None)

            def progress(path: str, count: int) -> None:
                bar.update(task, description=Path(path).name, completed=count)

            return load_paths(graph, paths, kind=kind, batch_size=batch_size,
                              preparer=Preparer(alias_files()), on_progress=progress)
    except GraphError as exc:
        console.print(f"[red]error:[/] {exc}")
        console.print("  Records written before the error were kept; run the same load again to finish it "
                      "(nothing will be duplicated).")
        raise typer.Exit(1)
    finally:
        graph.close()


def _print_summary(summary: LoadSummary) -> None:
    table = Table(title="Load summary")
    for col in ("file", "read", "new", "duplicate", "skipped"):
        table.add_column(col, justify="left" if col == "file" else "right")
    for f in summary.files:
        table.add_row(Path(f.path).name, str(f.read), str(f.new), str(f.duplicate), str(sum(f.skipped.values())))
    console.print(table)
    for f in summary.files:
        for reason, n in f.skipped.most_common():
            console.print(f"  skipped {n} in {Path(f.path).name}: {reason}")
    if summary.unresolved_institutions:
        console.print(f"{summary.unresolved_institutions} institution names matched no alias "
                      "(see `python -m loader institutions --unresolved`)")
    for f in summary.files:
        if f.error:
            console.print(f"[red]error:[/] {f.error}")
            console.print("  Records read before the error were loaded; fix the file and load it again "
                          "(nothing will be duplicated).")


def main() -> None:
    app()
