"""What every document a cluster issues shares, and the registry of a year's documents.

The header of a cluster's documents, the names a narrow table column can hold, the
signature of the head unit and of a member's representative live here, below the
feature apps that print documents. The apps above register the documents of a cluster
year in ``year_documents`` (as pretix's apps register exporters), so the "all documents
of the year" package reads them without importing any of those apps.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from django.utils.text import slugify

from clusters.models import Cluster, ClusterYear, Unit
from core.documents.model import Document, DocumentHeader, SignatureBlock
from core.text import fold

# The issuer's part of a document number: "05/BB-CTĐ".
ISSUER_CODES = {Cluster.Kind.CLUSTER: "CTĐ", Cluster.Kind.BLOC: "KTĐ"}


def cluster_header(
    cluster: Cluster, *, number: str = "", date: datetime.date | None = None
) -> DocumentHeader:
    """The header of a document the cluster issues under its organizing body.

    Reads ``cluster.body``: select it with the cluster to avoid a query.
    """
    return DocumentHeader(
        parent_body=cluster.body.name,
        issuer=cluster.name,
        number=number,
        place=cluster.body.place,
        date=date,
    )


def issuer_code(cluster: Cluster) -> str:
    return ISSUER_CODES[cluster.kind]


# --- Names in narrow places -----------------------------------------------------------

# Administrative prefixes a column head can do without ("Huyện Nghĩa Hưng" → "Nghĩa
# Hưng"); the town and city prefixes keep their usual abbreviation.
_PREFIXES = [
    ("Thành phố ", "TP "),
    ("Thị xã ", "TX "),
    ("Thị trấn ", "TT "),
    ("Huyện ", ""),
    ("Quận ", ""),
    ("Tỉnh ", ""),
    ("Phường ", ""),
    ("Xã ", ""),
]


def short_unit_name(unit: Unit) -> str:
    """The unit's short name; without one, its name less the administrative prefix.

    For column heads of tables with one column per member, where "Huyện Xuân Trường"
    would need three lines.
    """
    if unit.short_name:
        return unit.short_name
    for prefix, replacement in _PREFIXES:
        if unit.name.startswith(prefix) and len(unit.name) > len(prefix):
            return replacement + unit.name[len(prefix) :]
    return unit.name


def file_stem(text: str, limit: int = 80) -> str:
    """“Tổng kết năm 2023” → “tong-ket-nam-2023”: a file name without diacritics."""
    return slugify(fold(text))[:limit].strip("-") or "van-ban"


# --- Signatures ---------------------------------------------------------------------------


def cluster_signature(cluster: Cluster, head: Unit | None, *, name: str = "") -> SignatureBlock:
    """``TM. CỤM THI ĐUA`` / ``CỤM TRƯỞNG`` / the head unit / (signature) / the name.

    ``name`` is the head unit's representative when known, else left to be written.
    """
    is_bloc = cluster.kind == Cluster.Kind.BLOC
    return SignatureBlock(
        capacity="TM. Khối thi đua" if is_bloc else "TM. Cụm thi đua",
        title="Khối trưởng" if is_bloc else "Cụm trưởng",
        unit=head.name if head else "",
        name=name,
    )


def representative_signature(unit: Unit, *, name: str = "", position: str = "") -> SignatureBlock:
    """``ĐẠI DIỆN HUYỆN NA RÌ`` / ``CHỦ TỊCH UBND HUYỆN`` / (signature) / the name.

    For a member unit signing through its representative; an unknown position or name
    is left blank to be written by hand.
    """
    return SignatureBlock(capacity=f"Đại diện {unit.name}", title=position, name=name)


# --- The documents of a cluster year ---------------------------------------------------

Build = Callable[[ClusterYear], Iterable[tuple[str, Document]]]
Files = Callable[[ClusterYear], Iterable[tuple[str, bytes]]]


@dataclass(frozen=True)
class YearDocumentKind:
    """One kind of document of a cluster year, as an app registered it.

    ``build(cluster_year)`` yields ``(file stem, Document)`` pairs: none when the year
    has nothing of this kind, several when it has several (meetings). ``files``
    optionally yields ready-made ``(file name, bytes)`` that go with them (spreadsheets).
    Both get a cluster year the caller fetched through a scoped selector, and must not
    reach outside it. ``folder`` groups the files in a package.
    """

    key: str
    label: str
    order: int
    build: Build
    folder: str = ""
    files: Files | None = None

    def path(self, name: str) -> str:
        return f"{self.folder}/{name}" if self.folder else name


class YearDocuments:
    """The registry: ``register`` from an app's ready(), iterate in ``order``."""

    def __init__(self):
        self._kinds: dict[str, YearDocumentKind] = {}

    def register(
        self,
        key: str,
        *,
        label: str,
        order: int,
        build: Build,
        folder: str = "",
        files: Files | None = None,
    ) -> YearDocumentKind:
        """Add (or, under the same key, replace) a kind of document of the year."""
        kind = YearDocumentKind(key, label, order, build, folder or key, files)
        self._kinds[key] = kind
        return kind

    def unregister(self, key: str) -> None:
        self._kinds.pop(key, None)

    def __iter__(self) -> Iterator[YearDocumentKind]:
        return iter(sorted(self._kinds.values(), key=lambda kind: (kind.order, kind.key)))

    def __contains__(self, key: str) -> bool:
        return key in self._kinds

    def __getitem__(self, key: str) -> YearDocumentKind:
        return self._kinds[key]

    def documents(self, cluster_year: ClusterYear) -> Iterator[tuple[str, Document]]:
        """Every document of the year as ``(path without extension, Document)``."""
        for kind in self:
            for stem, document in kind.build(cluster_year):
                yield kind.path(stem), document


year_documents = YearDocuments()
