"""One module per command of `python -m course`, each with a keyword-only `main`."""
