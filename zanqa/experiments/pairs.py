"""Evaluation pairs: the JSON Lines format of DESIGN.md, read and validated."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path


class PairsError(ValueError):
    """A pairs file is not in the format of DESIGN.md; the message names the line."""


@dataclass(frozen=True)
class Pair:
    id: str
    lang: str
    question: str
    paragraphs: tuple[str, ...]
    answerable: bool
    type: str = ""
    split: str = ""


def load_pairs(path: Path | str, known_ids: set[str] | None = None) -> list[Pair]:
    """Read and validate a pairs file (JSON Lines; unknown extra keys are ignored)."""
    path = Path(path)
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        raise PairsError(f"{path}: no such file") from None
    except UnicodeDecodeError:
        raise PairsError(f"{path}: not UTF-8 text") from None
    pairs: list[Pair] = []
    seen: set[str] = set()
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        where = f"{path}:{number}"
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise PairsError(f"{where}: not valid JSON ({exc.msg})") from None
        if not isinstance(row, dict):
            raise PairsError(f"{where}: each line must be a JSON object")
        for key in ("id", "lang", "question", "paragraphs", "answerable"):
            if key not in row:
                raise PairsError(f"{where}: missing key {key!r}")
        pid = str(row["id"])
        if pid in seen:
            raise PairsError(f"{where}: duplicate id {pid!r}")
        seen.add(pid)
        if row["lang"] not in ("kk", "ru"):
            raise PairsError(f"{where}: lang must be 'kk' or 'ru', not {row['lang']!r}")
        if not isinstance(row["question"], str) or not row["question"].strip():
            raise PairsError(f"{where}: empty question")
        paragraphs = row["paragraphs"]
        if not isinstance(paragraphs, list) or not all(isinstance(p, str) for p in paragraphs):
            raise PairsError(f"{where}: paragraphs must be a list of paragraph id strings")
        if not isinstance(row["answerable"], bool):
            raise PairsError(f"{where}: answerable must be true or false")
        if row["answerable"] != bool(paragraphs):
            raise PairsError(f"{where}: paragraphs must be empty exactly when answerable is false")
        if known_ids is not None:
            unknown = [p for p in paragraphs if p not in known_ids]
            if unknown:
                raise PairsError(f"{where}: unknown paragraph id {unknown[0]!r}")
        pairs.append(
            Pair(
                id=pid,
                lang=row["lang"],
                question=row["question"],
                paragraphs=tuple(paragraphs),
                answerable=row["answerable"],
                type=str(row.get("type", "")),
                split=str(row.get("split", "")),
            )
        )
    if not pairs:
        raise PairsError(f"{path}: no pairs")
    return pairs
