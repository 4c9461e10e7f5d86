"""The global search."""

from django.shortcuts import render

from reports.selectors import global_search


def search(request):
    query = request.GET.get("q", "").strip()[:200]
    sections = global_search(request.user, query) if query else []
    return render(
        request,
        "reports/search.html",
        {
            "query": query,
            "sections": sections,
            "total": sum(section.count for section in sections),
        },
    )
