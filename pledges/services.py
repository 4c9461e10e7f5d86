"""Writes and workflows of the pledge.

Callers (views, the Excel import, commands) check permissions; these functions keep the
data consistent: values only for targets of this pledge and members of its year, grids
saved whole or not at all, only changed cells written (so re-importing an unchanged
export changes nothing), and the status moved only here.

Grid saves never lose an update: each takes ``seen``, what the page showed (see
``core.grids``), and compares it with the stored values under a lock on the pledge (or
the period), in the transaction that writes. Cells someone else changed that the user
left keep the newer value; a cell both changed raises ``StaleCells`` and saves nothing.
``seen=None`` (imports, which check on their own, and commands) skips the comparison.
"""

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from clusters.models import ClusterMember, ClusterYear
from core.forms import ReasonForm
from core.grids import REMOVED, reconcile
from core.history import bulk_delete_with_history, bulk_update_with_history
from pledges.models import (
    Commitment,
    Movement,
    Period,
    Pledge,
    PledgeMovement,
    Registration,
    Result,
    Signature,
    Target,
    TargetExpectation,
)
from pledges.selectors import registrable_titles


@dataclass(frozen=True)
class Cell:
    """One grid value: a number (numbers, percentages, yes/no as 1/0) or a text."""

    value: Decimal | None = None
    text: str = ""

    @property
    def is_empty(self) -> bool:
        return self.value is None and not self.text


def cell_value(row) -> Decimal | str | None:
    """What a grid cell holds (a ``Cell`` or a stored row with .value/.text; None for
    no row), as ``core.grids`` compares it."""
    if row is None:
        return None
    return row.text or row.value


def _lock(obj: Pledge | Period) -> None:
    """Serialise the grid saves of a pledge (or a period): the values a save compares
    with ``seen`` are then ones no other save can change before it commits (cells with
    no row yet have no row to lock)."""
    list(type(obj).objects.select_for_update().filter(pk=obj.pk).values_list("pk"))


def _check_unsigned(pledge: Pledge) -> None:
    """A signed pledge is frozen: its text, targets and commitments are what was signed.

    Reads the stored status (locked by the caller's transaction), not the object given,
    so a page opened before the signing cannot change it afterwards.
    """
    if Pledge.objects.filter(pk=pledge.pk, status=Pledge.Status.SIGNED).exists():
        raise ValidationError(
            _("The pledge is signed and can no longer be changed: reopen it first.")
        )


# --- Movements -----------------------------------------------------------------------

MOVEMENT_FIELDS = ("name", "launched_by", "start_date", "end_date", "description")


@transaction.atomic
def movement_save(*, movement: Movement | None = None, body=None, **fields) -> Movement:
    """Create (``movement`` None) or change a movement."""
    if movement is None:
        movement = Movement(body=body)
    for name in MOVEMENT_FIELDS:
        if name in fields:
            setattr(movement, name, fields[name] if fields[name] is not None else _blank(name))
    movement.full_clean()
    movement.save()
    return movement


def _blank(name: str):
    return None if name.endswith("_date") else ""


# --- Pledge ----------------------------------------------------------------------------


def default_periods(year: int) -> list[tuple[str, str, datetime.date]]:
    """Mid-year and year-end periods, named in the product's language (they are data)."""
    with translation.override(settings.LANGUAGE_CODE):
        return _default_periods(year)


def _default_periods(year: int) -> list[tuple[str, str, datetime.date]]:
    return [
        (Period.Kind.MID_YEAR, _("Mid-year %(year)s") % {"year": year}, datetime.date(year, 6, 30)),
        (
            Period.Kind.YEAR_END,
            _("Year-end %(year)s") % {"year": year},
            datetime.date(year, 12, 31),
        ),
    ]


@transaction.atomic
def pledge_create(
    *,
    cluster_year: ClusterYear,
    theme: str,
    body: str = "",
    movements: Iterable[Movement] = (),
    signed_on: datetime.date | None = None,
    signed_place: str = "",
) -> Pledge:
    """Open the pledge of a cluster year, with its mid-year and year-end periods."""
    if Pledge.objects.filter(cluster_year=cluster_year).exists():
        raise ValidationError(_("This year already has a pledge."))
    pledge = Pledge(
        cluster_year=cluster_year,
        theme=theme,
        body=body or "",
        signed_on=signed_on,
        signed_place=signed_place or "",
    )
    pledge.full_clean()
    try:
        with transaction.atomic():
            pledge.save()
    except IntegrityError:
        raise ValidationError(_("This year already has a pledge.")) from None
    _set_movements(pledge, movements)
    for kind, name, ends_on in default_periods(cluster_year.year):
        Period.objects.create(pledge=pledge, kind=kind, name=name, ends_on=ends_on)
    return pledge


@transaction.atomic
def pledge_update(
    *,
    pledge: Pledge,
    theme: str,
    body: str = "",
    movements: Iterable[Movement] = (),
    signed_on: datetime.date | None = None,
    signed_place: str = "",
) -> Pledge:
    _lock(pledge)
    _check_unsigned(pledge)
    pledge.theme, pledge.body = theme, body or ""
    pledge.signed_on, pledge.signed_place = signed_on, signed_place or ""
    pledge.full_clean()
    pledge.save()
    _set_movements(pledge, movements)
    return pledge


def _set_movements(pledge: Pledge, movements: Iterable[Movement]) -> None:
    """Link the movements in the order given (the order the user chose them)."""
    movements = list(dict.fromkeys(movements))
    pledge.movements.set(movements)
    for position, movement in enumerate(movements):
        PledgeMovement.objects.filter(pledge=pledge, movement=movement).exclude(
            order=position
        ).update(order=position)


@transaction.atomic
def pledge_sign(*, pledge: Pledge, signed_on: datetime.date, signed_place: str = "") -> Pledge:
    """Mark the pledge signed at its conference. Needs at least one target."""
    pledge = Pledge.objects.select_for_update().get(pk=pledge.pk)
    if pledge.is_signed:
        raise ValidationError(_("The pledge is already signed."))
    if not pledge.targets.exists():
        raise ValidationError(_("Add the targets before marking the pledge signed."))
    pledge.status = Pledge.Status.SIGNED
    pledge.signed_on = signed_on
    pledge.signed_place = signed_place or pledge.signed_place
    pledge.full_clean()
    pledge.save()
    return pledge


@transaction.atomic
def pledge_reopen(*, pledge: Pledge, reason: str, user=None) -> Pledge:
    """Return a signed pledge to draft so that it can be corrected, for the reason given
    (kept in the pledge's history with who reopened it). It must be signed again: the
    signing date is cleared with the status."""
    reason = " ".join((reason or "").split())
    if not reason:
        raise ValidationError(_("Give the reason for reopening the signed pledge."))
    pledge = Pledge.objects.select_for_update().get(pk=pledge.pk)
    if not pledge.is_signed:
        raise ValidationError(_("The pledge is not signed."))
    pledge.status = Pledge.Status.DRAFT
    pledge.signed_on = None
    if len(reason) > ReasonForm.MAX_LENGTH:
        raise ValidationError(
            _("Keep the reason under %(max)s characters.") % {"max": ReasonForm.MAX_LENGTH}
        )
    pledge._change_reason = _("Reopened: %(reason)s") % {"reason": reason}
    if user is not None:
        pledge._history_user = user
    pledge.save()
    return pledge


# --- Targets ---------------------------------------------------------------------------

TARGET_FIELDS = (
    "group",
    "order",
    "name",
    "measure",
    "unit_of_measure",
    "direction",
    "weight",
    "cluster_value",
    "note",
)


# What the targets page edits; each is one cell of a target's row for ``seen``.
TARGET_CELLS = (
    "order",
    "group",
    "name",
    "measure",
    "unit_of_measure",
    "direction",
    "weight",
    "cluster_value",
)


@transaction.atomic
def targets_save(
    *,
    pledge: Pledge,
    rows: list[dict],
    delete: Iterable[Target] = (),
    seen: Mapping[tuple[int, str], object] | None = None,
) -> list[Target]:
    """Create or change targets (``rows`` carry ``target`` for existing ones) and delete some.

    A target that already has commitments or results cannot change its measure or be
    deleted (that would silently reinterpret or lose entered values). ``seen`` maps
    (target id, field) to what the page showed: a field someone else changed since
    keeps its newer value; a field both changed, or a target deleted here and changed
    there, raises ``StaleCells`` and nothing is saved.
    """
    _lock(pledge)
    _check_unsigned(pledge)
    delete = list(delete)
    rows = _targets_reconciled(pledge, rows, delete, seen)
    saved = []
    for target in delete:
        _check_own(pledge, target)
        if target.commitments.exists() or target.results.exists():
            raise ValidationError(
                _("“%(target)s” already has values entered and cannot be deleted.")
                % {"target": target.name}
            )
        target.delete()
    existing = {target.pk: target for target in Target.objects.filter(pledge=pledge)}
    for row in rows:
        given = row.get("target")
        if given is not None and given.pk is not None and given.pk not in existing:
            raise ValidationError(_("This target belongs to another pledge."))
        # Work on the stored row: a bound form may already have changed the instance.
        target = existing[given.pk] if given is not None and given.pk else Target(pledge=pledge)
        measure_changes = target.pk and row.get("measure", target.measure) != target.measure
        if measure_changes and (target.commitments.exists() or target.results.exists()):
            raise ValidationError(
                _("“%(target)s” already has values entered; its measure cannot change.")
                % {"target": target.name}
            )
        changed = target.pk is None
        for name in TARGET_FIELDS:
            if name in row:
                value = row[name]
                if value is None and name in ("group", "unit_of_measure", "note"):
                    value = ""
                changed = changed or getattr(target, name) != value
                setattr(target, name, value)
        if changed:  # an untouched row writes no history
            target.full_clean()
            target.save()
        saved.append(target)
    return saved


def _targets_reconciled(pledge, rows, delete, seen) -> list[dict]:
    """``rows`` without the fields to keep as stored (see ``core.grids.reconcile``)."""
    if seen is None:
        return rows
    stored = {target.pk: target for target in Target.objects.filter(pledge=pledge)}
    now, posted = {}, {}
    for row in rows:
        target = stored.get(getattr(row.get("target"), "pk", None))
        for name in TARGET_CELLS:
            if target is not None and name in row:
                now[target.pk, name] = getattr(target, name)
                posted[target.pk, name] = row[name]
    for target in delete:
        if target.pk in stored:
            for name in TARGET_CELLS:
                now[target.pk, name] = getattr(stored[target.pk], name)
                posted[target.pk, name] = REMOVED
    keep = reconcile(seen=seen, now=now, posted=posted)
    return [
        {
            name: value
            for name, value in row.items()
            if (getattr(row.get("target"), "pk", None), name) not in keep
        }
        for row in rows
    ]


def _check_own(pledge: Pledge, target: Target) -> None:
    if target.pk and target.pledge_id != pledge.pk:
        raise ValidationError(_("This target belongs to another pledge."))


@transaction.atomic
def pledge_copy_targets(*, pledge: Pledge, source: Pledge) -> list[Target]:
    """Copy the whole target list (groups, order, measures) of ``source`` into ``pledge``."""
    _lock(pledge)
    _check_unsigned(pledge)
    if source.pk == pledge.pk:
        raise ValidationError(_("Choose another pledge to copy from."))
    if pledge.targets.exists():
        raise ValidationError(
            _("This pledge already has targets; delete them before copying another list.")
        )
    copies = [
        Target(pledge=pledge, **{name: getattr(target, name) for name in TARGET_FIELDS})
        for target in source.targets.order_by("order", "pk")
    ]
    if not copies:
        raise ValidationError(_("The chosen pledge has no targets."))
    return bulk_create_with_history(copies, Target)


# --- Grids ----------------------------------------------------------------------------


def _members(pledge: Pledge) -> dict[int, ClusterMember]:
    return {m.pk: m for m in ClusterMember.objects.filter(cluster_year_id=pledge.cluster_year_id)}


def _targets(pledge: Pledge) -> dict[int, Target]:
    return {t.pk: t for t in Target.objects.filter(pledge=pledge)}


def _check_keys(pledge: Pledge, keys: Iterable[tuple[int, int]]) -> tuple[dict, dict]:
    targets, members = _targets(pledge), _members(pledge)
    for target_id, member_id in keys:
        if target_id not in targets:
            raise ValidationError(_("A value refers to a target that is not in this pledge."))
        if member_id not in members:
            raise ValidationError(_("A value refers to a unit that is not a member this year."))
    return targets, members


def _check_cell(target: Target, cell: Cell) -> None:
    if target.measure == Target.Measure.TEXT:
        if cell.value is not None:
            raise ValidationError(_("“%(target)s” takes a text.") % {"target": target.name})
    elif cell.text:
        raise ValidationError(_("“%(target)s” takes a number.") % {"target": target.name})
    elif target.measure == Target.Measure.BOOLEAN and cell.value not in (None, 0, 1):
        raise ValidationError(_("“%(target)s” takes yes or no.") % {"target": target.name})


def _apply_cells(model, rows, cells, make, user, extra=None) -> int:
    """Write only what changed; return the number of rows created, changed or deleted."""
    creates, updates, deletes = [], [], []
    for key, cell in cells.items():
        row = rows.get(key)
        if cell.is_empty:
            if row is not None:
                deletes.append(row)
            continue
        if row is None:
            creates.append(make(key, cell))
        elif row.value != cell.value or row.text != cell.text:
            row.value, row.text, row.updated_by = cell.value, cell.text, user
            row.updated_at = timezone.now()
            updates.append(row)
    if creates:
        for row in creates:
            row.updated_by = user
        bulk_create_with_history(creates, model, default_user=user)
    if updates:
        bulk_update_with_history(
            updates, model, ["value", "text", "updated_by", "updated_at"], default_user=user
        )
    if deletes:
        bulk_delete_with_history(deletes, model)
    return len(creates) + len(updates) + len(deletes)


def _cells_reconciled(rows: Mapping, cells: Mapping, seen) -> dict:
    """``cells`` without those whose stored value must stay (``core.grids.reconcile``)."""
    keep = reconcile(
        seen=seen,
        now={key: cell_value(rows.get(key)) for key in cells},
        posted={key: cell_value(cell) for key, cell in cells.items()},
    )
    return {key: cell for key, cell in cells.items() if key not in keep}


@transaction.atomic
def commitments_save(
    *, pledge: Pledge, cells: Mapping[tuple[int, int], Cell], user=None, seen=None
) -> int:
    """Save a grid of commitments {(target id, member id): Cell}; all or nothing.

    ``seen`` ({(target id, member id): value shown}) guards against lost updates: see
    the module's docstring.
    """
    _lock(pledge)
    _check_unsigned(pledge)
    targets, _members_by_id = _check_keys(pledge, cells)
    for (target_id, _member_id), cell in cells.items():
        _check_cell(targets[target_id], cell)
    rows = {
        (c.target_id, c.member_id): c
        for c in Commitment.objects.filter(target__pledge=pledge).select_for_update()
    }
    cells = _cells_reconciled(rows, cells, seen)
    return _apply_cells(
        Commitment,
        rows,
        cells,
        lambda key, cell: Commitment(
            target_id=key[0], member_id=key[1], value=cell.value, text=cell.text
        ),
        user,
    )


@transaction.atomic
def results_save(
    *, period: Period, cells: Mapping[tuple[int, int], Cell], user=None, seen=None
) -> int:
    """Save a grid of actual values for a period; all or nothing.

    ``seen`` ({(target id, member id): value shown}) guards against lost updates: see
    the module's docstring.
    """
    _lock(period)
    targets, _members_by_id = _check_keys(period.pledge, cells)
    for (target_id, _member_id), cell in cells.items():
        _check_cell(targets[target_id], cell)
    rows = {
        (r.target_id, r.member_id): r
        for r in Result.objects.filter(period=period).select_for_update()
    }
    cells = _cells_reconciled(rows, cells, seen)
    # Evidence notes and files live on result rows: clearing a value keeps a row that
    # still carries them. Rows whose key is not in ``cells`` (e.g. an import without
    # that member's column) are not touched at all.
    keep = {
        key
        for key, row in rows.items()
        if (row.evidence or row.attachment) and key in cells and cells[key].is_empty
    }
    cells = {key: cell for key, cell in cells.items() if key not in keep}
    changed = _apply_cells(
        Result,
        rows,
        cells,
        lambda key, cell: Result(
            period=period, target_id=key[0], member_id=key[1], value=cell.value, text=cell.text
        ),
        user,
    )
    for key in keep:
        row = rows[key]
        if row.value is not None or row.text:
            row.value, row.text, row.updated_by = None, "", user
            row.save()
            changed += 1
    return changed


@dataclass
class EvidenceRow:
    cell: Cell
    evidence: str = ""
    attachment: object | None = None  # an UploadedFile
    clear_attachment: bool = False


@transaction.atomic
def results_save_member(
    *,
    period: Period,
    member: ClusterMember,
    rows: Mapping[int, EvidenceRow],
    user=None,
    seen: Mapping[tuple[int, str], object] | None = None,
) -> int:
    """Save one member's values for every target of a period, with evidence.

    ``seen`` maps (target id, "value" | "evidence" | "file") to what the page showed
    (the file by its stored name) and guards against lost updates: see the module's
    docstring.
    """
    _lock(period)
    pledge = period.pledge
    targets, _members_by_id = _check_keys(pledge, [(t, member.pk) for t in rows])
    existing = {
        r.target_id: r
        for r in Result.objects.filter(period=period, member=member).select_for_update()
    }
    rows = _evidence_reconciled(existing, rows, seen)
    changed = 0
    for target_id, entry in rows.items():
        _check_cell(targets[target_id], entry.cell)
        row = existing.get(target_id)
        empty = entry.cell.is_empty and not entry.evidence and not entry.attachment
        keeps_file = row is not None and row.attachment and not entry.clear_attachment
        if row is None and empty:
            continue
        if row is not None and empty and not keeps_file:
            _delete_attachment(row)
            row.delete()
            changed += 1
            continue
        row = row or Result(period=period, target_id=target_id, member=member)
        before = (row.value, row.text, row.evidence, row.attachment.name or "")
        row.value, row.text, row.evidence = entry.cell.value, entry.cell.text, entry.evidence
        if entry.clear_attachment and row.attachment:
            _delete_attachment(row)
        if entry.attachment is not None:
            _delete_attachment(row)
            row.attachment_name = entry.attachment.name[:255]
            row.attachment.save(entry.attachment.name, entry.attachment, save=False)
        if row.pk is None or before != (row.value, row.text, row.evidence, row.attachment.name):
            row.updated_by = user
            row.full_clean()
            row.save()
            changed += 1
    return changed


def _evidence_reconciled(existing, rows, seen) -> dict[int, EvidenceRow]:
    """``rows`` with the parts to keep as stored put back (``core.grids.reconcile``).

    A file input left alone never conflicts (it keeps whatever is stored); a new file
    or a removal does when someone else changed the file since.
    """
    now, posted = {}, {}
    for target_id, entry in rows.items():
        row = existing.get(target_id)
        stored_file = row.attachment.name if row is not None and row.attachment else ""
        now[target_id, "value"], posted[target_id, "value"] = (
            cell_value(row),
            cell_value(entry.cell),
        )
        now[target_id, "evidence"] = row.evidence if row is not None else ""
        posted[target_id, "evidence"] = entry.evidence
        now[target_id, "file"] = stored_file
        if entry.attachment is not None:
            posted[target_id, "file"] = ("new", entry.attachment.name)
        else:
            posted[target_id, "file"] = "" if entry.clear_attachment else stored_file
    keep = reconcile(seen=seen, now=now, posted=posted)
    if not keep:
        return dict(rows)
    reconciled = {}
    for target_id, entry in rows.items():
        row = existing.get(target_id)
        stored = Cell(value=row.value, text=row.text) if row is not None else Cell()
        reconciled[target_id] = EvidenceRow(
            cell=stored if (target_id, "value") in keep else entry.cell,
            evidence=(row.evidence if row is not None else "")
            if (target_id, "evidence") in keep
            else entry.evidence,
            attachment=None if (target_id, "file") in keep else entry.attachment,
            clear_attachment=False if (target_id, "file") in keep else entry.clear_attachment,
        )
    return reconciled


def signature_cells(row: Signature | None) -> dict[str, object]:
    """A member's signature as the cells of the signatures page (None: not signed)."""
    if row is None:
        return {"signed": False, "signer_name": "", "signer_position": "", "signed_on": None}
    return {
        "signed": True,
        "signer_name": row.signer_name,
        "signer_position": row.signer_position,
        "signed_on": row.signed_on,
    }


def _signatures_reconciled(existing, rows, seen) -> dict[int, dict]:
    now = {
        (member_id, name): value
        for member_id in rows
        for name, value in signature_cells(existing.get(member_id)).items()
    }
    posted = {
        (member_id, name): data.get(name)
        for member_id, data in rows.items()
        for name in SIGNATURE_CELLS
    }
    keep = reconcile(seen=seen, now=now, posted=posted)
    return {
        member_id: {
            name: (now if (member_id, name) in keep else posted)[member_id, name]
            for name in SIGNATURE_CELLS
        }
        for member_id in rows
    }


def _delete_attachment(row: Result) -> None:
    if row.attachment:
        storage, name = row.attachment.storage, row.attachment.name
        row.attachment = ""
        row.attachment_name = ""
        transaction.on_commit(lambda: storage.delete(name))


@transaction.atomic
def registrations_save(*, pledge: Pledge, rows: Mapping[int, dict], user=None, seen=None) -> int:
    """Save members' registrations {member id: {titles, collectives, individuals}}.

    ``seen`` maps (member id, "title", title id) → ticked, (member id, "collectives")
    and (member id, "individuals") → count, as the page showed them; it guards against
    lost updates: see the module's docstring.
    """
    _lock(pledge)
    members = _members(pledge)
    existing = {
        r.member_id: r
        for r in Registration.objects.filter(pledge=pledge).prefetch_related("titles")
    }
    allowed = set(
        registrable_titles(body_id=pledge.cluster_year.cluster.body_id).values_list("pk", flat=True)
    )
    for member_id in rows:
        if member_id not in members:
            raise ValidationError(_("A value refers to a unit that is not a member this year."))
    rows = _registrations_reconciled(existing, rows, allowed, seen)
    changed = 0
    for member_id, data in rows.items():
        titles = set(data["titles"])
        row = existing.get(member_id)
        kept = {t.pk for t in row.titles.all()} if row else set()
        # A title registered before it went out of use may stay; a new one must be allowed.
        if titles - allowed - kept:
            raise ValidationError(
                _("Only emulation titles in use, national or of this province, can be registered.")
            )
        collectives, individuals = data.get("collectives"), data.get("individuals")
        empty = not titles and collectives is None and individuals is None
        if row is None and empty:
            continue
        if row is not None and empty:
            row.delete()
            changed += 1
            continue
        row = row or Registration(pledge=pledge, member_id=member_id)
        old_titles = {t.pk for t in row.titles.all()} if row.pk else set()
        if (
            row.pk
            and (row.collectives, row.individuals) == (collectives, individuals)
            and (old_titles == titles)
        ):
            continue
        row.collectives, row.individuals, row.updated_by = collectives, individuals, user
        row.full_clean()
        row.save()
        row.titles.set(titles)
        changed += 1
    return changed


def _registrations_reconciled(existing, rows, allowed, seen) -> dict[int, dict]:
    """{member id: {titles (ids), collectives, individuals}} with what must stay as
    stored put back (``core.grids.reconcile``); each title of a member is one cell."""
    now, posted, candidates = {}, {}, {}
    for member_id, data in rows.items():
        row = existing.get(member_id)
        stored = {t.pk for t in row.titles.all()} if row else set()
        titles = {title.pk for title in data.get("titles", ())}
        candidates[member_id] = (stored, titles)
        for title_id in allowed | stored | titles:
            now[member_id, "title", title_id] = title_id in stored
            posted[member_id, "title", title_id] = title_id in titles
        for kind in ("collectives", "individuals"):
            now[member_id, kind] = getattr(row, kind) if row else None
            posted[member_id, kind] = data.get(kind)
    keep = reconcile(seen=seen, now=now, posted=posted)
    reconciled = {}
    for member_id, data in rows.items():
        stored, titles = candidates[member_id]
        chosen = set()
        for title_id in allowed | stored | titles:
            source = stored if (member_id, "title", title_id) in keep else titles
            if title_id in source:
                chosen.add(title_id)
        reconciled[member_id] = {
            "titles": chosen,
            **{
                kind: now[member_id, kind] if (member_id, kind) in keep else data.get(kind)
                for kind in ("collectives", "individuals")
            },
        }
    return reconciled


SIGNATURE_CELLS = ("signed", "signer_name", "signer_position", "signed_on")


@transaction.atomic
def signatures_save(*, pledge: Pledge, rows: Mapping[int, dict], user=None, seen=None) -> int:
    """Record which members signed {member id: {signed, signer_name, signer_position,
    signed_on}}; unticking ``signed`` removes the signature.

    ``seen`` maps (member id, one of ``SIGNATURE_CELLS``) to what the page showed and
    guards against lost updates: see the module's docstring.
    """
    _lock(pledge)
    members = _members(pledge)
    existing = {s.member_id: s for s in Signature.objects.filter(pledge=pledge)}
    for member_id in rows:
        if member_id not in members:
            raise ValidationError(_("A value refers to a unit that is not a member this year."))
    rows = _signatures_reconciled(existing, rows, seen)
    changed = 0
    for member_id, data in rows.items():
        row = existing.get(member_id)
        if not data.get("signed"):
            if row is not None:
                row.delete()
                changed += 1
            continue
        values = (
            data.get("signer_name") or "",
            data.get("signer_position") or "",
            data.get("signed_on") or pledge.signed_on,
        )
        if row is not None and (row.signer_name, row.signer_position, row.signed_on) == values:
            continue
        row = row or Signature(pledge=pledge, member_id=member_id)
        row.signer_name, row.signer_position, row.signed_on = values
        row.updated_by = user
        row.full_clean()
        row.save()
        changed += 1
    return changed


# --- Periods --------------------------------------------------------------------------


@transaction.atomic
def period_create(*, pledge: Pledge, name: str, ends_on: datetime.date) -> Period:
    period = Period(pledge=pledge, kind=Period.Kind.CUSTOM, name=name, ends_on=ends_on)
    period.full_clean()
    period.save()
    return period


@transaction.atomic
def expectations_save(*, period: Period, shares: Mapping[int, Decimal | None]) -> int:
    """Set the share of each target's commitment expected by the end of ``period``.

    ``shares`` maps target ids of the period's pledge to a percentage, or to ``None`` to
    go back to the calendar's share (the row is deleted). Returns how many targets
    changed; refuses the whole form if a target belongs to another pledge.
    """
    targets = set(Target.objects.filter(pledge_id=period.pledge_id).values_list("pk", flat=True))
    if not set(shares) <= targets:
        raise ValidationError(_("A target does not belong to this pledge."))
    existing = {
        row.target_id: row
        for row in TargetExpectation.objects.filter(period=period).select_for_update()
    }
    changed = 0
    for target_id, share in shares.items():
        row = existing.get(target_id)
        if share is None:
            if row is not None:
                row.delete()
                changed += 1
            continue
        if row is not None and row.share_percent == share:
            continue
        row = row or TargetExpectation(period=period, target_id=target_id)
        row.share_percent = share
        row.full_clean()
        row.save()
        changed += 1
    return changed
