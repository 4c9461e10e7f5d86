from django.urls import path

from reports import views

app_name = "reports"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("search/", views.search, name="search"),
    path("years/<int:pk>/package/", views.year_package_start, name="year-package"),
    path("years/<int:pk>/reports/", views.report_list, name="report-list"),
    path(
        "years/<int:pk>/reports/<slug:kind>/texts/",
        views.reporttext_edit,
        name="reporttext-edit",
    ),
    path(
        "years/<int:pk>/reports/<slug:kind>/<slug:fmt>/",
        views.report_download,
        name="report-download",
    ),
    path("exports/<int:pk>/", views.export_detail, name="export-detail"),
    path("exports/<int:pk>/download/", views.export_download, name="export-download"),
]
