"""Full-text search over the graph: an index per store generation (tantivy), queried with each language's stemming."""
