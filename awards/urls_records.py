"""Addresses of the registers kept beside the awards: import, initiatives, reported counts."""

from django.urls import path

from awards import record_views

urlpatterns = [
    path("awards/import/", record_views.AwardImportView.as_view(), name="award-import"),
    path(
        "awards/import/template/",
        record_views.award_import_template,
        name="award-import-template",
    ),
    path(
        "people/<int:pk>/initiatives/new/",
        record_views.InitiativeCreateView.as_view(),
        name="initiative-create",
    ),
    path(
        "initiatives/<int:pk>/edit/",
        record_views.InitiativeUpdateView.as_view(),
        name="initiative-update",
    ),
    path(
        "initiatives/<int:pk>/delete/",
        record_views.initiative_delete,
        name="initiative-delete",
    ),
    path(
        "years/<int:pk>/reported-counts/",
        record_views.ReportedCountsView.as_view(),
        name="reportedcount-edit",
    ),
]
