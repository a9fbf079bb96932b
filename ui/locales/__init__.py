"""Translation catalogs: one dict per language with the same keys (a test checks)."""
