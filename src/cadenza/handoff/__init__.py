"""Cadenza handoff."""
