"""Benchmarks: ``python -m bench.run`` compares our assistant with a bare ``rasa init`` bot."""
