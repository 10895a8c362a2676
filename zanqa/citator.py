"""The article index (a citator): which paragraphs of the resolution cite which
code article, part and point, and the sentence that does.

Built from the corpus's ``articles`` field alone (``Paragraph.articles``): a
tree code → article → part → point, each node with the paragraphs that cite
exactly that reference. The sentence shown for a citing paragraph is the one
(or those) of its Kazakh text in which the corpus's own reference extractor
(``zanqa.corpus.extract_articles``) finds that same reference; its Russian is
the working translation's sentence at the same position (the translation
keeps the sentence boundaries; where it does not, no Russian sentence is
given). Plain data out: the CLI, the app and tests read the same nodes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from zanqa.corpus import ArticleRef, Corpus, Paragraph, extract_articles
from zanqa.messages import CODES, code_name, ref_label
from zanqa.text import split_sentences

LEVELS = ("code", "article", "part", "point")
# Codes in the order a lawyer looks for them; any other code follows, by name.
CODE_ORDER = ("ҚК", "ҚПК", "ӘҚБтК", "Конституция")


@dataclass(frozen=True)
class Citing:
    """One paragraph citing one reference, with the sentences that name it."""

    paragraph_id: str
    doc_id: str
    sentence_indexes: tuple[int, ...]  # positions in split_sentences(paragraph.kk)
    sentences_kk: tuple[str, ...]  # verbatim, authoritative
    sentences_ru: tuple[str, ...]  # the working translation's sentences at the same positions, or ()


@dataclass(frozen=True)
class Node:
    """A code, an article, a part or a point; ``citing``: the paragraphs whose
    ``articles`` name exactly this reference (a point's citations are not
    repeated at its article)."""

    level: str  # "code", "article", "part", "point"
    code: str
    article: str | None = None
    part: str | None = None
    point: str | None = None
    citing: tuple[Citing, ...] = ()
    children: tuple[Node, ...] = field(default=())

    @property
    def ref(self) -> ArticleRef:
        return ArticleRef(self.code, self.article or "", self.part, self.point)

    def label(self, lang: str) -> str:
        """ "ҚК 128-бап, 2-бөлік, 6-тармақ" / "УК, ст. 128, ч. 2, п. 6"; a code by its name."""
        if self.level == "code":
            return code_name(self.code, lang)
        return ref_label(self.code, self.article or "", self.part, self.point, lang)

    def walk(self):
        """This node and every node under it, depth first."""
        yield self
        for child in self.children:
            yield from child.walk()

    def paragraph_ids(self) -> list[str]:
        """Every paragraph citing this node or anything under it, in corpus order of first citation."""
        seen: dict[str, None] = {}
        for node in self.walk():
            for c in node.citing:
                seen.setdefault(c.paragraph_id, None)
        return list(seen)


def _number_key(value: str | None) -> tuple:
    """Numeric order for "9", "12", "132-1"; None (the whole article or part) first."""
    if value is None:
        return (-1,)
    return tuple(int(x) if x.isdigit() else 0 for x in re.split(r"[-.]", value))


def _code_key(code: str) -> tuple:
    return (CODE_ORDER.index(code), "") if code in CODE_ORDER else (len(CODE_ORDER), code)


def citing_sentences(paragraph: Paragraph, ref: ArticleRef) -> Citing:
    """The sentences of ``paragraph`` that name ``ref``: those in which the
    corpus's extractor finds that exact reference; failing that (a paragraph
    whose ``articles`` came from elsewhere), those that name its article number."""
    kk = split_sentences(paragraph.kk)
    key = (ref.code, ref.article, ref.part, ref.point)
    indexes = [
        i
        for i, s in enumerate(kk)
        if key in {(r.code, r.article, r.part, r.point) for r in extract_articles(s)}
    ]
    if not indexes:
        number = re.compile(rf"(?<![\d-]){re.escape(ref.article)}(?![\d])")
        indexes = [i for i, s in enumerate(kk) if number.search(s)]
    ru = split_sentences(paragraph.ru)
    aligned = len(ru) == len(kk)
    return Citing(
        paragraph_id=paragraph.id,
        doc_id=paragraph.doc_id,
        sentence_indexes=tuple(indexes),
        sentences_kk=tuple(kk[i] for i in indexes),
        sentences_ru=tuple(ru[i] for i in indexes) if aligned else (),
    )


def article_index(corpus: Corpus) -> tuple[Node, ...]:
    """The whole index: one node per code, articles, parts and points under it."""
    # (code, article, part, point) → citing paragraphs, in corpus order
    refs: dict[tuple, list[Citing]] = {}
    for paragraph in corpus.paragraphs:
        for ref in paragraph.articles:
            key = (ref.code, ref.article, ref.part, ref.point)
            citing = refs.setdefault(key, [])
            if all((c.doc_id, c.paragraph_id) != (paragraph.doc_id, paragraph.id) for c in citing):
                citing.append(citing_sentences(paragraph, ref))
    keys = set(refs)  # an article cited only by a point still has its node: ``values`` reads every key

    def values(n: int, prefix: tuple) -> list:
        """The distinct references' field ``n`` under ``prefix`` (code, article, part), in order."""
        return sorted({k[n] for k in keys if k[:n] == prefix and k[n] is not None}, key=_number_key)

    def node(level: str, code: str, article=None, part=None, point=None) -> Node:
        key = (code, article, part, point)
        if level == "code":
            children = tuple(node("article", code, a) for a in values(1, (code,)))
        elif level == "article":  # its parts, and its points cited without a part
            children = tuple(node("part", code, article, p) for p in values(2, (code, article)))
            children += tuple(
                node("point", code, article, None, pt) for pt in values(3, (code, article, None))
            )
        elif level == "part":
            children = tuple(
                node("point", code, article, part, pt) for pt in values(3, (code, article, part))
            )
        else:
            children = ()
        return Node(level, code, article, part, point, tuple(refs.get(key, ())), children)

    return tuple(node("code", code) for code in sorted({k[0] for k in keys}, key=_code_key))


def cited_summary(index: tuple[Node, ...], lang: str) -> str:
    """Every article the resolution cites, per code: "ҚК 3, 6, …; ҚПК 47, …" / "УК 3, 6, …"."""
    return "; ".join(
        f"{CODES.get(c.code, {}).get(lang, (c.code,))[0]} " + ", ".join(a.article for a in c.children)
        for c in index
    )


_CODE_ALIASES = {"УК": "ҚК", "УПК": "ҚПК", "КОАП": "ӘҚБтК", "КК": "ҚК", "КПК": "ҚПК"}


def normalize_code(code: str | None) -> str | None:
    """A code as the corpus names it, from its Kazakh or Russian abbreviation ("УК" → "ҚК")."""
    if not code:
        return None
    return _CODE_ALIASES.get(code.strip().upper(), code.strip())


def find(
    index: tuple[Node, ...],
    article: str,
    part: str | None = None,
    point: str | None = None,
    code: str | None = None,
) -> list[Node]:
    """The nodes for ``article`` (optionally its ``part`` and ``point``) in
    every code, or only in ``code`` (Kazakh or Russian abbreviation)."""
    code = normalize_code(code)
    found = []
    for code_node in index:
        if code and code_node.code != code:
            continue
        for node in code_node.walk():
            if node.level == "code" or node.article != article:
                continue
            whole = (part, point) == (None, None)
            if (node.level == "article") if whole else ((node.part, node.point) == (part, point)):
                found.append(node)
    return found
