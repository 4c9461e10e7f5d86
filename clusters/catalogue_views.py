"""The award-type catalogue: its two lists (emulation titles, forms of commendation) for
staff to read, a body's own award types for its staff to add and change, the national
ones for a superuser.

Award types are read through ``selectors.award_types_for_user`` (the national list and the user's
bodies' own; another body's is a 404) and written by ``services.award_type_save``.
"""

from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils.translation import gettext_lazy
from django.views.generic import ListView

from clusters import permissions, selectors, services
from clusters.forms import AwardTypeForm
from clusters.models import AwardType
from core.views import CreateServiceView, UpdateServiceView


def _list_url() -> str:
    return reverse("clusters:awardtype-list")


class AwardTypeListView(ListView):
    """Both catalogues, each a table: the national list and the user's bodies' own, those
    out of use too. Some tens of rows, so one page."""

    template_name = "clusters/awardtype_list.html"
    context_object_name = "award_types"

    def dispatch(self, request, *args, **kwargs):
        if not permissions.can_view_rule_sets(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        return selectors.award_types_for_user(self.request.user).order_by(
            "category", "order", "sort_key", "pk"
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        rows = {category: [] for category in AwardType.Category}
        for award_type in context["award_types"]:
            rows[award_type.category].append(
                {
                    "type": award_type,
                    "may_change": permissions.can_change_award_type(user, award_type),
                }
            )
        context["catalogues"] = [
            {"category": category, "id": f"catalogue-{category.value}", "rows": rows[category]}
            for category in AwardType.Category
        ]
        context["may_create"] = permissions.can_create_award_type(user)
        return context


class AwardTypeCreateView(CreateServiceView):
    create_permission = staticmethod(permissions.can_create_award_type)
    form_class = AwardTypeForm
    template_name = "clusters/awardtype_form.html"
    success_message = gettext_lazy("Award type “%(object)s” was added.")

    def get_initial(self):
        category = self.request.GET.get("category")
        return {"category": category} if category in AwardType.Category.values else {}

    def save(self, form):
        data = dict(form.cleaned_data)
        return services.award_type_save(body=data.pop("body"), **data)

    def get_success_url(self):
        return f"{_list_url()}#catalogue-{self.object.category}"


class AwardTypeUpdateView(UpdateServiceView):
    selector = staticmethod(selectors.award_types_for_user)
    permission = staticmethod(permissions.can_change_award_type)
    form_class = AwardTypeForm
    template_name = "clusters/awardtype_form.html"
    context_name = "award_type"
    success_message = gettext_lazy("Award type “%(object)s” was saved.")

    def get_context_data(self, **kwargs):
        in_use = services.award_type_in_use(self.target)
        return super().get_context_data(
            in_use=in_use,
            in_use_message=services.award_type_in_use_message() if in_use else "",
            **kwargs,
        )

    def save(self, form):
        return services.award_type_save(award_type=self.fresh(), **form.cleaned_data)

    def get_success_url(self):
        return f"{_list_url()}#catalogue-{self.object.category}"
