"""A national rule set with default vote rules, so a vote can be counted before a
province has entered its own regulation; its legal basis says it is to be edited."""

import datetime

from django.db import migrations

NAME = "Quy tắc bỏ phiếu mặc định"
LEGAL_BASIS = "Quy định mặc định, cần được Sở Nội vụ điều chỉnh theo quy chế của tỉnh"
RULES = [
    # purpose, base, threshold
    ("nomination", "eligible", "majority"),
    ("head", "valid", "majority"),
    ("deputy", "valid", "majority"),
    ("question", "valid", "majority"),
]


def seed(apps, schema_editor):
    RuleSet = apps.get_model("clusters", "RuleSet")
    VoteRule = apps.get_model("clusters", "VoteRule")
    if RuleSet.objects.filter(body__isnull=True, name=NAME).exists():
        return
    rule_set = RuleSet.objects.create(
        name=NAME, legal_basis=LEGAL_BASIS, effective_from=datetime.date(2000, 1, 1)
    )
    for purpose, base, threshold in RULES:
        VoteRule.objects.create(
            rule_set=rule_set, purpose=purpose, base=base, threshold=threshold, quorum="two_thirds"
        )


def unseed(apps, schema_editor):
    RuleSet = apps.get_model("clusters", "RuleSet")
    RuleSet.objects.filter(body__isnull=True, name=NAME).delete()


class Migration(migrations.Migration):
    dependencies = [("clusters", "0009_rule_sets_and_vote_rules")]

    operations = [migrations.RunPython(seed, unseed)]
