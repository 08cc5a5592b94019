"""How a run is run: worker process pools, the run lock, the quick check, Redis workers, progress and report."""
