"""Plan knowledge base: data files, loader, question answering, ingestion."""
