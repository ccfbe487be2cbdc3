"""Region pages: ``/region/<code>`` for every NUTS region and statistical region ris3kg knows.

A page shows what :func:`~ris3kg.graph.linked_data.region.region_view` finds: the region's names,
level, parents and sub-regions, versions, changes and typology classes, and the strategies, areas
and actors there. By content negotiation it answers with the region's description in RDF instead
(as an entity page does). The code is checked against :data:`REGION_CODE` before anything else and
only ever bound as a term into the page's fixed queries, which run in the page workers.
"""

from __future__ import annotations

import pyoxigraph as ox
from flask import Blueprint, Response, abort, render_template
from werkzeug.wrappers import Response as BaseResponse

from ris3kg.api.web.pages import ENTITY_TYPES, entity_media_type, rdf_links
from ris3kg.api.web.state import cached, dataset
from ris3kg.graph.codelists.lookup import codelists
from ris3kg.graph.linked_data.entity import entity_triples
from ris3kg.graph.linked_data.region import REGION_CODE, region_iri, region_view
from ris3kg.graph.sparql.executor import used_prefixes

bp = Blueprint("regions", __name__, template_folder="templates")

_MALFORMED = (
    "this is not a region code: a code is two capital letters and up to three more capitals or digits, "
    "as in SE, SE2, SE22, SE221 or NO0A1"
)


@bp.route("/region/<path:code>")
def region(code: str) -> BaseResponse:
    """A region's page (HTML), or its description in Turtle, JSON-LD, N-Triples or RDF/XML.

    ``?format=`` chooses the syntax (as on an entity page), else ``Accept`` does.
    """
    if not REGION_CODE.fullmatch(code):
        upper = code.strip().upper()
        hint = f"; did you mean {upper}?" if REGION_CODE.fullmatch(upper) else ""
        abort(404, description=_MALFORMED + hint)  # the code itself is echoed only once it is a safe code
    iri = region_iri(code)
    if not dataset().store.mentions(iri):  # one index lookup each way; made-up codes never reach the cache
        abort(404, description=_unknown(code))
    media_type = entity_media_type()  # ?format= first, so that the page's links give what they name
    # A generation never changes: each page is made once and the most recent ones are kept.
    body = cached(f"region {media_type} {code}", lambda: _body(code, media_type) or b"", recent="entities")
    if not body:
        abort(404, description=_unknown(code))
    response = Response(body, mimetype=media_type)
    response.headers["Vary"] = "Accept"
    return response


def _body(code: str, media_type: str) -> bytes | None:
    """The region's page or RDF, or None when the graph says nothing about it."""
    if media_type in ENTITY_TYPES:
        triples = entity_triples(dataset().store, region_iri(code))  # as an entity page: index lookups
        if not triples:
            return None
        fmt = ENTITY_TYPES[media_type]
        return ox.serialize(triples, format=fmt, prefixes=used_prefixes(triples, fmt))
    view = region_view(dataset().bounded, code)
    if view is None:
        return None
    return render_template("region.html", view=view, rdf_links=rdf_links("regions.region", code=code)).encode("utf-8")


def _unknown(code: str) -> str:
    """Say that no region has the code, with the closest codes of the NUTS code lists.

    The closest codes are looked for among the codes of the same country (the code's first two
    letters), or among the countries when no code starts with those letters: a few hundred
    candidates at most, so that a made-up code costs little more than any other 404.
    """
    lists = codelists()
    known = {region.code: region.label for region in lists.regions.values() if region.code != code}
    candidates = {c: name for c, name in known.items() if c[:2] == code[:2]}
    close = lists.suggest(code, candidates or {c: name for c, name in known.items() if len(c) == 2})
    message = f"ris3kg knows no region with the code {code} (NUTS 2016, 2021 and 2024, and statistical regions)"
    return message + (f"; close codes: {', '.join(close)}" if close else "")
