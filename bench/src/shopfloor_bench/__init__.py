"""Shopfloor benchmarks: an HTTP load driver, reports with ratios, and event-pipeline scenarios.

Run ``shopfloor-bench --help``; ``bench/README.md`` explains every scenario.
"""

__version__ = "0.1.0"
