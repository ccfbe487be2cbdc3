"""The store.

What ris3kg needs of one (:mod:`.interface`), Oxigraph on disk (:mod:`.oxigraph`), its generations
and leases (:mod:`.generations`) and its counts (:mod:`.stats`).
"""
