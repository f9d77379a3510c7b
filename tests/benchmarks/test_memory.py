import os
import signal
import subprocess
import sys
import time

from benchmarks.memory import PeakSampler, tree_resident_mb

HOLD_200_MB = "import sys, time; block = bytearray(200 * 2**20); sys.stdout.write('ready\\n'); sys.stdout.flush(); time.sleep(30)"


def test_a_worker_process_memory_counts_in_the_tree_and_its_peak():
    alone = tree_resident_mb()
    with PeakSampler(interval=0.05) as memory:
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
