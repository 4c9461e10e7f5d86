"""The pledge printed: PDF to read, Word to edit."""

from django.http import HttpResponse
from django.shortcuts import get_object_or_404

from pledges import selectors
from pledges.documents import render_pledge_docx, render_pledge_pdf
from pledges.models import Pledge


def _document_pledge(request, pk) -> Pledge:
    return get_object_or_404(
        selectors.pledges_for_user(request.user).prefetch_related("movements"), pk=pk
    )


def pledge_pdf(request, pk):
    pledge = _document_pledge(request, pk)
    response = HttpResponse(render_pledge_pdf(pledge=pledge), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'inline; filename="giao-uoc-{pledge.cluster_year.year}-{pledge.pk}.pdf"'
    )
    return response


def pledge_docx(request, pk):
    pledge = _document_pledge(request, pk)
    response = HttpResponse(
        render_pledge_docx(pledge=pledge),
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    response["Content-Disposition"] = (
        f'attachment; filename="giao-uoc-{pledge.cluster_year.year}-{pledge.pk}.docx"'
    )
    return response
