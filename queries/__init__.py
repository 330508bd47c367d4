"""Canned Cypher queries (``queries/*.cypher``) and the runner that executes them."""

from queries.runner import (
    ALL_ROWS,
    CannedQuery,
    Page,
    Param,
    canned_queries,
    get_query,
    run_canned,
    run_page,
)

__all__ = ["ALL_ROWS", "CannedQuery", "Page", "Param", "canned_queries", "get_query", "run_canned",
           "run_page"]
