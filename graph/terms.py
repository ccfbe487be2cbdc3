"""Converting RDF terms between rdflib (the parser and SHACL engine's graphs) and pyoxigraph (the store)."""

from __future__ import annotations

import pyoxigraph as ox
from rdflib import BNode, Literal, Node, URIRef

_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def to_oxigraph(term: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    """Convert an rdflib term, keeping blank-node ids so that results name the data's own nodes."""
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            try:
                return ox.Literal(str(term), language=term.language)
            except ValueError:  # a tag Oxigraph refuses; the core shapes report bad tags
                return ox.Literal(str(term))
        if term.datatype is not None:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"unexpected term in a data graph: {term!r}")


def to_rdflib(term: object) -> Node:
    """Convert a pyoxigraph term to rdflib, keeping blank-node ids."""
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        if term.datatype.value == _XSD_STRING:  # RDF 1.1: a simple literal is an xsd:string
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(term.datatype.value))
    raise TypeError(f"unexpected term in a SPARQL result: {term!r}")
