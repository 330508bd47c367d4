"""Canned Cypher queries (``queries/*.cypher``) and the runner that executes them."""

from queries.runner import CannedQuery, Param, canned_queries, get_query, run_canned

__all__ = ["CannedQuery", "Param", "canned_queries", "get_query", "run_canned"]
