"""The annual emulation pledge (giao ước thi đua) of a cluster year.

A pledge has a theme, a body text, the movements it carries out and grouped targets
(chỉ tiêu). Each member commits a value per target, registers the titles it aims for,
signs, and reports its actual values per period (mid-year, year-end, custom).
Status changes only through ``pledges.services``; every row is audited.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from clusters.models import AwardType, ClusterMember, ClusterYear, OrganizingBody, SearchableModel

VALUE_DIGITS = 18
VALUE_DECIMALS = 4


def value_field(verbose_name, **kwargs):
    return models.DecimalField(
        verbose_name,
        max_digits=VALUE_DIGITS,
        decimal_places=VALUE_DECIMALS,
        null=True,
        blank=True,
        **kwargs,
    )


class Movement(SearchableModel):
    """An emulation movement (phong trào thi đua), reusable across clusters and years.

    National movements (launched by the Prime Minister) have no body; a province's own
    movements belong to its body.
    """

    name = models.CharField(_("name"), max_length=500)
    launched_by = models.CharField(
        _("launched by"), max_length=255, help_text=_("E.g. Thủ tướng Chính phủ, UBND tỉnh.")
    )
    start_date = models.DateField(_("start"), null=True, blank=True)
    end_date = models.DateField(_("end"), null=True, blank=True)
    description = models.TextField(_("description"), blank=True)
    body = models.ForeignKey(
        OrganizingBody,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="movements",
        verbose_name=_("movement of"),
        help_text=_("Empty for a national movement."),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("emulation movement")
        verbose_name_plural = _("emulation movements")
        ordering = ["sort_key", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gte=models.F("start_date")),
                name="movement_dates_in_order",
                violation_error_message=_("The end date must not be before the start date."),
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("pledges:movement-update", args=[self.pk])

    def search_sources(self):
        return [self.name, self.launched_by]

    def sort_source(self):
        return self.name


class PledgeMovement(models.Model):
    """A movement the pledge takes part in, at the place the user put it.

    The printed pledge lists movements in this order, the order in which they were
    chosen, not alphabetically.
    """

    pledge = models.ForeignKey("pledges.Pledge", on_delete=models.CASCADE)
    movement = models.ForeignKey(Movement, on_delete=models.CASCADE)
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        db_table = "pledges_pledge_movements"
        ordering = ["order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["pledge", "movement"], name="pledge_movement_once_per_pledge"
            ),
        ]

    def __str__(self):
        return f"{self.order + 1}. {self.movement}"


class Pledge(models.Model):
    """The emulation pledge of one cluster year."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SIGNED = "signed", _("Signed")

    cluster_year = models.OneToOneField(
        ClusterYear, on_delete=models.PROTECT, related_name="pledge", verbose_name=_("year")
    )
    theme = models.CharField(
        _("theme"),
        max_length=500,
        help_text=_("The slogan of the year's emulation, e.g. “Đoàn kết, sáng tạo, …”."),
    )
    body = models.TextField(
        _("text of the pledge"),
        blank=True,
        help_text=_("Plain text or Markdown (headings, lists, bold). HTML is not allowed."),
    )
    movements = models.ManyToManyField(
        Movement,
        blank=True,
        related_name="pledges",
        through=PledgeMovement,
        verbose_name=_("emulation movements"),
    )
    signed_on = models.DateField(_("signing date"), null=True, blank=True)
    signed_place = models.CharField(_("signing place"), max_length=255, blank=True)
    # Only pledges.services changes the status.
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT, editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(m2m_fields=[movements])

    class Meta:
        verbose_name = _("emulation pledge")
        verbose_name_plural = _("emulation pledges")

    def __str__(self):
        return _("Pledge %(year)s — %(cluster)s") % {
            "year": self.cluster_year.year,
            "cluster": self.cluster_year.cluster.name,
        }

    def get_absolute_url(self):
        return reverse("pledges:pledge-detail", args=[self.pk])

    @property
    def is_signed(self) -> bool:
        return self.status == self.Status.SIGNED


class Target(models.Model):
    """A target (chỉ tiêu) of the pledge, in a named group, with how it is measured."""

    class Measure(models.TextChoices):
        NUMBER = "number", _("Number")
        PERCENT = "percent", _("Percentage")
        BOOLEAN = "boolean", _("Yes / no")
        TEXT = "text", _("Text")

    class Direction(models.TextChoices):
        HIGHER = "higher", _("Higher is better")
        LOWER = "lower", _("Lower is better")

    pledge = models.ForeignKey(
        Pledge, on_delete=models.CASCADE, related_name="targets", verbose_name=_("pledge")
    )
    group = models.CharField(
        _("group"),
        max_length=255,
        blank=True,
        help_text=_("E.g. Kinh tế; Văn hóa - Xã hội; Quốc phòng - An ninh."),
    )
    order = models.PositiveIntegerField(_("order"), default=0)
    name = models.CharField(_("target"), max_length=500)
    measure = models.CharField(
        _("measure"), max_length=10, choices=Measure.choices, default=Measure.NUMBER
    )
    unit_of_measure = models.CharField(
        _("unit of measure"), max_length=50, blank=True, help_text=_("E.g. tỷ đồng, km, hộ.")
    )
    direction = models.CharField(
        _("direction"), max_length=10, choices=Direction.choices, default=Direction.HIGHER
    )
    weight = models.DecimalField(_("weight"), max_digits=6, decimal_places=2, null=True, blank=True)
    cluster_value = value_field(_("cluster-wide value"))
    note = models.CharField(_("note"), max_length=500, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        ordering = ["order", "pk"]
        indexes = [models.Index(fields=["pledge", "order"], name="target_pledge_order_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(weight__isnull=True) | Q(weight__gte=0),
                name="target_weight_not_negative",
                violation_error_message=_("The weight cannot be negative."),
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def is_numeric(self) -> bool:
        return self.measure in (self.Measure.NUMBER, self.Measure.PERCENT)

    @property
    def unit_label(self) -> str:
        return "%" if self.measure == self.Measure.PERCENT else self.unit_of_measure


class EntryStamp(models.Model):
    """Who entered a row and when."""

    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("entered by"),
    )
    updated_at = models.DateTimeField(_("entered at"), auto_now=True)

    class Meta:
        abstract = True


class Commitment(EntryStamp):
    """A member's committed value for one target."""

    target = models.ForeignKey(
        Target, on_delete=models.CASCADE, related_name="commitments", verbose_name=_("target")
    )
    member = models.ForeignKey(
        ClusterMember,
        on_delete=models.PROTECT,
        related_name="commitments",
        verbose_name=_("member unit"),
    )
    value = value_field(_("committed value"))
    text = models.CharField(_("committed text"), max_length=500, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")
        constraints = [
            models.UniqueConstraint(
                fields=["target", "member"],
                name="commitment_once_per_target_and_member",
                violation_error_message=_("This member already has a commitment for this target."),
            ),
        ]

    def __str__(self):
        return f"{self.member.unit} — {self.target}"


class Registration(EntryStamp):
    """A member's title registration (đăng ký thi đua) for the pledge's year.

    The titles it aims for as a unit (e.g. Cờ thi đua của Chính phủ) and how many of
    its collectives and individuals registered for titles (e.g. 1.524 and 18.568).
    """

    pledge = models.ForeignKey(
        Pledge, on_delete=models.CASCADE, related_name="registrations", verbose_name=_("pledge")
    )
    member = models.ForeignKey(
        ClusterMember,
        on_delete=models.PROTECT,
        related_name="registrations",
        verbose_name=_("member unit"),
    )
    titles = models.ManyToManyField(
        AwardType, blank=True, related_name="registrations", verbose_name=_("titles registered")
    )
    collectives = models.PositiveIntegerField(_("collectives registered"), null=True, blank=True)
    individuals = models.PositiveIntegerField(_("individuals registered"), null=True, blank=True)
    history = HistoricalRecords(m2m_fields=[titles])

    class Meta:
        verbose_name = _("title registration")
        verbose_name_plural = _("title registrations")
        constraints = [
            models.UniqueConstraint(
                fields=["pledge", "member"],
                name="registration_once_per_member",
                violation_error_message=_("This member already has a registration."),
            ),
        ]

    def __str__(self):
        return f"{self.member.unit} — {self.pledge}"


class Signature(EntryStamp):
    """A member unit's signature of the pledge, with its representative."""

    pledge = models.ForeignKey(
        Pledge, on_delete=models.CASCADE, related_name="signatures", verbose_name=_("pledge")
    )
    member = models.ForeignKey(
        ClusterMember,
        on_delete=models.PROTECT,
        related_name="signatures",
        verbose_name=_("member unit"),
    )
    signer_name = models.CharField(_("representative"), max_length=150, blank=True)
    signer_position = models.CharField(_("position"), max_length=255, blank=True)
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("signature")
        verbose_name_plural = _("signatures")
        constraints = [
            models.UniqueConstraint(
                fields=["pledge", "member"],
                name="signature_once_per_member",
                violation_error_message=_("This member has already signed."),
            ),
        ]

    def __str__(self):
        return f"{self.member.unit} — {self.pledge}"


class Period(models.Model):
    """A reporting period of the pledge: mid-year, year-end, or a custom one."""

    class Kind(models.TextChoices):
        MID_YEAR = "mid_year", _("Mid-year review (sơ kết)")
        YEAR_END = "year_end", _("Year-end review (tổng kết)")
        CUSTOM = "custom", _("Other period")

    pledge = models.ForeignKey(
        Pledge, on_delete=models.CASCADE, related_name="periods", verbose_name=_("pledge")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=255)
    ends_on = models.DateField(_("up to"), help_text=_("The last day the results cover."))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("reporting period")
        verbose_name_plural = _("reporting periods")
        ordering = ["ends_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["pledge", "kind"],
                condition=~Q(kind="custom"),
                name="period_one_mid_year_and_year_end",
                violation_error_message=_("The pledge already has this period."),
            ),
            models.UniqueConstraint(
                fields=["pledge", "name"],
                name="period_name_unique_in_pledge",
                violation_error_message=_("The pledge already has a period with this name."),
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("pledges:period-detail", args=[self.pk])


def evidence_path(instance, filename):
    return f"evidence/{instance.period.pledge_id}/{instance.period_id}/{filename}"


class Result(EntryStamp):
    """A member's actual value for one target in one period, with its evidence."""

    period = models.ForeignKey(
        Period, on_delete=models.CASCADE, related_name="results", verbose_name=_("period")
    )
    target = models.ForeignKey(
        Target, on_delete=models.CASCADE, related_name="results", verbose_name=_("target")
    )
    member = models.ForeignKey(
        ClusterMember, on_delete=models.PROTECT, related_name="results", verbose_name=_("member")
    )
    value = value_field(_("actual value"))
    text = models.CharField(_("actual text"), max_length=500, blank=True)
    evidence = models.TextField(_("evidence note"), blank=True)
    attachment = models.FileField(
        _("evidence file"), upload_to=evidence_path, max_length=300, blank=True
    )
    attachment_name = models.CharField(
        _("attachment name"), max_length=255, blank=True, editable=False
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("result")
        verbose_name_plural = _("results")
        constraints = [
            models.UniqueConstraint(
                fields=["period", "target", "member"],
                name="result_once_per_period_target_member",
                violation_error_message=_("This result is already recorded."),
            ),
        ]

    def __str__(self):
        return f"{self.member.unit} — {self.target} — {self.period}"


class TargetExpectation(models.Model):
    """The share of a target's full-year commitment the cluster expects by the end of a
    period (mức phấn đấu của kỳ), e.g. 100 % of the recruitment target by the mid-year
    review because recruitment ends in March.

    Without a row, the share follows the calendar (``pledges.attainment.default_share``).
    """

    target = models.ForeignKey(
        Target, on_delete=models.CASCADE, related_name="expectations", verbose_name=_("target")
    )
    period = models.ForeignKey(
        Period, on_delete=models.CASCADE, related_name="expectations", verbose_name=_("period")
    )
    share_percent = models.DecimalField(
        _("expected share (%)"),
        max_digits=5,
        decimal_places=2,
        help_text=_("The part of the full-year commitment expected by the end of the period."),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("expected share")
        verbose_name_plural = _("expected shares")
        constraints = [
            models.UniqueConstraint(
                fields=["target", "period"],
                name="expectation_once_per_target_and_period",
                violation_error_message=_("This target already has a share for this period."),
            ),
            models.CheckConstraint(
                condition=Q(share_percent__gte=0) & Q(share_percent__lte=100),
                name="expectation_share_between_0_and_100",
                violation_error_message=_("The expected share must be between 0 and 100."),
            ),
        ]

    def __str__(self):
        return f"{self.target} — {self.period}: {self.share_percent}%"
