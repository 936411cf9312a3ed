"""What a file is, read from its first bytes: a declared content type or a file extension can lie."""

PDF = "application/pdf"
HTML = "text/html"
UNKNOWN = "application/octet-stream"

HTML_OPENINGS = (b"<!doctype html", b"<html", b"<head", b"<body", b"<meta", b"<div", b"<p")


def sniff_media_type(content: bytes) -> str:
    head = content[:1024].lstrip().lower()
    if head.startswith(b"%pdf-"):
        return PDF
    if head.startswith(HTML_OPENINGS) or b"<html" in head or b"<body" in head:
        return HTML
    return UNKNOWN
