"""The audit log (who changed what, when, old → new) for staff, and the history of one
main record for anyone who may read that record."""

import datetime
from functools import partial

from django import forms
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from clusters.audit import audited_models, body_filter, entries, newest_rows
from clusters.selectors import user_scope
from core import widgets

PAGE_SIZE = 50

# The main records with a history page of their own (routed by their app).
HISTORY_PAGES = {
    "clusters.unit": "clusters:unit-history",
    "clusters.clusteryear": "clusters:clusteryear-history",
    "pledges.pledge": "pledges:pledge-history",
    "meetings.meeting": "meetings:meeting-history",
    "scoring.criteriasheet": "scoring:criteriasheet-history",
}


class AuditFilterForm(forms.Form):
    # Widgets written without the template engine (core.widgets): the form is rendered
    # on every page of the log, its list of kinds holds some 45 options.
    model = forms.ChoiceField(label=_("Kind of record"), required=False, widget=widgets.Select)
    user = forms.CharField(
        label=_("Changed by"), required=False, max_length=150, widget=widgets.TextInput
    )
    record = forms.IntegerField(
        label=_("Record number"), required=False, min_value=1, widget=widgets.NumberInput
    )
    since = forms.DateField(
        label=pgettext_lazy("the first day of a period", "From"),
        required=False,
        widget=widgets.DateInput(),
    )
    until = forms.DateField(label=_("To"), required=False, widget=widgets.DateInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["model"].choices = [("", _("All"))] + sorted(
            ((a.label, a.name.capitalize()) for a in audited_models()), key=lambda c: c[1]
        )
        for name, field in self.fields.items():
            css = (
                "form-select form-select-sm" if name == "model" else "form-control form-control-sm"
            )
            field.widget.attrs["class"] = f"{field.widget.attrs.get('class', '')} {css}".strip()


def _bodies(user):
    """The bodies whose records the user may audit; None for everything (superuser)."""
    scope = user_scope(user)
    if scope.is_superuser:
        return None
    if not scope.staff_body_ids:
        raise PermissionDenied
    return set(scope.staff_body_ids)


def _day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _linked(found):
    for entry in found:
        entry.link = entry.history_url(HISTORY_PAGES)
    return found


def _moment(text: str) -> datetime.datetime | None:
    """The "older than" cursor of the next page (an ISO date and time), if it reads."""
    try:
        moment = datetime.datetime.fromisoformat(text)
    except ValueError:
        return None
    return moment if timezone.is_aware(moment) else None


def audit_log(request):
    """Every audited change under the bodies the user is staff of, newest first, 50 a
    page, filtered by kind of record, person, record number and dates: one query reads
    when each kind of record last changed, one (seldom more) finds the page's rows among
    the kinds changed last, one reads them with the values before each change, one reads
    the names they point to and of the users who changed them."""
    bodies = _bodies(request.user)
    form = AuditFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    before = _moment(request.GET.get("before", ""))
    chosen = [a for a in audited_models() if not data.get("model") or a.label == data["model"]]
    trails = []
    until = _day_start(data["until"] + datetime.timedelta(days=1)) if data.get("until") else None

    def trail(entry, condition):
        history = entry.history.objects.filter(condition)
        if data.get("user"):
            history = history.filter(history_user__username__icontains=data["user"])
        if data.get("record"):
            history = history.filter(id=data["record"])
        if data.get("since"):
            history = history.filter(history_date__gte=_day_start(data["since"]))
        if until:
            history = history.filter(history_date__lt=until)
        if before:
            history = history.filter(history_date__lt=before)
        return history

    # What ``trail`` reads besides the kind and the bodies: with them, the key under
    # which a kind's query is compiled once (``clusters.audit._TRAIL_QUERIES``).
    inputs = (data.get("user"), data.get("record"), data.get("since"), until, before)
    scope = None if bodies is None else tuple(sorted(bodies))
    for entry in chosen:
        condition = body_filter(entry, bodies)
        if condition is not None:
            # Built only for the kinds newest_rows reads (a few of 45: each costs a
            # millisecond of joins to the body).
            trails.append((entry, partial(trail, entry, condition), (entry.label, scope, inputs)))
    below = min((moment for moment in (before, until) if moment), default=None)
    rows, earlier = newest_rows(trails, limit=PAGE_SIZE + 1, below=below)
    page, more = rows[:PAGE_SIZE], len(rows) > PAGE_SIZE
    query = request.GET.copy()
    query.pop("before", None)
    if more:
        query["before"] = page[-1][1].history_date.isoformat()
    return render(
        request,
        "reports/audit_log.html",
        {
            "form": form,
            "entries": _linked(entries(page, earlier)),
            "older_query": query.urlencode() if more else "",
        },
    )
