# Printing for Tools/eval-relevance: one Markdown table per collection and qrels set, our runs first and the
# published / peer figures below them, followed by the headline measure's comparison and each run's command.
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from statistics import mean, quantiles

from .peers import ReferenceFigure


@dataclass
class EvaluatedRun:
    label: str
    description: str  # how the run was made: the command's flags, or the peer's configuration
    metrics: dict[str, float]
    empty_queries: int
    query_errors: dict[str, str]  # qid -> the CLI's message for a query it rejected
    latencies_us: list[int]
    wall_seconds: float
    run_file: Path | None


def latency_cells(latencies_us: list[int]) -> tuple[str, str]:
    if not latencies_us:
        return "", ""
    p95 = quantiles(latencies_us, n=20)[-1] if len(latencies_us) > 1 else latencies_us[0]
    return f"{mean(latencies_us) / 1000:.2f}", f"{p95 / 1000:.2f}"


def format_table(measure_names: list[str], headline: str | None, runs: list[EvaluatedRun],
                 references: list[ReferenceFigure]) -> str:
    headers = ["run", *(name + ("*" if name == headline else "") for name in measure_names),
               "empty", "errors", "ms/query", "p95 ms", "wall s"]
    rows = [
        [run.label, *(f"{run.metrics[name]:.4f}" for name in measure_names), str(run.empty_queries),
         str(len(run.query_errors)),
         *latency_cells(run.latencies_us), f"{run.wall_seconds:.1f}"]
        for run in runs
    ]
    rows += [
        [figure.label, *(f"{figure.metrics[name]:.4f}" if name in figure.metrics else "" for name in measure_names),
         "", "", "", "", ""]
        for figure in references
    ]
    widths = [max(len(row[column]) for row in [headers, *rows]) for column in range(len(headers))]

    def format_row(cells: list[str]) -> str:
        aligned = [cell.ljust(widths[0]) if column == 0 else cell.rjust(widths[column])
                   for column, cell in enumerate(cells)]
        return "| " + " | ".join(aligned) + " |"

    separator = "|" + "|".join("-" * (widths[0] + 2) if column == 0 else "-" * (widths[column] + 1) + ":"
                               for column in range(len(headers))) + "|"
    return "\n".join([format_row(headers), separator, *(format_row(row) for row in rows)])


def headline_summary(headline: str, runs: list[EvaluatedRun], references: list[ReferenceFigure]) -> list[str]:
    published = next((figure for figure in references if figure.kind == "published" and headline in figure.metrics),
                     None)
    if not published:
        return []
    peer_values = [figure.metrics[headline] for figure in references
                   if figure.kind == "peer" and headline in figure.metrics]
    peer_range = f"; peer engines {min(peer_values):.3f}-{max(peer_values):.3f}" if peer_values else ""
    return [
        f"{headline}: {run.label} {run.metrics[headline]:.4f}, "
        f"{run.metrics[headline] - published.metrics[headline]:+.4f} vs {published.label} "
        f"{published.metrics[headline]:.4f}{peer_range}"
        for run in runs
    ]


def print_collection_report(title: str, notes: list[str], measure_names: list[str], headline: str | None,
                            runs: list[EvaluatedRun], references: list[ReferenceFigure]) -> None:
    print(f"\n## {title}")
    for note in notes:
        print(f"- {note}")
    print()
    print(format_table(measure_names, headline, runs, references))
    if headline:
        lines = headline_summary(headline, runs, references)
        if lines:
            print()
            print("\n".join(lines))


def print_run_legend(runs: list[EvaluatedRun], relative_to: Path) -> None:
    """How each run was made and where its run file is; the first few query errors, if any."""
    print()
    for run in runs:
        where = f" -> {run.run_file.relative_to(relative_to)}" if run.run_file else ""
        print(f"  {run.label}: {run.description}{where}")
        for qid, message in list(run.query_errors.items())[:3]:
            print(f"    query {qid} rejected: {message}")
        if len(run.query_errors) > 3:
            print(f"    ... {len(run.query_errors) - 3} more rejected queries")
