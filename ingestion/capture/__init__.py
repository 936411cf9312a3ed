"""Capture: the raw archive of documents and its manifest."""
