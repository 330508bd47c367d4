"""Entry point of the reader process of a big import (see `graph.pipeline.read_groups`).

A module of its own so that what it sends pickles under `graph.pipeline`, not __main__.
"""

from graph.pipeline import _reader_main

if __name__ == "__main__":
    _reader_main()
