"""The size of a request is bounded before its body is read.

RequestSizeMiddleware refuses, with a 413 page, a request whose Content-Length is above its bound:
for the views in SCHAKEL_UPLOAD_VIEWS (the forms that take attachments) the files of one report
together (SCHAKEL_ATTACHMENTS_MAX_TOTAL_BYTES, at most SCHAKEL_ATTACHMENTS_PER_SIGNAL ×
SCHAKEL_ATTACHMENT_MAX_BYTES) plus DATA_UPLOAD_MAX_MEMORY_SIZE for the other fields; for any
other view SCHAKEL_REQUEST_MAX_BYTES.
A body without a length (Transfer-Encoding: chunked), which Django would read as empty, is
refused with a 411. It then parses the form itself, so that BoundedUploadHandler (first in
FILE_UPLOAD_HANDLERS) can cut the reading off:

- more bytes than the bound, whatever Content-Length said (an ASGI server hands over a body
  without holding it to its Content-Length): parsing stops there, the rest is not read, and the
  answer is the same 413;
- one file above SCHAKEL_ATTACHMENT_MAX_BYTES: the rest of that file is not kept (so not
  written to a temporary file); the form sees a file above the limit and says so next to the
  field, with everything else the user typed still in the form.

The behind-the-proxy limit (nginx's client_max_body_size) should sit at or above the same bound.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.defaultfilters import filesizeformat
from django.urls import Resolver404, resolve
from django.utils import translation

TOO_LARGE = "schakel_upload_too_large"


def per_file_limit() -> int:
    limit: int = getattr(settings, "SCHAKEL_ATTACHMENT_MAX_BYTES", 10 * 1024 * 1024)
    return limit


def files_limit() -> int:
    count: int = getattr(settings, "SCHAKEL_ATTACHMENTS_PER_SIGNAL", 5)
    return count


def total_limit() -> int:
    """The files of one report together: a phone photo is 3 to 5 MB, so five of them fit."""
    limit: int = getattr(settings, "SCHAKEL_ATTACHMENTS_MAX_TOTAL_BYTES", 25 * 1024 * 1024)
    return min(limit, files_limit() * per_file_limit())


def fields_limit() -> int:
    limit: int | None = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    return limit if limit is not None else 2_621_440


def takes_attachments(request: HttpRequest) -> bool:
    try:
        view_name = resolve(request.path_info).view_name
    except Resolver404:
        return False
    return view_name in getattr(settings, "SCHAKEL_UPLOAD_VIEWS", ())


def request_bound(request: HttpRequest) -> int:
    """How many bytes this request's body may have."""
    if takes_attachments(request):
        return total_limit() + fields_limit()
    general: int = getattr(settings, "SCHAKEL_REQUEST_MAX_BYTES", 5 * 1024 * 1024)
    return general


def declared_length(request: HttpRequest) -> int:
    try:
        return max(int(request.META.get("CONTENT_LENGTH") or 0), 0)
    except ValueError:
        return 0


class BoundedUploadHandler(FileUploadHandler):
    """Counts the file bytes of a multipart body as they stream in; see the module docstring."""

    def handle_raw_input(self, *args: Any, **kwargs: Any) -> None:
        self.bound = request_bound(self.request) if self.request is not None else 0
        self.received = 0
        return None

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        self.received += len(raw_data)
        if self.bound and self.received > self.bound:
            setattr(self.request, TOO_LARGE, True)
            raise StopUpload(connection_reset=True)
        if start > per_file_limit():
            return None  # the file is already above the limit: keep no more of it
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None


def too_large(request: HttpRequest, bound: int) -> HttpResponse:
    """The 413 page, in the visitor's language (the locale middleware has not run yet)."""
    with translation.override(translation.get_language_from_request(request)):
        context = {
            "limit": filesizeformat(bound),
            "attachments": takes_attachments(request),
            "files": files_limit(),
            "per_file": filesizeformat(per_file_limit()),
            "total": filesizeformat(total_limit()),
        }
        return render(request, "413.html", context, status=413)


def length_required(request: HttpRequest) -> HttpResponse:
    with translation.override(translation.get_language_from_request(request)):
        return render(request, "400.html", status=411)


class RequestSizeMiddleware:
    """Placed before anything that reads request.POST or request.FILES."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if "HTTP_TRANSFER_ENCODING" in request.META and not request.META.get("CONTENT_LENGTH"):
            return length_required(request)
        bound = request_bound(request)
        if declared_length(request) > bound:
            return too_large(request, bound)
        if request.method == "POST" and request.content_type == "multipart/form-data":
            try:
                request.POST  # noqa: B018 - parse now, under the upload handler's bound
            except RequestDataTooBig:
                return too_large(request, bound)
            if getattr(request, TOO_LARGE, False):
                return too_large(request, bound)
        return self.get_response(request)
