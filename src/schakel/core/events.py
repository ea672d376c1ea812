"""History as structured events: what happened is a kind and its parameters (ids and codes),
written once; the sentence a reader sees is made when it is read, in the reader's language, by
the renderer registered for the kind. Free text is kept only where a person typed it.

Signals, cases and meetings each keep their own table of events (an `Event` subclass with a
foreign key to what they are the history of, and a `kind` field with their own choices), and
each app registers one renderer per kind in an `EventRenderers`."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


class Event(models.Model):
    """One step in the history of something. Append-only: a correction is a new event."""

    occurred_at = models.DateTimeField(gettext_lazy("recorded at"), default=timezone.now)
    parameters = models.JSONField(default=dict, blank=True, encoder=DjangoJSONEncoder)
    text = models.TextField(gettext_lazy("text"), blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )
    organisation = models.ForeignKey(
        "organisations.Organisation", models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        abstract = True
        ordering = ["occurred_at", "pk"]


class Names:
    """The names an event's parameters point at (organisations by id), looked up once for a
    list of events. A name that is gone reads as a neutral word, never as an id."""

    def __init__(self, organisations: Mapping[int, str]) -> None:
        self._organisations = dict(organisations)

    def organisation(self, pk: object) -> str:
        if isinstance(pk, int) and pk in self._organisations:
            return self._organisations[pk]
        return _("an organisation")

    def organisations(self, pks: object) -> str:
        return ", ".join(self.organisation(pk) for pk in pks) if isinstance(pks, list) else ""


def _organisation_ids(parameters: Mapping[str, Any]) -> set[int]:
    found: set[int] = set()
    for key, value in parameters.items():
        if key == "organisation" or key.endswith("_organisation"):
            if isinstance(value, int):
                found.add(value)
        elif key.endswith("organisations") and isinstance(value, list):
            found.update(v for v in value if isinstance(v, int))
    return found


@dataclass(frozen=True)
class EventShown:
    """An event as a reader sees it: every word in the reader's language, the typed text
    already redacted for them."""

    pk: int
    occurred_at: datetime
    kind: str
    title: str
    detail: str
    text: str
    actor_name: str
    organisation_name: str
    happened_on: date | None = None
    corrects: int | None = None
    corrections: tuple[int, ...] = field(default=())


Renderer = Callable[[Mapping[str, Any], Names], str]


class EventRenderers:
    """One renderer per kind of one app's events: it turns the parameters into the detail line.
    The kind's label is the title; a kind without parameters worth saying renders ""."""

    def __init__(self, kinds: type[models.TextChoices]) -> None:
        self.kinds = kinds
        self._renderers: dict[str, Renderer] = {}
        self.examples: dict[str, dict[str, Any]] = {}

    def register(
        self, *kinds: str, example: Mapping[str, Any] | None = None
    ) -> Callable[[Renderer], Renderer]:
        """Register the renderer of these kinds; `example` parameters let the tests render
        every kind in every language."""

        def decorate(renderer: Renderer) -> Renderer:
            for kind in kinds:
                if kind in self._renderers:
                    raise ValueError(f"{kind} already has a renderer")
                self._renderers[kind] = renderer
                self.examples[kind] = dict(example or {})
            return renderer

        return decorate

    def missing(self) -> set[str]:
        return set(self.kinds.values) - set(self._renderers)

    def title(self, kind: str) -> str:
        if kind in self.kinds.values:
            return str(self.kinds(kind).label)
        return _("Other step")

    def detail(self, kind: str, parameters: Mapping[str, Any], names: Names) -> str:
        renderer = self._renderers.get(kind)
        return renderer(parameters, names) if renderer is not None else ""

    def names_for(self, events: Iterable[Event]) -> Names:
        events = list(events)
        ids: set[int] = set()
        for event in events:
            ids.update(_organisation_ids(event.parameters or {}))
        if not ids or not events:
            return Names({})
        organisation_model: Any = type(events[0])._meta.get_field("organisation").related_model
        found = organisation_model._default_manager.filter(pk__in=ids).values_list("pk", "name")
        return Names(dict(found))

    def show(
        self,
        events: Iterable[Event],
        redact: Callable[[str], str] = lambda text: text,
    ) -> list[EventShown]:
        """The events for one reader, oldest first, with corrections pointing both ways."""
        events = list(events)
        names = self.names_for(events)
        corrections: dict[int, list[int]] = {}
        for event in events:
            corrects = getattr(event, "corrects_id", None)
            if corrects:
                corrections.setdefault(corrects, []).append(event.pk)
        return [
            EventShown(
                pk=event.pk,
                occurred_at=event.occurred_at,
                kind=event.kind,  # type: ignore[attr-defined]
                title=self.title(event.kind),  # type: ignore[attr-defined]
                detail=redact(self.detail(event.kind, event.parameters or {}, names)),  # type: ignore[attr-defined]
                text=redact(event.text),
                actor_name=actor_name(event.actor) if event.actor_id else "",
                organisation_name=event.organisation.name if event.organisation else "",
                happened_on=getattr(event, "happened_on", None),
                corrects=getattr(event, "corrects_id", None),
                corrections=tuple(corrections.get(event.pk, ())),
            )
            for event in events
        ]


def label(choices: Any, code: object) -> str:
    """The label of a code in the reader's language, or a neutral word for a code this version
    does not know: never the code itself."""
    return str(choices(code).label) if code in choices.values else _("(unknown)")


def actor_name(user: Any) -> str:
    return str(user.get_full_name() or user.get_username())
