"""Load the demo region's support (content/demo; format in content/README.md)."""


def load(db, demo_dir, people: dict, question_ids: dict, now) -> int:
    """Write the demo support; return how many were written."""
    return 0
