"""SHACL engines on the core shapes: pySHACL (as the product calls it), pyshacl-turbo, pyrudof and Apache Jena.

Measures, for issue 18, without changing the product:

1. **Time** of validating the core shapes (``_packaged_split().core``, the shapes pySHACL gets in
   ``validate_graph``) against a data graph mixed with the reference exactly as ``validate_graph``
   builds ``mixed`` (data + reference + the code-list entries the data uses), at three sizes: a seed
   strategy (``blekinge``, about 5k triples mixed), a synthetic corpus of about 50k and one of about
   250k triples (``europe_corpus.generate``, every strategy graph of it taken as one data graph).
   Warm: imports, shapes and a first validation are done first, and the median of ``--rounds`` runs
   is printed (the second run when ``--rounds 1``).
2. **Parity** with pySHACL on every test file (``tests/data/valid``, ``tests/data/invalid``, and the
   seeds), each mixed with the reference the same way: the set of (focus node, path, constraint
   component, source shape, severity, value) of each engine's results, against pySHACL's. The
   shapes handed to every engine for this have their blank-node shapes renamed to IRIs (a hash of
   their own description) so that a source shape can be compared across engines.
3. **Profile** (cProfile) of one ``ris3kg.shapes.validation.validate_graph`` at 50k: the share of
   pySHACL, of building ``mixed`` (``Graph.__iadd__``) and of pySHACL's ``sh:in`` handling.

The engines other than pySHACL are optional and skipped when missing, so run it in a scratch venv
that has them (the project's own venv has none of them)::

    python3 -m venv /tmp/shaclvenv
    /tmp/shaclvenv/bin/pip install -e . pyshacl-turbo pyrudof
    apt-get install -y libapache-jena-java      # Jena 4.5 from Debian (jena-shacl, jena-cmds); needs a JDK
    /tmp/shaclvenv/bin/python tests/benchmarks/bench_shacl_engines.py --work /tmp/shaclbench

Options: ``--sizes 50000 250000`` (corpus sizes), ``--rounds 2``, ``--skip-parity``,
``--skip-profile``, ``--engines pyshacl turbo turbo-compiled rudof jena``. Debian's Jena 4.5 jars
lack the relocated Xerces messages (``xerces/impl/xpath/regex/message.properties``): without them
every start fails in ``XSSimpleTypeDecl.applyFacets1`` ("internal error"); the script writes a
small jar with them into ``--work`` and puts it first on the class path.
"""

from __future__ import annotations

import argparse
import cProfile
import gzip
import hashlib
import json
import logging
import pstats
import shutil
import statistics
import subprocess
import sys
import time
import zipfile
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rdflib import RDF, BNode, Dataset, Graph, Literal, Node, URIRef
from rdflib.namespace import SH, XSD

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
Key = tuple[str, str, str, str, str, str]
"""One result: focus node, path, constraint component, source shape, severity, value."""

ENGINES = ("pyshacl", "turbo", "turbo-compiled", "rudof", "jena")

JAVA_SOURCE = r"""
import java.io.*;
import java.util.*;
import org.apache.jena.graph.*;
import org.apache.jena.riot.*;
import org.apache.jena.riot.lang.LabelToNode;
import org.apache.jena.shacl.*;
import org.apache.jena.shacl.validation.ReportEntry;
import org.apache.jena.sparql.path.*;

/** args: shapes.nt rounds data1.nt [data2.nt ...]; prints one JSON array a line. */
public class BenchJena {
  static String esc(String s) {
    StringBuilder b = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      if (c == '"' || c == '\\') b.append('\\').append(c);
      else if (c < 0x20) b.append(String.format("\\u%04x", (int) c));
      else b.append(c);
    }
    return b.append('"').toString();
  }
  static String fmt(Node n) {
    if (n == null) return "";
    if (n.isURI()) return "<" + n.getURI() + ">";
    if (n.isBlank()) return "_:" + n.getBlankNodeLabel();
    String lang = n.getLiteralLanguage();
    if (lang != null && !lang.isEmpty()) return "\"" + n.getLiteralLexicalForm() + "\"@" + lang.toLowerCase();
    String dt = n.getLiteralDatatypeURI();
    if (dt == null || dt.endsWith("XMLSchema#string")) return "\"" + n.getLiteralLexicalForm() + "\"";
    return "\"" + n.getLiteralLexicalForm() + "\"^^<" + dt + ">";
  }
  static String path(Path p) {
    if (p == null) return "";
    if (p instanceof P_Link) return fmt(((P_Link) p).getNode());
    if (p instanceof P_Inverse && ((P_Inverse) p).getSubPath() instanceof P_Link)
      return "^" + fmt(((P_Link) ((P_Inverse) p).getSubPath()).getNode());
    return "complex:" + p.toString();
  }
  static Graph read(String file) {
    return RDFParser.source(file).lang(Lang.NTRIPLES).labelToNode(LabelToNode.createUseLabelAsGiven()).toGraph();
  }
  public static void main(String[] args) {
    long t0 = System.nanoTime();
    Shapes shapes = Shapes.parse(read(args[0]));
    System.out.println("[\"shapes\"," + (System.nanoTime() - t0) / 1e6 + "]");
    int rounds = Integer.parseInt(args[1]);
    for (int i = 2; i < args.length; i++) {
      ValidationReport report = null;
      for (int r = 0; r < rounds; r++) {
        long a = System.nanoTime();
        Graph data = read(args[i]);
        long b = System.nanoTime();
        report = ShaclValidator.get().validate(shapes, data);
        long c = System.nanoTime();
        System.out.println("[\"time\"," + esc(args[i]) + "," + r + "," + (b - a) / 1e6 + "," + (c - b) / 1e6 + "]");
      }
      for (ReportEntry e : report.getEntries()) {
        System.out.println("[\"result\"," + esc(args[i]) + "," + esc(fmt(e.focusNode())) + ","
          + esc(path(e.resultPath())) + "," + esc(fmt(e.sourceConstraintComponent())) + "," + esc(fmt(e.source())) + ","
          + esc(fmt(e.severity().level())) + "," + esc(fmt(e.value())) + "]");
      }
    }
  }
}
"""


@dataclass
class Case:
    """One input: its name, the data triples and the mixed graph validated."""

    name: str
    data_triples: int
    mixed: Graph
    nt_file: Path | None = None


@dataclass
class Timing:
    """Times of one engine on one case, in seconds (``prepare`` is the engine's own loading, if any)."""

    runs: list[float] = field(default_factory=list)
    prepare: list[float] = field(default_factory=list)

    def warm(self) -> float:
        """The median of the runs after the first, else the only one."""
        return statistics.median(self.runs[1:] or self.runs)


# --- inputs ---------------------------------------------------------------------------------------


def mix(data: Graph) -> Graph:
    """Build the graph pySHACL gets, exactly as ``validate_graph`` builds ``mixed``."""
    from ris3kg.graph.codelists.lookup import codelists
    from ris3kg.shapes.validation import _packaged_reference

    used = codelists().describe({term for triple in data for term in triple})
    mixed = Graph(bind_namespaces="none")
    mixed += data
    mixed += _packaged_reference()
    mixed += used
    return mixed


def corpus_graph(folder: Path, triples: int) -> Graph:
    """The synthetic corpus of about ``triples`` quads (made once in ``folder``), as one data graph."""
    sys.path.insert(0, str(HERE))
    from europe_corpus import generate  # type: ignore[import-not-found,unused-ignore]

    if not any(folder.glob("*.nq.gz")):
        generate(folder, triples=triples)
    dataset = Dataset()
    for file in sorted(folder.glob("*.nq.gz")):
        dataset.parse(data=gzip.decompress(file.read_bytes()).decode("utf-8"), format="nquads")
    graph = Graph(bind_namespaces="none")
    for s, p, o, _g in dataset.quads((None, None, None, None)):
        graph.add((s, p, o))
    return graph


def test_files() -> list[Path]:
    """Every test file of the shapes' tests, and the seeds."""
    files = sorted((ROOT / "tests" / "data" / "valid").glob("*.ttl"))
    files += sorted((ROOT / "tests" / "data" / "invalid").glob("*.ttl"))
    files += sorted(p for p in (ROOT / "graph" / "data").glob("*.ttl") if p.name != "regions.ttl")
    return files


def _describe(graph: Graph, node: Node, seen: frozenset[Node] = frozenset()) -> str:
    if not isinstance(node, BNode):
        return node.n3()
    if node in seen:
        return "[cycle]"
    if (node, RDF.first, None) in graph:
        return "(" + " ".join(_describe(graph, item, seen | {node}) for item in graph.items(node)) + ")"
    parts = sorted(f"{p.n3()} {_describe(graph, o, seen | {node})}" for p, o in graph.predicate_objects(node))
    return "[" + " ; ".join(parts) + "]"


def skolemize_shapes(shapes: Graph) -> Graph:
    """Rename the blank-node shapes to IRIs made of a hash of their description (same semantics)."""
    shape_nodes = {o for p in (SH.property, SH.node, SH.qualifiedValueShape) for o in shapes.objects(None, p)}
    shape_nodes |= set(shapes.subjects(SH.path, None))
    names: dict[Node, URIRef] = {}
    for node in sorted((n for n in shape_nodes if isinstance(n, BNode)), key=lambda n: _describe(shapes, n)):
        digest = hashlib.sha1(_describe(shapes, node).encode()).hexdigest()[:12]
        name = URIRef(f"urn:bench:shape:{digest}")
        while name in names.values():
            name = URIRef(name + "x")
        names[node] = name
    out = Graph(bind_namespaces="none")
    for prefix, namespace in shapes.namespaces():
        out.bind(prefix, namespace)
    for s, p, o in shapes:
        out.add((names.get(s, s), p, names.get(o, o)))
    return out


# --- result keys ------------------------------------------------------------------------------------


def render(node: Node | None) -> str:
    """A term as all engines' results are compared (N-Triples-like, language tags in lower case)."""
    if node is None:
        return ""
    if isinstance(node, URIRef):
        return f"<{node}>"
    if isinstance(node, BNode):
        return f"_:{node}"
    if isinstance(node, Literal):
        if node.language:
            return f'"{node}"@{node.language.lower()}'
        if node.datatype is None or node.datatype == XSD.string:
            return f'"{node}"'
        return f'"{node}"^^<{node.datatype}>'
    return str(node)


def _render_path(report: Graph, path: Node | None) -> str:
    if isinstance(path, BNode):
        inverse = report.value(path, SH.inversePath)
        if isinstance(inverse, URIRef):
            return "^" + render(inverse)
        return "complex:" + _describe(report, path)
    return render(path)


def report_keys(report: Graph) -> set[Key]:
    """The result keys of a SHACL validation report graph."""
    keys: set[Key] = set()
    for result in report.subjects(RDF.type, SH.ValidationResult):
        keys.add(
            (
                render(report.value(result, SH.focusNode)),
                _render_path(report, report.value(result, SH.resultPath)),
                render(report.value(result, SH.sourceConstraintComponent)),
                render(report.value(result, SH.sourceShape)),
                render(report.value(result, SH.resultSeverity)),
                render(report.value(result, SH.value)),
            )
        )
    return keys


# --- engines ---------------------------------------------------------------------------------------


PYSHACL_ARGS: dict[str, Any] = {
    "inference": "none",
    "allow_warnings": True,
    "abort_on_first": False,
    "advanced": False,
    "do_owl_imports": False,
}


def run_pyshacl(shapes: Graph, case: Case) -> tuple[float, float, set[Key]]:
    """pySHACL as ``validate_graph`` calls it."""
    import pyshacl

    start = time.perf_counter()
    _conforms, report, _text = pyshacl.validate(case.mixed, shacl_graph=shapes, meta_shacl=False, **PYSHACL_ARGS)
    elapsed = time.perf_counter() - start
    assert isinstance(report, Graph)
    return 0.0, elapsed, report_keys(report)


def run_turbo(shapes: Graph, case: Case) -> tuple[float, float, set[Key]]:
    """pyshacl-turbo's drop-in ``validate`` (compiles the shapes on every call)."""
    import pyshacl_turbo  # type: ignore[import-not-found,unused-ignore]

    start = time.perf_counter()
    _conforms, report, _text = pyshacl_turbo.validate(case.mixed, shacl_graph=shapes, **PYSHACL_ARGS)
    elapsed = time.perf_counter() - start
    return 0.0, elapsed, report_keys(report)


_COMPILED: dict[int, Any] = {}


def run_turbo_compiled(shapes: Graph, case: Case) -> tuple[float, float, set[Key]]:
    """pyshacl-turbo with the shapes compiled once (``compile_shapes``) and reused."""
    import pyshacl_turbo  # type: ignore[import-not-found,unused-ignore]

    if id(shapes) not in _COMPILED:
        _COMPILED[id(shapes)] = pyshacl_turbo.compile_shapes(shapes)
    compiled = _COMPILED[id(shapes)]
    start = time.perf_counter()
    _conforms, report, _text = compiled.validate(case.mixed, allow_warnings=True)
    elapsed = time.perf_counter() - start
    return 0.0, elapsed, report_keys(report)


_RUDOF: dict[int, Any] = {}


def run_rudof(shapes: Graph, case: Case) -> tuple[float, float, set[Key]]:
    """pyrudof: shapes read once per session; the data read from N-Triples (``prepare``), then validated."""
    import pyrudof  # type: ignore[import-not-found,unused-ignore]

    if id(shapes) not in _RUDOF:
        session = pyrudof.Rudof(pyrudof.RudofConfig())
        session.read_shacl(shapes.serialize(format="nt"), format=pyrudof.ShaclFormat.NTriples)
        _RUDOF[id(shapes)] = session
    session = _RUDOF[id(shapes)]
    text = case.mixed.serialize(format="nt")
    start = time.perf_counter()
    session.read_data(text, format=pyrudof.RDFFormat.NTriples, merge=False)
    loaded = time.perf_counter()
    session.validate_shacl()
    done = time.perf_counter()
    report = Graph().parse(
        data=session.serialize_shacl_validation_results(format=pyrudof.ResultShaclValidationFormat.NTriples),
        format="nt",
    )
    return loaded - start, done - loaded, report_keys(report)


# --- Jena -------------------------------------------------------------------------------------------


def jena_classpath(work: Path) -> str | None:
    """Debian's Jena jars and their dependencies, with the missing Xerces messages put first."""
    core = Path("/usr/share/java/jena-core.jar")
    if not core.exists() or shutil.which("javac") is None:
        return None
    fix = work / "xerces-msg-fix.jar"
    if not fix.exists():
        prefix = "org/apache/jena/ext/xerces/"
        with zipfile.ZipFile(core) as source, zipfile.ZipFile(fix, "w") as target:
            for name in source.namelist():
                if name.startswith(prefix) and not name.endswith((".class", "/")):
                    target.writestr("xerces/" + name.removeprefix(prefix), source.read(name))
    listing = subprocess.run(
        ["sh", "-c", "apt-cache depends --recurse --no-recommends --no-suggests --no-conflicts --no-breaks "
         "--no-replaces --no-enhances libapache-jena-java | grep -v '^ ' | grep -v '<' | sort -u"],
        capture_output=True, text=True, check=True,
    ).stdout.split()  # fmt: skip
    excluded = ("log4j-over-slf4j", "slf4j-log4j12", "jcl-over-slf4j", "slf4j-jcl", "slf4j-migrator", "slf4j-nop",
                "slf4j-simple")  # fmt: skip
    jars: set[str] = set()
    for package in listing:
        files = subprocess.run(["dpkg", "-L", package], capture_output=True, text=True).stdout.splitlines()
        jars |= {f for f in files if f.startswith("/usr/share/java/") and f.endswith(".jar") and f.count("/") == 4}
    return ":".join([str(fix), *sorted(j for j in jars if not any(x in j for x in excluded))])


def run_jena(work: Path, shapes_file: Path, cases: Sequence[Case], rounds: int) -> dict[str, tuple[Timing, set[Key]]]:
    """Validate every case in one JVM: per case ``rounds`` times (parse and validate timed apart)."""
    classpath = jena_classpath(work)
    if classpath is None:
        return {}
    source = work / "BenchJena.java"
    source.write_text(JAVA_SOURCE)
    subprocess.run(["javac", "-cp", classpath, "-d", str(work), str(source)], check=True)
    out = subprocess.run(
        ["java", "-Xmx3g", "-cp", f"{work}:{classpath}", "BenchJena", str(shapes_file), str(rounds)]
        + [str(c.nt_file) for c in cases],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    by_file: dict[str, tuple[Timing, set[Key]]] = {str(c.nt_file): (Timing(), set()) for c in cases}
    for line in out.splitlines():
        row = json.loads(line)
        if row[0] == "time":
            timing = by_file[row[1]][0]
            timing.prepare.append(row[3] / 1000)
            timing.runs.append(row[4] / 1000)
        elif row[0] == "result":
            by_file[row[1]][1].add((row[2], row[3], row[4], row[5], row[6], row[7]))
    return {c.name: by_file[str(c.nt_file)] for c in cases}


# --- driver -----------------------------------------------------------------------------------------


PythonEngine = Callable[[Graph, Case], tuple[float, float, set[Key]]]
PYTHON_ENGINES: dict[str, PythonEngine] = {
    "pyshacl": run_pyshacl,
    "turbo": run_turbo,
    "turbo-compiled": run_turbo_compiled,
    "rudof": run_rudof,
}
MODULES = {"pyshacl": "pyshacl", "turbo": "pyshacl_turbo", "turbo-compiled": "pyshacl_turbo", "rudof": "pyrudof"}


def available(engines: Iterable[str]) -> list[str]:
    """The engines asked for whose package (or Jena's jars) is there."""
    found = []
    for engine in engines:
        if engine == "jena":
            if Path("/usr/share/java/jena-shacl.jar").exists() and shutil.which("javac"):
                found.append(engine)
            continue
        try:
            __import__(MODULES[engine])
        except ImportError:
            print(f"skipped {engine}: {MODULES[engine]} is not installed")
            continue
        found.append(engine)
    return found


def write_nt(case: Case, work: Path) -> None:
    """Write the case's mixed graph as N-Triples for Jena."""
    case.nt_file = work / (case.name.replace("/", "__") + ".nt")
    case.mixed.serialize(destination=case.nt_file, format="nt", encoding="utf-8")


def timings(engines: list[str], shapes: Graph, cases: list[Case], rounds: int, work: Path) -> None:
    """Print the time table."""
    table: dict[tuple[str, str], Timing] = {}
    for engine in engines:
        if engine == "jena":
            for case in cases:
                write_nt(case, work)
            shapes_file = work / "core-shapes.nt"
            shapes.serialize(destination=shapes_file, format="nt", encoding="utf-8")
            for name, (timing, _keys) in run_jena(work, shapes_file, cases, max(rounds, 2)).items():
                table[(engine, name)] = timing
            continue
        run = PYTHON_ENGINES[engine]
        run(shapes, cases[0])  # warm-up: imports, compiled shapes, a first validation
        for case in cases:
            timing = table.setdefault((engine, case.name), Timing())
            for _ in range(max(rounds, 2)):
                prepare, elapsed, _keys = run(shapes, case)
                timing.prepare.append(prepare)
                timing.runs.append(elapsed)
            print(f"  {engine:<15} {case.name:<12} {timing.warm():8.3f} s", flush=True)
    print("\nwarm validation time of the core shapes, seconds (engine's own data loading in brackets)")
    print(f"{'engine':<15}" + "".join(f"{c.name + f' ({len(c.mixed)})':>26}" for c in cases))
    for engine in engines:
        cells = []
        for case in cases:
            t = table.get((engine, case.name))
            if t is None:
                cells.append(f"{'-':>26}")
                continue
            load = statistics.median(t.prepare[1:] or t.prepare)
            cells.append(f"{t.warm():>14.3f}" + (f" (+{load:.3f} load)" if load else " " * 13))
        print(f"{engine:<15}" + "".join(cells))


def parity(engines: list[str], shapes: Graph, work: Path) -> None:
    """Print, per engine, the test files whose results differ from pySHACL's, and how."""
    cases = []
    for file in test_files():
        data = Graph().parse(file)
        cases.append(Case(f"{file.parent.name}/{file.stem}", len(data), mix(data)))
    results: dict[str, dict[str, set[Key]]] = {}
    for engine in engines:
        if engine == "jena":
            for case in cases:
                write_nt(case, work)
            shapes_file = work / "core-shapes-skolem.nt"
            shapes.serialize(destination=shapes_file, format="nt", encoding="utf-8")
            results[engine] = {name: keys for name, (_t, keys) in run_jena(work, shapes_file, cases, 1).items()}
        else:
            results[engine] = {case.name: PYTHON_ENGINES[engine](shapes, case)[2] for case in cases}
    reference = results["pyshacl"]
    total = sum(len(k) for k in reference.values())
    print(f"\nparity on {len(cases)} test files ({total} pySHACL results in all)")
    for engine in engines:
        if engine == "pyshacl":
            continue
        differing = [c.name for c in cases if results[engine][c.name] != reference[c.name]]
        # an engine that reads the data from N-Triples may name its blank nodes anew: compare without the labels
        relabelled = [n for n in differing if _anonymous(results[engine][n]) == _anonymous(reference[n])]
        print(f"{engine}: {len(cases) - len(differing)}/{len(cases)} files identical", end="")
        print(f", {len(relabelled)} more identical but for blank-node labels" if relabelled else "")
        for name in (n for n in differing if n not in relabelled):
            for key in sorted(reference[name] - results[engine][name]):
                print(f"  {name}: only pySHACL: {key}")
            for key in sorted(results[engine][name] - reference[name]):
                print(f"  {name}: only {engine}: {key}")


def _anonymous(keys: set[Key]) -> Counter[tuple[str, ...]]:
    return Counter(tuple("_:" if term.startswith("_:") else term for term in key) for key in keys)


def profile(case_data: Graph) -> None:
    """Profile one ``validate_graph`` and print the shares the issue names."""
    from ris3kg.shapes.validation import validate_graph

    validate_graph(case_data, source="warm-up")
    profiler = cProfile.Profile()
    profiler.enable()
    start = time.perf_counter()
    validate_graph(case_data, source="profiled")
    total = time.perf_counter() - start
    profiler.disable()
    stats = pstats.Stats(profiler)
    raw: dict[Any, Any] = stats.stats  # type: ignore[attr-defined]

    def cumulative(match: Callable[[str, int, str], bool]) -> float:
        return float(sum(v[3] for k, v in raw.items() if match(*k)))

    import inspect

    from pyshacl.constraints.core.other_constraints import InConstraintComponent

    in_line = inspect.getsourcelines(InConstraintComponent.__init__)[1]

    parts = {
        "pyshacl.validate": cumulative(lambda f, _l, n: n == "validate" and f.endswith("pyshacl/entrypoints.py")),
        "mixed += (copy of data, reference, used)": _iadd_time(raw, "validation.py"),
        "sh:in (InConstraintComponent.__init__)": cumulative(
            lambda f, line, _n: line == in_line and f.endswith("other_constraints.py")
        ),
        "run_batched (SPARQL on Oxigraph)": cumulative(lambda _f, _l, n: n == "run_batched"),
        "check_codes": cumulative(lambda _f, _l, n: n == "check_codes"),
        "codes.describe": cumulative(lambda f, _l, n: n == "describe" and "codelists" in f),
    }
    print(f"\nprofile of validate_graph on {len(case_data)} data triples: {total:.2f} s (under cProfile)")
    for name, seconds in parts.items():
        print(f"  {name:<44} {seconds:7.2f} s  {100 * seconds / total:5.1f} %")
    print("  top 15 by cumulative time:")
    stats.sort_stats("cumulative").print_stats(15)


def _iadd_time(raw: dict[Any, Any], caller_file: str) -> float:
    """Cumulative time of ``Graph.__iadd__`` when called from ``caller_file`` (the product's ``mixed += ...``)."""
    total = 0.0
    for key, value in raw.items():
        if key[2] == "__iadd__" and key[0].endswith("rdflib/graph.py"):
            callers: dict[Any, Any] = value[4]
            total += sum(c[3] for ck, c in callers.items() if ck[0].endswith(caller_file))
    return total


def main() -> None:
    """Run the measurements."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--work", type=Path, default=Path("/tmp/shaclbench"))
    parser.add_argument("--sizes", type=int, nargs="*", default=[50_000, 250_000])
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--engines", nargs="*", default=list(ENGINES), choices=ENGINES)
    parser.add_argument("--skip-parity", action="store_true")
    parser.add_argument("--skip-timing", action="store_true")
    parser.add_argument("--skip-profile", action="store_true")
    args = parser.parse_args()
    logging.getLogger("rdflib.term").setLevel(logging.CRITICAL)  # ill-typed literals of the invalid test files
    args.work.mkdir(parents=True, exist_ok=True)

    from ris3kg.graph.catalogue import strategy_parts
    from ris3kg.shapes.validation import _packaged_split

    engines = available(args.engines)
    print(f"engines: {', '.join(engines)}")
    core = _packaged_split().core
    seed = next(part for part in strategy_parts() if part.key == "blekinge").load()
    corpora = {n: corpus_graph(args.work / f"corpus-{n}", n) for n in args.sizes}
    if not args.skip_timing:
        cases = [Case("seed", len(seed), mix(seed))]
        cases += [Case(f"corpus-{n // 1000}k", len(g), mix(g)) for n, g in corpora.items()]
        for case in cases:
            print(f"{case.name}: {case.data_triples} data triples, {len(case.mixed)} mixed")
        timings(engines, core, cases, args.rounds, args.work)
    if not args.skip_parity and "pyshacl" in engines:
        parity(engines, skolemize_shapes(core), args.work)
    if not args.skip_profile and corpora:
        profile(corpora[min(corpora, key=lambda n: abs(n - 50_000))])


if __name__ == "__main__":
    main()
