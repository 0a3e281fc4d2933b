"""Cadenza: an AI SDR agent service that runs the first touches of a sales cadence."""

__version__ = "0.1.0"
