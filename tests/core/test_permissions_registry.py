import inspect
import re
from types import ModuleType

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.template import Context, Template
from django.test import RequestFactory

import clusters.permissions
import meetings.permissions
import pledges.permissions
import scoring.permissions
from core.permissions import PermissionRegistry, registry

APP_MODULES = [clusters.permissions, meetings.permissions, pledges.permissions, scoring.permissions]


def checks_defined_in(module):
    return {
        name: value
        for name, value in vars(module).items()
        if name.startswith("can_") and inspect.getmodule(value) is module
    }


def module_with(name: str, *functions) -> ModuleType:
    """A stand-in for an app's permissions module defining ``functions``."""
    module = ModuleType(name)
    for function in functions:
        function.__module__ = name
        setattr(module, function.__name__, function)
    return module


def test_every_apps_checks_are_registered_at_start_up_under_their_name_without_can():
    for module in APP_MODULES:
        for name, check in checks_defined_in(module).items():
            assert registry.get(name.removeprefix("can_")) is check


def test_the_named_pledge_checks_are_registered():
    assert registry.get("record_signatures") is pledges.permissions.can_record_signatures
    assert registry.get("create_period") is pledges.permissions.can_create_period


def test_a_module_registers_only_the_checks_it_defines_not_those_it_imports():
    fresh = PermissionRegistry()

    fresh.register_module(meetings.permissions)

    assert "change_clusteryear" not in fresh.names()
    assert fresh.names() == {
        "create_meeting",
        "change_meeting",
        "mark_held_meeting",
        "approve_meeting",
        "reopen_meeting",
        "delete_attachment",
        "update_task",
    }


def test_a_second_check_with_a_taken_name_is_refused_and_the_first_one_stays():
    def can_change_meeting(user, meeting):
        return True

    with pytest.raises(ImproperlyConfigured, match="Two permission checks are named"):
        registry.register(can_change_meeting)

    assert registry.get("change_meeting") is meetings.permissions.can_change_meeting


def test_an_app_whose_ready_registers_a_taken_name_stops_the_start_up():
    def can_change_pledge(user, pledge):
        return True

    fresh = PermissionRegistry()
    fresh.register_module(pledges.permissions)
    other_app = module_with("awards.permissions", can_change_pledge)

    with pytest.raises(ImproperlyConfigured) as caught:
        fresh.register_module(other_app)

    assert str(caught.value) == (
        "Two permission checks are named can_change_pledge: "
        "pledges.permissions.can_change_pledge and "
        "awards.permissions.test_an_app_whose_ready_registers_a_taken_name_stops_the_start_up"
        ".<locals>.can_change_pledge."
    )


def test_registering_the_same_function_again_changes_nothing():
    fresh = PermissionRegistry()
    fresh.register(pledges.permissions.can_sign_pledge)
    fresh.register(pledges.permissions.can_sign_pledge)
    assert fresh.names() == {"sign_pledge"}


@pytest.mark.parametrize("check", [lambda user, obj: True, print])
def test_a_function_not_named_can_something_is_refused(check):
    with pytest.raises(ImproperlyConfigured, match="must be a function named can_"):
        PermissionRegistry().register(check)


def test_asking_for_an_unknown_name_is_an_error():
    with pytest.raises(ImproperlyConfigured, match="No permission check is registered as"):
        registry.get("change_nothing")


# --- The {% can %} tag -------------------------------------------------------------------------


def render(source: str, user, **context) -> str:
    request = RequestFactory().get("/")
    request.user = user
    template = Template("{% load thidua %}" + source)
    return template.render(Context({"request": request, **context}))


def test_the_tag_asks_the_registered_check(staff, outsider, cluster_year):
    source = '{% can "change_clusteryear" cluster_year as allowed %}{{ allowed }}'
    assert render(source, staff, cluster_year=cluster_year) == "True"
    assert render(source, outsider, cluster_year=cluster_year) == "False"


def test_the_tag_works_without_an_object(staff, viewer):
    source = '{% can "manage_accounts" as allowed %}{{ allowed }}'
    assert render(source, staff) == "True"
    assert render(source, viewer) == "False"


def test_the_tag_refuses_an_unknown_name(staff):
    with pytest.raises(ImproperlyConfigured, match="'change_clusteryaer'"):
        render('{% can "change_clusteryaer" cluster_year as allowed %}', staff, cluster_year=None)


def test_every_name_the_templates_ask_for_is_registered():
    asked = {
        name
        for path in (settings.BASE_DIR / "templates").rglob("*.html")
        for name in re.findall(r'{% can "(\w+)"', path.read_text())
    }
    assert asked
    assert asked <= registry.names()
