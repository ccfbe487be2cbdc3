"""Benchmark: Gephi views downloaded from the web app (``/export/<view>.<format>``), cold, uncached and cached.

Run from the checkout (prints one line; nothing is asserted):

    .venv/bin/python tests/benchmarks/bench_web_export.py

On a store built from the packaged data, through Flask's test client: the first export (which
starts the export worker), then every view in every format and label language once (each built
and written in the export worker), then four views again (kept in memory).
"""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

from ris3kg.api.web.app import create_app
from ris3kg.api.web.state import state
from ris3kg.graph.build import build_store

VIEWS = ("region-areas", "actors", "region-similarity", "bottlenecks")


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="ris3kg-bench-") as folder:
        built = build_store(Path(folder) / "store")
        app = create_app({"STORE": built.path, "TESTING": True})
        try:
            client = app.test_client()
            start = time.perf_counter()
            assert client.get("/export/actors.gexf").status_code == 200
            first = time.perf_counter() - start
            uncached = []
            for language in ("en", "sv", "nb"):
                for view in VIEWS:
                    for fmt in ("gexf", "graphml", "csv"):
                        start = time.perf_counter()
                        response = client.get(f"/export/{view}.{fmt}?lang={language}")
                        uncached.append(time.perf_counter() - start)
                        assert response.status_code == 200, (view, fmt, response.status_code)
            cached = []
            for view in VIEWS:
                start = time.perf_counter()
                client.get(f"/export/{view}.gexf?lang=sv")
                cached.append(time.perf_counter() - start)
        finally:
            state(app).close()
    print(
        f"first export {first * 1000:.0f} ms; uncached p50 {statistics.median(uncached) * 1000:.0f} ms, "
        f"max {max(uncached) * 1000:.0f} ms (n={len(uncached)}); cached p50 {statistics.median(cached) * 1000:.1f} ms"
    )


if __name__ == "__main__":  # the workers are spawned: they import this module without running it
    main()
