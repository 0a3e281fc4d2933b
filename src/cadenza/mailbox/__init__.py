"""Cadenza mailbox."""
