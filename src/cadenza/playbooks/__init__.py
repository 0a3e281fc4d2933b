"""Cadenza playbooks."""
