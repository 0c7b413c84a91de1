"""Operations: Prometheus metrics, the exporters that serve them, and structured logs.

Adapters only (prometheus-client, logging): the domain never imports this.
See docs/operations.md for every metric and alert.
"""
