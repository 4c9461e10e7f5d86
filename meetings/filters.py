import django_filters
from django.utils.translation import gettext_lazy as _

from clusters.filters import FoldedSearchFilter, StyledFilterSet
from meetings.models import Exemplar, Meeting


class MeetingFilter(StyledFilterSet):
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=Meeting.Kind.choices)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Meeting.Status.choices)
    year = django_filters.NumberFilter(label=_("Year"), field_name="cluster_year__year")
    q = FoldedSearchFilter(column="cluster_year__cluster__search_text", label=_("Cluster"))

    class Meta:
        model = Meeting
        fields = ["q", "year", "kind", "status"]


class ExemplarFilter(StyledFilterSet):
    q = FoldedSearchFilter()
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=Exemplar.Kind.choices)
    year = django_filters.NumberFilter(label=_("Year"), field_name="meeting__cluster_year__year")

    class Meta:
        model = Exemplar
        fields = ["q", "kind", "year"]
