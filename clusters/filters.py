"""List filters (django-filter). Every queryset they receive is already scoped."""

import django_filters
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clusters import search
from clusters.models import Cluster, ClusterYear, Level, Person, Unit
from core import widgets


class FoldedSearchFilter(django_filters.CharFilter):
    """Diacritic- and case-insensitive search over a folded ``search_text`` column."""

    def __init__(self, *args, column: str = "search_text", **kwargs):
        kwargs.setdefault("label", _("Search"))
        kwargs.setdefault(
            "widget", forms.TextInput(attrs={"placeholder": _("Name, without diacritics is fine")})
        )
        super().__init__(*args, **kwargs)
        self.column = column

    def filter(self, qs, value):
        condition = search.matches(value or "", self.column)
        return qs if condition is None else qs.filter(condition)

    def tiers(self, value) -> list:
        return search.tiers(value or "", self.column)


FAST_WIDGETS = {
    forms.TextInput: widgets.TextInput,
    forms.NumberInput: widgets.NumberInput,
    forms.Select: widgets.Select,
}


class StyledFilterSet(django_filters.FilterSet):
    """Bootstrap classes on every filter widget, so templates just print fields."""

    def ordering_tiers(self) -> list:
        """A search's ranks (exact name first…) for the list's pages; none without one."""
        if not self.is_bound or not self.is_valid():
            return []
        for name, filter_ in self.filters.items():
            if isinstance(filter_, FoldedSearchFilter):
                found = filter_.tiers(self.form.cleaned_data.get(name))
                if found:
                    return found
        return []

    @property
    def form(self):
        form = super().form
        for field in form.fields.values():
            widget = field.widget
            fast = FAST_WIDGETS.get(type(widget))
            if fast is not None:
                # The same widget, written without the template engine (core.widgets):
                # a list page renders its filters on every request.
                widget.__class__ = fast
            css = (
                "form-select form-select-sm"
                if isinstance(widget, forms.Select)
                else ("form-control form-control-sm")
            )
            widget.attrs["class"] = css
        return form


class UnitFilter(StyledFilterSet):
    ACTIVE, CEASED = "active", "ceased"

    q = FoldedSearchFilter()
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=Unit.Kind.choices)
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=[(ACTIVE, _("Active today")), (CEASED, _("Ceased (merged, dissolved)"))],
        method="filter_status",
    )

    class Meta:
        model = Unit
        fields = ["q", "kind", "status"]

    def filter_status(self, qs, name, value):
        today = timezone.localdate()
        if value == self.ACTIVE:
            return qs.active_on(today)
        if value == self.CEASED:
            return qs.filter(active_to__lt=today)
        return qs


class ClusterFilter(StyledFilterSet):
    q = FoldedSearchFilter()
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=Cluster.Kind.choices)
    level = django_filters.ChoiceFilter(label=_("Level"), choices=Level.choices)

    class Meta:
        model = Cluster
        fields = ["q", "kind", "level"]


class ClusterYearFilter(StyledFilterSet):
    q = FoldedSearchFilter(column="cluster__search_text")
    year = django_filters.TypedChoiceFilter(label=_("Year"), coerce=int)
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=Cluster.Kind.choices, field_name="cluster__kind"
    )

    class Meta:
        model = ClusterYear
        fields = ["q", "year", "kind"]

    def __init__(self, *args, years: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["year"].extra["choices"] = [(year, str(year)) for year in years]


class PersonFilter(StyledFilterSet):
    q = FoldedSearchFilter(label=_("Name, position or unit"))

    class Meta:
        model = Person
        fields = ["q"]
