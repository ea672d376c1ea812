"""Rendering HTML to PDF with WeasyPrint, with nothing fetched from the network."""

from __future__ import annotations


def render_pdf(html: str, *, base_url: str, stylesheet: str | None = None) -> bytes:
    import weasyprint  # type: ignore[import-untyped]  # heavy: loaded only when a PDF is made

    # Documents need nothing from the network; refuse any fetch (no requests back to the site).
    fetcher = weasyprint.urls.URLFetcher(allowed_protocols={"data"})
    document = weasyprint.HTML(string=html, base_url=base_url, url_fetcher=fetcher)
    stylesheets = [weasyprint.CSS(filename=stylesheet, url_fetcher=fetcher)] if stylesheet else []
    pdf: bytes = document.write_pdf(stylesheets=stylesheets)
    return pdf
