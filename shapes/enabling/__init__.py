"""The enabling-condition report: how a strategy's data evidences the seven criteria of enabling condition 1.1.

Regulation (EU) 2021/1060, Annex IV, thematic enabling condition 1.1 ("good governance of national
or regional smart specialisation strategy"). :mod:`~ris3kg.shapes.enabling.criteria` reads the
criteria from the vocabulary, :mod:`~ris3kg.shapes.enabling.evidence` runs each criterion's query
(``queries/criterion-<n>.rq``) and judges it, :mod:`~ris3kg.shapes.enabling.render` writes the report.
"""
