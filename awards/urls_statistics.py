"""Addresses of the award statistics and the periodic statistical report."""

from django.urls import path

from awards import statistics_views

urlpatterns = [
    path("awards/statistics/", statistics_views.statistics, name="statistics"),
    path("awards/statistics/export/", statistics_views.statistics_export, name="statistics-export"),
    path("awards/statistics/periodic/", statistics_views.periodic, name="periodic"),
    path(
        "awards/statistics/periodic/<slug:fmt>/",
        statistics_views.periodic_download,
        name="periodic-download",
    ),
]
