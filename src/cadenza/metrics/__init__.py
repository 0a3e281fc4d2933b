"""Test, monitor, optimise: cadence metrics per dimension, the A/B variants' sequential test,
and the dashboard's data. Reads the store; writes nothing but a promotion's record."""

from cadenza.metrics.compute import collect, fold, metrics_table
from cadenza.metrics.model import (
    COLUMNS,
    DIMENSIONS,
    Dimension,
    MetricsQuery,
    MetricsRow,
    MetricsTable,
)

__all__ = ["COLUMNS", "DIMENSIONS", "Dimension", "MetricsQuery", "MetricsRow", "MetricsTable",
           "collect", "fold", "metrics_table"]
