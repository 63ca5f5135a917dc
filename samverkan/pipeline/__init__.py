"""Pipeline: the stages, the runner that decides what is stale and runs it, and the benchmark."""
