"""Semantic + keyword search over resolved cases and dossier sections.

Never imports the portal: a region's search can be built, evaluated and benchmarked on its own.
"""

from .embedder import (
    DEFAULT_MODEL,
    Embedder,
    Encoders,
    ModelError,
    load_embedder,
    load_encoders,
    load_model_id,
    model_id_of,
)
from .schema import create_schema
from .search import Doc, Hit, ModelMismatch, QueryVectors, SearchIndex, stored_model
from .sqlite import write_transaction

__all__ = [
    "DEFAULT_MODEL",
    "Doc",
    "Embedder",
    "Encoders",
    "Hit",
    "ModelError",
    "ModelMismatch",
    "QueryVectors",
    "SearchIndex",
    "create_schema",
    "load_embedder",
    "load_encoders",
    "load_model_id",
    "model_id_of",
    "stored_model",
    "write_transaction",
]
