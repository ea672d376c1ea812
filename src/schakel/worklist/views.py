from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from schakel.cases.policies import case_policy
from schakel.core.access import governed
from schakel.core.context import AccessContext
from schakel.core.pagination import paginate
from schakel.core.policies import Action

from .selectors import my_actions as gather
from .sources import SOURCES, Kind


@governed(case_policy, Action.LIST)
def my_actions(request: HttpRequest) -> HttpResponse:
    """Everything that waits, a few of each kind; `?soort=` one kind alone, paged."""
    context = AccessContext.from_request(request)
    today = timezone.localdate()
    kind = request.GET.get("soort", "")
    if kind in {k.value for k in Kind}:
        source = SOURCES[Kind(kind)]
        page = paginate(request, source.queryset(context))
        rows = source.shown(context, list(page.items)) if page.items else []
        return render(
            request,
            "worklist/source.html",
            {"source": source, "page": page, "rows": rows, "today": today},
        )
    return render(request, "worklist/actions.html", {"actions": gather(context), "today": today})
