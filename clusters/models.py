"""The base of the product: organizing bodies, units, clusters, cluster years and roles.

Status and membership rules that fit in one table are database constraints; rules that
span tables (a member must be active in the year) live in ``services.py``.
"""

import calendar
import datetime
from decimal import ROUND_CEILING, Decimal

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history import register as register_history
from simple_history.models import HistoricalRecords

from core.text import name_key as name_key_of
from core.text import person_sort_key, search_column, search_words, sort_key
from core.unicode import NormalizedTextModel

FIRST_YEAR = 1990
LAST_YEAR = 2100


class SearchableModel(NormalizedTextModel, models.Model):
    """Keeps a diacritic-folded search column and a Vietnamese collation key.

    Subclasses say which texts are searched and which one names the row. Texts are
    normalised (``core.unicode``) and the columns refreshed on every save and before
    every validation, so ``bulk_create`` callers must call ``prepare_text()`` themselves.
    """

    # Every searched text's words (``core.text.search_column``): what a search filters on.
    search_text = models.TextField(editable=False, default="")
    # The row's own names alone (name, short name): what ranks matching names first.
    name_text = models.TextField(editable=False, default="", db_default="")
    # The name and the short name as search words ("huyen na ri", "na ri"): a query equal
    # to either is found by equality, through a plain index, however common its words.
    name_fold = models.CharField(
        max_length=800, editable=False, default="", db_default="", db_index=True
    )
    short_fold = models.CharField(
        max_length=800, editable=False, default="", db_default="", db_index=True
    )
    sort_key = models.CharField(max_length=800, editable=False, default="", db_index=True)

    # The columns ``refresh_text_keys`` derives, saved along with any ``update_fields``.
    text_key_fields = ("search_text", "name_text", "name_fold", "short_fold", "sort_key")

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, *self.text_key_fields}
        super().save(*args, **kwargs)

    def prepare_text(self) -> None:
        super().prepare_text()
        self.refresh_text_keys()

    def search_sources(self) -> list[str]:
        raise NotImplementedError

    def name_sources(self) -> list[str]:
        """The names a user may type in full to find this row first: the name, and the
        short name if the row has one."""
        return [self.sort_source()]

    def sort_source(self) -> str:
        raise NotImplementedError

    def compute_sort_key(self) -> str:
        return sort_key(self.sort_source())

    def refresh_text_keys(self) -> None:
        names = self.name_sources()
        self.search_text = search_column(self.search_sources())
        self.name_text = search_column(names)
        self.name_fold, self.short_fold = (
            " ".join(search_words(text or ""))[:800] for text in [*names, ""][:2]
        )
        self.sort_key = self.compute_sort_key()


class UniquelyNamedModel(SearchableModel):
    """A row whose ``name`` is unique in its body whatever its case and Unicode form.

    ``name_key`` (``core.text.name_key``: "HUYỆN NA RÌ" and a decomposed "Huyện Na Rì"
    both give "huyện na rì") is kept with the other text keys; a database constraint
    on it holds the rule, and ``clean`` finds the row it clashes with first, so the form
    names that row on the name field. SQLite's ``lower()`` folds only ASCII letters,
    hence a stored key rather than a constraint on ``Lower("name")``.
    """

    name_key = models.CharField(max_length=800, editable=False, default="")

    text_key_fields = (*SearchableModel.text_key_fields, "name_key")

    class Meta:
        abstract = True

    def refresh_text_keys(self) -> None:
        super().refresh_text_keys()
        self.name_key = name_key_of(self.name)

    def same_name_clashes(self) -> models.QuerySet:
        """Other rows of the body that this row's name would clash with."""
        return (
            type(self)
            ._default_manager.filter(body_id=self.body_id, name_key=name_key_of(self.name))
            .exclude(pk=self.pk)
        )

    def same_name_message(self, other) -> str:
        raise NotImplementedError

    def clean(self):
        super().clean()
        if self.body_id is None or not name_key_of(self.name):
            return
        other = self.same_name_clashes().order_by("pk").first()
        if other is not None:
            raise ValidationError(
                {"name": ValidationError(self.same_name_message(other), code="same_name")}
            )

    def validate_constraints(self, exclude=None):
        # The key derives from the name: when the name is not validated (or has already
        # failed, e.g. by ``clean`` above), neither is the key.
        exclude = set(exclude or ())
        if "name" in exclude:
            exclude.add("name_key")
        super().validate_constraints(exclude=exclude)


class Level(models.TextChoices):
    CENTRAL = "central", _("Central")
    PROVINCIAL = "provincial", _("Provincial")
    LOCAL = "local", _("District or commune")


class OrganizingBody(NormalizedTextModel, models.Model):
    """An authority that organizes clusters and keeps a register of units.

    E.g. UBND tỉnh Bắc Kạn (its Ban Thi đua - Khen thưởng runs the province's clusters)
    or Ban Thi đua - Khen thưởng Trung ương (clusters of provinces).
    """

    name = models.CharField(_("name"), max_length=255, unique=True)
    short_name = models.CharField(_("short name"), max_length=100, blank=True)
    level = models.CharField(_("level"), max_length=20, choices=Level.choices)
    place = models.CharField(
        _("place name"),
        max_length=100,
        help_text=_("Used in document dates, e.g. “Bắc Kạn, ngày 07 tháng 02 năm 2023”."),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("organizing body")
        verbose_name_plural = _("organizing bodies")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        # Clusters are found by their body's name too: keep that text current.
        for cluster in self.clusters.all():
            cluster.refresh_text_keys()
            Cluster.objects.filter(pk=cluster.pk).update(search_text=cluster.search_text)


class Role(NormalizedTextModel, models.Model):
    """A user's place in an organizing body.

    Staff manage every cluster and unit of the body; viewers read them; secretary
    accounts belong to the body and see only the cluster years they are assigned to.
    """

    class Kind(models.TextChoices):
        STAFF = "staff", _("Staff (Ban Thi đua - Khen thưởng)")
        SECRETARY = "secretary", _("Cluster secretary")
        VIEWER = "viewer", _("Viewer")
        # The levels of the approval chain above the Ban TĐKT (DOMAIN.md, "Who decides"):
        # they read the body's award proposals and act at their own level only.
        COUNCIL = "council", _("Secretary of the Emulation and Commendation Council")
        OFFICE = "office", _("Office of the deciding authority")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="cluster_roles",
        verbose_name=_("account"),
    )
    body = models.ForeignKey(
        OrganizingBody, on_delete=models.CASCADE, related_name="roles", verbose_name=_("body")
    )
    kind = models.CharField(_("role"), max_length=20, choices=Kind.choices)
    position = models.CharField(_("position"), max_length=255, blank=True)
    # Who was given access to what, by whom and when: the first thing an inspector asks.
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        constraints = [
            models.UniqueConstraint(fields=["user", "body"], name="role_one_per_user_and_body"),
        ]

    def __str__(self):
        return f"{self.user} — {self.get_kind_display()} — {self.body}"


# Accounts are audited too (names, active, staff and superuser flags, groups), never their
# password hashes or last login times.
register_history(User, app="clusters", excluded_fields=["password", "last_login"])


class UnitQuerySet(models.QuerySet):
    def active_in(self, year: int):
        """Units active at some time during ``year``."""
        return self.filter(
            Q(active_from__isnull=True) | Q(active_from__lte=datetime.date(year, 12, 31)),
            Q(active_to__isnull=True) | Q(active_to__gte=datetime.date(year, 1, 1)),
        )

    def active_on(self, day: datetime.date):
        return self.filter(
            Q(active_from__isnull=True) | Q(active_from__lte=day),
            Q(active_to__isnull=True) | Q(active_to__gte=day),
        )


class Unit(UniquelyNamedModel):
    """An administrative unit or agency (đơn vị) in a body's register.

    Merged or renamed units are never deleted: they get an ``active_to`` date and
    point to the unit(s) that carry them on (``successors``).
    """

    class Kind(models.TextChoices):
        PROVINCE = "province", _("Province-level")
        DISTRICT = "district", _("District-level")
        COMMUNE = "commune", _("Commune-level")
        AGENCY = "agency", _("Department or agency")
        ENTERPRISE = "enterprise", _("Enterprise")
        OTHER = "other", _("Other")

    body = models.ForeignKey(
        OrganizingBody,
        on_delete=models.PROTECT,
        related_name="units",
        verbose_name=_("register of"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=255)
    short_name = models.CharField(_("short name"), max_length=100, blank=True)
    code = models.CharField(_("official code"), max_length=50, blank=True)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent unit"),
    )
    active_from = models.DateField(_("active from"), null=True, blank=True)
    active_to = models.DateField(_("active to"), null=True, blank=True)
    successors = models.ManyToManyField(
        "self",
        through="UnitSuccession",
        through_fields=("predecessor", "successor"),
        symmetrical=False,
        related_name="predecessors",
        blank=True,
    )
    note = models.TextField(_("note"), blank=True)
    history = HistoricalRecords()

    objects = UnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["sort_key", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["body", "code"],
                condition=~Q(code=""),
                name="unit_code_unique_in_body",
                violation_error_message=_("Another unit of this register has this code."),
            ),
            # Two units in force at the same time must not share a name; the database
            # holds the part one index can (two open-ended units always overlap), and
            # ``same_name_clashes`` the whole rule, with dates.
            models.UniqueConstraint(
                fields=["body", "name_key"],
                condition=Q(active_to__isnull=True),
                name="unit_name_unique_in_body_while_in_force",
                violation_error_message=_(
                    "This register already has a unit in force with this name."
                ),
            ),
            models.CheckConstraint(
                condition=Q(active_to__isnull=True)
                | Q(active_from__isnull=True)
                | Q(active_to__gte=models.F("active_from")),
                name="unit_active_dates_in_order",
                violation_error_message=_("The end date must not be before the start date."),
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("clusters:unit-detail", args=[self.pk])

    def search_sources(self):
        return [self.name, self.short_name, self.code]

    def name_sources(self):
        return [self.name, self.short_name]

    def same_name_clashes(self):
        """Units of the register with this name whose time in force meets this one's: a
        commune dissolved in 2025 leaves its name free for the new one that follows."""
        clashes = super().same_name_clashes()
        if self.active_to is not None:
            clashes = clashes.filter(
                Q(active_from__isnull=True) | Q(active_from__lte=self.active_to)
            )
        if self.active_from is not None:
            clashes = clashes.filter(Q(active_to__isnull=True) | Q(active_to__gte=self.active_from))
        return clashes

    def same_name_message(self, other):
        return _("This register already has a unit named “%(name)s” in force at the same time.") % {
            "name": other.name
        }

    def sort_source(self):
        return self.name

    @property
    def display_name(self) -> str:
        return self.short_name or self.name

    def is_active_in(self, year: int) -> bool:
        starts_late = self.active_from and self.active_from > datetime.date(year, 12, 31)
        ended_early = self.active_to and self.active_to < datetime.date(year, 1, 1)
        return not (starts_late or ended_early)

    def is_active_on(self, day: datetime.date) -> bool:
        return (not self.active_from or self.active_from <= day) and (
            not self.active_to or self.active_to >= day
        )


class UnitSuccession(NormalizedTextModel, models.Model):
    """One unit carries on another after a merger, a split or a renaming."""

    class Kind(models.TextChoices):
        MERGER = "merger", _("Merger")
        SPLIT = "split", _("Split")
        RENAME = "rename", _("Renaming")
        OTHER = "other", _("Other reorganisation")

    predecessor = models.ForeignKey(
        Unit,
        on_delete=models.CASCADE,
        related_name="successions_out",
        verbose_name=_("former unit"),
    )
    successor = models.ForeignKey(
        Unit,
        on_delete=models.CASCADE,
        related_name="successions_in",
        verbose_name=_("successor unit"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.MERGER)
    effective_date = models.DateField(_("effective date"), null=True, blank=True)
    legal_basis = models.CharField(_("legal basis"), max_length=255, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("succession")
        verbose_name_plural = _("successions")
        ordering = ["effective_date", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["predecessor", "successor"],
                name="succession_once_per_pair",
                violation_error_message=_("This succession is already recorded."),
            ),
            models.CheckConstraint(
                condition=~Q(predecessor=models.F("successor")),
                name="succession_not_to_itself",
                violation_error_message=_("A unit cannot succeed itself."),
            ),
        ]

    def __str__(self):
        return f"{self.predecessor} → {self.successor}"


class Cluster(UniquelyNamedModel):
    """An emulation cluster (cụm) or bloc (khối) organized by one body."""

    class Kind(models.TextChoices):
        CLUSTER = "cum", _("Cluster (cụm)")
        BLOC = "khoi", _("Bloc (khối)")

    body = models.ForeignKey(
        OrganizingBody,
        on_delete=models.PROTECT,
        related_name="clusters",
        verbose_name=_("organizing body"),
    )
    name = models.CharField(_("name"), max_length=255)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.CLUSTER)
    level = models.CharField(_("level"), max_length=20, choices=Level.choices)
    description = models.TextField(_("description"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("cluster")
        verbose_name_plural = _("clusters")
        ordering = ["sort_key", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["body", "name_key"],
                name="cluster_name_unique_in_body",
                violation_error_message=_("This body already has a cluster with this name."),
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("clusters:cluster-detail", args=[self.pk])

    def search_sources(self):
        return [self.name, self.body.name if self.body_id else ""]

    def same_name_message(self, other):
        return _("This body already has a cluster named “%(name)s”.") % {"name": other.name}

    def sort_source(self):
        return self.name

    @property
    def head_label(self):
        return _("Cluster head") if self.kind == self.Kind.CLUSTER else _("Bloc head")

    @property
    def deputy_label(self):
        return _("Cluster deputy") if self.kind == self.Kind.CLUSTER else _("Bloc deputy")


class ClusterYear(NormalizedTextModel, models.Model):
    """One cluster's emulation year (năm thi đua): members, head, deputy, secretaries.

    ``next_head`` / ``next_deputy`` record who was elected at this year's year-end
    meeting to lead next year; roll-over uses them.
    """

    cluster = models.ForeignKey(
        Cluster, on_delete=models.PROTECT, related_name="years", verbose_name=_("cluster")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    secretaries = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        related_name="secretary_of",
        blank=True,
        verbose_name=_("secretaries"),
    )
    next_head = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("elected head for next year"),
    )
    next_deputy = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("elected deputy for next year"),
    )
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(m2m_fields=[secretaries])

    class Meta:
        verbose_name = _("cluster year")
        verbose_name_plural = _("cluster years")
        ordering = ["-year", "cluster__sort_key", "pk"]
        indexes = [models.Index(fields=["year"], name="clusteryear_year_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["cluster", "year"],
                name="clusteryear_once_per_cluster_and_year",
                violation_error_message=_("This cluster already has this year."),
            ),
            models.CheckConstraint(
                condition=Q(year__gte=FIRST_YEAR) & Q(year__lte=LAST_YEAR),
                name="clusteryear_year_in_range",
                violation_error_message=_("The year must be between 1990 and 2100."),
            ),
            models.CheckConstraint(
                condition=Q(next_head__isnull=True)
                | Q(next_deputy__isnull=True)
                | ~Q(next_head=models.F("next_deputy")),
                name="clusteryear_next_head_is_not_deputy",
                violation_error_message=_("The elected head and deputy must be different units."),
            ),
        ]

    def __str__(self):
        return f"{self.cluster.name} — {self.year}"

    def get_absolute_url(self):
        return reverse("clusters:clusteryear-detail", args=[self.pk])


class ClusterMember(NormalizedTextModel, models.Model):
    """A unit's membership of a cluster year, with its role that year.

    Head and deputy are roles of member rows, so the database itself guarantees that
    they are members, that there is at most one of each, and that they differ.
    """

    class Role(models.TextChoices):
        HEAD = "head", _("Head")
        DEPUTY = "deputy", _("Deputy")
        MEMBER = "member", _("Member")

    cluster_year = models.ForeignKey(
        ClusterYear, on_delete=models.CASCADE, related_name="members", verbose_name=_("year")
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="memberships", verbose_name=_("unit")
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.MEMBER)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("member unit")
        verbose_name_plural = _("member units")
        ordering = ["unit__sort_key", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["cluster_year", "unit"],
                name="member_once_per_year",
                violation_error_message=_("This unit is already a member this year."),
            ),
            models.UniqueConstraint(
                fields=["cluster_year"],
                condition=Q(role="head"),
                name="member_one_head_per_year",
                violation_error_message=_("The year already has a head."),
            ),
            models.UniqueConstraint(
                fields=["cluster_year"],
                condition=Q(role="deputy"),
                name="member_one_deputy_per_year",
                violation_error_message=_("The year already has a deputy."),
            ),
        ]

    def __str__(self):
        return f"{self.unit} ({self.get_role_display()})"


class Person(SearchableModel):
    """A person named in meetings and awards: full name, position and unit.

    Kept in the base app because meetings and awards both refer to people. The position
    is the current one; records that need the position as it was (a meeting, a
    decision) copy it when they are made.
    """

    body = models.ForeignKey(
        OrganizingBody,
        on_delete=models.PROTECT,
        related_name="people",
        verbose_name=_("register of"),
    )
    full_name = models.CharField(_("full name"), max_length=150)
    position = models.CharField(_("position"), max_length=500, blank=True)
    unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="people",
        verbose_name=_("unit"),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["sort_key", "pk"]
        # The register's order, whole: a page of it is read from this index wherever it
        # starts (core.pagination), the last one as fast as the first.
        indexes = [models.Index(fields=["sort_key", "id"], name="person_sort_key_id_idx")]

    def __str__(self):
        return self.full_name

    def get_absolute_url(self):
        return reverse("clusters:person-detail", args=[self.pk])

    def search_sources(self):
        return [self.full_name, self.position, self.unit.name if self.unit_id else ""]

    def sort_source(self):
        return self.full_name

    def compute_sort_key(self):
        # Vietnamese lists of people sort by given name (the last word) first.
        return person_sort_key(self.full_name)

    @property
    def label(self) -> str:
        """“Dương Hữu Bường — Chủ tịch UBND Thành phố Bắc Kạn”."""
        return f"{self.full_name} — {self.position}" if self.position else self.full_name


# --- The award-type catalogue --------------------------------------------------------
# Two distinct lists (DOMAIN.md): emulation titles (danh hiệu thi đua, yearly, e.g. Cờ thi
# đua của Chính phủ) and forms of commendation (hình thức khen thưởng, e.g. Bằng khen).
# Both are data: the national list is seeded by a migration; a body may add its own
# (e.g. "Cờ đơn vị dẫn đầu phong trào thi đua"). Everything that names a title or a
# commendation — a pledge's title registration, a vote's purpose, a proposal, a decision —
# points here, so the catalogue lives in the base, below every feature app.


class AwardType(SearchableModel):
    class Category(models.TextChoices):
        TITLE = "title", _("Emulation title")
        COMMENDATION = "commendation", _("Form of commendation")

    class Recipient(models.TextChoices):
        COLLECTIVE = "collective", _("Collective")
        INDIVIDUAL = "individual", _("Individual")
        BOTH = "both", _("Collective or individual")

    class Level(models.TextChoices):
        STATE = "state", _("State (Prime Minister, President)")
        PROVINCE = "province", _("Ministry, sector or province")
        GRASSROOTS = "grassroots", _("Grassroots (department, district, commune)")

    name = models.CharField(_("name"), max_length=255)
    short_name = models.CharField(_("short name"), max_length=100, blank=True)
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    recipient = models.CharField(_("recipient"), max_length=20, choices=Recipient.choices)
    level = models.CharField(_("level"), max_length=20, choices=Level.choices)
    decided_by = models.CharField(
        _("decided by"), max_length=255, blank=True, help_text=_("E.g. Thủ tướng Chính phủ.")
    )
    criteria = models.TextField(_("criteria"), blank=True)
    legal_basis = models.CharField(_("legal basis"), max_length=255, blank=True)
    body = models.ForeignKey(
        OrganizingBody,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="award_types",
        verbose_name=_("own award of"),
        help_text=_("Empty for the national list."),
    )
    for_households = models.BooleanField(
        _("households too"),
        default=False,
        help_text=_("Whether a household (hộ gia đình) may receive it."),
    )
    annual = models.BooleanField(
        _("yearly"),
        default=True,
        help_text=_("Awarded every year for the year's work; otherwise by occasion."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("in use"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("award type")
        verbose_name_plural = _("award types")
        ordering = ["category", "order", "sort_key", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["name"],
                condition=Q(body__isnull=True),
                name="awardtype_national_name_unique",
                violation_error_message=_("The national list already has this award type."),
            ),
            models.UniqueConstraint(
                fields=["body", "name"],
                name="awardtype_name_unique_in_body",
                violation_error_message=_("This body already has this award type."),
            ),
        ]

    def __str__(self):
        return self.name

    def search_sources(self):
        return [self.name, self.short_name]

    def name_sources(self):
        return [self.name, self.short_name]

    def sort_source(self):
        return self.name

    def allows(self, recipient_kind: str) -> bool:
        """Whether a recipient of ``recipient_kind`` (unit, collective, individual,
        household — ``awards.models.RecipientKind``) may receive this award."""
        if recipient_kind == "household":
            return self.for_households
        if recipient_kind == "individual":
            return self.recipient in (self.Recipient.INDIVIDUAL, self.Recipient.BOTH)
        return self.recipient in (self.Recipient.COLLECTIVE, self.Recipient.BOTH)

    @property
    def is_collective_title(self) -> bool:
        return self.category == self.Category.TITLE and self.recipient in (
            self.Recipient.COLLECTIVE,
            self.Recipient.BOTH,
        )


# --- Rule sets -----------------------------------------------------------------------
# How a province runs its votes is its own regulation (quy chế), not code: a body's rule
# set, or the national default when it has none, says which share of whom a nominee or an
# elected head must reach. Votes keep a reference to the rule they were counted by, so
# a rule in force when a vote was held is never edited away under it: a change is a new
# rule set with a later effective date.


class RuleSet(models.Model):
    body = models.ForeignKey(
        OrganizingBody,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="rule_sets",
        verbose_name=_("organizing body"),
        help_text=_("Empty for the national rule set."),
    )
    name = models.CharField(_("name"), max_length=255)
    legal_basis = models.TextField(
        _("legal basis"), help_text=_("The regulation these rules come from, quoted on votes.")
    )
    effective_from = models.DateField(_("effective from"))
    effective_to = models.DateField(_("effective to"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("rule set")
        verbose_name_plural = _("rule sets")
        ordering = ["body__name", "-effective_from", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(effective_to__isnull=True)
                | Q(effective_to__gte=models.F("effective_from")),
                name="ruleset_ends_after_start",
                violation_error_message=_("A rule set cannot end before it takes effect."),
            ),
        ]

    def __str__(self):
        return self.name


class Share(models.TextChoices):
    """A share of a base: what a threshold or a quorum asks for."""

    NONE = "none", _("No minimum")
    MAJORITY = "majority", _("More than 50 %")
    TWO_THIRDS = "two_thirds", _("At least 2/3")
    PERCENT = "percent", _("At least a given percentage")


def share_needed(share: str, percent, base: int) -> int:
    """The least whole number of votes (or ballots) out of ``base`` that meets ``share``.

    Integer arithmetic only, so that 2/3 of 6 is exactly 4 and never 3.9999.
    """
    if share == Share.NONE:
        return 0
    if share == Share.MAJORITY:
        return base // 2 + 1
    if share == Share.TWO_THIRDS:
        return -(-2 * base // 3)
    # At least ``percent`` % of base: the least n with 100·n ≥ percent·base.
    return int((Decimal(percent) * base / 100).to_integral_value(rounding=ROUND_CEILING))


class VoteRule(models.Model):
    """How one kind of vote is decided under a rule set.

    The rule for a purpose and an award type wins over the rule for the purpose alone.
    When more candidates pass than there are seats, the highest votes win; candidates
    tied for the last seat are reported as tied and none of them is chosen by the code.
    """

    class Purpose(models.TextChoices):
        NOMINATION = "nomination", _("Nomination for an award (suy tôn)")
        HEAD = "head", _("Election of next year's head")
        DEPUTY = "deputy", _("Election of next year's deputy")
        QUESTION = "question", _("Free question")

    class Base(models.TextChoices):
        ELIGIBLE = "eligible", _("All eligible voters")
        PRESENT = "present", _("Voters present")
        VALID = "valid", _("Valid ballots")

    class Selection(models.TextChoices):
        HIGHEST = "highest", _("Highest votes; ties reported, never broken")

    rule_set = models.ForeignKey(
        RuleSet, on_delete=models.CASCADE, related_name="vote_rules", verbose_name=_("rule set")
    )
    purpose = models.CharField(_("purpose"), max_length=20, choices=Purpose.choices)
    award_type = models.ForeignKey(
        AwardType,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="vote_rules",
        verbose_name=_("award type"),
        help_text=_("Empty: the rule for every nomination of this purpose."),
    )
    base = models.CharField(_("base"), max_length=10, choices=Base.choices)
    threshold = models.CharField(
        _("threshold"),
        max_length=10,
        choices=[c for c in Share.choices if c[0] != Share.NONE],
    )
    threshold_percent = models.DecimalField(
        _("threshold percentage"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    quorum = models.CharField(
        _("quorum"),
        max_length=10,
        choices=Share.choices,
        default=Share.NONE,
        help_text=_("Share of all eligible voters who must return a ballot."),
    )
    quorum_percent = models.DecimalField(
        _("quorum percentage"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    selection = models.CharField(
        _("when more pass than there are seats"),
        max_length=10,
        choices=Selection.choices,
        default=Selection.HIGHEST,
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("vote rule")
        verbose_name_plural = _("vote rules")
        ordering = ["rule_set", "purpose", "award_type__name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["rule_set", "purpose"],
                condition=Q(award_type__isnull=True),
                name="voterule_once_per_purpose",
                violation_error_message=_("The rule set already has a rule for this purpose."),
            ),
            models.UniqueConstraint(
                fields=["rule_set", "purpose", "award_type"],
                name="voterule_once_per_award_type",
                violation_error_message=_(
                    "The rule set already has a rule for this purpose and award type."
                ),
            ),
            models.CheckConstraint(
                condition=Q(award_type__isnull=True) | Q(purpose="nomination"),
                name="voterule_award_type_only_for_nomination",
                violation_error_message=_("Only a nomination rule names an award type."),
            ),
            models.CheckConstraint(
                condition=(
                    Q(threshold="percent")
                    & Q(threshold_percent__gt=0)
                    & Q(threshold_percent__lte=100)
                )
                | (~Q(threshold="percent") & Q(threshold_percent__isnull=True)),
                name="voterule_threshold_percent_when_asked",
                violation_error_message=_(
                    "Give a percentage (above 0, at most 100) for a percentage threshold, "
                    "and only then."
                ),
            ),
            models.CheckConstraint(
                condition=(
                    Q(quorum="percent") & Q(quorum_percent__gt=0) & Q(quorum_percent__lte=100)
                )
                | (~Q(quorum="percent") & Q(quorum_percent__isnull=True)),
                name="voterule_quorum_percent_when_asked",
                violation_error_message=_(
                    "Give a percentage (above 0, at most 100) for a percentage quorum, "
                    "and only then."
                ),
            ),
        ]

    def __str__(self):
        target = f" — {self.award_type}" if self.award_type_id else ""
        return f"{self.get_purpose_display()}{target}: {self.describe()}"

    def describe(self) -> str:
        """“More than 50 % of valid ballots; quorum at least 2/3”."""
        threshold = (
            _("At least %(percent)s %%") % {"percent": f"{self.threshold_percent.normalize():f}"}
            if self.threshold == Share.PERCENT
            else Share(self.threshold).label
        )
        text = _("%(threshold)s of %(base)s") % {
            "threshold": threshold,
            "base": str(self.get_base_display()).lower(),
        }
        if self.quorum != Share.NONE:
            quorum = (
                _("At least %(percent)s %%") % {"percent": f"{self.quorum_percent.normalize():f}"}
                if self.quorum == Share.PERCENT
                else Share(self.quorum).label
            )
            text = _("%(text)s; quorum: %(quorum)s of all eligible voters") % {
                "text": text,
                "quorum": str(quorum).lower(),
            }
        return text

    def votes_needed(self, base: int) -> int:
        return share_needed(self.threshold, self.threshold_percent, base)

    def quorum_needed(self, eligible: int) -> int:
        return share_needed(self.quorum, self.quorum_percent, eligible)


# --- Award rules -------------------------------------------------------------------------
# What a rule set says of one award type: how many a cluster may propose, what must come
# before it, what its dossier holds, by when it is sent and up which chain it climbs.
# ``awards`` reads the rule in force on the day (``selectors.award_rule_in_force``).


class Chain(models.TextChoices):
    """The levels a proposal climbs (DOMAIN.md, "Who decides, level by level")."""

    GRASSROOTS = "grassroots", _("Cluster → deciding authority")
    PROVINCE = "province", _("Cluster → Ban TĐKT → Council → provincial chairman")
    STATE = "state", _("Cluster → Ban TĐKT → Council → central board → Prime Minister, President")


class Stage(models.TextChoices):
    """One level of an approval chain."""

    CLUSTER = "cluster", _("Cluster")
    BOARD = "board", _("Ban Thi đua - Khen thưởng")
    COUNCIL = "council", _("Emulation and Commendation Council")
    CENTRE = "centre", _("Central board (Ban TĐKT Trung ương)")
    AUTHORITY = "authority", _("Deciding authority")


CHAIN_STAGES = {
    Chain.GRASSROOTS: (Stage.CLUSTER, Stage.AUTHORITY),
    Chain.PROVINCE: (Stage.CLUSTER, Stage.BOARD, Stage.COUNCIL, Stage.AUTHORITY),
    Chain.STATE: (Stage.CLUSTER, Stage.BOARD, Stage.COUNCIL, Stage.CENTRE, Stage.AUTHORITY),
}


class InitiativeLevel(models.TextChoices):
    """How far a recognised initiative's effect reaches."""

    GRASSROOTS = "grassroots", _("Grassroots")
    PROVINCE = "province", _("Province, ministry or sector")
    NATIONWIDE = "nationwide", _("Nationwide")


INITIATIVE_RANK = {
    InitiativeLevel.GRASSROOTS: 1,
    InitiativeLevel.PROVINCE: 2,
    InitiativeLevel.NATIONWIDE: 3,
}


class AwardRule(models.Model):
    rule_set = models.ForeignKey(
        RuleSet, on_delete=models.CASCADE, related_name="award_rules", verbose_name=_("rule set")
    )
    award_type = models.ForeignKey(
        AwardType, on_delete=models.PROTECT, related_name="rules", verbose_name=_("award type")
    )
    chain = models.CharField(
        _("approval chain"), max_length=20, choices=Chain.choices, default=Chain.PROVINCE
    )
    quota_per_cluster = models.PositiveSmallIntegerField(
        _("at most per cluster and year"), null=True, blank=True
    )
    quota_percent = models.DecimalField(
        _("at most this percentage of the cluster's members"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
    )
    requires_vote = models.BooleanField(
        _("needs a confirmed nomination vote"),
        default=False,
        help_text=_("The cluster's vote must have put the recipient forward for this award."),
    )
    prerequisite = models.ForeignKey(
        AwardType,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="required_by",
        verbose_name=_("needs first"),
    )
    prerequisite_years = models.PositiveSmallIntegerField(
        _("for this many consecutive years before"),
        default=1,
        help_text=_("E.g. 3: the award named above in each of the three years before."),
    )
    initiative_level = models.CharField(
        _("needs a recognised initiative of at least"),
        max_length=20,
        choices=InitiativeLevel.choices,
        blank=True,
    )
    ranking_from = models.PositiveSmallIntegerField(
        _("suggested from the ranking: from place"), null=True, blank=True
    )
    ranking_to = models.PositiveSmallIntegerField(_("to place"), null=True, blank=True)
    checklist = models.TextField(
        _("dossier checklist"), blank=True, help_text=_("One document per line.")
    )
    deadline_day = models.PositiveSmallIntegerField(_("submit by day"), null=True, blank=True)
    deadline_month = models.PositiveSmallIntegerField(_("month"), null=True, blank=True)
    deadline_next_year = models.BooleanField(
        _("of the year after"), default=True, help_text=_("E.g. 31/3 of the following year.")
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("award rule")
        verbose_name_plural = _("award rules")
        ordering = ["rule_set", "award_type__category", "award_type__order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["rule_set", "award_type"],
                name="awardrule_once_per_award_type",
                violation_error_message=_("The rule set already has a rule for this award."),
            ),
            models.CheckConstraint(
                condition=Q(quota_percent__isnull=True)
                | (Q(quota_percent__gt=0) & Q(quota_percent__lte=100)),
                name="awardrule_quota_percent_range",
                violation_error_message=_("A percentage is above 0 and at most 100."),
            ),
            models.CheckConstraint(
                condition=(Q(deadline_day__isnull=True) & Q(deadline_month__isnull=True))
                | (
                    Q(deadline_day__gte=1)
                    & Q(deadline_day__lte=31)
                    & Q(deadline_month__gte=1)
                    & Q(deadline_month__lte=12)
                ),
                name="awardrule_deadline_is_a_day",
                violation_error_message=_("Give the deadline's day and month, or neither."),
            ),
            models.CheckConstraint(
                condition=Q(ranking_from__isnull=True, ranking_to__isnull=True)
                | Q(ranking_from__gte=1, ranking_to__gte=models.F("ranking_from")),
                name="awardrule_ranking_places",
                violation_error_message=_(
                    "Give the first and the last place suggested from the ranking, or neither."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.award_type} — {self.rule_set}"

    def clean(self):
        if self.deadline_day and self.deadline_month:
            try:
                datetime.date(2024, self.deadline_month, self.deadline_day)
            except ValueError:
                raise ValidationError(
                    {"deadline_day": _("This day does not exist in that month.")}
                ) from None

    @property
    def stages(self) -> tuple[str, ...]:
        return CHAIN_STAGES[Chain(self.chain)]

    def deadline_for(self, year: int) -> datetime.date | None:
        """The last day to submit proposals for ``year``'s work."""
        if not (self.deadline_day and self.deadline_month):
            return None
        year = year + 1 if self.deadline_next_year else year
        # 29/2 is the last day of February: in a common year, the 28th.
        last = calendar.monthrange(year, self.deadline_month)[1]
        return datetime.date(year, self.deadline_month, min(self.deadline_day, last))

    def checklist_items(self) -> list[str]:
        return [line.strip() for line in self.checklist.splitlines() if line.strip()]
