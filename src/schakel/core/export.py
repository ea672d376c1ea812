"""Helpers for files that leave Schakel."""

from __future__ import annotations

from django.http import HttpResponse

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_cell(value: object) -> str:
    """Text for a CSV cell that a spreadsheet opens: a leading = + - @ would start a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def attachment(content: bytes | str, content_type: str, filename: str) -> HttpResponse:
    """A file to download, not kept by a browser or proxy cache."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response
