"""Cadenza store."""
