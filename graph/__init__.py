"""The ris3kg graph: the strategies as named graphs, the on-disk store and its statistics."""
