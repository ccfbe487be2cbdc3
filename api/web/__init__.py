"""The web app.

The factory (:mod:`.app`), the state shared by the blueprints and the dataset of one request
(:mod:`.state`), the error table (:mod:`.errors`), the security headers (:mod:`.security`) and one
module per blueprint: :mod:`.sparql` (the endpoint, VoID), :mod:`.pages` (the query page, entity
pages), :mod:`.export` (Gephi downloads), :mod:`.submissions` (the form and the REST API, described
by :mod:`.openapi`). :mod:`.void` builds the service description and VoID.
"""
