"""Support: placeholder until the feature lands."""

# Role x route matrix of this feature (format of tests/test_access.py's ROWS).
ROWS = """
"""
