"""The spreadsheet formats, scanned for what python-calamine cannot see (issue 9).

``io.workbook.load_workbook`` is the one place that opens a spreadsheet; it calls these:

- ``facts``: :class:`SheetFacts` (what a scan finds), :class:`Limits` and the shared helpers;
- ``parts``: the zip parts of xlsx/xlsm/ods, bounded before and while they inflate;
- ``ooxml``: the .xlsx/.xlsm sheet XML scan; ``ods``: content.xml; ``biff``: the .xls records.

Nothing here imports ``io.workbook``.
"""
