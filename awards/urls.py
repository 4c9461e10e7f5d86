from django.urls import path

from awards import urls_records, urls_statistics, views

app_name = "awards"

urlpatterns = [
    path("awards/", views.AwardListView.as_view(), name="award-list"),
]

urlpatterns += urls_records.urlpatterns + urls_statistics.urlpatterns
