"""The product's URLs plus the benchmark's two baselines, used only while it measures.

- ``bench/admin/``: Django's admin changelist of the largest table (people), through a
  plain ``ModelAdmin`` on an admin site of its own, so the product's admin is untouched;
- ``bench/floor/``: the least a login-required page can cost (session, user, response).
"""

from django.contrib import admin
from django.http import HttpResponse
from django.urls import path

from clusters.models import Person
from config.urls import urlpatterns as product_urlpatterns


class PersonAdmin(admin.ModelAdmin):
    # No foreign key in the list: the nullable unit would cost a query per row.
    list_display = ["full_name", "position"]
    search_fields = ["full_name", "position"]


site = admin.AdminSite(name="bench_admin")
site.register(Person, PersonAdmin)


def floor(request):
    # LoginRequiredMiddleware guards it like every product page.
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path("bench/floor/", floor, name="bench-floor"),
    path("bench/admin/", site.urls),
    *product_urlpatterns,
]
