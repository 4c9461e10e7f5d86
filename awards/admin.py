"""The awards in Django's admin: read, never changed there.

An award's status, stage, decision and frozen names change only through
``awards.services`` (each move audited as a step), so the admin shows the rows without
letting anyone edit, add or delete them. ``AwardAdmin`` is also the benchmark's baseline:
the plain changelist a Django developer would ship for the table (``reports.bench``).
"""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from awards.models import Award, AwardStep, Decision, Initiative, ReportedCount
from clusters.admin import ReadOnlyAdminMixin


class AwardStepInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = AwardStep
    extra = 0
    fields = ["action", "from_stage", "to_stage", "by", "at", "reason"]
    readonly_fields = fields


@admin.register(Award)
class AwardAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    list_display = ["recipient_name", "award_type", "year", "status", "decision"]
    list_filter = ["year", "award_type"]
    list_select_related = ["award_type", "decision"]
    search_fields = ["recipient_name"]
    raw_id_fields = ["cluster_year", "unit", "person", "vote", "movement"]
    inlines = [AwardStepInline]


@admin.register(Decision)
class DecisionAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    list_display = ["number", "signed_on", "authority", "signer_name", "body"]
    list_filter = ["year", "body"]
    list_select_related = ["body"]
    search_fields = ["number"]


@admin.register(Initiative)
class InitiativeAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    list_display = ["title", "person", "year", "level", "recognised_by"]
    list_filter = ["level", "year"]
    list_select_related = ["person"]
    search_fields = ["title", "person__full_name"]
    raw_id_fields = ["person"]


@admin.register(ReportedCount)
class ReportedCountAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    list_display = ["unit", "cluster_year", "period", "level", "kind", "count"]
    list_filter = ["period", "level", "kind"]
    list_select_related = ["unit", "cluster_year__cluster"]
    raw_id_fields = ["cluster_year", "unit"]
