"""Filters of the awards list and the decisions register (querysets come scoped)."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from awards.models import Award, Decision, Occasion, RecipientKind
from clusters.filters import FoldedSearchFilter, StyledFilterSet
from clusters.models import AwardType, Stage
from clusters.selectors import user_scope


def _award_types(request):
    if request is None:
        return AwardType.objects.none()
    scope = user_scope(request.user)
    types = AwardType.objects.all()
    if not scope.is_superuser:
        bodies = scope.register_body_ids | scope.council_body_ids | scope.office_body_ids
        types = types.filter(Q(body__isnull=True) | Q(body_id__in=bodies))
    # Only what an option shows (its name): an award type row carries its criteria and
    # legal basis besides.
    return types.order_by("category", "order", "sort_key", "pk").only("name")


class AwardFilter(StyledFilterSet):
    q = FoldedSearchFilter(label=_("Recipient's name"))
    year = django_filters.NumberFilter(label=_("Year"))
    award_type = django_filters.ModelChoiceFilter(label=_("Award"), queryset=_award_types)
    level = django_filters.ChoiceFilter(
        label=_("Level"), field_name="award_type__level", choices=AwardType.Level.choices
    )
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Award.Status.choices)
    stage = django_filters.ChoiceFilter(label=_("At level"), choices=Stage.choices)
    occasion = django_filters.ChoiceFilter(label=_("Occasion"), choices=Occasion.choices)
    recipient_kind = django_filters.ChoiceFilter(
        label=_("Kind of recipient"), choices=RecipientKind.choices
    )

    class Meta:
        model = Award
        fields = [
            "q",
            "year",
            "award_type",
            "level",
            "status",
            "stage",
            "occasion",
            "recipient_kind",
        ]


class InboxFilter(AwardFilter):
    """The awards list's filters that mean something inside one level's inbox."""

    class Meta:
        model = Award
        fields = ["q", "year", "award_type", "occasion", "recipient_kind"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("level", "status", "stage"):
            self.filters.pop(name)


class DecisionFilter(StyledFilterSet):
    q = FoldedSearchFilter(label=_("Number, authority or subject"))
    year = django_filters.NumberFilter(label=_("Year"))

    class Meta:
        model = Decision
        fields = ["q", "year"]
