"""``python -m index adapter``: fit the query adapter on the labelled sets (index/adapter.py)."""

import sys

from .adapter import main

sys.exit(main(sys.argv[1:]))
