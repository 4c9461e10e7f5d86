"""Addresses of the registers kept beside the awards: import, initiatives, reported counts."""

urlpatterns = []
