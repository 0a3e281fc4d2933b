"""Cadenza agent."""
