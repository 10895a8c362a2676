"""The tuned numbers, as data: ``zanqa/tuned.json``, written by ``zanqa tune --write``
with the dev metrics beside them, read here for the fusion and abstention stages."""

from __future__ import annotations

import json
from dataclasses import asdict, fields
from functools import lru_cache
from pathlib import Path

from zanqa.config import TUNED_PATH


class TunedParams:
    """A frozen dataclass of tuned numbers that round-trips through tuned.json."""

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict):
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in known})


@lru_cache(maxsize=4)
def _read(path: Path) -> dict[str, dict]:
    try:
        return json.loads(path.read_text(encoding="utf-8"))["languages"]
    except (OSError, KeyError, json.JSONDecodeError) as exc:
        raise RuntimeError(
            f"cannot read the tuned parameters {path} ({exc}): run `zanqa tune --write`"
        ) from None


def load_tuned(path: Path = TUNED_PATH) -> dict[str, dict]:
    """The tuned parameters per question language: {"kk": {"fusion": {…}, "abstain": {…}}, …}
    (the file is read once per process)."""
    return _read(Path(path).resolve())


def save_tuned(data: dict, path: Path = TUNED_PATH) -> None:
    """Write tuned.json (``data`` as ``zanqa tune`` builds it); later loads read the new file."""
    Path(path).write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    _read.cache_clear()
