from django.urls import path

from reports.views import audit, dashboard, exports, reports, search, summary

app_name = "reports"

urlpatterns = [
    path("", dashboard.dashboard, name="dashboard"),
    path("search/", search.search, name="search"),
    path("years/<int:pk>/package/", exports.year_package_start, name="year-package"),
    path("years/<int:pk>/reports/", reports.report_list, name="report-list"),
    path(
        "years/<int:pk>/reports/<slug:kind>/texts/",
        reports.reporttext_edit,
        name="reporttext-edit",
    ),
    path(
        "years/<int:pk>/reports/<slug:kind>/<slug:fmt>/",
        reports.report_download,
        name="report-download",
    ),
    path("audit/", audit.audit_log, name="audit-log"),
    path("summary/", summary.summary, name="summary"),
    path("summary/export/", summary.summary_export, name="summary-export"),
    path("exports/<int:pk>/", exports.export_detail, name="export-detail"),
    path("exports/<int:pk>/build/", exports.export_build_now, name="export-build-now"),
    path("exports/<int:pk>/download/", exports.export_download, name="export-download"),
]
