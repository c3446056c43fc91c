"""The privacy guard as a library: what in a text could identify a pupil or a family.

A teacher is warned before she posts, and offered a one-click replacement. Rule-based
(word lists in ``privacy/data`` plus context), because no Dutch named-entity model is
installable offline here. Never imports the portal.
"""

from .fields import FieldFinding, apply_fix, check_fields, fixed_by
from .guard import LABELS, MAX_SCAN_CHARS, REPLACEMENTS, Finding, replace, scan, scan_all, scrub

__all__ = [
    "LABELS",
    "MAX_SCAN_CHARS",
    "REPLACEMENTS",
    "FieldFinding",
    "Finding",
    "apply_fix",
    "check_fields",
    "fixed_by",
    "replace",
    "scan",
    "scan_all",
    "scrub",
]
