"""Small file helpers: where data live, TOML/CSV reading, atomic writes, text tables."""
