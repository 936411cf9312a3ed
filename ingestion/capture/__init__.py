"""Capture: fetching and crawling press-release sites into the raw archive of documents and its manifest."""
