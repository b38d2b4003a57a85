"""govsim's Hydra launcher plugin: a sweep's jobs run in batches, many per worker process."""
