"""Reports: summary tables, figures and comparison reports of runs and sweeps."""
