"""Aggregate selectors of trainings for the monitoring figures (core.figures): one GROUP BY per
breakdown, over the period and the one it is compared with, per municipality. A training is
counted in the period of the day it was held (a date, so the window's bounds are read as local
calendar days)."""

from __future__ import annotations

from datetime import date, datetime

from django.db import models
from django.db.models import Case, CharField, Count, Q, Sum, Value, When
from django.utils import timezone

from schakel.core.figures import CURRENT, PREVIOUS, Tally, Window, tally

from .models import TrainingAttendance, TrainingSession

BREAKDOWNS = ("audience", "sector", "reporting_route_presented")


def _days(bounds: tuple[datetime, datetime]) -> tuple[date, date]:
    """[start, end) as local dates."""
    return timezone.localtime(bounds[0]).date(), timezone.localtime(bounds[1]).date()


def _in(field: str, bounds: tuple[datetime, datetime]) -> Q:
    start, end = _days(bounds)
    return Q(**{f"{field}__gte": start, f"{field}__lt": end})


def _filtered(window: Window, field: str) -> Q:
    return _in(field, window.current) | _in(field, window.previous)


def _tag(window: Window, field: str) -> Case:
    return Case(
        When(_in(field, window.current), then=Value(CURRENT)),
        default=Value(PREVIOUS),
        output_field=CharField(),
    )


def sessions_tally(window: Window, breakdown: str = "") -> Tally:
    """Trainings held, by audience, sector or whether the reporting route was presented ("True"
    / "False"); key "" for all of them."""
    held = TrainingSession.objects.filter(
        _filtered(window, "held_on"), municipality__in=window.municipality_ids
    ).annotate(period=_tag(window, "held_on"))
    key = models.F(breakdown) if breakdown in BREAKDOWNS else Value("")
    rows = held.values("period", "municipality_id", key=key).annotate(n=Count("pk"))
    return tally(rows)


def participants_tally(window: Window, breakdown: str = "") -> Tally:
    """People trained (participants summed over the trainings), by the training's audience or
    sector; key "" for all of them."""
    attended = TrainingAttendance.objects.filter(
        _filtered(window, "session__held_on"), session__municipality__in=window.municipality_ids
    ).annotate(
        period=_tag(window, "session__held_on"),
        municipality_id=models.F("session__municipality_id"),
    )
    key = models.F(f"session__{breakdown}") if breakdown in BREAKDOWNS else Value("")
    rows = attended.values("period", "municipality_id", key=key).annotate(n=Sum("participants"))
    return tally(rows)


def organisations_tally(window: Window) -> Tally:
    """Organisations reached: each once per period and municipality, however many trainings."""
    attended = TrainingAttendance.objects.filter(
        _filtered(window, "session__held_on"), session__municipality__in=window.municipality_ids
    ).annotate(
        period=_tag(window, "session__held_on"),
        municipality_id=models.F("session__municipality_id"),
    )
    rows = attended.values("period", "municipality_id", key=Value("")).annotate(
        n=Count("organisation", distinct=True)
    )
    return tally(rows)
