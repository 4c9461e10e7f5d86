"""Screens of meetings: the record of a conference, its minutes, calendar and files."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.decorators.http import require_POST
from django.views.generic import DetailView

from clusters.selectors import cluster_years_for_user, leaders_in, members_of
from core.http import file_response
from core.views import (
    FormsetServiceView,
    ScopedListView,
    ScopedMixin,
    ServiceFormView,
    validated,
    workflow_action,
)
from meetings import permissions, selectors, services
from meetings.calendar import meeting_ics
from meetings.documents import render_minutes_docx, render_minutes_pdf
from meetings.filters import ExemplarFilter, MeetingFilter
from meetings.forms import (
    AgendaFormSet,
    AttachmentForm,
    AttendanceForm,
    ConclusionFormSet,
    ContentForm,
    ExemplarFormSet,
    MeetingForm,
    ParticipantFormSet,
    TaskDoneForm,
    meeting_people,
    meeting_units,
)
from meetings.models import Attachment, Meeting
from meetings.signals import collect_meeting_sections

# --- Lists ---------------------------------------------------------------------------------


class MeetingListView(ScopedListView):
    selector = staticmethod(selectors.meetings_tabled)
    filterset_class = MeetingFilter
    template_name = "meetings/meeting_list.html"
    ordering = ("-starts_at", "pk")


class ExemplarListView(ScopedListView):
    selector = staticmethod(selectors.exemplars_tabled)
    filterset_class = ExemplarFilter
    template_name = "meetings/exemplar_list.html"
    ordering = ("-meeting__starts_at", "sort_key", "pk")


# --- The meeting -----------------------------------------------------------------------------


class MeetingMixin(ScopedMixin):
    selector = staticmethod(selectors.meetings_for_user)
    permission = staticmethod(permissions.can_change_meeting)

    def dispatch(self, request, *args, **kwargs):
        self.meeting = self.get_object()
        return super().dispatch(request, *args, **kwargs)

    def meeting_context(self):
        return {
            "meeting": self.meeting,
            "cluster_year": self.meeting.cluster_year,
            "cluster": self.meeting.cluster_year.cluster,
        }


class MeetingCreateView(ScopedMixin, ServiceFormView):
    selector = staticmethod(cluster_years_for_user)
    permission = staticmethod(permissions.can_create_meeting)
    form_class = MeetingForm
    template_name = "meetings/meeting_form.html"
    success_message = gettext_lazy("Meeting “%(object)s” was created.")

    def dispatch(self, request, *args, **kwargs):
        self.cluster_year = self.get_object()
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        """The head unit hosts; the kind asked for in the link (``?kind=mid_year`` from
        the dashboard's "no mid-year review"), else a year-end review."""
        head, _deputy = leaders_in(members_of(self.cluster_year))
        kind = self.request.GET.get("kind")
        return {
            "host": head,
            "kind": kind if kind in Meeting.Kind.values else Meeting.Kind.YEAR_END,
        }

    def get_extra_form_kwargs(self):
        return {"cluster_year": self.cluster_year}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            cluster_year=self.cluster_year, cluster=self.cluster_year.cluster, **kwargs
        )

    def save(self, form):
        return services.meeting_create(cluster_year=self.cluster_year, **form.cleaned_data)


class MeetingUpdateView(MeetingMixin, ServiceFormView):
    form_class = MeetingForm
    template_name = "meetings/meeting_form.html"
    success_message = gettext_lazy("Meeting “%(object)s” was saved.")

    def get_extra_form_kwargs(self):
        return {"cluster_year": self.meeting.cluster_year, "instance": self.meeting}

    def get_context_data(self, **kwargs):
        return super().get_context_data(**self.meeting_context(), **kwargs)

    def save(self, form):
        meeting = selectors.meetings_for_user(self.request.user).get(pk=self.meeting.pk)
        return services.meeting_update(meeting=meeting, **form.cleaned_data)


class MeetingContentView(MeetingUpdateView):
    form_class = ContentForm
    template_name = "meetings/section_form.html"
    success_message = gettext_lazy("The report and discussion were saved.")

    def get_extra_form_kwargs(self):
        return {"instance": self.meeting}

    def get_context_data(self, **kwargs):
        return super().get_context_data(section_title=_("Report and discussion"), **kwargs)


class MeetingDetailView(ScopedMixin, DetailView):
    selector = staticmethod(selectors.meetings_for_user)
    template_name = "meetings/meeting_detail.html"
    context_object_name = "meeting"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user, meeting = self.request.user, self.object
        context.update(
            cluster_year=meeting.cluster_year,
            cluster=meeting.cluster_year.cluster,
            detail=selectors.meeting_detail(meeting),
            can_change=permissions.can_change_meeting(user, meeting),
            can_mark_held=permissions.can_mark_held_meeting(user, meeting),
            can_approve=permissions.can_approve_meeting(user, meeting),
            can_reopen=permissions.can_reopen_meeting(user, meeting),
            attachment_form=AttachmentForm(),
            sections=collect_meeting_sections(self.request, meeting),
        )
        return context


@require_POST
def meeting_mark_held(request, pk):
    meeting = _meeting(request, pk)
    return workflow_action(
        request,
        obj=meeting,
        allowed=permissions.can_mark_held_meeting(request.user, meeting),
        service=lambda: services.meeting_mark_held(meeting=meeting),
        success=_("The meeting is recorded as held."),
    )


@require_POST
def meeting_approve(request, pk):
    meeting = _meeting(request, pk)
    return workflow_action(
        request,
        obj=meeting,
        allowed=permissions.can_approve_meeting(request.user, meeting),
        service=lambda: services.meeting_approve_minutes(meeting=meeting),
        success=_("The minutes are approved."),
    )


@require_POST
def meeting_reopen(request, pk):
    meeting = _meeting(request, pk)
    return workflow_action(
        request,
        obj=meeting,
        allowed=permissions.can_reopen_meeting(request.user, meeting),
        service=lambda: services.meeting_reopen(meeting=meeting),
        success=_("The minutes can be corrected again."),
    )


# --- Sections of the minutes ----------------------------------------------------------------


class SectionView(MeetingMixin, FormsetServiceView):
    """One section of the minutes as an editable table (a formset), saved whole."""

    title = ""
    template_name = "meetings/section_formset.html"
    columns: list = []

    def initial(self):
        raise NotImplementedError

    def form_kwargs(self):
        return {}

    def get_formset_kwargs(self):
        return {"initial": self.initial(), "form_kwargs": self.form_kwargs()}

    def get_success_message(self):
        return _("%(section)s saved.") % {"section": self.title}

    def get_success_url(self):
        return self.meeting.get_absolute_url()

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            **self.meeting_context(), section_title=self.title, columns=self.columns, **kwargs
        )


class ParticipantsView(SectionView):
    formset_class = ParticipantFormSet
    title = gettext_lazy("Chairs, secretary and guests")
    columns = [
        gettext_lazy("Role"),
        gettext_lazy("Person"),
        gettext_lazy("or a new person"),
        gettext_lazy("Position at the meeting"),
        gettext_lazy("From"),
    ]

    def initial(self):
        return [
            {
                "role": p.role,
                "person": p.person,
                "position": p.position,
                "organization": p.organization,
            }
            for p in selectors.participants_of(self.meeting)
        ]

    def form_kwargs(self):
        return {"people": meeting_people(self.request.user, self.meeting)}

    def save(self, rows, deleted):
        services.participants_save(meeting=self.meeting, rows=rows)


class AgendaView(SectionView):
    formset_class = AgendaFormSet
    title = gettext_lazy("Agenda")
    columns = [gettext_lazy("Item"), gettext_lazy("Presented by")]

    def initial(self):
        return [{"title": a.title, "presenter": a.presenter} for a in self.meeting.agenda.all()]

    def save(self, rows, deleted):
        services.agenda_save(meeting=self.meeting, rows=rows)


class ConclusionsView(SectionView):
    formset_class = ConclusionFormSet
    title = gettext_lazy("Conclusions and follow-up tasks")
    columns = [
        gettext_lazy("Conclusion"),
        gettext_lazy("Task"),
        gettext_lazy("Owner unit"),
        gettext_lazy("Due on"),
        gettext_lazy("Done on"),
        gettext_lazy("How it was done"),
    ]

    def initial(self):
        return [
            {
                "text": c.text,
                "is_task": c.is_task,
                "owner": c.owner,
                "due_on": c.due_on,
                "done_on": c.done_on,
                "done_note": c.done_note,
            }
            for c in self.meeting.conclusions.select_related("owner")
        ]

    def form_kwargs(self):
        return {"units": meeting_units(self.meeting)}

    def save(self, rows, deleted):
        services.conclusions_save(meeting=self.meeting, rows=rows)


class ExemplarsView(SectionView):
    formset_class = ExemplarFormSet
    title = gettext_lazy("Exemplary models")
    columns = [
        gettext_lazy("Kind"),
        gettext_lazy("Person"),
        gettext_lazy("or a new person"),
        gettext_lazy("Collective"),
        gettext_lazy("Of unit"),
        gettext_lazy("Achievement"),
    ]

    def initial(self):
        return [
            {
                "kind": e.kind,
                "person": e.person,
                "collective": e.collective,
                "unit": e.unit,
                "achievement": e.achievement,
            }
            for e in self.meeting.exemplars.select_related("person", "unit")
        ]

    def form_kwargs(self):
        return {
            "people": meeting_people(self.request.user, self.meeting),
            "units": meeting_units(self.meeting),
        }

    def save(self, rows, deleted):
        services.exemplars_save(meeting=self.meeting, rows=rows)


class AttendanceView(MeetingMixin, View):
    template_name = "meetings/attendance_form.html"

    def make_form(self, data=None):
        return AttendanceForm(data, rows=selectors.attendance_rows(self.meeting))

    def get(self, request, *args, **kwargs):
        return self.render(self.make_form())

    def post(self, request, *args, **kwargs):
        form = self.make_form(request.POST)
        if form.is_valid():
            try:
                services.attendance_save(meeting=self.meeting, rows=form.data_rows())
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Attendance saved."))
                return redirect(self.meeting)
        return self.render(form)

    def render(self, form):
        return render(self.request, self.template_name, {**self.meeting_context(), "form": form})


# --- Tasks -------------------------------------------------------------------------------------


@require_POST
def task_done(request, pk):
    conclusion = get_object_or_404(selectors.conclusions_for_user(request.user), pk=pk)
    next_url = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        # Only back to a page of this site: never an open redirect.
        next_url = conclusion.meeting.get_absolute_url()

    def mark_done():
        data = validated(TaskDoneForm(request.POST), _("Enter a valid date."))
        return services.task_mark_done(
            conclusion=conclusion, done_on=data["done_on"], note=data["note"]
        )

    return workflow_action(
        request,
        obj=conclusion,
        allowed=permissions.can_update_task(request.user, conclusion),
        service=mark_done,
        success=_("The task is marked done."),
        redirect_to=next_url,
    )


# --- Attachments -------------------------------------------------------------------------------


def _attachments_of(meeting_pk: int) -> str:
    return reverse("meetings:meeting-detail", args=[meeting_pk]) + "#attachments"


@require_POST
def attachment_upload(request, pk):
    meeting = _meeting(request, pk)

    def add():
        data = validated(AttachmentForm(request.POST, request.FILES))
        return services.attachment_add(
            meeting=meeting,
            upload=data["file"],
            kind=data["kind"],
            caption=data["caption"],
            user=request.user,
        )

    return workflow_action(
        request,
        obj=meeting,
        allowed=permissions.can_change_meeting(request.user, meeting),
        service=add,
        success=_("The file was added."),
        redirect_to=_attachments_of(meeting.pk),
    )


def attachment_download(request, pk):
    attachment = get_object_or_404(selectors.attachments_for_user(request.user), pk=pk)
    return file_response(
        attachment.file.open("rb"),
        filename=attachment.original_name,
        inline=attachment.kind == Attachment.Kind.PHOTO,
    )


@require_POST
def attachment_delete(request, pk):
    attachment = get_object_or_404(
        selectors.attachments_for_user(request.user).select_related(
            "meeting__cluster_year__cluster"
        ),
        pk=pk,
    )
    return workflow_action(
        request,
        obj=attachment,
        allowed=permissions.can_delete_attachment(request.user, attachment),
        service=lambda: services.attachment_delete(attachment=attachment),
        success=_("The file was removed."),
        redirect_to=_attachments_of(attachment.meeting_id),
    )


# --- Documents and calendar ---------------------------------------------------------------------


def _meeting(request, pk) -> Meeting:
    return get_object_or_404(selectors.meetings_for_user(request.user), pk=pk)


def minutes_pdf(request, pk):
    meeting = _meeting(request, pk)
    return file_response(
        render_minutes_pdf(meeting=meeting),
        filename=f"bien-ban-{meeting.pk}.pdf",
        kind="pdf",
        inline=True,
    )


def minutes_docx(request, pk):
    meeting = _meeting(request, pk)
    return file_response(
        render_minutes_docx(meeting=meeting), filename=f"bien-ban-{meeting.pk}.docx", kind="docx"
    )


def meeting_calendar_file(request, pk):
    meeting = _meeting(request, pk)
    return file_response(
        meeting_ics(meeting, url=request.build_absolute_uri(meeting.get_absolute_url())),
        filename=f"hoi-nghi-{meeting.pk}.ics",
        kind="ics",
    )
