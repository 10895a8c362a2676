"""The evaluation report: Markdown tables (per retriever, split, language,
question kind) and a chart."""

from __future__ import annotations

from collections import Counter, defaultdict
from pathlib import Path

from zanqa.experiments.metrics import (
    METRICS,
    QuestionResult,
    abstention_metrics,
    first_sentence_rate,
    ranking_metrics,
)


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


def _test(results: list[QuestionResult]) -> list[QuestionResult]:
    return [r for r in results if r.pair.split == "test"]


def _by_type(results: list[QuestionResult]) -> dict[tuple[str, str, bool], list[QuestionResult]]:
    groups: dict[tuple[str, str, bool], list[QuestionResult]] = defaultdict(list)
    for r in results:
        groups[(r.pair.type, r.pair.lang, r.pair.answerable)].append(r)
    return groups


def type_table(results: list[QuestionResult]) -> str:
    """Per answerable question type and language: ranking metrics, all splits and the test split."""
    lines = [
        "| type | lang | n | hit_rate@1 | hit_rate@5 | mrr@10 | test n | test hit_rate@1 |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for (qtype, lang, answerable), rs in sorted(_by_type(results).items()):
        if not answerable:
            continue
        m, t = ranking_metrics(rs), ranking_metrics(_test(rs))
        test_hit = f"{t['hit_rate@1']:.3f}" if t["n"] else "—"
        lines.append(
            f"| {qtype} | {lang} | {m['n']} | {m['hit_rate@1']:.3f} | {m['hit_rate@5']:.3f} | {m['mrr@10']:.3f} "
            f"| {t['n']} | {test_hit} |"
        )
    return "\n".join(lines)


def refusal_type_table(results: list[QuestionResult]) -> str:
    """Per question type and language: the share refused and the reasons, all splits and test."""
    lines = [
        "| type | lang | answerable | n | refused | reasons | test n | test refused |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for (qtype, lang, answerable), rs in sorted(
        _by_type(results).items(), key=lambda g: (g[0][2], g[0][0], g[0][1])
    ):
        refused = [r for r in rs if r.abstained]
        reasons = ", ".join(f"{k} {v}" for k, v in sorted(Counter(r.reason for r in refused).items()))
        test = _test(rs)
        test_refused = f"{sum(r.abstained for r in test) / len(test):.3f}" if test else "—"
        lines.append(
            f"| {qtype} | {lang} | {'yes' if answerable else 'no'} | {len(rs)} "
            f"| {len(refused) / len(rs):.3f} | {reasons or '—'} | {len(test)} | {test_refused} |"
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
            "(all splits, and the test split alone in the last two columns)",
            "",
            type_table(hybrid),
            "",
            "## Hybrid refusals by question type",
            "",
            "(unanswerable kinds: the share refused; answerable kinds: the share wrongly refused; all splits,"
            " and the test split alone in the last two columns)",
            "",
            refusal_type_table(hybrid),
        ]
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
