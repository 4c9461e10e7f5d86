from dataclasses import dataclass
from datetime import date

import pytest
from django import forms
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.middleware import SessionMiddleware
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import RequestFactory

from core.forms import ServiceErrorsFormSet
from core.views import FormsetServiceView, validated, workflow_action


@dataclass
class Thing:
    pk: int

    def get_absolute_url(self):
        return f"/things/{self.pk}/"


class Calls:
    """A service stand-in that records its calls and returns or raises what it is given."""

    def __init__(self, returns=None, raises=None):
        self.count, self.returns, self.raises = 0, returns, raises

    def __call__(self):
        self.count += 1
        if self.raises is not None:
            raise self.raises
        return self.returns


def make_request(method="post", data=None):
    request = getattr(RequestFactory(), method)("/things/1/act/", data or {})
    SessionMiddleware(lambda request: None).process_request(request)
    request._messages = FallbackStorage(request)
    request.user = AnonymousUser()
    return request


def messages_of(request) -> list[tuple[str, str]]:
    return [(message.level_tag, str(message)) for message in get_messages(request)]


def act(request, service, **kwargs):
    arguments = {"obj": Thing(1), "allowed": True, "success": "Done."} | kwargs
    return workflow_action(request, service=service, **arguments)


# --- workflow_action ---------------------------------------------------------------------------


def test_a_get_is_refused_with_405_and_changes_nothing():
    request, service = make_request("get"), Calls()

    response = act(request, service)

    assert response.status_code == 405
    assert response["Allow"] == "POST"
    assert service.count == 0


def test_a_user_not_allowed_gets_403_and_changes_nothing():
    service = Calls()

    with pytest.raises(PermissionDenied):
        act(make_request(), service, allowed=False)

    assert service.count == 0


def test_success_says_so_and_goes_back_to_the_object():
    request, service = make_request(), Calls()

    response = act(request, service, success="The pledge is marked signed.")

    assert service.count == 1
    assert (response.status_code, response.url) == (302, "/things/1/")
    assert messages_of(request) == [("success", "The pledge is marked signed.")]


def test_a_refused_transition_becomes_an_error_message_and_goes_back():
    request = make_request()
    service = Calls(raises=ValidationError("Enter the targets before marking it signed."))

    response = act(request, service, redirect_to="/things/1/#signing")

    assert (response.status_code, response.url) == (302, "/things/1/#signing")
    assert messages_of(request) == [("error", "Enter the targets before marking it signed.")]


def test_every_problem_of_a_field_error_becomes_its_own_message():
    request = make_request()
    error = ValidationError(
        {"signed_on": ["Enter a valid date."], "signed_place": ["This field is required."]}
    )

    response = act(request, Calls(raises=error), success_url="/elsewhere/")

    assert response.url == "/things/1/"
    assert messages_of(request) == [
        ("error", "Enter a valid date."),
        ("error", "This field is required."),
    ]


def test_the_message_and_the_next_page_may_depend_on_what_the_service_made():
    request, service = make_request(), Calls(returns=Thing(2))

    response = act(
        request,
        service,
        success=lambda thing: f"Thing {thing.pk} was made.",
        success_url=lambda thing: thing,
    )

    assert response.url == "/things/2/"
    assert messages_of(request) == [("success", "Thing 2 was made.")]


def test_an_action_that_reports_itself_adds_no_second_message():
    request = make_request()

    def report(result):
        get_messages(request).add(20, "Three members copied.")

    act(request, Calls(), success=report)

    assert messages_of(request) == [("info", "Three members copied.")]


# --- validated ---------------------------------------------------------------------------------


class DateForm(forms.Form):
    done_on = forms.DateField()


def test_validated_gives_the_cleaned_data_of_a_valid_form():
    assert validated(DateForm({"done_on": "2024-05-02"})) == {"done_on": date(2024, 5, 2)}


def test_validated_raises_the_forms_errors():
    with pytest.raises(ValidationError) as caught:
        validated(DateForm({"done_on": "not a date"}))
    invalid = str(forms.DateField.default_error_messages["invalid"])
    assert caught.value.message_dict == {"done_on": [invalid]}


def test_validated_raises_the_given_message_instead():
    with pytest.raises(ValidationError) as caught:
        validated(DateForm({}), "Enter the date the task was done.")
    assert caught.value.messages == ["Enter the date the task was done."]


def test_an_invalid_form_inside_an_action_comes_back_as_a_message():
    request = make_request(data={"done_on": ""})
    service = Calls()

    def mark_done():
        validated(DateForm(request.POST), "Enter a valid date.")
        service()

    act(request, mark_done)

    assert service.count == 0
    assert messages_of(request) == [("error", "Enter a valid date.")]


# --- FormsetServiceView ------------------------------------------------------------------------


class RowForm(forms.Form):
    title = forms.CharField()


class RowFormSet(ServiceErrorsFormSet, forms.BaseFormSet):
    def clean(self):
        titles = [form.cleaned_data.get("title") for form in self.forms if form.has_changed()]
        if "twice" in titles and titles.count("twice") > 1:
            raise ValidationError("A title appears twice.")


AgendaFormSet = forms.formset_factory(RowForm, formset=RowFormSet, extra=2, can_delete=True)
SHOWN = [{"title": "Report"}, {"title": "Discussion"}]


class AgendaView(FormsetServiceView):
    """A table of two stored rows and two empty ones, saved through ``service``."""

    template_name = "never-rendered.html"
    formset_class = AgendaFormSet
    success_message = "Agenda saved."

    service = None

    def get_formset_kwargs(self):
        return {"initial": SHOWN}

    def save(self, rows, deleted):
        self.service.rows = rows
        self.service.deleted = [form.cleaned_data["title"] for form in deleted]
        self.service()


def management(total=4, initial=2) -> dict:
    return {"form-TOTAL_FORMS": str(total), "form-INITIAL_FORMS": str(initial)}


def rows_data(*titles, delete=()) -> dict:
    data = management()
    for index, title in enumerate(titles):
        data[f"form-{index}-title"] = title
        if index in delete:
            data[f"form-{index}-DELETE"] = "on"
    return data


def run(service, method="post", data=None):
    request = make_request(method, data)
    return request, AgendaView.as_view(service=service)(request)


def test_the_table_shows_the_stored_rows_and_empty_ones():
    _request, response = run(Calls(), "get")

    formset = response.context_data["formset"]
    assert not formset.is_bound
    assert [form.initial.get("title") for form in formset.forms] == [
        "Report",
        "Discussion",
        None,
        None,
    ]


def test_every_shown_row_and_each_typed_row_is_saved_in_order():
    service = Calls()

    request, response = run(service, data=rows_data("Report", "Discussion", "", "Votes"))

    assert service.count == 1
    assert [row["title"] for row in service.rows] == ["Report", "Discussion", "Votes"]
    assert service.deleted == []
    assert (response.status_code, response.url) == (302, "/things/1/act/")
    assert messages_of(request) == [("success", "Agenda saved.")]


def test_a_ticked_shown_row_is_deleted_and_a_ticked_new_row_dropped():
    service = Calls()

    run(service, data=rows_data("Report", "Discussion", "Votes", "", delete={0, 2}))

    assert [row["title"] for row in service.rows] == ["Discussion"]
    assert service.deleted == ["Report"]


def test_an_invalid_row_saves_nothing_and_keeps_what_was_typed():
    service = Calls()

    _request, response = run(service, data=rows_data("Report", "", "Votes"))

    assert service.count == 0
    formset = response.context_data["formset"]
    assert formset.errors[1] == {"title": [str(forms.Field.default_error_messages["required"])]}
    assert formset.data["form-2-title"] == "Votes"


def test_a_service_refusal_is_shown_above_the_table_with_every_row_kept():
    service = Calls(raises=ValidationError("Nothing was saved: the minutes are approved."))

    request, response = run(service, data=rows_data("Report", "Discussion", "Votes"))

    assert response.status_code == 200
    formset = response.context_data["formset"]
    assert list(formset.non_form_errors()) == ["Nothing was saved: the minutes are approved."]
    assert formset.total_error_count() == 1
    assert formset.data["form-2-title"] == "Votes"
    assert messages_of(request) == []


def test_service_errors_follow_the_formsets_own_errors():
    formset = AgendaFormSet(rows_data("twice", "twice"), initial=SHOWN)
    assert not formset.is_valid()

    formset.add_non_form_error(ValidationError(["First refusal.", "Second refusal."]))
    formset.add_non_form_error("Third refusal.")

    assert list(formset.non_form_errors()) == [
        "A title appears twice.",
        "First refusal.",
        "Second refusal.",
        "Third refusal.",
    ]
    assert formset.total_error_count() == 4
