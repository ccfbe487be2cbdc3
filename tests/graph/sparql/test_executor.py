"""The query workers: the time limit, and proven queries that run again in the calling process."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

from ris3kg.graph.build import BuildReport
from ris3kg.graph.sparql.executor import QueryExecutor, QueryJob, QueryTimeoutError, ResultTooLargeError
from ris3kg.ontology.formats import ResultFormat

QUICK = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g"
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


# Whether a query is proven depends on how long its first run took; on a loaded machine (CI runs
# other jobs beside the tests) the quick query has taken over 0.1 s. The proof tests therefore
# allow a second, and only the tests of stopping use the short time limit.
@pytest.fixture()
def executor(built: BuildReport) -> Iterator[QueryExecutor]:
    pool = QueryExecutor(built.path, workers=1, timeout=20.0, proven_time=1.0)
    pool.run(QueryJob(query="ASK {}"))  # waits for the worker to start, which is not the query's time
    yield pool
    pool.close()


@pytest.fixture()
def strict(built: BuildReport) -> Iterator[QueryExecutor]:
    pool = QueryExecutor(built.path, workers=1, timeout=2.0, proven_time=0.1)
    pool.run(QueryJob(query="ASK {}"))  # waits for the worker to start, which is not the query's time
    yield pool
    pool.close()


def test_a_quick_query_is_proven_and_answers_the_same_in_process(executor: QueryExecutor) -> None:
    job = QueryJob(query=QUICK, result_format=ResultFormat.CSV)
    assert not executor.is_proven(job)
    first = executor.run(job)  # in a worker
    assert executor.is_proven(job)
    second = executor.run(job)  # in this process
    assert second == first and second.body.count(b"\n") > 5


def test_the_proof_is_for_the_same_query_dataset_and_format(executor: QueryExecutor) -> None:
    executor.run(QueryJob(query=QUICK))
    assert executor.is_proven(QueryJob(query=QUICK))
    assert not executor.is_proven(QueryJob(query=QUICK, result_format=ResultFormat.XML))
    assert not executor.is_proven(QueryJob(query=QUICK, max_rows=5))
    assert not executor.is_proven(QueryJob(query=QUICK + " LIMIT 3"))


def test_a_runaway_query_is_stopped_and_never_proven(strict: QueryExecutor) -> None:
    job = QueryJob(query=RUNAWAY)
    started = time.perf_counter()
    with pytest.raises(QueryTimeoutError, match="was stopped"):
        strict.run(job)
    assert time.perf_counter() - started < 5
    assert not strict.is_proven(job)


def test_a_result_over_the_limit_is_refused_and_not_proven(strict: QueryExecutor) -> None:
    job = QueryJob(query="SELECT * WHERE { ?s ?p ?o }", max_rows=10)
    with pytest.raises(ResultTooLargeError, match="more than 10 rows"):
        strict.run(job)
    assert not strict.is_proven(job)


def test_nothing_is_proven_when_turned_off(built: BuildReport) -> None:
    pool = QueryExecutor(built.path, workers=1, timeout=2.0, proven_time=0)
    try:
        job = QueryJob(query=QUICK)
        pool.run(job)
        assert not pool.is_proven(job)
    finally:
        pool.close()


def test_only_so_many_proofs_are_kept(built: BuildReport) -> None:
    pool = QueryExecutor(built.path, workers=1, timeout=20.0, proven_time=1.0, proven_queries=2)
    pool.run(QueryJob(query="ASK {}"))
    try:
        jobs = [QueryJob(query=f"{QUICK} LIMIT {n}") for n in (1, 2, 3)]
        for job in jobs:
            pool.run(job)
        assert [pool.is_proven(job) for job in jobs] == [False, True, True]
    finally:
        pool.close()
