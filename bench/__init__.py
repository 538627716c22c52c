"""Benchmarks: `make bench` runs each as `python -m bench.<name>`."""
