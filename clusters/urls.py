from django.urls import path

from clusters import catalogue_views, rule_views, selectors, views

app_name = "clusters"

urlpatterns = [
    path("units/", views.UnitListView.as_view(), name="unit-list"),
    path("units/new/", views.UnitCreateView.as_view(), name="unit-create"),
    path("units/<int:pk>/", views.UnitDetailView.as_view(), name="unit-detail"),
    path(
        "units/<int:pk>/history/",
        views.record_history(selectors.units_for_user, "clusters.unit"),
        name="unit-history",
    ),
    path("units/<int:pk>/edit/", views.UnitUpdateView.as_view(), name="unit-update"),
    path(
        "units/<int:pk>/successors/new/",
        views.UnitSuccessionCreateView.as_view(),
        name="unitsuccession-create",
    ),
    path(
        "successions/<int:pk>/delete/",
        views.unit_succession_delete,
        name="unitsuccession-delete",
    ),
    path("clusters/", views.ClusterListView.as_view(), name="cluster-list"),
    path("clusters/new/", views.ClusterCreateView.as_view(), name="cluster-create"),
    path("clusters/<int:pk>/", views.ClusterDetailView.as_view(), name="cluster-detail"),
    path("clusters/<int:pk>/edit/", views.ClusterUpdateView.as_view(), name="cluster-update"),
    path(
        "clusters/<int:pk>/years/new/",
        views.ClusterYearCreateView.as_view(),
        name="clusteryear-create",
    ),
    path("years/", views.ClusterYearListView.as_view(), name="clusteryear-list"),
    path("years/<int:pk>/", views.ClusterYearDetailView.as_view(), name="clusteryear-detail"),
    path(
        "years/<int:pk>/history/",
        views.record_history(selectors.cluster_years_for_user, "clusters.clusteryear"),
        name="clusteryear-history",
    ),
    path("years/<int:pk>/edit/", views.ClusterYearUpdateView.as_view(), name="clusteryear-update"),
    path("years/<int:pk>/roll-over/", views.clusteryear_roll_over, name="clusteryear-roll-over"),
    path("people/", views.PersonListView.as_view(), name="person-list"),
    path("people/new/", views.PersonCreateView.as_view(), name="person-create"),
    path("people/<int:pk>/", views.PersonDetailView.as_view(), name="person-detail"),
    path("people/<int:pk>/edit/", views.PersonUpdateView.as_view(), name="person-update"),
    path("accounts/users/", views.AccountListView.as_view(), name="account-list"),
    path("rule-sets/", views.RuleSetListView.as_view(), name="ruleset-list"),
    path("accounts/users/new/", views.AccountCreateView.as_view(), name="account-create"),
    path(
        "years/<int:pk>/elected/",
        views.clusteryear_take_elected,
        name="clusteryear-take-elected",
    ),
]

urlpatterns += [
    path("rule-sets/new/", rule_views.RuleSetCreateView.as_view(), name="ruleset-create"),
    path("rule-sets/<int:pk>/", rule_views.RuleSetDetailView.as_view(), name="ruleset-detail"),
    path("rule-sets/<int:pk>/edit/", rule_views.RuleSetUpdateView.as_view(), name="ruleset-update"),
    path("rule-sets/<int:pk>/copy/", rule_views.RuleSetCopyView.as_view(), name="ruleset-copy"),
    path(
        "rule-sets/<int:pk>/rules/new/",
        rule_views.VoteRuleCreateView.as_view(),
        name="voterule-create",
    ),
    path(
        "vote-rules/<int:pk>/edit/",
        rule_views.VoteRuleUpdateView.as_view(),
        name="voterule-update",
    ),
    path("vote-rules/<int:pk>/delete/", rule_views.vote_rule_delete, name="voterule-delete"),
    path(
        "rule-sets/<int:pk>/award-rules/new/",
        rule_views.AwardRuleCreateView.as_view(),
        name="awardrule-create",
    ),
    path(
        "award-rules/<int:pk>/edit/",
        rule_views.AwardRuleUpdateView.as_view(),
        name="awardrule-update",
    ),
    path("award-rules/<int:pk>/delete/", rule_views.award_rule_delete, name="awardrule-delete"),
    path("award-types/", catalogue_views.AwardTypeListView.as_view(), name="awardtype-list"),
    path(
        "award-types/new/", catalogue_views.AwardTypeCreateView.as_view(), name="awardtype-create"
    ),
    path(
        "award-types/<int:pk>/edit/",
        catalogue_views.AwardTypeUpdateView.as_view(),
        name="awardtype-update",
    ),
]
