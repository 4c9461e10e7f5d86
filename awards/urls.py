from django.urls import path

from awards import urls_records, urls_statistics, views

app_name = "awards"

urlpatterns = [
    path("awards/", views.AwardListView.as_view(), name="award-list"),
    path("awards/new/", views.AwardCreateView.as_view(), name="award-create"),
    path("awards/inbox/", views.InboxView.as_view(), name="inbox"),
    path("awards/bulk/", views.award_bulk, name="award-bulk"),
    path("awards/decide/", views.award_decide, name="award-decide"),
    path("awards/present/", views.award_present, name="award-present"),
    path("awards/<int:pk>/", views.AwardDetailView.as_view(), name="award-detail"),
    path("awards/<int:pk>/edit/", views.AwardUpdateView.as_view(), name="award-update"),
    path("awards/<int:pk>/submit/", views.award_submit, name="award-submit"),
    path("awards/<int:pk>/accept/", views.award_accept, name="award-accept"),
    path("awards/<int:pk>/return/", views.award_return, name="award-return"),
    path("awards/<int:pk>/reject/", views.award_reject, name="award-reject"),
    path("awards/<int:pk>/override/", views.award_override, name="award-override"),
    path("awards/<int:pk>/delete/", views.award_delete, name="award-delete"),
    path("years/<int:pk>/awards/", views.year_awards, name="year-awards"),
    path("years/<int:pk>/awards/from-votes/", views.awards_from_votes, name="awards-from-votes"),
    path(
        "years/<int:pk>/awards/from-ranking/",
        views.awards_from_ranking,
        name="awards-from-ranking",
    ),
    path("decisions/", views.DecisionListView.as_view(), name="decision-list"),
    path("decisions/new/", views.DecisionCreateView.as_view(), name="decision-create"),
    path("decisions/<int:pk>/", views.DecisionDetailView.as_view(), name="decision-detail"),
    path("decisions/<int:pk>/edit/", views.DecisionUpdateView.as_view(), name="decision-update"),
]

urlpatterns += urls_records.urlpatterns + urls_statistics.urlpatterns
