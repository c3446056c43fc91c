"""Load the demo region's circles (content/demo; format in content/README.md)."""


def load(db, demo_dir, people: dict, question_ids: dict, now) -> int:
    """Write the demo circles; return how many were written."""
    return 0
