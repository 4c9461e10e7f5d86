from django.urls import path

from clusters.views import record_history
from scoring import selectors, views

app_name = "scoring"

urlpatterns = [
    path(
        "years/<int:pk>/criteria-sheet/new/",
        views.SheetCreateView.as_view(),
        name="criteriasheet-create",
    ),
    path("years/<int:pk>/criteria-sheet/copy/", views.sheet_copy, name="criteriasheet-copy"),
    path("criteria-sheets/<int:pk>/", views.SheetDetailView.as_view(), name="criteriasheet-detail"),
    path(
        "criteria-sheets/<int:pk>/history/",
        record_history(selectors.sheets_for_user, "scoring.criteriasheet"),
        name="criteriasheet-history",
    ),
    path(
        "criteria-sheets/<int:pk>/edit/", views.SheetEditView.as_view(), name="criteriasheet-edit"
    ),
    path("criteria-sheets/<int:pk>/unlock/", views.sheet_unlock, name="criteriasheet-unlock"),
    path(
        "criteria-sheets/<int:pk>/scores/<str:level>/",
        views.ScoreGridView.as_view(),
        name="criteriasheet-scores",
    ),
    path(
        "criteria-sheets/<int:pk>/members/<int:member_pk>/",
        views.MemberScoresView.as_view(),
        name="criteriasheet-member",
    ),
    path(
        "criteria-sheets/<int:pk>/results/",
        views.ResultsView.as_view(),
        name="criteriasheet-results",
    ),
    path(
        "criteria-sheets/<int:pk>/results.xlsx",
        views.results_xlsx,
        name="criteriasheet-results-xlsx",
    ),
    path(
        "criteria-sheets/<int:pk>/results.pdf", views.results_pdf, name="criteriasheet-results-pdf"
    ),
    path(
        "criteria-sheets/<int:pk>/results.docx",
        views.results_docx,
        name="criteriasheet-results-docx",
    ),
    path("criteria-sheets/<int:pk>/approve/", views.ranking_approve, name="criteriasheet-approve"),
    path("criteria-sheets/<int:pk>/reopen/", views.ranking_reopen, name="criteriasheet-reopen"),
]
