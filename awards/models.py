"""Awards: proposals climbing the approval chain, decisions, initiatives, reported counts.

One ``Award`` row is one award to one recipient from the day it is proposed: its
``status`` moves proposed → submitted → decided → presented (or returned, rejected) and
its ``stage`` says which level of the chain holds it, both only through
``awards.services``; every move is an ``AwardStep`` with who, when and why. The
recipient's name and position are copied onto the row and frozen when the decision is
recorded, so a rename or a merger later never rewrites a granted award.

The catalogue of award types and the rule sets they follow live in the base
(``clusters.models.AwardType``, ``AwardRule``), below the feature apps, so that this app
reads pledges, meetings, scoring and votes while none of them imports it.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from clusters.models import (
    FIRST_YEAR,
    LAST_YEAR,
    AwardRule,
    AwardType,
    ClusterYear,
    InitiativeLevel,
    OrganizingBody,
    Person,
    SearchableModel,
    Stage,
    Unit,
)
from core.text import person_sort_key
from core.unicode import NormalizedTextModel
from meetings.models import Meeting
from pledges.models import Movement
from votes.models import Vote


class Occasion(models.TextChoices):
    """Why an award is given; provinces count and process each apart."""

    REGULAR = "regular", _("Yearly achievements (thường xuyên)")
    CAMPAIGN = "campaign", _("By movement or campaign (theo đợt, chuyên đề)")
    AD_HOC = "ad_hoc", _("Sudden feat (đột xuất)")
    SERVICE = "service", _("Long service (cống hiến, niên hạn)")
    FOREIGN = "foreign", _("Foreign (đối ngoại)")


class RecipientKind(models.TextChoices):
    UNIT = "unit", _("Member unit")
    COLLECTIVE = "collective", _("Collective")
    INDIVIDUAL = "individual", _("Individual")
    HOUSEHOLD = "household", _("Household")


COLLECTIVE_KINDS = (RecipientKind.UNIT, RecipientKind.COLLECTIVE)


class Gender(models.TextChoices):
    MALE = "male", _("Male")
    FEMALE = "female", _("Female")


def year_validators():
    from django.core.validators import MaxValueValidator, MinValueValidator

    return [MinValueValidator(FIRST_YEAR), MaxValueValidator(LAST_YEAR)]


class Decision(SearchableModel):
    """A numbered decision (quyết định) of an authority; it grants one or many awards."""

    body = models.ForeignKey(
        OrganizingBody,
        on_delete=models.PROTECT,
        related_name="award_decisions",
        verbose_name=_("register of"),
    )
    number = models.CharField(
        _("number"), max_length=50, help_text=_("As printed, e.g. 2021/QĐ-UBND.")
    )
    signed_on = models.DateField(_("date"))
    year = models.PositiveSmallIntegerField(_("year"), editable=False)
    authority = models.CharField(
        _("authority"), max_length=255, help_text=_("E.g. Chủ tịch UBND tỉnh Bắc Kạn.")
    )
    signer_name = models.CharField(_("signed by"), max_length=150, blank=True)
    signer_title = models.CharField(
        _("signer's title"), max_length=255, blank=True, help_text=_("E.g. KT. CHỦ TỊCH")
    )
    summary = models.CharField(_("subject"), max_length=500, blank=True)
    scan = models.FileField(_("scan"), upload_to="decisions/%Y/", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["-signed_on", "-id"]
        indexes = [models.Index(fields=["-signed_on", "-id"], name="decision_date_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["body", "year", "number"],
                name="decision_number_once_a_year",
                violation_error_message=_(
                    "The register already has a decision with this number in this year."
                ),
            ),
        ]

    def __str__(self):
        return self.label

    @property
    def label(self) -> str:
        """“Quyết định số 2021/QĐ-UBND ngày 15/12/2022”."""
        return _("Decision No. %(number)s of %(date)s") % {
            "number": self.number,
            "date": self.signed_on.strftime("%d/%m/%Y"),
        }

    def get_absolute_url(self):
        return reverse("awards:decision-detail", args=[self.pk])

    def prepare_text(self) -> None:
        if self.signed_on:
            self.year = self.signed_on.year
        super().prepare_text()

    def search_sources(self):
        return [self.number, self.authority, self.summary]

    def name_sources(self):
        return [self.number]

    def sort_source(self):
        return self.number


class Batch(models.Model):
    """Proposals sent up the chain together (one dossier, printed in a later issue)."""

    body = models.ForeignKey(OrganizingBody, on_delete=models.PROTECT, related_name="award_batches")
    cluster_year = models.ForeignKey(
        ClusterYear,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="award_batches",
        verbose_name=_("cluster year"),
    )
    number = models.CharField(
        _("submission letter number"), max_length=50, blank=True, help_text=_("E.g. 05/TTr-CTĐ")
    )
    note = models.CharField(_("note"), max_length=500, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), auto_now_add=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("submission batch")
        verbose_name_plural = _("submission batches")
        ordering = ["-submitted_at", "-id"]

    def __str__(self):
        return self.number or _("Batch of %(date)s") % {
            "date": self.submitted_at.strftime("%d/%m/%Y")
        }


class Award(SearchableModel):
    """One award to one recipient, from its proposal to its presentation."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", pgettext_lazy("award status", "Proposed")
        SUBMITTED = "submitted", pgettext_lazy("award status", "Submitted")
        RETURNED = "returned", pgettext_lazy("award status", "Returned")
        REJECTED = "rejected", pgettext_lazy("award status", "Rejected")
        DECIDED = "decided", pgettext_lazy("award status", "Decided")
        PRESENTED = "presented", pgettext_lazy("award status", "Presented")

    class Source(models.TextChoices):
        HAND = "hand", _("Entered by hand")
        VOTE = "vote", _("From a nomination vote")
        RANKING = "ranking", _("From the ranking")
        IMPORT = "import", _("Imported")

    body = models.ForeignKey(
        OrganizingBody,
        on_delete=models.PROTECT,
        related_name="awards",
        verbose_name=_("body"),
        db_index=False,  # award_body_type_idx leads with it
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=year_validators())
    cluster_year = models.ForeignKey(
        ClusterYear,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="awards",
        verbose_name=_("cluster year"),
    )
    award_type = models.ForeignKey(
        AwardType, on_delete=models.PROTECT, related_name="awards", verbose_name=_("award")
    )
    occasion = models.CharField(
        _("occasion"), max_length=20, choices=Occasion.choices, default=Occasion.REGULAR
    )
    movement = models.ForeignKey(
        Movement,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="awards",
        verbose_name=_("movement"),
    )
    # The recipient: a member unit; a collective or a household under a unit; a person.
    recipient_kind = models.CharField(_("recipient"), max_length=20, choices=RecipientKind.choices)
    unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="awards",
        verbose_name=_("unit"),
    )
    person = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="awards",
        verbose_name=_("person"),
    )
    # As printed on the decision, and frozen with it.
    recipient_name = models.CharField(
        _("recipient's name"),
        max_length=500,
        help_text=_("As printed, e.g. Nhân dân và cán bộ huyện Na Rì."),
    )
    recipient_position = models.CharField(_("position"), max_length=500, blank=True)
    recipient_unit_name = models.CharField(_("of unit"), max_length=500, blank=True)
    birth_year = models.PositiveSmallIntegerField(_("year of birth"), null=True, blank=True)
    gender = models.CharField(_("gender"), max_length=10, choices=Gender.choices, blank=True)
    achievement = models.TextField(_("achievement"), blank=True)
    # Where it came from.
    source = models.CharField(
        _("source"), max_length=10, choices=Source.choices, default=Source.HAND, editable=False
    )
    vote = models.ForeignKey(
        Vote,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="awards",
        verbose_name=_("nomination vote"),
    )
    rank = models.PositiveSmallIntegerField(_("place in the ranking"), null=True, blank=True)
    # A digest of an imported row's content, so importing the same file again adds nothing.
    import_key = models.CharField(
        _("import key"), max_length=64, blank=True, default="", editable=False
    )
    # The workflow: only awards.services changes these.
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=Status.choices,
        default=Status.PROPOSED,
        editable=False,
    )
    stage = models.CharField(
        _("at level"), max_length=10, choices=Stage.choices, default=Stage.CLUSTER, editable=False
    )
    rule = models.ForeignKey(
        AwardRule,
        verbose_name=_("rule applied"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="awards",
        editable=False,
    )
    batch = models.ForeignKey(
        Batch,
        verbose_name=_("submission batch"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="awards",
        editable=False,
    )
    decision = models.ForeignKey(
        Decision,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="awards",
        verbose_name=_("decision"),
        editable=False,
    )
    presented_at = models.ForeignKey(
        Meeting,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="awards_presented",
        verbose_name=_("presented at"),
        editable=False,
    )
    presented_on = models.DateField(_("presented on"), null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("award")
        verbose_name_plural = _("awards")
        ordering = ["-year", "sort_key", "id"]
        indexes = [
            # The list's order, whole and per filter: every page read from an index.
            models.Index(fields=["-year", "sort_key", "id"], name="award_list_idx"),
            models.Index(
                fields=["award_type", "-year", "sort_key", "id"], name="award_type_list_idx"
            ),
            models.Index(fields=["status", "stage", "body"], name="award_inbox_idx"),
            # A year's awards counted (up to the list's cap) from the index alone: without
            # it the count scanned the table from wherever the last scan stopped, from
            # 1 to 100 ms for the same page.
            models.Index(fields=["body", "year"], name="award_body_year_idx"),
            # The same for the awards of a type or a level (the types of that level):
            # the count scanned the table until it had found the list's cap (14,000
            # rows for a type, 8,000 for a level: 14 and 5 ms, more when the scan
            # started elsewhere); read from here, 0.2 and 0.4 ms.
            models.Index(fields=["body", "award_type"], name="award_body_type_idx"),
            # The inboxes' order over the few thousand awards waiting on the chain, so a
            # level's page walks these alone instead of the whole list's order.
            models.Index(
                fields=["year", "sort_key", "id"],
                condition=Q(status__in=["proposed", "returned", "submitted"]),
                name="award_waiting_idx",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["body", "import_key"],
                name="award_imported_once",
                condition=~Q(import_key=""),
            ),
            models.CheckConstraint(
                condition=~Q(recipient_kind="individual")
                | Q(person__isnull=False)
                | ~Q(recipient_name=""),
                name="award_individual_named",
                violation_error_message=_("Name the person."),
            ),
            models.CheckConstraint(
                condition=~Q(recipient_kind="unit") | Q(unit__isnull=False),
                name="award_unit_recipient_has_unit",
                violation_error_message=_("Choose the member unit."),
            ),
            models.CheckConstraint(
                condition=Q(decision__isnull=True) | Q(status__in=["decided", "presented"]),
                name="award_decision_only_when_decided",
                violation_error_message=_("Only a decided award carries a decision."),
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["decided", "presented"]) | Q(decision__isnull=False),
                name="award_decided_has_decision",
                violation_error_message=_("A decided award names its decision."),
            ),
        ]

    def __str__(self):
        return f"{self.award_type} — {self.recipient_name}"

    def get_absolute_url(self):
        return reverse("awards:award-detail", args=[self.pk])

    def search_sources(self):
        return [self.recipient_name, self.recipient_position, self.recipient_unit_name]

    def name_sources(self):
        return [self.recipient_name]

    def sort_source(self):
        return self.recipient_name

    def compute_sort_key(self):
        if self.recipient_kind == RecipientKind.INDIVIDUAL:
            return person_sort_key(self.recipient_name)
        return super().compute_sort_key()

    @property
    def is_open(self) -> bool:
        """Still a proposal the cluster may edit (not yet sent, or sent back to it)."""
        return self.status in (self.Status.PROPOSED, self.Status.RETURNED)

    @property
    def is_granted(self) -> bool:
        return self.status in (self.Status.DECIDED, self.Status.PRESENTED)

    @property
    def is_collective(self) -> bool:
        return self.recipient_kind in COLLECTIVE_KINDS


class AwardStep(models.Model):
    """One move of a proposal: who did what at which level, when and why."""

    class Action(models.TextChoices):
        PROPOSED = "proposed", pgettext_lazy("award step", "Proposed")
        SUBMITTED = "submitted", pgettext_lazy("award step", "Submitted")
        ACCEPTED = "accepted", pgettext_lazy("award step", "Accepted and sent up")
        RETURNED = "returned", pgettext_lazy("award step", "Returned")
        REJECTED = "rejected", pgettext_lazy("award step", "Rejected")
        DECIDED = "decided", pgettext_lazy("award step", "Decided")
        PRESENTED = "presented", pgettext_lazy("award step", "Presented")
        OVERRIDDEN = "overridden", pgettext_lazy("award step", "Warning overridden")

    award = models.ForeignKey(Award, on_delete=models.CASCADE, related_name="steps")
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    from_stage = models.CharField(_("from level"), max_length=10, choices=Stage.choices)
    to_stage = models.CharField(_("to level"), max_length=10, choices=Stage.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    at = models.DateTimeField(_("at"), auto_now_add=True)
    reason = models.TextField(_("reason"), blank=True)
    # The council's own deliberation, entered (a council vote is not a cluster vote).
    council_members = models.PositiveSmallIntegerField(_("council members"), null=True, blank=True)
    council_for = models.PositiveSmallIntegerField(_("for"), null=True, blank=True)
    council_against = models.PositiveSmallIntegerField(_("against"), null=True, blank=True)

    class Meta:
        verbose_name = _("step")
        verbose_name_plural = _("steps")
        ordering = ["award", "at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(council_members__isnull=True)
                | (
                    Q(council_for__isnull=False)
                    & Q(council_against__isnull=False)
                    & Q(council_for__lte=models.F("council_members"))
                    & Q(council_against__lte=models.F("council_members"))
                ),
                name="awardstep_council_counts",
                violation_error_message=_(
                    "The council's votes for and against cannot exceed its members."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.get_action_display()} ({self.get_from_stage_display()})"


class Override(models.Model):
    """A warning of the compliance checks that staff accepted, with their written reason."""

    award = models.ForeignKey(
        Award, on_delete=models.CASCADE, related_name="overrides", verbose_name=_("award")
    )
    check_code = models.CharField(_("check"), max_length=30)
    reason = models.TextField(_("reason"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("accepted by"),
    )
    at = models.DateTimeField(_("accepted at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("override")
        verbose_name_plural = _("overrides")
        constraints = [
            models.UniqueConstraint(fields=["award", "check_code"], name="override_once_per_check")
        ]

    def __str__(self):
        return f"{self.check_code}: {self.reason}"


class Initiative(NormalizedTextModel, models.Model):
    """A person's recognised initiative or scientific work (sáng kiến, đề tài khoa học).

    The law ties the Chiến sĩ thi đua titles to them, so the prerequisite checks read
    this register."""

    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="initiatives", verbose_name=_("person")
    )
    title = models.CharField(_("title"), max_length=500)
    year = models.PositiveSmallIntegerField(_("year"), validators=year_validators())
    recognised_by = models.CharField(
        _("recognised by"), max_length=255, help_text=_("The body that recognised it.")
    )
    level = models.CharField(
        _("level of its effect"), max_length=20, choices=InitiativeLevel.choices
    )
    decision = models.CharField(
        _("recognising decision"),
        max_length=255,
        blank=True,
        help_text=_("E.g. Quyết định số 125/QĐ-SKHCN ngày 20/11/2023."),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("initiative")
        verbose_name_plural = _("initiatives")
        ordering = ["person", "-year", "pk"]

    def __str__(self):
        return self.title


class ReportedCount(models.Model):
    """How many awards a member reports for a period without listing them one by one
    (e.g. “1.315 lượt tập thể và 9.294 cá nhân” given Giấy khen by district chairmen).

    Statistics add these to the awards recorded one by one and always say which is which.
    """

    class Period(models.TextChoices):
        MID_YEAR = "mid_year", _("First six months")
        YEAR = "year", _("Whole year")

    class Kind(models.TextChoices):
        COLLECTIVE = "collective", _("Collectives")
        INDIVIDUAL = "individual", _("Individuals")
        MIXED = "mixed", _("Collectives and individuals together")

    cluster_year = models.ForeignKey(
        ClusterYear,
        on_delete=models.CASCADE,
        related_name="reported_award_counts",
        verbose_name=_("cluster year"),
    )
    unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        related_name="reported_award_counts",
        verbose_name=_("member"),
    )
    period = models.CharField(_("period"), max_length=10, choices=Period.choices)
    level = models.CharField(_("level"), max_length=20, choices=AwardType.Level.choices)
    kind = models.CharField(_("recipients"), max_length=20, choices=Kind.choices)
    count = models.PositiveIntegerField(_("count"))
    note = models.CharField(_("note"), max_length=500, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("reported count")
        verbose_name_plural = _("reported counts")
        ordering = ["cluster_year", "unit", "period", "level", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["cluster_year", "unit", "period", "level", "kind"],
                name="reportedcount_once",
                violation_error_message=_(
                    "This member already reported a count for this period, level and kind."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.unit}: {self.count}"


class GrantedTally(models.Model):
    """How many awards are granted (decided or presented), per key: what the statistics
    count, kept as the awards change instead of counted from them at each reading (a
    count over 200,000 awards took 85 ms; the tallies hold 700 and 6,300 rows).

    Two tallies, each as fine as its readers need: by award type (the statistics by
    year and type, the province summary) and by place (by unit and cluster). Both keep
    the body and the cluster year, the scope a reader is given (``award_scope``), and
    the year, which the readers bound.

    The database keeps them, whatever writes the awards (a service, an import, a bulk
    update, a deletion): ``awards.tally`` drops the triggers that do before the
    migrations run and installs them again after, counting the tallies again. Nothing
    else writes here. On PostgreSQL a key may have several rows (each change adds one,
    until they are compacted): readers add them up.

    The keys are plain numbers, not foreign keys, so that no constraint ties a row to
    what it counts; ``cluster_year_id`` and ``unit_id`` are 0 for an award without one
    (so that keys compare equal)."""

    body_id = models.BigIntegerField()
    year = models.SmallIntegerField()
    cluster_year_id = models.BigIntegerField()
    recipient_kind = models.CharField(max_length=20)
    count = models.IntegerField()

    # The columns of the key besides the body, year, cluster year and recipient kind.
    KEY: tuple[str, ...] = ()

    class Meta:
        abstract = True

    def __str__(self):
        return f"{self.year} {self.recipient_kind}: {self.count}"


class GrantedByType(GrantedTally):
    award_type_id = models.BigIntegerField()

    KEY = ("body_id", "year", "award_type_id", "cluster_year_id", "recipient_kind")

    class Meta:
        indexes = [
            models.Index(
                fields=["body_id", "year", "award_type_id", "cluster_year_id", "recipient_kind"],
                name="granted_by_type_key",
            )
        ]


class GrantedByPlace(GrantedTally):
    unit_id = models.BigIntegerField()

    KEY = ("body_id", "year", "unit_id", "cluster_year_id", "recipient_kind")

    class Meta:
        indexes = [
            models.Index(
                fields=["body_id", "year", "unit_id", "cluster_year_id", "recipient_kind"],
                name="granted_by_place_key",
            )
        ]
