"""Screens of the registers kept beside the awards: the import of historical lists, a
person's initiatives, and the counts the members of a cluster year report."""

import datetime
import uuid

from django.contrib import messages
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views import View
from django.views.decorators.http import require_POST

from awards import imports, selectors, services
from awards.models import Initiative
from awards.permissions import can_change_initiatives, can_import_awards, can_report_award_counts
from awards.record_forms import AwardImportForm, InitiativeForm, ReportedCountFormSet
from clusters.selectors import (
    cluster_years_for_user,
    member_list,
    people_for_user,
    staff_bodies_for_user,
)
from core.http import file_response
from core.text import vn_count
from core.views import FormsetServiceView, ServiceFormView, UpdateServiceView, workflow_action

# --- Import of historical award lists ----------------------------------------------------

STASH_FOLDER = "imports/awards"
STASH_SALT = "awards.import"
STASH_MAX_AGE = 6 * 3600  # seconds a checked file waits for its confirmation
PREVIEW_PLAIN_ROWS = 200


def _import_body(request, pk=None):
    """The body the user imports into: one they are staff of (another one is a 404)."""
    if not can_import_awards(request.user):
        raise PermissionDenied
    if pk is None:
        return None
    body = get_object_or_404(staff_bodies_for_user(request.user), pk=pk)
    if not can_import_awards(request.user, body):
        raise PermissionDenied
    return body


def award_import_template(request):
    """The empty list to fill, for the body named by ``?body=`` or the user's only one."""
    _import_body(request)
    bodies = staff_bodies_for_user(request.user).order_by("name", "pk")
    pk = request.GET.get("body")
    if pk:
        if not pk.isdigit():
            raise Http404
        body = _import_body(request, int(pk))
    else:
        body = bodies.first()
        if body is None:
            raise PermissionDenied
    content = imports.template_workbook(body=body)
    return file_response(content, filename="mau-nhap-khen-thuong.xlsx", kind="xlsx")


class AwardImportView(View):
    """Upload → preview of every row, its problems and the choices it needs → confirm →
    recorded all at once. The checked file's cells wait in storage under a signed token
    until it is confirmed, and are looked up again then, with the user's choices."""

    template_name = "awards/import_form.html"

    def dispatch(self, request, *args, **kwargs):
        _import_body(request)
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        return self.render(AwardImportForm(user=request.user))

    def post(self, request):
        if "token" in request.POST:
            return self.confirm(request)
        form = AwardImportForm(request.POST, request.FILES, user=request.user)
        if not form.is_valid():
            return self.render(form)
        body = _import_body(request, form.cleaned_data["body"].pk)
        upload = form.cleaned_data["file"]
        cells = imports.read_cells(upload)
        result = imports.check_cells(cells, body=body)
        token = ""
        if not result.problems:
            token = self.stash(request, body, cells)
        form = AwardImportForm(user=request.user)
        return self.render(form, result=result, body=body, token=token)

    def stash(self, request, body, cells) -> str:
        """Keep the checked cells (not the workbook: reading it is most of the work) until
        the user confirms; the signed token names them, for this user and body only."""
        _clear_old_stashes()
        content = ContentFile(cells.as_json().encode())
        name = default_storage.save(f"{STASH_FOLDER}/{uuid.uuid4().hex}.json", content)
        return signing.dumps(
            {"user": request.user.pk, "body": body.pk, "file": name}, salt=STASH_SALT
        )

    def unstash(self, request, token: str) -> dict | None:
        try:
            stash = signing.loads(token, salt=STASH_SALT, max_age=STASH_MAX_AGE)
        except signing.BadSignature:
            return None
        name = stash.get("file", "")
        if (
            stash.get("user") != request.user.pk
            # A workbook kept before the cells were: checked again from its upload.
            or not name.endswith(".json")
            or not default_storage.exists(name)
        ):
            return None
        return stash

    def confirm(self, request):
        token = request.POST["token"]
        stash = self.unstash(request, token)
        if stash is None:
            messages.error(request, _("The checked file has expired; upload it again."))
            return redirect("awards:award-import")
        body = _import_body(request, stash["body"])
        choices = {}
        for name, value in request.POST.items():
            what, _dash, number = name.partition("-")
            if what in ("unit", "person") and number.isdigit() and value:
                choices[(int(number), what)] = value
        with default_storage.open(stash["file"], "rb") as stored:
            cells = imports.SheetCells.from_json(stored.read().decode())
        result = imports.check_cells(cells, body=body, choices=choices)
        if not result.ok:
            if not result.problems and not result.error_rows:
                messages.error(request, _("Choose the unit or person of every row marked below."))
            return self.render(
                AwardImportForm(user=request.user),
                result=result,
                body=body,
                token=token,
                choices=choices,
            )
        try:
            created, skipped = services.awards_import(
                body=body, by=request.user, rows=[row.service_row() for row in result.rows]
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
            return self.render(
                AwardImportForm(user=request.user), result=result, body=body, token=token
            )
        default_storage.delete(stash["file"])
        messages.success(
            request,
            ngettext("%(count)s award was imported.", "%(count)s awards were imported.", created)
            % {"count": vn_count(created)}
            + (
                " "
                + ngettext(
                    "%(count)s row had been imported before and was left as it was.",
                    "%(count)s rows had been imported before and were left as they were.",
                    skipped,
                )
                % {"count": vn_count(skipped)}
                if skipped
                else ""
            ),
        )
        return redirect("awards:award-list")

    def render(self, form, *, result=None, body=None, token="", choices=None):
        rows, hidden = [], 0
        if result is not None:
            choices = choices or {}
            # Every row needing attention; of the others, the first ones (a list of
            # thousands stays a page to read).
            plain = [r.number for r in result.rows if not (r.errors or r.waits_for_choice)]
            hidden_numbers = set(plain[PREVIEW_PLAIN_ROWS:])
            hidden = len(hidden_numbers)
            for row in result.rows:
                if row.number in hidden_numbers:
                    continue
                rows.append(
                    {
                        "row": row,
                        "unit_choice": str(choices.get((row.number, "unit"), "")),
                        "person_choice": str(choices.get((row.number, "person"), "")),
                    }
                )
        return render(
            self.request,
            self.template_name,
            {
                "form": form,
                "result": result,
                "rows": rows,
                "hidden_rows": vn_count(hidden) if hidden else "",
                "body": body,
                "token": token,
                "columns": imports.COLUMNS,
                "not_in_register": imports.NOT_IN_REGISTER,
                "counts": _import_counts(result) if result is not None else None,
            },
        )


def _clear_old_stashes() -> None:
    """Files checked and never confirmed are deleted once their token has expired."""
    try:
        _folders, names = default_storage.listdir(STASH_FOLDER)
    except (FileNotFoundError, NotImplementedError):
        return
    expired = timezone.now() - datetime.timedelta(seconds=STASH_MAX_AGE)
    for name in names:
        path = f"{STASH_FOLDER}/{name}"
        try:
            if default_storage.get_modified_time(path) < expired:
                default_storage.delete(path)
        except (FileNotFoundError, NotImplementedError):
            continue


def _import_counts(result) -> dict:
    return {
        "rows": vn_count(len(result.rows)),
        "new": vn_count(len(result.new_rows)),
        "already": vn_count(result.already_count),
        "errors": vn_count(len(result.error_rows)),
        "choices": vn_count(len(result.choice_rows)),
    }


# --- Initiatives -----------------------------------------------------------------------


def initiatives_for_user(user) -> QuerySet[Initiative]:
    """The initiatives of the people whose register the user reads."""
    return Initiative.objects.select_related("person").filter(
        person__in=people_for_user(user).values("pk")
    )


def _person_url(person) -> str:
    return person.get_absolute_url() + "#person-initiatives"


class InitiativeCreateView(ServiceFormView):
    form_class = InitiativeForm
    template_name = "awards/initiative_form.html"
    success_message = gettext_lazy("The initiative “%(object)s” was added.")

    def dispatch(self, request, *args, **kwargs):
        self.person = get_object_or_404(people_for_user(request.user), pk=kwargs["pk"])
        if not can_change_initiatives(request.user, self.person):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(person=self.person, **kwargs)

    def save(self, form):
        return services.initiative_save(person=self.person, **form.cleaned_data)

    def get_success_url(self):
        return _person_url(self.person)


class InitiativeUpdateView(UpdateServiceView):
    selector = staticmethod(initiatives_for_user)
    permission = staticmethod(lambda user, obj: can_change_initiatives(user, obj.person))
    form_class = InitiativeForm
    template_name = "awards/initiative_form.html"
    success_message = gettext_lazy("The initiative “%(object)s” was saved.")
    context_name = "initiative"

    def get_context_data(self, **kwargs):
        return super().get_context_data(person=self.target.person, **kwargs)

    def save(self, form):
        return services.initiative_save(initiative=self.fresh(), **form.cleaned_data)

    def get_success_url(self):
        return _person_url(self.object.person)


@require_POST
def initiative_delete(request, pk):
    initiative = get_object_or_404(initiatives_for_user(request.user), pk=pk)
    return workflow_action(
        request,
        obj=initiative,
        allowed=can_change_initiatives(request.user, initiative.person),
        service=lambda: services.initiative_delete(initiative=initiative),
        success=_("The initiative “%(title)s” was deleted.") % {"title": initiative.title},
        redirect_to=_person_url(initiative.person),
    )


# --- Counts reported by the members ------------------------------------------------------


class ReportedCountsView(FormsetServiceView):
    """The counts a cluster year's members report, as one table saved whole."""

    template_name = "awards/reportedcount_form.html"
    formset_class = ReportedCountFormSet
    success_message = gettext_lazy("The reported counts were saved.")

    def dispatch(self, request, *args, **kwargs):
        self.cluster_year = get_object_or_404(cluster_years_for_user(request.user), pk=kwargs["pk"])
        if not can_report_award_counts(request.user, self.cluster_year):
            raise PermissionDenied
        self.stored = {count.pk: count for count in selectors.reported_counts_of(self.cluster_year)}
        return super().dispatch(request, *args, **kwargs)

    def get_formset_kwargs(self):
        initial = [
            {
                "id": count.pk,
                "unit": count.unit_id,
                "period": count.period,
                "level": count.level,
                "kind": count.kind,
                "count": vn_count(count.count),
                "note": count.note,
            }
            for count in self.stored.values()
        ]
        units = [member.unit for member in member_list(self.cluster_year)]
        return {"initial": initial, "form_kwargs": {"units": units}}

    def is_valid(self, formset) -> bool:
        if not formset.is_valid():
            return False
        for form in formset.forms:
            stored = form.cleaned_data.get("id")
            if stored is not None and stored not in self.stored:
                raise Http404("a count of another year")
        return True

    def row(self, form) -> dict:
        data = {k: v for k, v in form.cleaned_data.items() if k != "DELETE"}
        data["id"] = self.stored.get(data["id"]) if data.get("id") else None
        return data

    def save(self, rows, deleted):
        services.reported_counts_save(
            cluster_year=self.cluster_year,
            rows=rows,
            deleted=[
                self.stored[form.cleaned_data["id"]]
                for form in deleted
                if form.cleaned_data.get("id") in self.stored
            ],
        )

    def get_success_url(self):
        return reverse("clusters:clusteryear-detail", args=[self.cluster_year.pk]) + (
            "#reported-counts"
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            cluster_year=self.cluster_year, cluster=self.cluster_year.cluster, **kwargs
        )
