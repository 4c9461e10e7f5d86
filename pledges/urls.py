from django.urls import path

from pledges import views

app_name = "pledges"

urlpatterns = [
    path("movements/", views.MovementListView.as_view(), name="movement-list"),
    path("movements/new/", views.MovementCreateView.as_view(), name="movement-create"),
    path("movements/<int:pk>/edit/", views.MovementUpdateView.as_view(), name="movement-update"),
    path("years/<int:pk>/pledge/new/", views.PledgeCreateView.as_view(), name="pledge-create"),
    path("pledges/<int:pk>/", views.PledgeDetailView.as_view(), name="pledge-detail"),
    path("pledges/<int:pk>/edit/", views.PledgeUpdateView.as_view(), name="pledge-update"),
    path("pledges/<int:pk>/sign/", views.pledge_sign, name="pledge-sign"),
    path("pledges/<int:pk>/reopen/", views.pledge_reopen, name="pledge-reopen"),
    path("pledges/<int:pk>/targets/", views.TargetsView.as_view(), name="pledge-targets"),
    path("pledges/<int:pk>/targets/copy/", views.pledge_copy_targets, name="pledge-copy-targets"),
    path(
        "pledges/<int:pk>/commitments/",
        views.CommitmentGridView.as_view(),
        name="pledge-commitments",
    ),
    path(
        "pledges/<int:pk>/commitments.xlsx",
        views.CommitmentsDownloadView.as_view(),
        name="pledge-commitments-xlsx",
    ),
    path(
        "pledges/<int:pk>/commitments/import/",
        views.CommitmentsImportView.as_view(),
        name="pledge-commitments-import",
    ),
    path(
        "pledges/<int:pk>/registrations/",
        views.RegistrationGridView.as_view(),
        name="pledge-registrations",
    ),
    path(
        "pledges/<int:pk>/signatures/",
        views.SignatureGridView.as_view(),
        name="pledge-signatures",
    ),
    path("pledges/<int:pk>/periods/new/", views.PeriodCreateView.as_view(), name="period-create"),
    path("pledges/<int:pk>/pledge.pdf", views.pledge_pdf, name="pledge-pdf"),
    path("pledges/<int:pk>/pledge.docx", views.pledge_docx, name="pledge-docx"),
    path("periods/<int:pk>/", views.PeriodDetailView.as_view(), name="period-detail"),
    path("periods/<int:pk>/results/", views.ResultGridView.as_view(), name="period-results"),
    path(
        "periods/<int:pk>/results.xlsx",
        views.ResultsDownloadView.as_view(),
        name="period-results-xlsx",
    ),
    path(
        "periods/<int:pk>/results/import/",
        views.ResultsImportView.as_view(),
        name="period-results-import",
    ),
    path(
        "periods/<int:pk>/members/<int:member_pk>/",
        views.MemberResultsView.as_view(),
        name="period-member",
    ),
    path("results/<int:pk>/attachment/", views.result_attachment, name="result-attachment"),
]
