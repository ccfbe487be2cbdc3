"""The spreadsheet template, derived from the shapes.

Its layout (:mod:`.layout`), cell syntax (:mod:`.cells`), reading a filled workbook or a zip of CSV
files (:mod:`.read`) and writing one (:mod:`.write`); :mod:`.template` is the entry point.
"""
