"""Cadenza api."""
