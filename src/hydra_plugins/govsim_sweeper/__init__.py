"""govsim's Hydra sweeper plugin: the basic sweeper, every job checked before any runs."""
