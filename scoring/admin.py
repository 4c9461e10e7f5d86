from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from scoring.models import CriteriaSheet, Criterion, Score


class CriterionInline(admin.TabularInline):
    model = Criterion
    extra = 0
    fields = ["order", "kind", "group", "name", "max_points", "is_veto", "guidance"]


@admin.register(CriteriaSheet)
class CriteriaSheetAdmin(SimpleHistoryAdmin):
    list_display = ["name", "cluster_year", "status", "tie_rule", "revision"]
    list_filter = ["status", "tie_rule"]
    list_select_related = ["cluster_year", "cluster_year__cluster"]
    search_fields = ["name", "cluster_year__cluster__search_text"]
    readonly_fields = [
        "status",
        "revision",
        "locked_at",
        "approved_meeting",
        "approved_at",
        "approved_by",
    ]
    raw_id_fields = ["cluster_year"]
    inlines = [CriterionInline]


@admin.register(Score)
class ScoreAdmin(SimpleHistoryAdmin):
    list_display = [
        "member",
        "criterion",
        "self_score",
        "cluster_score",
        "board_score",
        "updated_by",
        "updated_at",
    ]
    list_select_related = ["member__unit", "criterion", "updated_by"]
    list_filter = ["criterion__sheet"]
    raw_id_fields = ["criterion", "member"]
    readonly_fields = ["revision", "updated_by", "updated_at"]
