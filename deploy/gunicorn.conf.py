"""gunicorn settings for one region on a small VM (see docs/OPERATIONS.md, bench/load.py)."""

import os

# --- settings
# One embedding thread per worker, and threads that sleep instead of spin while they wait:
# two workers that each spin OpenMP threads on 2 cores slow each other down tenfold.
os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OMP_WAIT_POLICY", "passive")
workers = 2
worker_class = "sync"
