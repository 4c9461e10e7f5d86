from django.urls import path

from clusters.views import record_history
from meetings import selectors, views

app_name = "meetings"

urlpatterns = [
    path("meetings/", views.MeetingListView.as_view(), name="meeting-list"),
    path("exemplars/", views.ExemplarListView.as_view(), name="exemplar-list"),
    path("years/<int:pk>/meetings/new/", views.MeetingCreateView.as_view(), name="meeting-create"),
    path("meetings/<int:pk>/", views.MeetingDetailView.as_view(), name="meeting-detail"),
    path(
        "meetings/<int:pk>/history/",
        record_history(selectors.meetings_for_user, "meetings.meeting"),
        name="meeting-history",
    ),
    path("meetings/<int:pk>/edit/", views.MeetingUpdateView.as_view(), name="meeting-update"),
    path("meetings/<int:pk>/content/", views.MeetingContentView.as_view(), name="meeting-content"),
    path(
        "meetings/<int:pk>/participants/",
        views.ParticipantsView.as_view(),
        name="meeting-participants",
    ),
    path(
        "meetings/<int:pk>/attendance/", views.AttendanceView.as_view(), name="meeting-attendance"
    ),
    path("meetings/<int:pk>/agenda/", views.AgendaView.as_view(), name="meeting-agenda"),
    path(
        "meetings/<int:pk>/conclusions/",
        views.ConclusionsView.as_view(),
        name="meeting-conclusions",
    ),
    path("meetings/<int:pk>/exemplars/", views.ExemplarsView.as_view(), name="meeting-exemplars"),
    path("meetings/<int:pk>/held/", views.meeting_mark_held, name="meeting-held"),
    path("meetings/<int:pk>/approve/", views.meeting_approve, name="meeting-approve"),
    path("meetings/<int:pk>/reopen/", views.meeting_reopen, name="meeting-reopen"),
    path("meetings/<int:pk>/files/", views.attachment_upload, name="attachment-upload"),
    path("meetings/<int:pk>/minutes.pdf", views.minutes_pdf, name="meeting-minutes-pdf"),
    path("meetings/<int:pk>/minutes.docx", views.minutes_docx, name="meeting-minutes-docx"),
    path("meetings/<int:pk>/meeting.ics", views.meeting_calendar_file, name="meeting-ics"),
    path("files/<int:pk>/", views.attachment_download, name="attachment-download"),
    path("files/<int:pk>/delete/", views.attachment_delete, name="attachment-delete"),
    path("tasks/<int:pk>/done/", views.task_done, name="task-done"),
]
