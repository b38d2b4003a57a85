"""govsim's Hydra sweeper plugin for Latin hypercube, Sobol and Morris designs."""
