"""Pure computations over a plan: the 4P mix, metrics, measured objectives, progress, diff."""
