"""The evaluation stage: question-paragraph pairs → IR metrics (ranx),
abstention scores, and an optional Markdown report with a chart.

Retrievers: "hybrid" (the engine; its abstention verdict is what
``answer`` says), "dense" and "bm25" (the engine's single signals) and
"naive" — the LangChain recipe a user would write: RecursiveCharacterTextSplitter
chunks of the Kazakh paragraphs, the same embedder, LangChain's FAISS store,
top-k similarity.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

from tqdm import tqdm

METRICS = ("hit_rate@1", "hit_rate@3", "hit_rate@5", "recall@5", "mrr@10", "ndcg@10")
RETRIEVER_CHOICES = ("hybrid", "dense", "bm25", "naive")
DEPTH = 10


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


# ------------------------------------------------------------ retrievers


class NaiveLangChain:
    """The peer baseline: the standard LangChain RAG recipe over the Kazakh text."""

    name = "naive"

    def __init__(self, corpus, embedder, chunk_size: int = 1000, chunk_overlap: int = 100) -> None:
        from langchain_community.vectorstores import FAISS
        from langchain_core.documents import Document
        from langchain_text_splitters import RecursiveCharacterTextSplitter

        from zanqa.embed import LangChainEmbeddings

        splitter = RecursiveCharacterTextSplitter(chunk_size=chunk_size, chunk_overlap=chunk_overlap)
        docs = splitter.split_documents(
            [Document(page_content=p.kk, metadata={"paragraph_id": p.id}) for p in corpus.paragraphs]
        )
        self.store = FAISS.from_documents(docs, LangChainEmbeddings(embedder))
        self.n_chunks = len(docs)

    def rank(self, question: str, k: int = DEPTH) -> list[str]:
        ranked: list[str] = []
        for doc in self.store.similarity_search(question, k=4 * k):
            pid = doc.metadata["paragraph_id"]
            if pid not in ranked:
                ranked.append(pid)
        return ranked[:k]


@dataclass
class QuestionResult:
    pair: Pair
    ranked: list[str]
    abstained: bool
    first_sentence_paragraph: str | None = None


def run_retriever(
    engine, pairs: list[Pair], retriever: str, naive: NaiveLangChain | None = None
) -> list[QuestionResult]:
    """Rank paragraphs for every pair; for "hybrid" also take ``answer``'s abstention and first sentence."""
    from zanqa.answer import answer

    results = []
    for pair in tqdm(pairs, desc=f"eval {retriever}", unit="q", file=sys.stderr, mininterval=2):
        if retriever == "hybrid":
            ans = answer(engine, pair.question, k=DEPTH)
            ranked = [h.paragraph_id for h in ans.hits]
            first = ans.citations[0].paragraph_id if ans.citations else None
            results.append(QuestionResult(pair, ranked, ans.abstained, first))
        elif retriever == "naive":
            results.append(QuestionResult(pair, naive.rank(pair.question), False))
        else:
            res = engine.search(pair.question, k=DEPTH, retriever=retriever)
            results.append(QuestionResult(pair, [h.paragraph_id for h in res.hits], False))
    return results


# ------------------------------------------------------------ metrics


def ranking_metrics(results: list[QuestionResult]) -> dict:
    """ranx metrics over the answerable questions among ``results``, plus "n"."""
    from ranx import Qrels, Run, evaluate

    answerable = [r for r in results if r.pair.answerable]
    if not answerable:
        return {**{m: 0.0 for m in METRICS}, "n": 0}
    qrels = Qrels({r.pair.id: {p: 1 for p in r.pair.paragraphs} for r in answerable})
    # ranks → strictly decreasing scores; an empty ranking gets a sentinel that matches nothing
    run = Run(
        {
            r.pair.id: ({p: float(DEPTH - i) for i, p in enumerate(r.ranked)} or {"__none__": 0.0})
            for r in answerable
        }
    )
    scores = evaluate(qrels, run, list(METRICS), make_comparable=True)
    out = {m: round(float(scores[m]), 4) for m in METRICS}
    out["n"] = len(answerable)
    return out


def abstention_metrics(results: list[QuestionResult]) -> dict:
    tp = sum(r.abstained and not r.pair.answerable for r in results)
    fp = sum(r.abstained and r.pair.answerable for r in results)
    fn = sum(not r.abstained and not r.pair.answerable for r in results)
    n_answerable = sum(r.pair.answerable for r in results)
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "f1": round(f1, 4),
        "false_abstain_rate": round(fp / n_answerable, 4) if n_answerable else 0.0,
    }


def first_sentence_rate(results: list[QuestionResult]) -> float:
    """Share of answerable questions whose extractive answer opens with a gold paragraph's sentence."""
    answerable = [r for r in results if r.pair.answerable]
    if not answerable:
        return 0.0
    return round(
        sum(r.first_sentence_paragraph in r.pair.paragraphs for r in answerable) / len(answerable), 4
    )


def summarize(results: list[QuestionResult], retriever: str, pairs_file: str) -> dict:
    """The JSON contract of DESIGN.md."""
    return {
        "retriever": retriever,
        "pairs_file": pairs_file,
        "n_questions": len(results),
        "metrics": {
            "all": ranking_metrics(results),
            "kk": ranking_metrics([r for r in results if r.pair.lang == "kk"]),
            "ru": ranking_metrics([r for r in results if r.pair.lang == "ru"]),
        },
        "abstention": abstention_metrics(results),
    }


# ------------------------------------------------------------ output


def format_table(summaries: dict[str, dict]) -> str:
    head = "| retriever | lang | n | " + " | ".join(METRICS) + " |"
    lines = [head, "|" + "---|" * (len(METRICS) + 3)]
    for name, summary in summaries.items():
        for lang in ("all", "kk", "ru"):
            m = summary["metrics"][lang]
            lines.append(
                f"| {name} | {lang} | {m['n']} | " + " | ".join(f"{m[k]:.3f}" for k in METRICS) + " |"
            )
    return "\n".join(lines)


def split_table(results: list[QuestionResult]) -> str:
    """Per split (and all) and per language: ranking metrics and abstention of one retriever."""
    splits = sorted({r.pair.split for r in results})
    lines = [
        "| split | lang | n | hit_rate@1 | hit_rate@5 | mrr@10 | abstain F1 | false_abstain_rate |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for split in [*splits, "all"] if len(splits) > 1 else ["all"]:
        for lang in ("kk", "ru"):
            rs = [r for r in results if r.pair.lang == lang and split in ("all", r.pair.split)]
            m, ab = ranking_metrics(rs), abstention_metrics(rs)
            lines.append(
                f"| {split or '—'} | {lang} | {m['n']} | {m['hit_rate@1']:.3f} | {m['hit_rate@5']:.3f} "
                f"| {m['mrr@10']:.3f} | {ab['f1']:.3f} | {ab['false_abstain_rate']:.3f} |"
            )
    return "\n".join(lines)


def write_report(
    directory: Path, summaries: dict[str, dict], results: dict[str, list[QuestionResult]], command: str
) -> Path:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    directory.mkdir(parents=True, exist_ok=True)
    hybrid = results.get("hybrid", [])
    lines = [
        "# ZanQA evaluation report",
        "",
        f"Command: `{command}`",
        "",
        f"Pairs: `{next(iter(summaries.values()))['pairs_file']}`, "
        f"{next(iter(summaries.values()))['n_questions']} questions.",
        "",
        "## Retrievers",
        "",
        format_table(summaries),
        "",
        "![retrievers](retrievers.png)",
        "",
    ]
    if hybrid:
        ab = summaries["hybrid"]["abstention"]
        lines += [
            "## Hybrid by split and language",
            "",
            "(`split` as in the pairs file; the thresholds and weights were tuned on the pairs that are not `test`.)",
            "",
            split_table(hybrid),
            "",
            "## Abstention (hybrid)",
            "",
            "| precision | recall | f1 | false_abstain_rate |",
            "|---|---|---|---|",
            f"| {ab['precision']:.3f} | {ab['recall']:.3f} | {ab['f1']:.3f} | {ab['false_abstain_rate']:.3f} |",
            "",
            "## Extractive answer: first sentence from a gold paragraph (hybrid)",
            "",
            "| all | kk | ru |",
            "|---|---|---|",
            "| "
            + " | ".join(
                f"{first_sentence_rate([r for r in hybrid if lang in ('all', r.pair.lang)]):.3f}"
                for lang in ("all", "kk", "ru")
            )
            + " |",
            "",
            "## Hybrid by question type",
            "",
            "| type | lang | n | hit_rate@1 | hit_rate@5 | mrr@10 |",
            "|---|---|---|---|---|---|",
        ]
        by_type: dict[tuple[str, str], list[QuestionResult]] = defaultdict(list)
        for r in hybrid:
            if r.pair.answerable:
                by_type[(r.pair.type, r.pair.lang)].append(r)
        for (qtype, lang), rs in sorted(by_type.items()):
            m = ranking_metrics(rs)
            lines.append(
                f"| {qtype} | {lang} | {m['n']} | {m['hit_rate@1']:.3f} | {m['hit_rate@5']:.3f} | {m['mrr@10']:.3f} |"
            )
        lines += ["", "## Misses (hybrid: gold not ranked first, or wrong abstention)", ""]
        lines += ["| id | question | expected | first | abstained |", "|---|---|---|---|---|"]
        for r in hybrid:
            wrong_rank = r.pair.answerable and (not r.ranked or r.ranked[0] not in r.pair.paragraphs)
            wrong_abstain = r.abstained != (not r.pair.answerable)
            if wrong_rank or wrong_abstain:
                question = r.pair.question.replace("|", "\\|")
                expected = ", ".join(r.pair.paragraphs) or "—"
                first = r.ranked[0] if r.ranked else "—"
                lines.append(
                    f"| {r.pair.id} | {question} | {expected} | {first} | {'yes' if r.abstained else 'no'} |"
                )
    (directory / "report.md").write_text("\n".join(lines) + "\n", encoding="utf-8")

    fig, axes = plt.subplots(1, 3, figsize=(13, 4), sharey=True)
    shown = ("hit_rate@1", "hit_rate@5", "mrr@10")
    width = 0.8 / max(len(summaries), 1)
    for ax, lang in zip(axes, ("all", "kk", "ru"), strict=True):
        for j, (name, summary) in enumerate(summaries.items()):
            values = [summary["metrics"][lang][m] for m in shown]
            ax.bar([i + j * width for i in range(len(shown))], values, width, label=name)
        ax.set_xticks([i + width * (len(summaries) - 1) / 2 for i in range(len(shown))], shown)
        ax.set_title(f"{lang} (n={next(iter(summaries.values()))['metrics'][lang]['n']})")
        ax.set_ylim(0, 1.05)
        ax.grid(axis="y", alpha=0.3)
    axes[0].legend(loc="lower left")
    fig.suptitle("ZanQA retrievers")
    fig.tight_layout()
    fig.savefig(directory / "retrievers.png", dpi=100)
    plt.close(fig)
    return directory / "report.md"


# ------------------------------------------------------------ CLI


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--pairs", required=True, help="pairs file (JSON Lines, format of DESIGN.md)")
    parser.add_argument("--retriever", default="hybrid", choices=RETRIEVER_CHOICES)
    parser.add_argument("--split", help="only pairs whose 'split' is this (e.g. test)")
    parser.add_argument("--json", dest="json_out", help="write the JSON summary here")
    parser.add_argument("--report", help="write report.md and retrievers.png (all retrievers) to this folder")
    parser.set_defaults(func=cmd_eval)


def cmd_eval(args: argparse.Namespace) -> int:
    from zanqa.cli import _load_engine

    engine = _load_engine(args)
    known = {p.id for p in engine.corpus.paragraphs}
    pairs = load_pairs(args.pairs, known)
    if args.split:
        pairs = [p for p in pairs if p.split == args.split]
        if not pairs:
            raise PairsError(f"{args.pairs}: no pairs with split {args.split!r}")
    names = list(RETRIEVER_CHOICES) if args.report else [args.retriever]
    if args.retriever in names:
        names.remove(args.retriever)
    names.insert(0, args.retriever)
    naive = NaiveLangChain(engine.corpus, engine.embedder) if "naive" in names else None
    summaries, results = {}, {}
    started = time.time()
    for name in names:
        results[name] = run_retriever(engine, pairs, name, naive)
        summaries[name] = summarize(results[name], name, str(args.pairs))
    summary = summaries[args.retriever]
    print(format_table(summaries))
    ab = summary["abstention"]
    print(
        f"\nabstention ({args.retriever}): precision {ab['precision']:.3f} recall {ab['recall']:.3f} "
        f"f1 {ab['f1']:.3f} false_abstain_rate {ab['false_abstain_rate']:.3f}"
    )
    if "hybrid" in results:
        print("\n" + split_table(results["hybrid"]) + "\n")
        print(f"first answer sentence from a gold paragraph: {first_sentence_rate(results['hybrid']):.3f}")
    counts = Counter(p.lang for p in pairs)
    print(f"{len(pairs)} questions ({dict(counts)}) in {time.time() - started:.1f} s")
    if args.json_out:
        from zanqa.bench import write_json

        write_json(args.json_out, summary)
    if args.report:
        command = "zanqa " + " ".join(sys.argv[1:]) if sys.argv and "zanqa" in sys.argv[0] else "zanqa eval"
        path = write_report(Path(args.report), summaries, results, command)
        print(f"report: {path}")
    return 0
