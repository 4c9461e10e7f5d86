"""Criteria sheets, scores and (computed) rankings of a cluster year.

A cluster year has one criteria sheet (bảng chấm điểm): criteria in ordered groups, each
with a maximum, plus bonus items and deduction items whose totals are capped by the
sheet. Members are scored per criterion at three levels — their own self-score (with an
evidence note), the cluster's cross-check and the Ban TĐKT's verification — and the
highest level present counts. Totals and ranks are never stored: ``scoring.selectors``
computes them from the scores every time.

The sheet's status moves draft → scoring (locked: the first score was saved) → approved
(the year-end meeting approved the ranking) only through ``scoring.services``; every row
is audited, and score corrections after approval carry their reason in the history.
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from clusters.models import ClusterMember, ClusterYear

POINT_DIGITS = 7
POINT_DECIMALS = 2


def points_field(verbose_name, **kwargs):
    return models.DecimalField(
        verbose_name, max_digits=POINT_DIGITS, decimal_places=POINT_DECIMALS, **kwargs
    )


class TieRule(models.TextChoices):
    """How members with the same total are ordered; still tied, they share the rank.

    Every rule compares the points as counted on the results page: the group totals of
    counted scores and the deductions after their cap.
    """

    FIRST_GROUP_THEN_DEDUCTIONS = (
        "first_group",
        _("Higher score in the first group, then fewer deductions"),
    )
    DEDUCTIONS_THEN_FIRST_GROUP = (
        "fewer_deductions",
        _("Fewer deductions, then higher score in the first group"),
    )
    GROUPS_IN_ORDER = "groups_in_order", _("Higher score group by group, in the sheet's order")


TIE_RULE_EXPLANATIONS = {
    TieRule.FIRST_GROUP_THEN_DEDUCTIONS: _(
        "Of two members with the same total, the one with more points in the first group "
        "of criteria (usually the political tasks) ranks higher; if those are equal too, "
        "the one with fewer deduction points."
    ),
    TieRule.DEDUCTIONS_THEN_FIRST_GROUP: _(
        "Of two members with the same total, the one with fewer deduction points ranks "
        "higher; if those are equal too, the one with more points in the first group."
    ),
    TieRule.GROUPS_IN_ORDER: _(
        "Of two members with the same total, compare the first group of criteria, then the "
        "second, and so on; the first group that differs decides."
    ),
}


class CriteriaSheet(models.Model):
    """The criteria sheet (bảng chấm điểm thi đua) of one cluster year.

    ``revision`` counts score saves: a grid form carries the revision it was loaded at,
    and a save made from an older revision is refused (see ``services.scores_save``).
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SCORING = "scoring", _("Scoring (sheet locked)")
        APPROVED = "approved", _("Ranking approved")

    cluster_year = models.OneToOneField(
        ClusterYear, on_delete=models.PROTECT, related_name="criteria_sheet", verbose_name=_("year")
    )
    name = models.CharField(
        _("name"),
        max_length=255,
        help_text=_("E.g. “Bảng chấm điểm thi đua năm 2022”."),
    )
    bonus_cap = points_field(
        _("cap on bonus points"),
        default=Decimal(0),
        help_text=_("The bonus items together count for at most this many points."),
    )
    deduction_cap = points_field(
        _("cap on deductions"),
        default=Decimal(0),
        help_text=_("The deduction items together take away at most this many points."),
    )
    tie_rule = models.CharField(
        _("tie rule"),
        max_length=20,
        choices=TieRule.choices,
        default=TieRule.FIRST_GROUP_THEN_DEDUCTIONS,
    )
    note = models.TextField(_("note"), blank=True)
    # Only scoring.services changes the fields below.
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT, editable=False
    )
    revision = models.PositiveIntegerField(_("revision"), default=0, editable=False)
    locked_at = models.DateTimeField(_("locked at"), null=True, blank=True, editable=False)
    approved_meeting = models.ForeignKey(
        "meetings.Meeting",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="approved_sheets",
        verbose_name=_("approved at the meeting"),
        editable=False,
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True, editable=False)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approval recorded by"),
        editable=False,
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(excluded_fields=["revision", "updated_at"])

    class Meta:
        verbose_name = _("criteria sheet")
        verbose_name_plural = _("criteria sheets")
        constraints = [
            models.CheckConstraint(
                condition=Q(bonus_cap__gte=0) & Q(deduction_cap__gte=0),
                name="criteriasheet_caps_not_negative",
                violation_error_message=_("The caps cannot be negative."),
            ),
            models.CheckConstraint(
                condition=~Q(status="approved") | Q(approved_meeting__isnull=False),
                name="criteriasheet_approved_at_a_meeting",
                violation_error_message=_("An approved ranking names its meeting."),
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("scoring:criteriasheet-detail", args=[self.pk])

    @property
    def is_locked(self) -> bool:
        """Criteria can no longer change: scoring has started."""
        return self.status != self.Status.DRAFT

    @property
    def is_approved(self) -> bool:
        return self.status == self.Status.APPROVED

    @property
    def tie_rule_explanation(self) -> str:
        return TIE_RULE_EXPLANATIONS[self.tie_rule]


class Criterion(models.Model):
    """A line of the sheet: a criterion in a group, a bonus item or a deduction item.

    A veto criterion (tiêu chí không được xếp thứ nhất) bars first place: a member whose
    counted score on it is below its maximum cannot rank first.
    """

    class Kind(models.TextChoices):
        CRITERION = "criterion", _("Criterion")
        BONUS = "bonus", _("Bonus item")
        DEDUCTION = "deduction", _("Deduction item")

    sheet = models.ForeignKey(
        CriteriaSheet,
        on_delete=models.CASCADE,
        related_name="criteria",
        verbose_name=_("criteria sheet"),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.CRITERION)
    group = models.CharField(
        _("group"),
        max_length=255,
        blank=True,
        help_text=_("E.g. Thực hiện nhiệm vụ chính trị. Bonus and deduction items have none."),
    )
    order = models.PositiveIntegerField(_("order"), default=0)
    name = models.CharField(_("criterion"), max_length=500)
    max_points = points_field(_("maximum points"))
    is_veto = models.BooleanField(
        _("veto"),
        default=False,
        help_text=_("A member scored below the maximum here cannot rank first."),
    )
    guidance = models.CharField(
        _("how to score"),
        max_length=500,
        blank=True,
        help_text=_("The evidence expected, or how points are taken off."),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        ordering = ["order", "pk"]
        indexes = [models.Index(fields=["sheet", "order"], name="criterion_sheet_order_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(max_points__gt=0),
                name="criterion_max_points_positive",
                violation_error_message=_("The maximum must be more than zero."),
            ),
            models.CheckConstraint(
                condition=Q(is_veto=False) | Q(kind="criterion"),
                name="criterion_veto_only_on_criteria",
                violation_error_message=_("Only a criterion, not a bonus or deduction, can veto."),
            ),
        ]

    def __str__(self):
        return self.name


class Level(models.TextChoices):
    """Who gave a score. The highest level present is the one that counts."""

    SELF = "self", _("Self-score")
    CLUSTER = "cluster", _("Cluster-verified")
    BOARD = "board", _("Board-verified (Ban TĐKT)")

    @property
    def field_name(self) -> str:
        return f"{self.value}_score"


class Score(models.Model):
    """A member's points on one criterion, at each level, with the self-score's evidence.

    Rows are never deleted (a cleared cell keeps its row with an empty value), so the
    history of every score stays attached to it. ``revision`` is the sheet revision of
    the save that last changed the row: the stale-form check reads what changed since a
    revision from the history rows.
    """

    criterion = models.ForeignKey(
        Criterion, on_delete=models.CASCADE, related_name="scores", verbose_name=_("criterion")
    )
    member = models.ForeignKey(
        ClusterMember, on_delete=models.PROTECT, related_name="scores", verbose_name=_("member")
    )
    self_score = points_field(_("self-score"), null=True, blank=True)
    evidence = models.TextField(_("evidence note"), blank=True)
    cluster_score = points_field(_("cluster-verified score"), null=True, blank=True)
    board_score = points_field(_("board-verified score"), null=True, blank=True)
    revision = models.PositiveIntegerField(_("revision"), default=0, editable=False)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("entered by"),
    )
    updated_at = models.DateTimeField(_("entered at"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [
            models.UniqueConstraint(
                fields=["criterion", "member"],
                name="score_once_per_criterion_and_member",
                violation_error_message=_("This member already has a score for this criterion."),
            ),
            models.CheckConstraint(
                condition=(Q(self_score__isnull=True) | Q(self_score__gte=0))
                & (Q(cluster_score__isnull=True) | Q(cluster_score__gte=0))
                & (Q(board_score__isnull=True) | Q(board_score__gte=0)),
                name="score_not_negative",
                violation_error_message=_("Scores cannot be negative."),
            ),
        ]

    def __str__(self):
        return f"{self.member.unit} — {self.criterion}"

    def value(self, level: Level):
        return getattr(self, Level(level).field_name)

    @property
    def counted(self):
        """The board's score if present, else the cluster's, else the self-score."""
        for value in (self.board_score, self.cluster_score, self.self_score):
            if value is not None:
                return value
        return None
