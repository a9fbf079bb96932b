"""Speed and memory at 10k, 100k and 1M customers, beside naive pandas (python -m benchmarks)."""
