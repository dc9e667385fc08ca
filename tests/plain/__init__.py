"""A second, plain path from the export files to the indicators' figures.

Nothing here uses strategistatus: the files are read with the csv module and openpyxl, the
figures computed with dicts and sets, following docs/indicators.md, docs/importing.md and
docs/datasets.md. tests/test_plain_recompute.py checks that ``compute()`` agrees.
"""
