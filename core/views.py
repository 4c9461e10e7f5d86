"""View bases every app uses: scoped fetching, service-backed forms and tables, lists,
workflow actions.

Each view fetches through a scoped selector (another cluster's object is a 404),
checks a named permission, binds a form, calls one service and redirects with a
message. Nothing here knows the domain: selectors and permissions are given.
"""

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.forms.formsets import DELETION_FIELD_NAME
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect
from django.views import View
from django.views.generic import FormView
from django.views.generic.base import ContextMixin, TemplateResponseMixin
from django_filters.views import FilterView

from core.constraints import violation_error
from core.pagination import PAGE_PARAMETERS, KeysetPaginator
from core.permissions import Frozen


class ScopedMixin:
    """Fetch through a scoped selector and check a named permission.

    ``selector(user)`` returns what the user may see; ``permission(user, obj)`` (if
    set) decides whether they may act on the object they asked for.
    """

    selector = None
    permission = None
    # ``frozen(user, obj)``: why a closed record may not change (signed, approved …), or
    # "" — refused with that reason (core.permissions.Frozen) before asking ``permission``.
    frozen = None

    def get_queryset(self):
        return type(self).selector(self.request.user)

    def get_object(self, queryset=None):
        obj = get_object_or_404(
            queryset if queryset is not None else self.get_queryset(), pk=self.kwargs["pk"]
        )
        self.check_permission(obj)
        return obj

    def check_permission(self, obj):
        reason = type(self).frozen(self.request.user, obj) if type(self).frozen else ""
        if reason:
            raise Frozen(reason)
        if type(self).permission is not None and not type(self).permission(self.request.user, obj):
            raise PermissionDenied


class KeysetListMixin:
    """A list in pages of ``PAGE_SIZE``, paged by key (``core.pagination``), never by
    offset: ``ordering`` names the list's order (non-null fields, the last one unique)
    and an index should hold exactly it. A filterset with an ``ordering_tiers()`` method
    (a search) puts its best matches first."""

    ordering = ("pk",)

    def get_paginate_by(self, queryset):
        return settings.PAGE_SIZE

    def get_ordering(self):
        return self.ordering

    def get_total(self) -> int | None:
        """The rows of the list when the view knows them already (e.g. counted for a
        tab), saving the paginator its count; ``None`` to let it count."""
        return None

    def paginate_queryset(self, queryset, page_size):
        filterset = getattr(self, "filterset", None)
        tiers_of = getattr(filterset, "ordering_tiers", None)
        paginator = KeysetPaginator(
            queryset,
            self.get_ordering(),
            page_size,
            tiers=tiers_of() if tiers_of else (),
            total=self.get_total(),
            # What the filters were given: the scoped rows, before any filter.
            unfiltered=getattr(filterset, "queryset", None),
        )
        page = paginator.page_from(self.request.GET)
        return paginator, page, page.rows, page.is_paginated

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        for name in PAGE_PARAMETERS:
            query.pop(name, None)
        context["query_without_page"] = query.urlencode()
        return context


class ScopedListView(KeysetListMixin, ScopedMixin, FilterView):
    """A filtered list of what the user may see (``selector``), paged by key."""


class ServiceFormView(FormView):
    """A form whose valid data goes to one service; service errors land on the form."""

    success_message = ""

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), **self.get_extra_form_kwargs()}

    def get_extra_form_kwargs(self):
        return {}

    def save(self, form):
        raise NotImplementedError

    def form_valid(self, form):
        try:
            # One savepoint: a refused save leaves nothing half-written, and a unique
            # rule the database enforced against a simultaneous save reads like the
            # form's own check.
            with transaction.atomic():
                self.object = self.save(form)
        except IntegrityError as error:
            # The row that won the race is committed now: checking the form again names
            # every field it clashes with, whichever of its constraints fired first.
            form.full_clean()
            if form.is_valid():
                form.add_error(None, violation_error(error))
            return self.form_invalid(form)
        except ValidationError as error:
            for field_name, errors in _error_dict(error).items():
                for message in errors:
                    form.add_error(field_name if field_name in form.fields else None, message)
            return self.form_invalid(form)
        if self.success_message:
            messages.success(self.request, str(self.success_message) % {"object": self.object})
        return redirect(self.get_success_url())

    def get_success_url(self):
        return self.object.get_absolute_url()


def _error_dict(error: ValidationError) -> dict[str, list[str]]:
    if hasattr(error, "error_dict"):
        return error.message_dict
    return {None: error.messages}


class CreateServiceView(ServiceFormView):
    """A page that creates something: ``create_permission(user)`` decides who may, and the
    form gets the user (its choices are scoped to them)."""

    create_permission = None

    def dispatch(self, request, *args, **kwargs):
        if not type(self).create_permission(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_extra_form_kwargs(self):
        return {"user": self.request.user}


class UpdateServiceView(ScopedMixin, ServiceFormView):
    """A page that edits one scoped object, shown to the template as ``context_name``.

    The bound ModelForm changes ``self.target`` while validating, so ``save`` works on
    ``fresh()``: the stored row, to which the service applies the submitted fields.
    """

    context_name = "object"

    def dispatch(self, request, *args, **kwargs):
        self.target = self.get_object()
        return super().dispatch(request, *args, **kwargs)

    def get_extra_form_kwargs(self):
        return {"user": self.request.user, "instance": self.target}

    def get_context_data(self, **kwargs):
        return super().get_context_data(**{self.context_name: self.target}, **kwargs)

    def fresh(self):
        return self.get_queryset().get(pk=self.target.pk)


# --- Tables saved whole ------------------------------------------------------------------------


class FormsetServiceView(TemplateResponseMixin, ContextMixin, View):
    """Rows edited together in one formset (a table on the page) and saved by one service.

    Subclasses fetch and check their object first (``ScopedMixin`` in ``dispatch``), name
    ``formset_class`` (with ``core.forms.ServiceErrorsFormSet``) and its
    ``get_formset_kwargs()``, and write ``save(rows, deleted)``: ``rows`` holds
    ``row(form)`` of every row to keep, in order; ``deleted`` the shown rows ticked for
    deletion (see ``split_rows``); the bound formset is ``self.formset``. A
    ``ValidationError`` from the service is shown above the table and everything typed
    is kept.
    """

    formset_class = None
    success_message = ""

    def get_formset_kwargs(self) -> dict:
        return {}

    def get_formset(self, data=None):
        return self.formset_class(data, **self.get_formset_kwargs())

    def is_valid(self, formset) -> bool:
        return formset.is_valid()

    def row(self, form) -> dict:
        return form.cleaned_data

    def save(self, rows: list[dict], deleted: list) -> None:
        raise NotImplementedError

    def service_error(self, formset, error: ValidationError):
        """Show what the service refused; return the formset to show again."""
        formset.add_non_form_error(error)
        return formset

    def get_success_message(self) -> str:
        return str(self.success_message)

    def get_success_url(self):
        return self.request.path

    def get(self, request, *args, **kwargs):
        return self.render(self.get_formset())

    def post(self, request, *args, **kwargs):
        formset = self.formset = self.get_formset(request.POST)
        if self.is_valid(formset):
            kept, deleted = split_rows(formset)
            try:
                self.save([self.row(form) for form in kept], deleted)
            except ValidationError as error:
                formset = self.service_error(formset, error)
            else:
                messages.success(request, self.get_success_message())
                return redirect(self.get_success_url())
        return self.render(formset)

    def render(self, formset):
        return self.render_to_response(self.get_context_data(formset=formset))


def split_rows(formset) -> tuple[list, list]:
    """(kept, deleted) forms of a valid formset, read through its public API.

    Kept: every row shown from the record, changed or not (the table is saved whole),
    and every empty row the user typed into. Deleted: shown rows ticked for deletion. A
    new row typed and then ticked is neither; untouched empty rows are ignored.
    """
    shown = formset.initial_form_count()
    kept, deleted = [], []
    for index, form in enumerate(formset.forms):
        if formset.can_delete and form.cleaned_data.get(DELETION_FIELD_NAME):
            if index < shown:
                deleted.append(form)
        elif (index < shown or form.has_changed()) and form.cleaned_data:
            kept.append(form)
    return kept, deleted


# --- Workflow actions --------------------------------------------------------------------------


def workflow_action(
    request: HttpRequest,
    *,
    obj,
    allowed: bool,
    service: Callable[[], Any],
    success: str | Callable[[Any], str | None],
    redirect_to=None,
    success_url=None,
    frozen: str = "",
) -> HttpResponse:
    """One state change from a button: POST only, checked, one service, back with a message.

    ``obj`` is what the action is on, already fetched through a scoped selector;
    ``allowed`` the named permission check's answer for it (403 when false). ``service``
    makes the change; a ``ValidationError`` it raises (a refused transition, or an invalid
    form through ``validated``) becomes one error message per problem and nothing else
    happens. ``success`` is the message, or a function of what the service returned
    giving it (or adding several messages itself and giving nothing).

    The user goes back to ``redirect_to`` (anything ``redirect`` takes; ``obj``'s page by
    default). An action that leads elsewhere gives ``success_url``: a page, or a function
    of the service's result (the new object) returning one. ``frozen`` is why a closed
    record refuses the action (``core.permissions.Frozen``), if it is closed.
    """
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if frozen:
        raise Frozen(frozen)
    if not allowed:
        raise PermissionDenied
    back = obj if redirect_to is None else redirect_to
    try:
        result = service()
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect(back)
    message = success(result) if callable(success) else success
    if message:
        messages.success(request, message)
    if success_url is None:
        return redirect(back)
    return redirect(success_url(result) if callable(success_url) else success_url)


def validated(form, message: str | None = None) -> dict:
    """The form's cleaned data; otherwise a ``ValidationError`` carrying ``message`` (what
    to do, when the field errors would not say it) or the form's own errors."""
    if form.is_valid():
        return form.cleaned_data
    raise ValidationError(message or form.errors.as_data())
