from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from schakel.cases.policies import case_policy
from schakel.core.access import governed
from schakel.core.context import AccessContext
from schakel.core.policies import Action

from .selectors import my_actions as gather


@governed(case_policy, Action.LIST)
def my_actions(request: HttpRequest) -> HttpResponse:
    actions = gather(AccessContext.from_request(request))
    return render(
        request, "worklist/actions.html", {"actions": actions, "today": timezone.localdate()}
    )
