"""Reading, validating and importing real exports (CSV, XLSX, Parquet)."""
