"""Helpers shared by the export tests: the GEXF 1.3 RelaxNG schema and reading a GEXF file back."""

from __future__ import annotations

from pathlib import Path

from lxml import etree

SCHEMA = Path(__file__).resolve().parent / "data" / "gexf-1.3" / "gexf.rng"  # vendored: see its README.md
NS = {"g": "http://gexf.net/1.3", "viz": "http://gexf.net/1.3/viz"}


def schema_errors(document: bytes) -> str | None:
    """Validate a GEXF document against the format's RelaxNG schema; None when valid, else the errors."""
    schema = etree.RelaxNG(etree.parse(str(SCHEMA)))
    if schema.validate(etree.fromstring(document)):
        return None
    return "\n".join(str(error) for error in schema.error_log)


def node_values(document: bytes) -> dict[str, dict[str, str]]:
    """Each node's label, kind and attribute values as written, by node id."""
    root = etree.fromstring(document)
    titles = {a.get("id"): a.get("title") for a in root.iterfind(".//g:attributes[@class='node']/g:attribute", NS)}
    nodes = {}
    for node in root.iterfind(".//g:nodes/g:node", NS):
        values = {titles[v.get("for")]: v.get("value") for v in node.iterfind("g:attvalues/g:attvalue", NS)}
        values["label"] = node.get("label")
        nodes[node.get("id")] = values
    return nodes
