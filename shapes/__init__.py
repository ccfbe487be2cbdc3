"""SHACL shapes for ris3kg data and the validator that applies them."""
