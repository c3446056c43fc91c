"""gunicorn settings for one region on a small VM (see docs/OPERATIONS.md, bench/load.py)."""

import os

# --- settings
# One embedding thread per worker, and threads that sleep instead of spin while they wait:
# two workers that each spin OpenMP threads on 2 cores slow each other down tenfold.
os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OMP_WAIT_POLICY", "passive")
workers = 2
worker_class = "sync"

# --- failing well (deploy kit, docs/OPERATIONS.md)
# A worker stuck in one request longer than this is killed and replaced by the master.
timeout = 30
# On stop or restart, requests under way get this long to finish; TimeoutStopSec in
# deploy/leer-kracht.service is longer, so systemd's SIGKILL comes only after it.
graceful_timeout = 20
# No access log: it would keep every teacher's address; errors still go to the journal.
accesslog = None


def post_fork(server, worker):
    """Let the kernel end a worker as soon as its master dies (kill -9, the OOM killer).

    Without this an orphaned sync worker notices only between requests, up to timeout / 2
    later, and keeps answering on the old socket meanwhile, so a restart that binds the
    port fails with "Address in use". SIGTERM lets the request under way finish.
    """
    import ctypes
    import signal
    import sys

    if not sys.platform.startswith("linux"):
        return
    pr_set_pdeathsig = 1
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(pr_set_pdeathsig, int(signal.SIGTERM), 0, 0, 0) != 0:
        server.log.warning("prctl(PR_SET_PDEATHSIG) failed: errno %s", ctypes.get_errno())
    elif os.getppid() != server.pid:  # the master died before the call
        os.kill(os.getpid(), signal.SIGTERM)


def post_worker_init(worker):
    """Load the models and the search index before the worker takes its first request.

    Loading them lazily made the first requests after a (re)start wait 1-2 s, with every
    request queued behind them: the dossier's p95 of about 1 s at 10 connections in
    bench/load.py came from that.
    """
    from portal.db import warm_up

    warm_up(worker.wsgi)
