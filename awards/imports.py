"""Historical award lists from Excel: the template, and reading a filled one.

The template is one sheet with a header row of Vietnamese column names (found by name,
without diacritics, so a list typed by hand with the same headings reads too) and a
sheet of the accepted values. ``read_awards`` reads an uploaded workbook into rows: each
with its values as typed, what they resolve to in the body's registers, and its problems
(in two steps: ``read_cells`` reads the sheet, ``check_cells`` looks its rows up).
Units and people are matched by name without diacritics; a name that matches several is
never guessed: the row offers the candidates and waits for the user's ``choices``. A
person not in the register is recorded by the name typed, without a link.

Nothing here writes: ``awards.services.awards_import`` records the rows, all or nothing.
"""

import datetime
import functools
import json
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from awards.models import Award, Decision, Gender, Occasion, RecipientKind
from awards.services import import_key_of
from clusters.models import FIRST_YEAR, LAST_YEAR, AwardType, Person, Unit
from core.spreadsheets import (
    CellProblem,
    SheetWriter,
    SpreadsheetError,
    open_workbook,
    sheet_problems,
    workbook_bytes,
)
from core.text import search_words

SHEET_TITLE = "Khen thưởng"
LISTS_TITLE = "Danh mục"
HEADER_ROW = 4
HEADER_SEARCH_ROWS = 15
NOT_IN_REGISTER = "0"
FIRST_BIRTH_YEAR = 1900  # the choice "none of these people: keep the typed name"


@dataclass(frozen=True)
class Column:
    key: str
    title: str  # as printed on the template (a document: Vietnamese)
    width: float
    required: bool = False
    aliases: tuple[str, ...] = ()

    def names(self) -> set[str]:
        return {words(self.title), *(words(alias) for alias in self.aliases)}


def words(text) -> str:
    """A text as compared here: its search words (no diacritics, no punctuation)."""
    return _words(str(text or ""))


@functools.lru_cache(maxsize=4096)
def _words(text: str) -> str:
    # A list repeats its units, decisions and award types on every row.
    return " ".join(search_words(text))


COLUMNS = [
    Column("year", "Năm", 8, True, ("Năm khen thưởng", "Năm thi đua")),
    Column(
        "award_type",
        "Hình thức / Danh hiệu",
        34,
        True,
        ("Hình thức khen thưởng", "Danh hiệu", "Danh hiệu thi đua", "Hình thức"),
    ),
    Column("kind", "Đối tượng", 14, True, ("Loại đối tượng",)),
    Column("name", "Tên", 34, True, ("Họ và tên", "Họ tên", "Tên tập thể, cá nhân")),
    Column("position", "Chức vụ", 24),
    Column("unit", "Đơn vị", 26, False, ("Đơn vị công tác", "Thuộc đơn vị")),
    Column("birth_year", "Năm sinh", 9),
    Column("gender", "Giới tính", 9),
    Column("decision_number", "Số quyết định", 16, True, ("Số QĐ",)),
    Column("decision_date", "Ngày quyết định", 14, True, ("Ngày QĐ", "Ngày ký")),
    Column("authority", "Cơ quan quyết định", 26, False, ("Cấp quyết định", "Người ký")),
    Column("occasion", "Diện khen", 16, False, ("Loại khen thưởng",)),
    Column("achievement", "Thành tích", 40, False, ("Thành tích khen thưởng",)),
]

KINDS = {
    "don vi": RecipientKind.UNIT,
    "tap the": RecipientKind.COLLECTIVE,
    "ca nhan": RecipientKind.INDIVIDUAL,
    "ho gia dinh": RecipientKind.HOUSEHOLD,
    "ho": RecipientKind.HOUSEHOLD,
}
KIND_LABELS = ["Đơn vị", "Tập thể", "Cá nhân", "Hộ gia đình"]
GENDERS = {"nam": Gender.MALE, "nu": Gender.FEMALE}
OCCASIONS = {
    "thuong xuyen": Occasion.REGULAR,
    "cong trang va thanh tich": Occasion.REGULAR,
    "theo dot": Occasion.CAMPAIGN,
    "chuyen de": Occasion.CAMPAIGN,
    "theo dot chuyen de": Occasion.CAMPAIGN,
    "dot xuat": Occasion.AD_HOC,
    "cong hien": Occasion.SERVICE,
    "nien han": Occasion.SERVICE,
    "cong hien nien han": Occasion.SERVICE,
    "doi ngoai": Occasion.FOREIGN,
}
OCCASION_LABELS = ["Thường xuyên", "Theo đợt, chuyên đề", "Đột xuất", "Cống hiến", "Đối ngoại"]


# --------------------------------------------------------------------------- The template


def template_workbook(*, body) -> bytes:
    """The empty list to fill: the header row, one example row of notes, and a sheet of
    the accepted award types, recipients and occasions."""
    from openpyxl.worksheet.datavalidation import DataValidation

    writer = SheetWriter.new(SHEET_TITLE)
    writer.heading(1, f"DANH SÁCH KHEN THƯỞNG — {body.name.upper()}")
    writer.note(
        2,
        "Mỗi dòng một khen thưởng. Đối tượng: Đơn vị, Tập thể, Cá nhân hoặc Hộ gia đình. "
        "Với đơn vị, cột Đơn vị ghi tên đơn vị trong danh mục; với tập thể, cá nhân, hộ gia "
        "đình, ghi đơn vị trực thuộc (nếu có).",
    )
    writer.note(
        3,
        "Ngày ghi dd/mm/yyyy. Hình thức / Danh hiệu ghi tên hoặc tên ngắn trong danh mục "
        f"(trang “{LISTS_TITLE}”). Diện khen để trống là khen thường xuyên.",
    )
    writer.header(HEADER_ROW, ["STT"] + [column.title for column in COLUMNS])
    writer.widths([6] + [column.width for column in COLUMNS])
    writer.freeze(HEADER_ROW + 1, 1)
    sheet = writer.sheet
    last = HEADER_ROW + 2000
    for key, values in (("kind", KIND_LABELS), ("gender", ["Nam", "Nữ"])):
        letter = _letter(key)
        validation = DataValidation(
            type="list", formula1='"' + ",".join(values) + '"', allow_blank=True
        )
        sheet.add_data_validation(validation)
        validation.add(f"{letter}{HEADER_ROW + 1}:{letter}{last}")
    # Dates typed as text, read day first whatever the computer's locale: an Excel set
    # to English would read "05/12/2022" as the 12th of May.
    sheet.column_dimensions[_letter("decision_date")].number_format = "@"
    lists = writer.add_sheet(LISTS_TITLE)
    lists.header(1, ["Hình thức / Danh hiệu", "Tên ngắn", "Đối tượng", "Diện khen"])
    award_types = award_types_of(body)
    for offset, award_type in enumerate(award_types, start=2):
        lists.write(offset, 1, award_type.name)
        lists.write(offset, 2, award_type.short_name)
    # Drop-down lists of the catalogue and the occasions; anything else typed (a short
    # name) is still accepted here and checked on import.
    for key, column, count in (
        ("award_type", "A", len(award_types)),
        ("occasion", "D", len(OCCASION_LABELS)),
    ):
        letter = _letter(key)
        validation = DataValidation(
            type="list",
            formula1=f"'{LISTS_TITLE}'!${column}$2:${column}${count + 1}",
            allow_blank=True,
            showErrorMessage=False,
        )
        sheet.add_data_validation(validation)
        validation.add(f"{letter}{HEADER_ROW + 1}:{letter}{last}")
    for offset, label in enumerate(KIND_LABELS, start=2):
        lists.write(offset, 3, label)
    for offset, label in enumerate(OCCASION_LABELS, start=2):
        lists.write(offset, 4, label)
    lists.widths([40, 22, 16, 22])
    return workbook_bytes(writer)


def _column_number(key: str) -> int:
    return 2 + [column.key for column in COLUMNS].index(key)


def _letter(key: str) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(_column_number(key))


def award_types_of(body) -> list[AwardType]:
    """The national catalogue and the body's own award types, in use."""
    from django.db.models import Q

    return list(
        AwardType.objects.filter(Q(body__isnull=True) | Q(body=body), is_active=True).order_by(
            "category", "order", "sort_key", "pk"
        )
    )


# --------------------------------------------------------------------------- Reading


@dataclass
class ImportRow:
    """One row of the uploaded list: as typed, as resolved, and what is wrong with it."""

    number: int  # the sheet's row number
    typed: dict = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    year: int | None = None
    award_type: AwardType | None = None
    kind: str = ""
    name: str = ""
    position: str = ""
    unit: Unit | None = None
    unit_choices: list[Unit] = field(default_factory=list)
    person: Person | None = None
    person_choices: list[Person] = field(default_factory=list)
    birth_year: int | None = None
    gender: str = ""
    decision_number: str = ""
    decision_date: datetime.date | None = None
    authority: str = ""
    decision: Decision | None = None  # already in the register
    occasion: str = Occasion.REGULAR
    achievement: str = ""
    key: str = ""
    already: bool = False

    @property
    def waits_for_choice(self) -> bool:
        return bool(self.unit_choices or self.person_choices)

    @property
    def kind_label(self) -> str:
        return RecipientKind(self.kind).label if self.kind else ""

    def service_row(self) -> dict:
        """The row as ``awards.services.awards_import`` takes it."""
        return {
            "row": self.number,
            "import_key": self.key,
            "decision": {
                "number": self.decision_number,
                "signed_on": self.decision_date,
                "authority": self.authority,
            },
            "year": self.year,
            "award_type": self.award_type,
            "recipient_kind": self.kind,
            "unit": self.unit,
            "person": self.person,
            "recipient_name": self.name,
            "recipient_position": self.position,
            "recipient_unit_name": self.typed.get("unit", "")
            if self.unit is None and self.kind != RecipientKind.UNIT
            else "",
            "birth_year": self.birth_year,
            "gender": self.gender,
            "occasion": self.occasion,
            "achievement": self.achievement,
        }


@dataclass
class ImportResult:
    problems: list[CellProblem] = field(default_factory=list)  # of the whole file
    rows: list[ImportRow] = field(default_factory=list)

    @property
    def error_rows(self) -> list[ImportRow]:
        return [row for row in self.rows if row.errors]

    @property
    def choice_rows(self) -> list[ImportRow]:
        return [row for row in self.rows if row.waits_for_choice and not row.errors]

    @property
    def new_rows(self) -> list[ImportRow]:
        return [row for row in self.rows if not row.already]

    @property
    def already_count(self) -> int:
        return sum(1 for row in self.rows if row.already)

    @property
    def ok(self) -> bool:
        """Nothing wrong and nothing left to choose: ready to record."""
        return (
            not self.problems
            and bool(self.rows)
            and not any(row.errors or row.waits_for_choice for row in self.rows)
        )


@dataclass
class SheetCells:
    """What the uploaded sheet holds, before anything is looked up: the problems of the
    whole file, and each filled row's cells by column key (``(row number, cells)``).

    Kept as JSON (``as_json``/``from_json``) while the user checks the preview, so the
    confirmation resolves the same cells without reading the workbook again (the
    workbook's XML was half of the confirmation's time)."""

    problems: list[CellProblem] = field(default_factory=list)
    rows: list[tuple[int, dict]] = field(default_factory=list)

    def as_json(self) -> str:
        return json.dumps(
            {
                "problems": [[p.ref, str(p.message)] for p in self.problems],
                "rows": [[number, _cells_as_json(cells)] for number, cells in self.rows],
            },
            ensure_ascii=False,
        )

    @classmethod
    def from_json(cls, text: str) -> "SheetCells":
        data = json.loads(text)
        return cls(
            problems=[CellProblem(ref, message) for ref, message in data["problems"]],
            rows=[(number, _cells_from_json(cells)) for number, cells in data["rows"]],
        )


def _cells_as_json(cells: dict) -> dict:
    """Dates tagged (``{"date": "2022-12-10"}``); a date and time counts as its date, as
    ``_text`` and ``_date`` read it."""
    kept = {}
    for key, value in cells.items():
        if isinstance(value, datetime.datetime):
            value = value.date()
        if isinstance(value, datetime.date):
            value = {"date": value.isoformat()}
        elif value is not None and not isinstance(value, str | int | float | bool):
            value = str(value)
        kept[key] = value
    return kept


def _cells_from_json(cells: dict) -> dict:
    return {
        key: datetime.date.fromisoformat(value["date"]) if isinstance(value, dict) else value
        for key, value in cells.items()
    }


def read_cells(upload) -> SheetCells:
    """The cells of an uploaded list, or the problems that stop it being read."""
    cells = SheetCells()
    try:
        workbook = open_workbook(upload)
    except SpreadsheetError as error:
        cells.problems.append(CellProblem("", str(error)))
        return cells
    sheet = workbook[SHEET_TITLE] if SHEET_TITLE in workbook.sheetnames else workbook.worksheets[0]
    header_row, columns = _find_header(sheet)
    if header_row is None:
        cells.problems.append(
            CellProblem(
                "",
                _("No header row with the columns of the template (Năm, Tên, …) was found."),
            )
        )
        return cells
    missing = [c.title for c in COLUMNS if c.required and c.key not in columns]
    if missing:
        cells.problems.append(
            CellProblem(
                f"{header_row}",
                _("Missing columns: %(columns)s.") % {"columns": ", ".join(missing)},
            )
        )
        return cells
    cells.problems.extend(sheet_problems(sheet, first_row=header_row + 1))
    if cells.problems:
        return cells
    for row_number, values in enumerate(
        sheet.iter_rows(min_row=header_row + 1, values_only=True), start=header_row + 1
    ):
        typed = {key: values[i] if i < len(values) else None for key, i in columns.items()}
        if all(_text(value) == "" for value in typed.values()):
            continue
        cells.rows.append((row_number, typed))
    if not cells.rows:
        cells.problems.append(CellProblem("", _("The list has no rows.")))
    return cells


def check_cells(cells: SheetCells, *, body, choices: dict | None = None) -> ImportResult:
    """The rows of ``cells`` for ``body``'s register: each parsed, looked up and keyed.
    ``choices`` answers the ambiguous names of an earlier reading: ``{(row number,
    "unit" or "person"): "<id>"}`` (a person choice may be ``NOT_IN_REGISTER``)."""
    result = ImportResult(problems=list(cells.problems))
    if result.problems:
        return result
    result.rows = [_parse_row(number, typed) for number, typed in cells.rows]
    _resolve(result.rows, body, choices or {})
    return result


def read_awards(*, upload, body, choices: dict | None = None) -> ImportResult:
    """Read an uploaded list for ``body``'s register (``read_cells``, then
    ``check_cells``)."""
    return check_cells(read_cells(upload), body=body, choices=choices)


def _find_header(sheet) -> tuple[int | None, dict]:
    """The first row naming at least the required columns, and {column key: index}."""
    by_name = {name: column.key for column in COLUMNS for name in column.names()}
    for row_number, cells in enumerate(
        sheet.iter_rows(min_row=1, max_row=HEADER_SEARCH_ROWS, values_only=True), start=1
    ):
        columns = {}
        for index, value in enumerate(cells):
            key = by_name.get(words(value))
            if key and key not in columns:
                columns[key] = index
        if {"year", "name"} <= columns.keys():
            return row_number, columns
    return None, {}


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    return " ".join(str(value).split())


def _parse_row(number: int, typed: dict) -> ImportRow:
    row = ImportRow(number=number, typed={key: _text(value) for key, value in typed.items()})
    text = row.typed
    row.year = _year(typed.get("year"), row, _("Year"), required=True)
    row.kind = KINDS.get(words(text.get("kind")), "")
    if not row.kind:
        row.errors.append(
            _("Recipient “%(value)s”: write Đơn vị, Tập thể, Cá nhân or Hộ gia đình.")
            % {"value": text.get("kind", "")}
            if text.get("kind")
            else _("The recipient (Đối tượng) is missing.")
        )
    row.name = text.get("name", "")
    if not row.name and row.kind and row.kind != RecipientKind.UNIT:
        row.errors.append(_("The name (Tên) is missing."))
    row.position = text.get("position", "")
    row.birth_year = _year(
        typed.get("birth_year"), row, _("Year of birth"), required=False, first=FIRST_BIRTH_YEAR
    )
    if text.get("gender"):
        row.gender = GENDERS.get(words(text["gender"]), "")
        if not row.gender:
            row.errors.append(_("Gender “%(value)s”: write Nam or Nữ.") % {"value": text["gender"]})
    row.decision_number = text.get("decision_number", "")
    if not row.decision_number:
        row.errors.append(_("The decision's number is missing."))
    elif len(row.decision_number) > 50:
        row.errors.append(_("The decision's number is longer than 50 characters."))
    row.decision_date = _date(typed.get("decision_date"), row)
    row.authority = text.get("authority", "")
    if text.get("occasion"):
        row.occasion = OCCASIONS.get(words(text["occasion"]), "")
        if not row.occasion:
            row.errors.append(
                _("Occasion “%(value)s”: write %(choices)s.")
                % {"value": text["occasion"], "choices": ", ".join(OCCASION_LABELS)}
            )
    row.achievement = str(typed.get("achievement") or "").strip()
    for key, limit in (("name", 500), ("position", 500), ("unit", 500), ("authority", 255)):
        if len(text.get(key, "")) > limit:
            row.errors.append(
                _("“%(value)s…” is longer than %(limit)s characters.")
                % {"value": text[key][:30], "limit": limit}
            )
    return row


def _year(
    value, row: ImportRow, label: str, *, required: bool, first: int = FIRST_YEAR
) -> int | None:
    text = _text(value)
    if not text:
        if required:
            row.errors.append(_("%(field)s is missing.") % {"field": label})
        return None
    try:
        year = int(text)
    except ValueError:
        year = None
    if year is None or not first <= year <= LAST_YEAR:
        row.errors.append(
            _("%(field)s “%(value)s” is not a year between %(first)s and %(last)s.")
            % {"field": label, "value": text, "first": first, "last": LAST_YEAR}
        )
        return None
    return year


def _date(value, row: ImportRow) -> datetime.date | None:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = _text(value)
    if not text:
        row.errors.append(_("The decision's date is missing."))
        return None
    if isinstance(value, int | float):
        from openpyxl.utils.datetime import from_excel

        try:
            return from_excel(value).date()
        except (ValueError, OverflowError, AttributeError):
            pass
    for pattern in ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d", "%Y-%m-%d %H:%M:%S"):
        try:
            return datetime.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    row.errors.append(
        _("The decision's date “%(value)s” is not a date (dd/mm/yyyy).") % {"value": text}
    )
    return None


# --------------------------------------------------------------------------- Resolving


def _resolve(rows: list[ImportRow], body, choices: dict) -> None:
    """Find each row's award type, unit, person and decision in the registers (a few
    queries for the whole list, none per row), apply the user's choices, and key each
    row."""
    types = {}
    for award_type in award_types_of(body):
        for name in (award_type.name, award_type.short_name):
            # The body's own type wins over a national one of the same name.
            if name and (award_type.body_id or words(name) not in types):
                types[words(name)] = award_type
    units: dict[str, list[Unit]] = {}
    for unit in Unit.objects.filter(body=body).order_by("sort_key", "pk"):
        for name in {words(unit.name), words(unit.short_name)} - {""}:
            units.setdefault(name, []).append(unit)
    for row in rows:
        _resolve_type(row, types)
        _resolve_unit(row, units, choices)
    people = _people(body, rows, choices)
    decisions = _decisions(body, rows)
    seen_keys: dict[str, int] = {}
    seen_decisions: dict[tuple, ImportRow] = {}
    for row in rows:
        if row.kind == RecipientKind.INDIVIDUAL:
            _resolve_person(row, people.get(row.number, []), choices)
        _resolve_decision(row, decisions, seen_decisions)
        if row.errors:
            continue
        row.key = import_key_of(
            body.pk,
            row.year,
            row.award_type.pk,
            row.kind,
            words(row.name),
            words(row.typed.get("unit")),
            words(row.decision_number),
            row.decision_date.isoformat(),
        )
        if row.key in seen_keys:
            row.errors.append(_("The same award as row %(row)s.") % {"row": seen_keys[row.key]})
        else:
            seen_keys[row.key] = row.number
    _mark_already_imported(body, rows)


def _resolve_type(row: ImportRow, types: dict) -> None:
    typed = row.typed.get("award_type", "")
    if not typed:
        row.errors.append(_("The award (Hình thức / Danh hiệu) is missing."))
        return
    row.award_type = types.get(words(typed))
    if row.award_type is None:
        row.errors.append(
            _("“%(value)s” is not an award type of the catalogue.") % {"value": typed}
        )
    elif row.kind and not row.award_type.allows(row.kind):
        row.errors.append(
            _("%(award)s is not given to a recipient of this kind (%(kind)s).")
            % {"award": row.award_type.name, "kind": row.kind_label.lower()}
        )
    elif not row.authority:
        row.authority = row.award_type.decided_by


def _resolve_unit(row: ImportRow, units: dict, choices: dict) -> None:
    typed = row.typed.get("unit", "")
    if not typed and row.kind == RecipientKind.UNIT:
        typed = row.name  # the unit named only in the name column
    if not typed:
        if row.kind == RecipientKind.UNIT:
            row.errors.append(_("Name the unit (Đơn vị)."))
        return
    candidates = units.get(words(typed), [])
    if len(candidates) > 1 and row.year:
        # Units in force in the award's year (renamed and merged ones are kept).
        in_force = [unit for unit in candidates if _active_in(unit, row.year)]
        candidates = in_force or candidates
    if not candidates:
        if row.kind == RecipientKind.UNIT:
            row.errors.append(_("“%(value)s” is not a unit of the register.") % {"value": typed})
        else:
            row.warnings.append(
                _("“%(value)s” is not a unit of the register: kept as typed.") % {"value": typed}
            )
        return
    if len(candidates) == 1:
        row.unit = candidates[0]
        return
    chosen = choices.get((row.number, "unit"))
    if chosen:
        row.unit = next((unit for unit in candidates if str(unit.pk) == str(chosen)), None)
        if row.unit is None:
            row.errors.append(
                _("The unit chosen is not one of those named “%(value)s”.") % {"value": typed}
            )
        return
    row.unit_choices = candidates


def _active_in(unit: Unit, year: int) -> bool:
    starts, ends = unit.active_from, unit.active_to
    return (starts is None or starts.year <= year) and (ends is None or ends.year >= year)


def _people(body, rows: list[ImportRow], choices: dict) -> dict[int, list[Person]]:
    """{row number: the people of the register the row's individual may be}, in the
    register's order: those of the name without diacritics, narrowed to the row's unit
    when several have the name and some work there.

    Common names are shared by hundreds of people: their ids and units are read first
    (light rows), and only the people some row may mean are loaded whole, in one more
    query per 500."""
    individuals = [row for row in rows if row.kind == RecipientKind.INDIVIDUAL and row.name]
    names = sorted({words(row.name) for row in individuals} - {""})
    namesakes: dict[str, list[tuple[int, int | None]]] = {}
    for start in range(0, len(names), 500):
        for pk, name_fold, unit_id in (
            Person.objects.filter(body=body, name_fold__in=names[start : start + 500])
            .order_by("sort_key", "pk")
            .values_list("pk", "name_fold", "unit_id")
        ):
            namesakes.setdefault(name_fold, []).append((pk, unit_id))
    candidates: dict[int, list[int]] = {}
    for row in individuals:
        found = namesakes.get(words(row.name), [])
        if len(found) > 1 and row.unit is not None:
            unit_pk = row.unit.pk
            found = [p for p in found if p[1] == unit_pk] or found
        chosen = str(choices.get((row.number, "person"), ""))
        if len(found) > 1 and chosen == NOT_IN_REGISTER:
            continue  # none of them: nobody to load
        if len(found) > 1 and any(str(pk) == chosen for pk, _unit in found):
            found = [(int(chosen), None)]  # the one chosen among them: only them to load
        if found:
            candidates[row.number] = [pk for pk, _unit in found]
    wanted = sorted({pk for pks in candidates.values() for pk in pks})
    loaded = {}
    for start in range(0, len(wanted), 500):
        loaded.update(Person.objects.select_related("unit").in_bulk(wanted[start : start + 500]))
    return {number: [loaded[pk] for pk in pks] for number, pks in candidates.items()}


def _resolve_person(row: ImportRow, candidates: list[Person], choices: dict) -> None:
    if not candidates:
        return  # not in the register: the award keeps the typed name
    if len(candidates) == 1:
        row.person = candidates[0]
        return
    chosen = choices.get((row.number, "person"))
    if chosen == NOT_IN_REGISTER:
        return
    if chosen:
        row.person = next((p for p in candidates if str(p.pk) == str(chosen)), None)
        if row.person is None:
            row.errors.append(
                _("The person chosen is not one of those named “%(value)s”.") % {"value": row.name}
            )
        return
    row.person_choices = candidates


def _decisions(body, rows: list[ImportRow]) -> dict:
    """The body's decisions the rows name, by (year, number without diacritics)."""
    years = {row.decision_date.year for row in rows if row.decision_date}
    numbers = {words(row.decision_number) for row in rows if row.decision_number}
    if not years or not numbers:
        return {}
    return {
        (decision.year, decision.name_fold): decision
        for decision in Decision.objects.filter(body=body, year__in=years, name_fold__in=numbers)
    }


def _resolve_decision(row: ImportRow, decisions: dict, seen: dict) -> None:
    if not (row.decision_date and row.decision_number):
        return
    key = (row.decision_date.year, words(row.decision_number))
    decision = decisions.get(key)
    if decision is not None:
        row.decision = decision
        if decision.signed_on != row.decision_date:
            row.errors.append(
                _("The register has %(decision)s: the date differs.") % {"decision": decision.label}
            )
        return
    first = seen.setdefault(key, row)
    if first is not row and first.decision_date != row.decision_date:
        row.errors.append(
            _("Decision %(number)s has another date in row %(row)s.")
            % {"number": row.decision_number, "row": first.number}
        )
    if not row.authority:
        row.errors.append(_("Name the authority that decided (Cơ quan quyết định)."))


def _mark_already_imported(body, rows: list[ImportRow]) -> None:
    keys = [row.key for row in rows if row.key]
    done = set()
    for start in range(0, len(keys), 500):
        # Saying the index's condition lets PostgreSQL read the partial unique index of
        # the keys, instead of scanning every award.
        done |= set(
            Award.objects.filter(body=body, import_key__in=keys[start : start + 500])
            .exclude(import_key="")
            .values_list("import_key", flat=True)
        )
    for row in rows:
        row.already = bool(row.key) and row.key in done
        if row.already:
            # Recorded before: nothing of it is imported again, so nothing to choose.
            row.unit_choices, row.person_choices = [], []
