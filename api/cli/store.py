"""The store's commands: ``build``, ``stats`` and ``check`` (OWL consistency under HermiT)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ris3kg.api.cli.reading import reading_store, store_failure
from ris3kg.graph.build import BuildReport, build_store
from ris3kg.graph.catalogue import PARTS, part_by_key, reference_graph, strategy_parts
from ris3kg.graph.store.generations import StoreLockedError
from ris3kg.graph.store.interface import StoreError
from ris3kg.graph.store.stats import NACE_LEVELS, ReferenceStats, graph_stats, reference_stats
from ris3kg.ontology.reasoner import ReasonerUnavailableError, check_consistency
from ris3kg.ontology.resources import DataFileError

_SUMMARY_CLASSES = (
    ("areas", "smart specialisation area"),
    ("sub-areas", "sub-area"),
    ("priorities", "priority"),
    ("opportunities", "strategic opportunity"),
    ("bottlenecks", "bottleneck"),
    ("challenges", "challenge"),
    ("actions", "action"),
    ("initiatives", "initiative"),
    ("goals", "goal"),
    ("steps", "step"),
    ("principles", "principle"),
    ("governance bodies", "governance body"),
    ("milestones", "milestone"),
    ("SWOT entries", "SWOT entry"),
    ("overlaps", "priority overlap"),
    ("figures", "figure"),
    ("assessments", "assessment"),
    ("passages", "passage"),
)


@click.command()
@click.pass_obj
def build(store_path: Path) -> None:
    """Load the ontology, vocabularies and every strategy into the on-disk store."""
    try:
        with click.progressbar(length=len(PARTS), label="Loading", show_pos=True, file=sys.stderr) as bar:
            report = build_store(store_path, on_part=lambda _part: bar.update(1))
    except DataFileError as exc:
        raise click.ClickException(str(exc)) from exc
    except (StoreError, StoreLockedError, OSError) as exc:
        raise store_failure(store_path, exc, writing=True) from exc
    _print_build(report)


def _print_build(report: BuildReport) -> None:
    click.echo(f"Store: {report.path} ({report.triples} triples)")
    with reading_store(report.path) as store:
        with_counts = {s.key: s for s in graph_stats(store)}
    for item in report.loaded:
        click.echo(f"  {item.part.key:<14} {item.triples:>6} triples  {item.part.title}")
        stats = with_counts.get(item.part.key)
        if stats is not None and item.part.kind.value == "strategy":
            parts = [f"{stats.count(label)} {name}" for name, label in _SUMMARY_CLASSES if stats.count(label)]
            click.echo(f"  {'':<14} {', '.join(parts)}")


@click.command()
@click.option("--ontology-only", is_flag=True, help="Reason over the ontology and vocabularies without the strategies.")
def check(ontology_only: bool) -> None:
    """Check with the HermiT OWL reasoner that the ontology (and all data) is consistent."""
    graph = reference_graph()
    if not ontology_only:
        for part in strategy_parts():
            graph += part.load()
    click.echo(f"Reasoning with HermiT over {len(graph)} triples ...", err=True)
    try:
        report = check_consistency(graph)
    except ReasonerUnavailableError as exc:
        raise click.ClickException(str(exc)) from exc
    scope = "ontology and vocabularies" if ontology_only else "ontology, vocabularies and all strategies"
    if report.ok:
        click.echo(
            f"consistent: the {scope} ({report.classes} classes, {report.individuals} individuals) "
            f"have a model under HermiT ({report.seconds:.1f} s)"
        )
        return
    if not report.consistent:
        click.echo(f"INCONSISTENT: {report.detail}")
    for iri in report.unsatisfiable:
        click.echo(f"UNSATISFIABLE class: {iri}")
    sys.exit(1)


@click.command()
@click.argument("part", required=False)
@click.pass_obj
def stats(store_path: Path, part: str | None) -> None:
    """Print triples and instances per class for each named graph of the store (or one PART)."""
    if part is not None:
        try:
            part_by_key(part)
        except KeyError as exc:
            raise click.BadParameter(str(exc.args[0]), param_hint="PART") from exc
    with reading_store(store_path) as store:
        found = graph_stats(store)
        reference = reference_stats(store) if part is None else None
    for graph in found:
        if part is not None and graph.key != part:
            continue
        click.echo(f"{graph.key} <{graph.graph}>: {graph.triples} triples, {graph.kind}")
        for cls in graph.classes:
            click.echo(f"  {cls.count:>5}  {cls.label}")
    if reference is not None:
        _echo_reference(reference)


def _echo_reference(reference: ReferenceStats) -> None:
    click.echo("reference data:")
    for version, countries in sorted(reference.regions.items()):
        listed = ", ".join(f"{country} {n}" for country, n in sorted(countries.items()))
        click.echo(
            f"  NUTS {version}: {reference.region_total(version)} region codes in {len(countries)} countries ({listed})"
        )
    for name in ("languages", "currencies"):
        click.echo(f"  {name}: {reference.code_total(name)}")
    for name in ("NACE Rev. 2", "NACE Rev. 2.1"):
        levels = reference.codes.get(name, {})
        detail = ", ".join(f"{levels[level]} {NACE_LEVELS[level]}" for level in sorted(levels) if level in NACE_LEVELS)
        click.echo(f"  {name}: {reference.code_total(name)} codes ({detail})")
