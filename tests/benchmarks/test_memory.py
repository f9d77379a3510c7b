import os
import signal
import subprocess
import sys
import time

from benchmarks.memory import PeakSampler, tree_resident_mb

HOLD_200_MB = "import sys, time; block = bytearray(200 * 2**20); sys.stdout.write('ready\\n'); sys.stdout.flush(); time.sleep(30)"


def test_a_worker_process_memory_counts_in_the_tree_and_its_peak():
    alone = tree_resident_mb()
    with PeakSampler(interval=0.05, max_share=1.0) as memory:  # every 0.05 s however long a sample takes
        worker = subprocess.Popen([sys.executable, "-c", HOLD_200_MB], stdout=subprocess.PIPE, text=True)
        try:
            assert worker.stdout.readline() == "ready\n"
            with_worker = tree_resident_mb()
            time.sleep(0.2)
        finally:
            worker.kill()
            worker.wait()
    assert with_worker > alone + 190
    assert memory.peak_mb >= with_worker - 5  # sampled, so it saw the worker too
    assert tree_resident_mb() < with_worker - 150  # the worker is gone


def test_pages_a_forked_worker_shares_with_its_parent_count_once():
    code = ("import os, sys, time; block = bytearray(300 * 2**20); block[::4096] = b'x' * len(block[::4096]); "
            "pid = os.fork()\n"
            "if pid == 0: sys.stdout.write('ready\\n'); sys.stdout.flush(); time.sleep(30)\n"
            "else: time.sleep(30)")
    parent = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True, start_new_session=True)
    try:
        assert parent.stdout.readline() == "ready\n"
        both = tree_resident_mb(parent.pid)
    finally:
        os.killpg(parent.pid, signal.SIGKILL)  # the forked child too
        parent.wait()
    assert 300 < both < 450  # 300 MB touched once, shared by two processes: not 600


def test_samples_are_spaced_so_that_sampling_takes_a_small_share_of_a_core(monkeypatch):
    """Reading PSS walks every page of the tree: a sample taking 50 ms is followed by a wait of 50 ms / ``max_share``
    (at 0.2 s regardless, sampling took 7 to 9% of Storyline's measured time on gva)."""
    import benchmarks.memory as memory

    def slow_sample(pid=None):
        time.sleep(0.05)
        return 100.0

    monkeypatch.setattr(memory, "tree_resident_mb", slow_sample)
    with PeakSampler(interval=0.01, max_share=0.1) as sampler:
        time.sleep(1.0)
    assert sampler.peak_mb == 100.0 and 2 <= sampler.samples <= 5  # unspaced, some 16 samples in the second
