"""The ``ris3kg`` command line: one module per command group, joined in :mod:`ris3kg.api.cli.main`."""

from ris3kg.api.cli.main import main

__all__ = ["main"]
