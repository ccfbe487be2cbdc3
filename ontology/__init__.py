"""The ris3kg ontology and vocabularies: namespaces, the Turtle files, and the OWL reasoner check."""
