from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from clusters.models import (
    AwardRule,
    Cluster,
    ClusterMember,
    ClusterYear,
    OrganizingBody,
    Role,
    RuleSet,
    Unit,
    UnitSuccession,
    VoteRule,
)


@admin.register(OrganizingBody)
class OrganizingBodyAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "level", "place"]
    search_fields = ["name", "short_name"]


@admin.register(Role)
class RoleAdmin(admin.ModelAdmin):
    list_display = ["user", "body", "kind", "position"]
    list_filter = ["kind", "body"]
    list_select_related = ["user", "body"]
    autocomplete_fields = ["user"]
    search_fields = ["user__username", "user__first_name"]


class SuccessionInline(admin.TabularInline):
    model = UnitSuccession
    fk_name = "predecessor"
    extra = 0
    autocomplete_fields = ["successor"]


@admin.register(Unit)
class UnitAdmin(SimpleHistoryAdmin):
    list_display = ["name", "short_name", "kind", "body", "active_from", "active_to"]
    list_filter = ["kind", "body"]
    list_select_related = ["body"]
    search_fields = ["search_text"]
    autocomplete_fields = ["parent"]
    inlines = [SuccessionInline]


@admin.register(Cluster)
class ClusterAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "level", "body"]
    list_filter = ["kind", "level", "body"]
    list_select_related = ["body"]
    search_fields = ["search_text"]


class MemberInline(admin.TabularInline):
    model = ClusterMember
    extra = 0
    autocomplete_fields = ["unit"]


@admin.register(ClusterYear)
class ClusterYearAdmin(SimpleHistoryAdmin):
    list_display = ["cluster", "year"]
    list_filter = ["year"]
    list_select_related = ["cluster"]
    search_fields = ["cluster__search_text"]
    filter_horizontal = ["secretaries"]
    autocomplete_fields = ["next_head", "next_deputy"]
    inlines = [MemberInline]


class ReadOnlyAdminMixin:
    """Shown, never changed here: the product's own pages change it, with the checks that
    keep history (a rule a held vote followed, or a decided award was judged by, never
    changes)."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class VoteRuleInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = VoteRule
    extra = 0


class AwardRuleInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = AwardRule
    extra = 0
    fields = [
        "award_type",
        "chain",
        "quota_per_cluster",
        "quota_percent",
        "requires_vote",
        "prerequisite",
        "prerequisite_years",
        "initiative_level",
        "ranking_from",
        "ranking_to",
        "deadline_day",
        "deadline_month",
        "deadline_next_year",
    ]


@admin.register(RuleSet)
class RuleSetAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    list_display = ["name", "body", "effective_from", "effective_to"]
    list_filter = ["body"]
    list_select_related = ["body"]
    inlines = [VoteRuleInline, AwardRuleInline]
