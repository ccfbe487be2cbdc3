"""Networks for Gephi and others.

The network model (:mod:`.network`), the named views of the graph (:mod:`.views`), a query's result
as a network (:mod:`.from_query`), the writers (:mod:`.gexf`, :mod:`.tabular`, :mod:`.picture`), their
format table (:mod:`.formats`) and an export run in a worker under limits (:mod:`.job`).
"""
