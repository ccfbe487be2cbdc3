"""Shared fixtures: paths to the test data and the seeds, and one built store per session."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import RDF, Graph, URIRef

from ris3kg.graph.build import BuildReport, build_store
from ris3kg.graph.catalogue import DatasetPart, part_by_key, reference_graph, reference_parts, strategy_parts
from ris3kg.graph.store.oxigraph import OxigraphStore

TESTS = Path(__file__).resolve().parent
DATA = TESTS / "data"
REPO = TESTS.parent
SEEDS = REPO.parent / "shared" / "seeds"

BLEKINGE_ONLY = (*reference_parts(), part_by_key("blekinge"))
"""The parts of a small store: the ontology, vocabularies and hand-made regions, and Blekinge."""


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    """The folder of source texts beside the checkout; tests that need it skip without it."""
    if not SEEDS.is_dir():
        pytest.skip(f"the source texts are not beside the checkout ({SEEDS} is missing)")
    return SEEDS


@pytest.fixture(scope="session")
def reference() -> Graph:
    """Ontology, vocabularies and regions."""
    return reference_graph()


@pytest.fixture(scope="session")
def strategy_graphs() -> dict[str, Graph]:
    """Each packaged strategy's graph by part key."""
    return {part.key: part.load() for part in strategy_parts()}


@pytest.fixture(scope="session")
def strategies() -> tuple[DatasetPart, ...]:
    """The packaged strategies."""
    return strategy_parts()


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> BuildReport:
    """A store built once for the session from every packaged part."""
    return build_store(tmp_path_factory.mktemp("store") / "store")


@pytest.fixture(scope="session")
def store(built: BuildReport) -> OxigraphStore:
    """The session's store, opened read-only."""
    return OxigraphStore.open(built.path)


def instances(graph: Graph, cls: URIRef) -> set[URIRef]:
    """The IRIs typed with exactly this class in a graph."""
    return {s for s in graph.subjects(RDF.type, cls) if isinstance(s, URIRef)}


@pytest.fixture(scope="session")
def app(built: BuildReport):  # type: ignore[no-untyped-def]
    """The web application on the session's store, with small limits so that tests can reach them."""
    from ris3kg.api.web.app import create_app
    from ris3kg.api.web.state import state

    application = create_app(
        {
            "STORE": built.path,
            "QUERY_TIMEOUT": 2.0,
            "QUERY_WORKERS": 2,
            "MAX_RESULT_ROWS": 500,
            "MAX_QUERY_LENGTH": 5000,
            "MAX_CONTENT_LENGTH": 64 * 1024,
            "TESTING": True,
        }
    )
    yield application
    state(application).close()


@pytest.fixture()
def client(app):  # type: ignore[no-untyped-def]
    """A Flask test client."""
    return app.test_client()


@pytest.fixture(scope="session")
def live_server(app):  # type: ignore[no-untyped-def]
    """The application served by waitress on a free loopback port, for real HTTP clients."""
    import threading

    import waitress

    server = waitress.create_server(app, host="127.0.0.1", port=0, threads=4)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.effective_port}"
    server.close()
