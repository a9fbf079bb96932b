"""Customer satisfaction, loyalty and lifetime value analytics over a DuckDB file.

Pure Python (no streamlit): the app's pages, the CLI (``python -m analytics``) and the
tests all call these functions.
"""
