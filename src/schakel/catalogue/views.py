"""Signal cards as web pages and as PDF hand-outs.

Public: a card holds reference data (indicators) and the municipality's published reporting
point, nothing personal, and is meant to be printed and handed out.
"""

from __future__ import annotations

import hashlib
from functools import cache as memoize
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from django.contrib.staticfiles import finders
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.text import slugify
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from schakel.core import throttle
from schakel.core.access import public
from schakel.core.pdf import render_pdf
from schakel.organisations.models import Municipality
from schakel.organisations.selectors import municipalities as municipalities_list
from schakel.organisations.selectors import municipality_by_code

from .cards import CARDS, SignalCard, card_for, card_groups, card_indicators

STYLESHEET = "catalogue/signal-card.css"
# Rendering a PDF takes one to several seconds; the same card is asked for again and again.
PDF_CACHE_SECONDS = 24 * 60 * 60


@public
def card_index(request: HttpRequest) -> HttpResponse:
    municipalities = municipalities_list().only("name", "cbs_code")
    return render(
        request, "catalogue/cards.html", {"municipalities": municipalities, "cards": CARDS}
    )


@public
def card_detail(request: HttpRequest, cbs_code: str, sector: str) -> HttpResponse:
    context = _card_context(request, cbs_code, sector)
    context["pdf_url"] = reverse(
        "catalogue:card_pdf",
        kwargs={"cbs_code": context["municipality"].cbs_code, "sector": sector},
    )
    return render(request, "catalogue/card.html", context)


@public
def card_pdf(request: HttpRequest, cbs_code: str, sector: str) -> HttpResponse:
    if not throttle.take_by_address("card-pdf", request):
        return HttpResponse(
            _("Too many signal cards requested from your connection. Try again in an hour."),
            status=429,
            content_type="text/plain; charset=utf-8",
        )
    context = _card_context(request, cbs_code, sector)
    html = render_to_string("catalogue/card_pdf.html", context)
    response = HttpResponse(
        _pdf(html, base_url=request.build_absolute_uri("/")), content_type="application/pdf"
    )
    municipality: Municipality = context["municipality"]
    card: SignalCard = context["card"]
    filename = f"signaalkaart-{slugify(municipality.name)}-{card.file_slug}.pdf"
    response["Content-Disposition"] = content_disposition_header(False, filename) or "inline"
    return response


def _card_context(request: HttpRequest, cbs_code: str, sector: str) -> dict[str, Any]:
    try:
        card = card_for(sector)
    except KeyError:
        raise Http404("No signal card for this sector") from None
    municipality = municipality_by_code(cbs_code)
    if municipality is None:
        raise Http404
    form_path = reverse("intake:public_report")
    query = {"gemeente": municipality.cbs_code}
    if card.situation_only:
        # The form opens with this card's checklist: a situation-only card's code is the public
        # form's reporter sector (a test holds them together); the others get the general form.
        query["sector"] = card.code
    public_form_url = request.build_absolute_uri(f"{form_path}?{urlencode(query)}")
    return {
        "card": card,
        "municipality": municipality,
        "groups": card_groups(card_indicators(card)),
        "public_form_url": public_form_url,
        "phone_uri": "tel:"
        + "".join(c for c in municipality.reporting_point_phone if c.isdigit() or c == "+"),
    }


@memoize
def _stylesheet() -> tuple[str, str]:
    """The print stylesheet's path and a digest of its content (part of the PDF cache key)."""
    found = finders.find(STYLESHEET)
    # Without the staticfiles finders (a stripped-down settings module), use the app's own copy.
    path = found if isinstance(found, str) else str(Path(__file__).parent / "static" / STYLESHEET)
    return path, hashlib.sha256(Path(path).read_bytes()).hexdigest()


def _pdf(html: str, *, base_url: str) -> bytes:
    """The PDF of a rendered card, cached by its content: any change to the catalogue, the
    reporting point or the language gives other HTML and so a fresh PDF."""
    stylesheet, stylesheet_digest = _stylesheet()
    key = (
        "signal-card-pdf:"
        + hashlib.sha256(
            f"{get_language()}\n{base_url}\n{stylesheet_digest}\n{html}".encode()
        ).hexdigest()
    )
    cached = cache.get(key)
    if isinstance(cached, bytes):
        return cached
    pdf = render_pdf(html, base_url=base_url, stylesheet=stylesheet)
    cache.set(key, pdf, PDF_CACHE_SECONDS)
    return pdf
