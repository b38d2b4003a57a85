"""govsim's exploratory sweeper: policies × uncertainties."""
