from django.urls import path

from clusters.views import record_history
from pledges import selectors
from pledges.views import documents, excel, grids, movements, periods, pledge

app_name = "pledges"

urlpatterns = [
    path("movements/", movements.MovementListView.as_view(), name="movement-list"),
    path("movements/new/", movements.MovementCreateView.as_view(), name="movement-create"),
    path(
        "movements/<int:pk>/edit/", movements.MovementUpdateView.as_view(), name="movement-update"
    ),
    path("years/<int:pk>/pledge/new/", pledge.PledgeCreateView.as_view(), name="pledge-create"),
    path("pledges/<int:pk>/", pledge.PledgeDetailView.as_view(), name="pledge-detail"),
    path(
        "pledges/<int:pk>/history/",
        record_history(selectors.pledges_for_user, "pledges.pledge"),
        name="pledge-history",
    ),
    path("pledges/<int:pk>/edit/", pledge.PledgeUpdateView.as_view(), name="pledge-update"),
    path("pledges/<int:pk>/sign/", pledge.pledge_sign, name="pledge-sign"),
    path("pledges/<int:pk>/reopen/", pledge.pledge_reopen, name="pledge-reopen"),
    path("pledges/<int:pk>/targets/", pledge.TargetsView.as_view(), name="pledge-targets"),
    path("pledges/<int:pk>/targets/copy/", pledge.pledge_copy_targets, name="pledge-copy-targets"),
    path(
        "pledges/<int:pk>/commitments/",
        grids.CommitmentGridView.as_view(),
        name="pledge-commitments",
    ),
    path(
        "pledges/<int:pk>/commitments.xlsx",
        excel.CommitmentsDownloadView.as_view(),
        name="pledge-commitments-xlsx",
    ),
    path(
        "pledges/<int:pk>/commitments/import/",
        excel.CommitmentsImportView.as_view(),
        name="pledge-commitments-import",
    ),
    path(
        "pledges/<int:pk>/registrations/",
        grids.RegistrationGridView.as_view(),
        name="pledge-registrations",
    ),
    path(
        "pledges/<int:pk>/signatures/",
        grids.SignatureGridView.as_view(),
        name="pledge-signatures",
    ),
    path("pledges/<int:pk>/periods/new/", periods.PeriodCreateView.as_view(), name="period-create"),
    path("pledges/<int:pk>/pledge.pdf", documents.pledge_pdf, name="pledge-pdf"),
    path("pledges/<int:pk>/pledge.docx", documents.pledge_docx, name="pledge-docx"),
    path("periods/<int:pk>/", periods.PeriodDetailView.as_view(), name="period-detail"),
    path("periods/<int:pk>/results/", periods.ResultGridView.as_view(), name="period-results"),
    path(
        "periods/<int:pk>/expectations/",
        periods.ExpectationsView.as_view(),
        name="period-expectations",
    ),
    path(
        "periods/<int:pk>/results.xlsx",
        excel.ResultsDownloadView.as_view(),
        name="period-results-xlsx",
    ),
    path(
        "periods/<int:pk>/results/import/",
        excel.ResultsImportView.as_view(),
        name="period-results-import",
    ),
    path(
        "periods/<int:pk>/members/<int:member_pk>/",
        periods.MemberResultsView.as_view(),
        name="period-member",
    ),
    path("results/<int:pk>/attachment/", periods.result_attachment, name="result-attachment"),
]
