"""Cadenza prompts."""
