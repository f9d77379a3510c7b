"""Worker pools: one BLAS thread per worker, a lower priority than the tracker's, and no worker outlives the process
that started it."""

import multiprocessing
import os
import signal
import time

import pytest

from storyline.workers import forks, worker_pool


def _blas_threads() -> list[int]:
    from threadpoolctl import threadpool_info

    return [pool["num_threads"] for pool in threadpool_info() if pool["user_api"] == "blas"]


@pytest.mark.parametrize("start_method", ["fork", "spawn"])
def test_workers_use_one_blas_thread_each(start_method):
    """The workers are the parallelism: a BLAS thread pool in each would fight them over the same cores."""
    if start_method not in multiprocessing.get_all_start_methods():
        pytest.skip(f"processes cannot be started by {start_method} here")
    with worker_pool(1, start_method) as workers:
        threads = workers.submit(_blas_threads).result()
    assert threads and set(threads) == {1}


@pytest.mark.skipif(not hasattr(os, "nice"), reason="no process priorities here")
def test_workers_run_at_a_lower_priority_than_the_process_waiting_for_them():
    """The parent tracks what the workers read: it must not wait for its core while they read ahead."""
    with worker_pool(1) as workers:
        niceness = workers.submit(os.nice, 0).result()
    assert niceness > os.nice(0)


def _start_a_pool_and_die(pids) -> None:
    pool = worker_pool(1)
    pids.send(pool.submit(os.getpid).result())
    os._exit(0)  # as a killed ingest: no shutdown of the pool


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    with open(f"/proc/{pid}/stat") as stat:  # a zombie waiting for its reaper counts as gone
        return stat.read().split(") ")[-1][0] != "Z"


@pytest.mark.skipif(not os.path.exists("/proc"), reason="reads process states from /proc")
def test_workers_exit_when_the_process_that_started_them_dies():
    context = multiprocessing.get_context("fork" if forks() else None)
    pids, sender = context.Pipe(duplex=False)
    starter = context.Process(target=_start_a_pool_and_die, args=(sender,))
    starter.start()
    assert pids.poll(30)
    worker = pids.recv()
    starter.join(timeout=30)
    deadline = time.monotonic() + 10
    while _alive(worker) and time.monotonic() < deadline:
        time.sleep(0.2)
    orphaned = _alive(worker)
    if orphaned:
        os.kill(worker, signal.SIGKILL)  # not left behind to hold the test run's output open
    assert not orphaned
