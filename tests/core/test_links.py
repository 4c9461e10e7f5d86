"""``{% link %}``: the navigation's addresses reversed once, the same as ``{% url %}``."""

import re

import pytest
from django.template import Context, Template
from django.urls import clear_script_prefix, set_script_prefix
from django.utils import translation

from config.settings import BASE_DIR

BASE = (BASE_DIR / "templates" / "base.html").read_text()
NAMES = sorted(set(re.findall(r"\{% link '([^']+)'", BASE)))


def test_the_navigation_links_every_page_it_offers():
    assert len(NAMES) >= 20
    assert "{% url" not in BASE  # every address of the bar is one without arguments


@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize("prefix", ["/", "/thidua/"])
def test_a_link_is_the_address_url_gives(language, prefix):
    linked = Template("{% load thidua %}" + "".join(f"{{% link '{n}' %}}|" for n in NAMES))
    reversed_ = Template("".join(f"{{% url '{n}' %}}|" for n in NAMES))
    set_script_prefix(prefix)
    try:
        with translation.override(language):
            for _ in range(2):  # reversed the first time, remembered the second
                assert linked.render(Context()) == reversed_.render(Context())
    finally:
        clear_script_prefix()
    if prefix != "/":
        assert linked.render(Context()).startswith("/") and "/thidua/" not in linked.render(
            Context()
        )


def test_a_link_can_be_kept_in_a_variable():
    rendered = Template(
        "{% load thidua %}{% link 'reports:dashboard' as home %}<a href=\"{{ home }}\">"
    ).render(Context())
    assert rendered == '<a href="/">'
