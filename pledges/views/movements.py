"""The national and provincial emulation movements a pledge answers to."""

from django.urls import reverse
from django.utils.translation import gettext_lazy

from core.views import CreateServiceView, ScopedListView, UpdateServiceView
from pledges import permissions, selectors, services
from pledges.filters import MovementFilter
from pledges.forms import MovementForm


class MovementListView(ScopedListView):
    selector = staticmethod(selectors.movements_for_user)
    filterset_class = MovementFilter
    template_name = "pledges/movement_list.html"
    ordering = ("sort_key", "pk")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_create"] = permissions.can_create_movement(self.request.user)
        return context


class MovementCreateView(CreateServiceView):
    create_permission = staticmethod(permissions.can_create_movement)
    form_class = MovementForm
    template_name = "pledges/movement_form.html"
    success_message = gettext_lazy("Movement “%(object)s” was saved.")

    def save(self, form):
        return services.movement_save(**form.cleaned_data)

    def get_success_url(self):
        return reverse("pledges:movement-list")


class MovementUpdateView(UpdateServiceView):
    selector = staticmethod(selectors.movements_for_user)
    permission = staticmethod(permissions.can_change_movement)
    form_class = MovementForm
    template_name = "pledges/movement_form.html"
    success_message = gettext_lazy("Movement “%(object)s” was saved.")
    context_name = "movement"

    def save(self, form):
        return services.movement_save(movement=self.fresh(), **form.cleaned_data)

    def get_success_url(self):
        return reverse("pledges:movement-list")
