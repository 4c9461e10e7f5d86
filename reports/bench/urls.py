"""The product's URLs plus the benchmark's baselines, used only while it measures.

- ``bench/admin/``: Django's admin changelists of the two largest tables (people and
  awards), through plain ``ModelAdmin`` classes on an admin site of its own, so the
  product's admin is untouched; the awards' shows what the product's ``AwardAdmin``
  shows, as a plain (editable) admin would, with its selection column and actions;
- ``bench/floor/``: the least a login-required page can cost (session, user, response).
"""

from django.contrib import admin
from django.http import HttpResponse
from django.urls import path

from awards.admin import AwardAdmin as ProductAwardAdmin
from awards.models import Award
from clusters.models import Person
from config.urls import urlpatterns as product_urlpatterns


class PersonAdmin(admin.ModelAdmin):
    # No foreign key in the list: the nullable unit would cost a query per row.
    list_display = ["full_name", "position"]
    search_fields = ["full_name", "position"]


class AwardAdmin(admin.ModelAdmin):
    list_display = ProductAwardAdmin.list_display
    list_filter = ProductAwardAdmin.list_filter
    list_select_related = ProductAwardAdmin.list_select_related
    search_fields = ProductAwardAdmin.search_fields


site = admin.AdminSite(name="bench_admin")
site.register(Person, PersonAdmin)
site.register(Award, AwardAdmin)


def floor(request):
    # LoginRequiredMiddleware guards it like every product page.
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path("bench/floor/", floor, name="bench-floor"),
    path("bench/admin/", site.urls),
    *product_urlpatterns,
]
