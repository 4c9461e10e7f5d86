from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import translation

from awards import demo as awards_demo
from clusters import demo as clusters_demo
from meetings import demo as meetings_demo
from pledges import demo as pledges_demo
from scoring import demo as scoring_demo
from votes import demo as votes_demo


class Command(BaseCommand):
    help = (
        "Load the demo data built from the source articles (idempotent). "
        "With --accounts, also ensure demo log-ins (development databases only)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--accounts",
            action="store_true",
            help="Create the demo accounts with a known password (refused unless DEBUG).",
        )

    def handle(self, *args, accounts=False, **options):
        if accounts and not settings.DEBUG:
            raise CommandError("Demo accounts have a public password: refused when DEBUG is off.")
        log = self.stdout.write
        with transaction.atomic(), translation.override(settings.LANGUAGE_CODE):
            data = clusters_demo.seed(log=log)
            pledges_demo.seed(data, log=log)
            meetings_demo.seed(data, log=log)
            scoring_demo.seed(data, log=log)
            votes_demo.seed(data, log=log)
            awards_demo.seed(data, log=log)
            if accounts:
                clusters_demo.seed_accounts(data, log=log)
