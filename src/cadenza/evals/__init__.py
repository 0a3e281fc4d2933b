"""Cadenza evals."""
