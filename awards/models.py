"""The catalogue of award types: emulation titles and forms of commendation.

Two distinct lists (DOMAIN.md): emulation titles (danh hiệu thi đua, yearly, e.g. Cờ thi
đua của Chính phủ) and forms of commendation (hình thức khen thưởng, e.g. Bằng khen).
Both are data: the national list is seeded by a migration; a body may add its own
(e.g. "Cờ đơn vị dẫn đầu phong trào thi đua"). Everything that names a title or a
commendation — a pledge's title registration, a vote's purpose, a decision — points here.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from clusters.models import OrganizingBody, SearchableModel


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

    def sort_source(self):
        return self.name

    @property
    def is_collective_title(self) -> bool:
        return self.category == self.Category.TITLE and self.recipient in (
            self.Recipient.COLLECTIVE,
            self.Recipient.BOTH,
        )
