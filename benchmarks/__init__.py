"""Accuracy and speed benchmarks of the shipped bundles (run with python -m benchmarks)."""
