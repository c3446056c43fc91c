"""Semantic + keyword search over resolved cases and dossier sections."""

from .embedder import DEFAULT_MODEL, Embedder, ModelError, load_embedder
from .schema import create_schema
from .search import Doc, Hit, SearchIndex, assign_bands, write_transaction

__all__ = [
    "DEFAULT_MODEL",
    "Doc",
    "Embedder",
    "Hit",
    "ModelError",
    "SearchIndex",
    "assign_bands",
    "create_schema",
    "load_embedder",
    "write_transaction",
]
