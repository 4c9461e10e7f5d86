"""The pledge printed: PDF to read, Word to edit."""

from django.shortcuts import get_object_or_404

from core.http import file_response
from pledges import selectors
from pledges.documents import render_pledge_docx, render_pledge_pdf
from pledges.models import Pledge


def _document_pledge(request, pk) -> Pledge:
    return get_object_or_404(selectors.pledges_for_user(request.user), pk=pk)


def _filename(pledge: Pledge, extension: str) -> str:
    return f"giao-uoc-{pledge.cluster_year.year}-{pledge.pk}.{extension}"


def pledge_pdf(request, pk):
    pledge = _document_pledge(request, pk)
    return file_response(
        render_pledge_pdf(pledge=pledge), filename=_filename(pledge, "pdf"), kind="pdf", inline=True
    )


def pledge_docx(request, pk):
    pledge = _document_pledge(request, pk)
    return file_response(
        render_pledge_docx(pledge=pledge), filename=_filename(pledge, "docx"), kind="docx"
    )
