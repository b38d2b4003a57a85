"""Experiments: composing configurations, running arms and sweeps, statistics over runs."""
