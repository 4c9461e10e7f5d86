"""Votes (cuộc bỏ phiếu) held at a meeting: nominations for an award, the election of
next year's head and deputy, free questions.

Status moves draft → open → closed → results confirmed only through ``votes.services``.
The voter list is frozen when the vote opens; the results are computed by code when it
closes and stored as they were; once confirmed nothing about the vote changes — a
correction is a new vote that points to the one it corrects.
"""

import uuid

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from clusters.models import AwardType, ClusterMember, VoteRule
from meetings.models import Meeting

Purpose = VoteRule.Purpose


class Vote(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        OPEN = "open", pgettext_lazy("vote status", "Open")
        CLOSED = "closed", pgettext_lazy("vote status", "Closed")
        CONFIRMED = "confirmed", _("Results confirmed")

    meeting = models.ForeignKey(
        Meeting, on_delete=models.PROTECT, related_name="votes", verbose_name=_("meeting")
    )
    purpose = models.CharField(_("purpose"), max_length=20, choices=Purpose.choices)
    award_type = models.ForeignKey(
        AwardType,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="votes",
        verbose_name=_("award type"),
    )
    title = models.CharField(
        _("title of the vote"),
        max_length=500,
        help_text=_("E.g. Suy tôn đơn vị đề nghị tặng Cờ thi đua của UBND tỉnh."),
    )
    seats = models.PositiveSmallIntegerField(
        _("seats"), default=1, help_text=_("How many may be chosen on one ballot.")
    )
    # Chosen by the service from the rule sets in force on the meeting's day and kept, so
    # a later rule set never changes how this vote was counted.
    rule = models.ForeignKey(
        VoteRule, on_delete=models.PROTECT, related_name="votes", verbose_name=_("vote rule")
    )
    electronic = models.BooleanField(
        _("electronic ballots too"),
        default=False,
        help_text=_("Opening the vote issues one single-use code per voter."),
    )
    corrects = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="corrections",
        verbose_name=_("corrects"),
    )
    # Only votes.services changes these.
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT, editable=False
    )
    eligible_count = models.PositiveSmallIntegerField(
        _("all eligible voters"), null=True, editable=False
    )
    present_count = models.PositiveSmallIntegerField(_("voters present"), null=True, editable=False)
    results = models.JSONField(_("results"), null=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("vote")
        verbose_name_plural = _("votes")
        ordering = ["meeting", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(seats__gte=1),
                name="vote_at_least_one_seat",
                violation_error_message=_("At least one may be chosen."),
            ),
            models.CheckConstraint(
                condition=Q(award_type__isnull=False, purpose="nomination")
                | (Q(award_type__isnull=True) & ~Q(purpose="nomination")),
                name="vote_award_type_for_nomination",
                violation_error_message=_(
                    "A nomination names its award type; other votes name none."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(purpose__in=["head", "deputy"]) | Q(seats=1),
                name="vote_one_head_or_deputy",
                violation_error_message=_("A head or a deputy is elected alone: one seat."),
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("votes:vote-detail", args=[self.pk])

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def is_confirmed(self) -> bool:
        return self.status == self.Status.CONFIRMED


class Candidate(models.Model):
    """A member unit of the vote's cluster year, or the text of an option (free question)."""

    vote = models.ForeignKey(
        Vote, on_delete=models.CASCADE, related_name="candidates", verbose_name=_("vote")
    )
    member = models.ForeignKey(
        ClusterMember,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="candidacies",
        verbose_name=_("member unit"),
    )
    text = models.CharField(_("option"), max_length=255, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("candidate")
        verbose_name_plural = _("candidates")
        ordering = ["order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["vote", "member"],
                name="candidate_once_per_vote",
                violation_error_message=_("This unit is already a candidate."),
            ),
            models.CheckConstraint(
                condition=Q(member__isnull=False, text="") | (Q(member__isnull=True) & ~Q(text="")),
                name="candidate_is_a_unit_or_a_text",
                violation_error_message=_("A candidate is a member unit or an option's text."),
            ),
        ]

    def __str__(self):
        return self.label

    @property
    def label(self) -> str:
        return str(self.member.unit) if self.member_id else self.text


class Voter(models.Model):
    """A member unit on the voter list: it is present and receives a ballot."""

    vote = models.ForeignKey(
        Vote, on_delete=models.CASCADE, related_name="voters", verbose_name=_("vote")
    )
    member = models.ForeignKey(
        ClusterMember,
        on_delete=models.PROTECT,
        related_name="voter_entries",
        verbose_name=_("member unit"),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("voter")
        verbose_name_plural = _("voters")
        ordering = ["member__unit__sort_key", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["vote", "member"],
                name="voter_once_per_vote",
                violation_error_message=_("This unit is already on the voter list."),
            ),
        ]

    def __str__(self):
        return str(self.member.unit)


class Teller(models.Model):
    """A member of the counting committee (ban kiểm phiếu)."""

    vote = models.ForeignKey(
        Vote, on_delete=models.CASCADE, related_name="tellers", verbose_name=_("vote")
    )
    full_name = models.CharField(_("full name"), max_length=150)
    position = models.CharField(_("position"), max_length=255, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("counting committee member")
        verbose_name_plural = _("counting committee")
        ordering = ["order", "pk"]

    def __str__(self):
        return self.full_name


class Tally(models.Model):
    """One committee member's entry of the paper counts (double entry: two must match).

    Blank ballots are counted apart from valid and invalid ones: returned = valid +
    invalid + blank, and the percentages of "valid ballots" leave blank ones out.
    """

    vote = models.ForeignKey(
        Vote, on_delete=models.CASCADE, related_name="tallies", verbose_name=_("vote")
    )
    teller = models.ForeignKey(
        Teller, on_delete=models.CASCADE, related_name="tallies", verbose_name=_("entered by")
    )
    issued = models.PositiveIntegerField(_("ballots issued"))
    returned = models.PositiveIntegerField(_("ballots returned"))
    not_returned = models.PositiveIntegerField(_("ballots not returned"))
    valid = models.PositiveIntegerField(_("valid ballots"))
    invalid = models.PositiveIntegerField(_("invalid ballots"))
    blank = models.PositiveIntegerField(_("blank ballots"))
    entered_at = models.DateTimeField(_("entered at"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("paper count")
        verbose_name_plural = _("paper counts")
        ordering = ["teller__order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["vote", "teller"],
                name="tally_once_per_teller",
                violation_error_message=_("This committee member has already entered counts."),
            ),
        ]

    def __str__(self):
        return f"{self.vote} — {self.teller}"


class TallyLine(models.Model):
    tally = models.ForeignKey(
        Tally, on_delete=models.CASCADE, related_name="lines", verbose_name=_("paper count")
    )
    candidate = models.ForeignKey(
        Candidate, on_delete=models.CASCADE, related_name="+", verbose_name=_("candidate")
    )
    votes = models.PositiveIntegerField(pgettext_lazy("number of", "votes"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("votes of a candidate")
        verbose_name_plural = _("votes of the candidates")
        constraints = [
            models.UniqueConstraint(
                fields=["tally", "candidate"],
                name="tallyline_once_per_candidate",
                violation_error_message=_("This candidate's votes are already entered."),
            ),
        ]

    def __str__(self):
        return f"{self.candidate}: {self.votes}"


# --- Electronic ballots ---------------------------------------------------------------
# A secret ballot: a code is handed to each voter present; the code row keeps only a hash
# and whether it was used, and a ballot keeps only what was chosen, under a random key,
# with no time and no link to a voter or a code. Nothing joins a ballot to who cast it.


class BallotCode(models.Model):
    vote = models.ForeignKey(
        Vote, on_delete=models.CASCADE, related_name="codes", verbose_name=_("vote")
    )
    code_hash = models.CharField(max_length=64, unique=True, editable=False)
    used = models.BooleanField(default=False, editable=False)

    class Meta:
        verbose_name = _("ballot code")
        verbose_name_plural = _("ballot codes")

    def __str__(self):
        return f"{self.vote} — {self.code_hash[:8]}"


class ElectronicBallot(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    vote = models.ForeignKey(
        Vote, on_delete=models.CASCADE, related_name="ballots", verbose_name=_("vote")
    )
    # The chosen candidates' ids, sorted; in the row itself rather than in a table of its
    # own whose sequential ids would keep the order ballots were cast in.
    choices = models.JSONField(_("candidates chosen"), default=list)

    class Meta:
        verbose_name = _("electronic ballot")
        verbose_name_plural = _("electronic ballots")
        # No ordering by anything that could follow the order of casting.
        ordering = ["id"]

    def __str__(self):
        return str(self.id)


# --- Paper ballots entered one by one -----------------------------------------------------
# A committee member may enter the paper ballots one at a time instead of the totals: the
# member's Tally is then derived from these rows. Like an electronic ballot, a row keeps
# only what the ballot shows, under a random key, with no time: the order of entry is the
# order of the pile, not of the voters, but nothing needs to keep it.


class PaperBallot(models.Model):
    class Kind(models.TextChoices):
        VALID = "valid", pgettext_lazy("paper ballot", "valid")
        INVALID = "invalid", pgettext_lazy("paper ballot", "invalid")
        BLANK = "blank", pgettext_lazy("paper ballot", "blank")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    tally = models.ForeignKey(
        Tally,
        on_delete=models.CASCADE,
        related_name="paper_ballots",
        verbose_name=_("paper count"),
    )
    # The marked candidates' ids, sorted (kept on an invalid ballot too, to be checked).
    choices = models.JSONField(_("candidates marked"), default=list)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)

    class Meta:
        verbose_name = _("paper ballot")
        verbose_name_plural = _("paper ballots")
        ordering = ["id"]

    def __str__(self):
        return str(self.id)
