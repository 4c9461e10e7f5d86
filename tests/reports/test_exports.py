"""Background exports: in-process without a broker, and once end to end through Redis and a
real Celery worker (on PostgreSQL, which the worker process can share with the test)."""

import io
import os
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.urls import reverse

from config.celery import app as celery_app
from core.documents.parity import pdf_pages_text
from reports.models import Export
from tests.factories.scoring import CriteriaSheetFactory, CriterionFactory

BROKER = os.environ.get("CELERY_TEST_BROKER_URL", "redis://127.0.0.1:6379/15")


def _zip_names(export: Export) -> list[str]:
    with export.file.open("rb") as handle, zipfile.ZipFile(io.BytesIO(handle.read())) as archive:
        return sorted(archive.namelist())


@pytest.fixture
def pledged_year(cluster_year, staff):
    from meetings import services as meeting_services
    from pledges import services as pledge_services

    pledge = pledge_services.pledge_create(cluster_year=cluster_year, theme="Đoàn kết, sáng tạo")
    pledge_services.targets_save(
        pledge=pledge, rows=[{"order": 1, "group": "Kinh tế", "name": "Thu ngân sách"}]
    )
    import datetime
    import zoneinfo

    meeting_services.meeting_create(
        cluster_year=cluster_year,
        kind="year_end",
        title="Tổng kết năm 2023",
        starts_at=datetime.datetime(2023, 12, 20, 8, tzinfo=zoneinfo.ZoneInfo(settings.TIME_ZONE)),
    )
    CriterionFactory(sheet=CriteriaSheetFactory(cluster_year=cluster_year), name="Kinh tế")
    return cluster_year


def test_the_year_package_is_built_in_process_without_a_broker(
    staff_client, pledged_year, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(reverse("reports:year-package", args=[pledged_year.pk]))

    export = Export.objects.get()
    assert response.status_code == 302
    assert response["Location"] == export.get_absolute_url()
    assert export.status == Export.Status.DONE
    assert _zip_names(export) == [
        "cham-diem/ket-qua-cham-diem-thi-dua.docx",
        "cham-diem/ket-qua-cham-diem-thi-dua.pdf",
        "giao-uoc/cam-ket-chi-tieu.xlsx",
        "giao-uoc/giao-uoc-thi-dua.docx",
        "giao-uoc/giao-uoc-thi-dua.pdf",
        "giao-uoc/ket-qua-so-ket-6-thang-nam-2023.xlsx",
        "giao-uoc/ket-qua-tong-ket-nam-2023.xlsx",
        "hoi-nghi/2023-12-20-tong-ket-nam-2023.docx",
        "hoi-nghi/2023-12-20-tong-ket-nam-2023.pdf",
    ]
    page = staff_client.get(export.get_absolute_url())
    assert 'data-status="done"' in page.content.decode()
    download = staff_client.get(reverse("reports:export-download", args=[export.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content)[:2] == b"PK"


def test_the_package_holds_each_registered_document_as_pdf_and_word(
    staff, pledged_year, monkeypatch
):
    from clusters.documents import YearDocuments, year_documents
    from core.documents.model import Document, DocumentHeader, Paragraph
    from reports import packages

    def letters(cluster_year):
        header = DocumentHeader(parent_body="UBND tỉnh Bắc Kạn", issuer=cluster_year.cluster.name)
        for number in (1, 2):
            yield (
                f"cong-van-{number}",
                Document(
                    header=header, title=f"Công văn số {number}", blocks=[Paragraph("Kính gửi")]
                ),
            )

    registry = YearDocuments()
    for kind in year_documents:
        registry.register(
            kind.key, label=kind.label, order=kind.order, build=kind.build, folder=kind.folder
        )
    registry.register("letters", label="Công văn", order=1, build=letters, folder="cong-van")
    registry.unregister("pledge")
    monkeypatch.setattr(packages, "year_documents", registry)

    name, content = packages.year_package(staff, pledged_year.pk)

    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        names = archive.namelist()
        assert archive.read("cong-van/cong-van-2.pdf")[:5] == b"%PDF-"
        assert archive.read("cong-van/cong-van-2.docx")[:2] == b"PK"
    assert name == "ho-so-cum-thi-dua-cac-huyen-thanh-pho-2023.zip"
    assert names == [
        "cong-van/cong-van-1.pdf",
        "cong-van/cong-van-1.docx",
        "cong-van/cong-van-2.pdf",
        "cong-van/cong-van-2.docx",
        "hoi-nghi/2023-12-20-tong-ket-nam-2023.pdf",
        "hoi-nghi/2023-12-20-tong-ket-nam-2023.docx",
        "cham-diem/ket-qua-cham-diem-thi-dua.pdf",
        "cham-diem/ket-qua-cham-diem-thi-dua.docx",
    ]


def test_the_package_builder_names_no_app_that_prints_documents():
    import inspect

    from reports import packages

    source = inspect.getsource(packages)
    for app in ("pledges", "meetings", "scoring", "votes", "awards"):
        assert f"from {app}" not in source and f"import {app}" not in source, app


def test_an_outsider_cannot_package_another_clusters_year(outsider_client, pledged_year):
    response = outsider_client.post(reverse("reports:year-package", args=[pledged_year.pk]))

    assert response.status_code == 404
    assert Export.objects.count() == 0


def test_exports_are_private_to_the_user_who_asked(
    staff_client, pledged_year, secretary, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(reverse("reports:year-package", args=[pledged_year.pk]))
    export = Export.objects.get()
    other = Client()
    other.force_login(secretary)

    assert other.get(export.get_absolute_url()).status_code == 404
    assert other.get(reverse("reports:export-download", args=[export.pk])).status_code == 404


def test_polling_returns_only_the_status_fragment(staff_client, pledged_year):
    staff_client.post(reverse("reports:year-package", args=[pledged_year.pk]))
    export = Export.objects.get()

    fragment = staff_client.get(export.get_absolute_url(), HTTP_HX_REQUEST="true")

    html = fragment.content.decode()
    assert html.strip().startswith('<div class="card card-body" id="export-status"')
    assert "<html" not in html


def test_a_failed_build_is_recorded_not_raised(staff, pledged_year, monkeypatch):
    from reports import packages, services

    def broken(user, object_id, params, progress):
        raise RuntimeError("font missing")

    monkeypatch.setitem(
        packages.BUILDERS,
        "year_package",
        packages.Builder(broken, packages.BUILDERS["year_package"].scope),
    )
    monkeypatch.setattr(services, "BUILDERS", packages.BUILDERS)
    export = Export.objects.create(
        user=staff, kind="year_package", object_id=pledged_year.pk, title="x"
    )

    services.export_build(export_id=export.pk)

    export.refresh_from_db()
    assert export.status == Export.Status.FAILED
    assert export.error == "RuntimeError: font missing"


def _redis_reachable() -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(BROKER, socket_connect_timeout=1).ping())
    except Exception:
        return False


@pytest.fixture
def celery_worker(settings, transactional_db):
    """A real `celery worker` process against Redis and this test's PostgreSQL database."""
    if connection.vendor != "postgresql":
        pytest.skip("the worker process needs a database it can share (PostgreSQL)")
    if not _redis_reachable():
        pytest.skip(f"Redis is not reachable at {BROKER}")
    db = connection.settings_dict
    url = (
        f"postgres://{db['USER'] or 'postgres'}:{db['PASSWORD'] or ''}@{db['HOST'] or 'localhost'}"
        f":{db['PORT'] or 5432}/{db['NAME']}"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": url,
        "CELERY_BROKER_URL": BROKER,
        "CELERY_RESULT_BACKEND": BROKER,
        "DJANGO_MEDIA_ROOT": str(settings.MEDIA_ROOT),
    }
    saved = {
        key: celery_app.conf[key] for key in ("task_always_eager", "broker_url", "result_backend")
    }
    celery_app.conf.update(task_always_eager=False, broker_url=BROKER, result_backend=BROKER)
    _forget_connections()
    celery_app.control.purge()
    worker = subprocess.Popen(
        [
            str(Path(sys.executable).with_name("celery")),
            "-A",
            "config",
            "worker",
            "--pool=solo",
            "--loglevel=WARNING",
            "--without-gossip",
            "--without-mingle",
        ],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 60
        while not celery_app.control.ping(timeout=1):
            if worker.poll() is not None or time.monotonic() > deadline:
                output = worker.stdout.read().decode() if worker.stdout else ""
                pytest.fail(f"the Celery worker did not start:\n{output}")
        yield worker
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()
        celery_app.conf.update(**saved)
        _forget_connections()


def _forget_connections():
    """Drop connection pools built for the previous broker setting."""
    if celery_app._pool is not None:
        celery_app._pool.force_close_all()
        celery_app._pool = None
    celery_app.amqp._producer_pool = None
    celery_app.__dict__.pop("backend", None)


@pytest.mark.services
def test_a_real_worker_builds_the_export_through_redis(celery_worker, pledged_year, staff):
    client = Client()
    client.force_login(staff)

    client.post(reverse("reports:year-package", args=[pledged_year.pk]))

    export = Export.objects.get()
    deadline = time.monotonic() + 90
    while not export.is_finished and time.monotonic() < deadline:
        time.sleep(0.5)
        export.refresh_from_db()
    assert export.status == Export.Status.DONE, export.error
    assert "giao-uoc/giao-uoc-thi-dua.pdf" in _zip_names(export)
    assert Path(export.file.path).is_relative_to(Path(settings.MEDIA_ROOT))

    # The province summary goes the same way: queued, built by the worker, polled.
    response = client.post(
        reverse("reports:summary-export"),
        {
            "body": pledged_year.cluster.body_id,
            "year": pledged_year.year,
            "what": "summary",
            "fmt": "pdf",
        },
    )
    summary = Export.objects.get(kind=Export.Kind.PROVINCE_SUMMARY)
    assert response["Location"] == summary.get_absolute_url()
    deadline = time.monotonic() + 90
    while not summary.is_finished and time.monotonic() < deadline:
        time.sleep(0.5)
        summary.refresh_from_db()
    assert summary.status == Export.Status.DONE, summary.error
    assert summary.progress == 100
    with summary.file.open("rb") as handle:
        text = " ".join(" ".join(pdf_pages_text(handle.read())).split())
    assert f"Tổng hợp kết quả hoạt động của các cụm, khối thi đua năm {pledged_year.year}" in text
    assert pledged_year.cluster.name in text
    poll = client.get(summary.get_absolute_url(), HTTP_HX_REQUEST="true").content.decode()
    assert 'data-status="done"' in poll and "hx-trigger" not in poll
