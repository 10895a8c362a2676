"""Paths: package data through importlib.resources, the index folder in and out of a checkout."""

from __future__ import annotations

from importlib.resources import files

from zanqa import cli, config

from .conftest import ROOT


def test_runtime_data_is_package_data():
    # Fails if a file the product reads at run time lives outside the zanqa package (a wheel
    # would not ship it) or is not found through importlib.resources.
    package = files("zanqa")
    for path in (config.CORPUS_PATH, config.QUESTIONS_PATH, config.OUT_OF_SCOPE_PATH, config.TUNED_PATH):
        assert path.is_file() and path.is_relative_to(config.PACKAGE_DIR), path
        assert package.joinpath(*path.relative_to(config.PACKAGE_DIR).parts).read_bytes() == path.read_bytes()


def test_the_checkout_is_recognised_and_other_folders_are_not(tmp_path):
    # Fails if the source checkout is not seen as one (index/ and app/ would be looked for in
    # the current folder and the installed package), or if any folder with a pyproject.toml,
    # such as site-packages beside another project, is taken for ZanQA's checkout.
    assert config.CHECKOUT == ROOT
    assert config.APP_SCRIPT == ROOT / "app" / "streamlit_app.py"
    assert config._checkout(tmp_path) is None
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "other"\n')
    assert config._checkout(tmp_path) is None


def test_index_folder_default_in_and_out_of_a_checkout(monkeypatch, tmp_path):
    # Fails if $ZANQA_INDEX_DIR is not obeyed, if a checkout's index stops being its index/
    # (make run, the tests), or if an installed wheel does not use ./index of the current folder.
    monkeypatch.delenv(config.ENV_INDEX_DIR, raising=False)
    assert config.default_index_dir() == ROOT / "index"
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(config, "CHECKOUT", None)
    assert config.default_index_dir() == tmp_path / "index"
    monkeypatch.setenv(config.ENV_INDEX_DIR, str(tmp_path / "elsewhere"))
    assert config.default_index_dir() == tmp_path / "elsewhere"


def test_corpus_build_outside_a_checkout_is_refused(monkeypatch, capsys):
    # Fails if `zanqa corpus build` of an installed wheel would rewrite the corpus inside
    # site-packages instead of saying it needs the source checkout.
    monkeypatch.setattr(cli, "CHECKOUT", None)
    written = []
    monkeypatch.setattr("zanqa.corpus.write_corpus", lambda *a, **k: written.append(a))
    assert cli.main(["corpus", "build"]) != 0
    assert not written
    assert "checkout" in capsys.readouterr().err
