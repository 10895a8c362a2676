"""How well the query stage reads Kazakh typed in Latin letters, word by word.

    python -m zanqa.experiments.latin [--pairs eval/realistic.jsonl] [--split dev] [--show 20]

The Kazakh questions of a pairs file written with the Kazakh letters are turned into Latin by a
table (informal ASCII: ә → a, ң → ng, ш → sh…; the 2021 alphabet: ә → ä, і → ı, ң → ñ, ш → ş…;
and the 2021 letters as many write them, ı for ы and i for і),
parsed back by ``zanqa.query.parse_query`` against the engine's lexicon, and compared word by word
with the original: the share of words read back exactly. The table loses what real writers lose
(ә and а are one letter in ASCII), so the figure measures the restoration, not the table.
"""

from __future__ import annotations

import argparse
from collections import Counter
from pathlib import Path

from zanqa.config import EVAL_DIR
from zanqa.text import KK_LETTERS, words

ASCII = {
    "а": "a", "ә": "a", "б": "b", "в": "v", "г": "g", "ғ": "gh", "д": "d", "е": "e", "ё": "yo",
    "ж": "zh", "з": "z", "и": "i", "й": "i", "к": "k", "қ": "q", "л": "l", "м": "m", "н": "n",
    "ң": "ng", "о": "o", "ө": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ұ": "u",
    "ү": "u", "ф": "f", "х": "kh", "һ": "h", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "",
    "ы": "y", "і": "i", "ь": "", "э": "e", "ю": "yu", "я": "ya",
}  # fmt: skip
ALPHABET_2021 = ASCII | {
    "ә": "ä", "ғ": "ğ", "ж": "j", "й": "i", "ң": "ñ", "ө": "ö", "ұ": "ū", "ү": "ü", "х": "h",
    "ц": "s", "ш": "ş", "і": "ı",
}  # fmt: skip
# what many writers do with the 2021 letters: "ı" for ы (a Turkish keyboard's), "i" for і
DOTLESS_Y = ALPHABET_2021 | {"ы": "ı", "і": "i"}
TABLES = {"ascii": ASCII, "2021": ALPHABET_2021, "2021, ı for ы": DOTLESS_Y}


def to_latin(text: str, table: dict[str, str]) -> str:
    return "".join(table.get(c, c) for c in text.lower())


def measure(questions: list[str], lexicon, table: dict[str, str]) -> tuple[float, int, Counter]:
    """(the share of words read back, the number of words, the misread (word, reading) counts);
    a question whose reading has another number of words is left out."""
    from zanqa.query import parse_query

    right = total = 0
    wrong: Counter = Counter()
    for question in questions:
        original = [w.lower() for w in words(question)]
        read = [w.lower() for w in words(parse_query(to_latin(question, table), lexicon).text)]
        if len(read) != len(original):
            continue
        for a, b in zip(original, read, strict=True):
            total += 1
            right += a == b
            if a != b:
                wrong[a, b] += 1
    return (right / total if total else 0.0), total, wrong


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m zanqa.experiments.latin", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("--pairs", type=Path, default=EVAL_DIR / "realistic.jsonl")
    parser.add_argument("--split", default="dev", help="dev (default), test or all")
    parser.add_argument("--show", type=int, default=0, help="list the N most frequent misreadings")
    args = parser.parse_args(argv)
    from zanqa.corpus import load_corpus
    from zanqa.experiments.pairs import load_pairs
    from zanqa.query import Lexicon

    lexicon = Lexicon.of_corpus(load_corpus())  # the engine's, without loading the index and model
    questions = [
        p.question
        for p in load_pairs(args.pairs)
        if p.lang == "kk"
        and (args.split == "all" or p.split == args.split)
        and any(c in KK_LETTERS for c in p.question)
    ]
    for name, table in TABLES.items():
        share, n, wrong = measure(questions, lexicon, table)
        print(f"{name}: {share:.3f} of {n} words read back ({len(questions)} questions, split {args.split})")
        for (a, b), k in wrong.most_common(args.show):
            print(f"  {a} → {b} ×{k}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
