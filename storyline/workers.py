"""Worker process pools, as the pipeline's stages use them: forked where the platform forks (as spaCy's
``n_process``: no ``__main__`` guard needed, and loaded models are inherited), one BLAS thread each, and gone
with the process that started them."""

from __future__ import annotations

import multiprocessing
import os
import threading
import time
from concurrent.futures import ProcessPoolExecutor


# workers read ahead of the tracker, which runs in the parent and waits for them: at a lower priority they never
# take its core (gva: 274 -> 293 articles/s on 2 cores), and they still have every cycle it leaves idle
WORKER_NICENESS = 10


class WorkerDied(RuntimeError):
    """A worker process died (killed, or out of memory): the batch in flight is lost, what was stored before is
    kept, and re-running the same ingest completes it."""

    def __init__(self, doing: str) -> None:
        super().__init__(f"a worker process {doing} died (killed, or out of memory?); the batches stored before are "
                         "kept: re-run the same ingest to complete it")


def worker_pool(workers: int, start_method: str | None = None) -> ProcessPoolExecutor:
    """A pool of ``workers`` processes started from this one (by the platform's default start method)."""
    return ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context(start_method),
                               initializer=_start_worker, initargs=(os.getpid(),))


def forks() -> bool:
    """Whether new workers are forked (and so inherit what this process has loaded)."""
    return multiprocessing.get_start_method() == "fork"


def _start_worker(parent: int) -> None:
    """In a worker: one BLAS thread (the workers are the parallelism: more would fight over the same cores), a lower
    priority than the parent's, and exit when the parent is gone, so that a killed ingest leaves no idle workers behind."""
    import numpy  # noqa: F401 - a spawned worker has not loaded its BLAS yet, and only a loaded one is limited
    from threadpoolctl import threadpool_limits

    threadpool_limits(1, user_api="blas")
    try:
        os.nice(WORKER_NICENESS)
    except (AttributeError, OSError):  # no priorities here (Windows), or a sandbox that forbids them: run as is
        pass

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1.0)
        os._exit(0)

    threading.Thread(target=watch, daemon=True).start()
