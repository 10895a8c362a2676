"""What measures the product: pairs, metrics, baselines, evaluation, report,
tuning, benchmarks, scale and load tests. The product never imports this package."""
