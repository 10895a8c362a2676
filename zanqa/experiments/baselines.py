"""The peer baseline the engine is held against: the LangChain RAG recipe a
user would write (RecursiveCharacterTextSplitter chunks of the Kazakh
paragraphs, the same embedder, LangChain's FAISS store, top-k similarity)."""

from __future__ import annotations

from zanqa.experiments.metrics import DEPTH


class NaiveLangChain:
    """The peer baseline: the standard LangChain RAG recipe over the Kazakh text."""

    name = "naive"

    def __init__(self, corpus, embedder, chunk_size: int = 1000, chunk_overlap: int = 100) -> None:
        from langchain_community.vectorstores import FAISS
        from langchain_core.documents import Document
        from langchain_text_splitters import RecursiveCharacterTextSplitter

        from zanqa.adapters import LangChainEmbeddings

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
