"""The awards pages: the list, a proposal's page with its checks and steps, the forms,
the inboxes of the approval chain and the decisions register."""

from django.views.generic import TemplateView


class AwardListView(TemplateView):
    template_name = "awards/award_list.html"
