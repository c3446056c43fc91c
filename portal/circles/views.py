"""Views of the circles feature."""
