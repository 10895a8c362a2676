"""Writing the experiments' results."""

from __future__ import annotations

import json
from pathlib import Path


def write_json(path: str | Path, data: dict) -> None:
    """Write ``data`` as indented UTF-8 JSON, creating the folder."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
