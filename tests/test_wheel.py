"""System test: ZanQA as a wheel, installed apart from the checkout.

The wheel is built from a copy of what ``pip install .`` reads (pyproject.toml,
README.md, zanqa/, app/), offline (``--no-build-isolation --no-index``), and
installed with ``pip install --no-deps --target`` into a temporary folder. Its
dependencies come from the environment running the tests (the wheel's own
are those of pyproject.toml, which ``make test`` has installed), and the
commands run from a folder outside the checkout with only that folder on
PYTHONPATH, so the corpus, the retrieval keys and the app script can only come
from the wheel's package data.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import ROOT

pytestmark = [pytest.mark.system, pytest.mark.slow]

QUESTION = "Адамды тасу қашан аяқталды деп есептеледі?"
# what the wheel's code reports about itself, run from outside the checkout
PROBE = """
import json, zanqa, zanqa.config as c
print(json.dumps({"zanqa": zanqa.__file__, "checkout": str(c.CHECKOUT), "corpus": str(c.CORPUS_PATH),
                  "questions": str(c.QUESTIONS_PATH), "app": str(c.APP_SCRIPT),
                  "index": str(c.default_index_dir())}))
"""


def _run(args, cwd, env, timeout=900):
    done = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    assert done.returncode == 0, (
        f"{args}: exit {done.returncode}\n{done.stdout[-2000:]}\n{done.stderr[-4000:]}"
    )
    return done.stdout


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """(site folder with the installed wheel, its `zanqa` script, a clean environment for it)."""
    tmp = tmp_path_factory.mktemp("wheel")
    src = tmp / "src"
    src.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, src / name)
    for name in ("zanqa", "app"):
        shutil.copytree(ROOT / name, src / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "--no-input"]
    _run(
        [*pip, "wheel", "--no-deps", "--no-build-isolation", "--no-index", "-w", str(tmp / "dist"), str(src)],
        tmp,
        None,
    )
    (wheel,) = (tmp / "dist").glob("zanqa-*.whl")
    site = tmp / "site"
    _run([*pip, "install", "--no-deps", "--no-index", "--target", str(site), str(wheel)], tmp, None)
    env = {k: v for k, v in os.environ.items() if not k.startswith("ZANQA_") and k != "PYTHONPATH"}
    env["PYTHONPATH"] = str(site)
    script = site / "bin" / "zanqa"
    assert script.is_file(), "the wheel installs the `zanqa` command"
    return site, script, env


def test_installed_wheel_reads_its_own_package_data(installed, tmp_path):
    # Fails if the wheel's zanqa is not the one imported outside the checkout, if it still
    # believes it runs in a checkout, or if the corpus, the retrieval keys or the app
    # script are not inside the installed package (so a pip-installed ZanQA could not find them).
    site, _, env = installed
    seen = json.loads(_run([sys.executable, "-c", PROBE], tmp_path, env))
    package = site / "zanqa"
    assert Path(seen["zanqa"]).parent == package, seen
    assert seen["checkout"] == "None"
    for key in ("corpus", "questions", "app"):
        path = Path(seen[key])
        assert path.is_relative_to(package) and path.is_file(), (key, seen[key])
    assert Path(seen["app"]).read_bytes() == (ROOT / "app" / "streamlit_app.py").read_bytes()
    assert (
        Path(seen["corpus"]).read_bytes()
        == (ROOT / "zanqa" / "data" / "resolution-7-2012.jsonl").read_bytes()
    )
    assert seen["index"] == str(tmp_path / "index"), "outside a checkout the index is ./index"


def test_installed_wheel_builds_an_index_and_answers_with_a_citation(installed, tmp_path, corpus):
    # Fails if `zanqa build` or `zanqa ask` of the installed wheel fails outside the checkout,
    # if the index does not go to $ZANQA_INDEX_DIR (or to ./index without it), or if the answer
    # does not quote the resolution with a citation.
    _, script, env = installed
    index_dir = tmp_path / "somewhere" / "index"
    work = tmp_path / "work"
    work.mkdir()
    _run([str(script), "build"], work, {**env, "ZANQA_INDEX_DIR": str(index_dir)})
    assert (index_dir / "manifest.json").is_file() and not (work / "index").exists()

    def ask(extra_env):
        out = json.loads(_run([str(script), "ask", QUESTION, "--json"], work, {**env, **extra_env}))
        assert not out["abstained"] and out["citations"], out
        for cite in out["citations"]:
            assert cite["sentence"] in corpus.get(cite["paragraph_id"], cite["doc_id"]).kk, cite
        return out

    first = ask({"ZANQA_INDEX_DIR": str(index_dir)})
    assert "6" in {c["paragraph_id"] for c in first["citations"]}  # the paragraph on carrying a person
    index_dir.rename(work / "index")  # the default: ./index in the current folder
    assert ask({})["citations"] == first["citations"]
