"""Views of the support feature."""
