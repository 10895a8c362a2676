"""LangChain adapters, kept off the engine's import path (importing LangChain
costs ~0.4 s that `zanqa ask` and the app need not pay):

- ``ZanQARetriever``: the engine behind LangChain's ``BaseRetriever``;
- ``LangChainEmbeddings``: a ZanQA embedder behind LangChain's ``Embeddings``
  (the naive baseline's FAISS store uses it).
"""

from __future__ import annotations

from typing import Any

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.embeddings import Embeddings
from langchain_core.retrievers import BaseRetriever

from zanqa.embed import Embedder


class LangChainEmbeddings(Embeddings):
    """LangChain ``Embeddings`` over a ZanQA embedder (keeps the query/passage roles)."""

    def __init__(self, embedder: Embedder) -> None:
        self.embedder = embedder

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self.embedder.embed_passages(list(texts)).tolist()

    def embed_query(self, text: str) -> list[float]:
        return self.embedder.embed_queries([text])[0].tolist()


class ZanQARetriever(BaseRetriever):
    """The engine behind LangChain's retriever interface: one ``Document`` per
    ranked paragraph (Kazakh text; Russian working translation in metadata)."""

    engine: Any
    k: int = 5
    retriever: str = "hybrid"

    def _get_relevant_documents(
        self, query: str, *, run_manager: CallbackManagerForRetrieverRun
    ) -> list[Document]:
        result = self.engine.search(query, k=self.k, retriever=self.retriever)
        docs = []
        for hit in result.hits:
            paragraph = self.engine.corpus.get(hit.paragraph_id, hit.doc_id)
            docs.append(
                Document(
                    page_content=paragraph.kk,
                    metadata={
                        "paragraph_id": hit.paragraph_id,
                        "doc_id": hit.doc_id,
                        "score": hit.score,
                        "ru_unofficial": paragraph.ru,
                        "question_lang": result.lang,
                    },
                )
            )
        return docs
