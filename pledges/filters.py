import django_filters
from django.utils.translation import gettext_lazy as _

from clusters.filters import FoldedSearchFilter, StyledFilterSet
from pledges.models import Movement


class MovementFilter(StyledFilterSet):
    NATIONAL, OWN = "national", "own"

    q = FoldedSearchFilter()
    scope = django_filters.ChoiceFilter(
        label=_("Launched at"),
        choices=[(NATIONAL, _("National")), (OWN, _("Province or body"))],
        method="filter_scope",
    )

    class Meta:
        model = Movement
        fields = ["q", "scope"]

    def filter_scope(self, qs, name, value):
        if value == self.NATIONAL:
            return qs.filter(body__isnull=True)
        if value == self.OWN:
            return qs.filter(body__isnull=False)
        return qs
