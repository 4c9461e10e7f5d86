"""Addresses of the award statistics and the periodic statistical report."""

urlpatterns = []
