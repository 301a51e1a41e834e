"""The build benchmark's memory figures (``scripts/bench/build_bench.py``, run by ``make bench``): a forked child
shares its parent's pages, so the resident sets count them twice and the proportional sets once.  The figures are
not asserted as speeds, only that the sampler measures a process tree the way it says."""

from __future__ import annotations

import subprocess
import sys
import threading

from conftest import ROOT

sys.path.insert(0, str(ROOT / "scripts" / "bench"))

import build_bench  # noqa: E402

#: 300 MB written (so resident) in a parent, then a forked child that only reads it: shared pages.
FORKED = """
import os, sys, time
block = bytearray(300 * 2**20)
for at in range(0, len(block), 4096):
    block[at] = 1
if os.fork() == 0:
    time.sleep(2.5); os._exit(0)
time.sleep(2.5); os.wait()
"""


def test_a_forked_childs_shared_pages_count_once_in_the_proportional_sets():
    """Sampled once the child exists: a sample taken while the fork is under way can read the parent's sets
    before the fork and the child's after it (411 MB proportional once, under load), which the benchmark's
    peaks may include as an upper bound, but which says nothing of how shared pages are counted."""
    process = subprocess.Popen([sys.executable, "-c", FORKED])
    for _ in range(250):
        if len(build_bench._tree(process.pid)) == 2:
            break
        threading.Event().wait(0.02)
    peak = [0, 0]
    sampler = threading.Thread(target=build_bench._sample_tree, args=(process, peak))
    sampler.start()
    process.wait()
    sampler.join()
    resident, proportional = (kb / 1024 for kb in peak)
    assert resident >= 550, peak  # the 300 MB counted in the parent and again in the child
    assert 280 <= proportional <= 400, peak  # once, with the two interpreters


def test_the_tree_holds_the_descendants_and_not_the_rest():
    process = subprocess.Popen([sys.executable, "-c", "import subprocess, sys; "
                                "subprocess.run([sys.executable, '-c', 'import time; time.sleep(1)'])"])
    try:
        for _ in range(50):
            tree = build_bench._tree(process.pid)
            if len(tree) == 2:
                break
            threading.Event().wait(0.05)
        assert process.pid in tree and len(tree) == 2, tree
        assert 1 not in tree
    finally:
        process.wait()
