"""SPARQL queries under limits.

The policy (:mod:`.policy`: what a client may ask), the killable query workers and the in-process
shortcut for proven queries (:mod:`.executor`), the row counters of each result format
(:mod:`.rows`), a store whose every query runs in the workers (:mod:`.bounded`) and the example
queries (:mod:`.examples`).
"""
