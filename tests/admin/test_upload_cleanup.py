"""Upload previews never pile up: a confirmed, refused or replaced preview is
deleted at once, an abandoned one after ``BASEWATCH_UPLOAD_TTL_HOURS``, and a
cut-off upload leaves no file that looks whole."""

import os
import time

import pytest
from django.core.management import call_command

from incidents.ingest import uploads

from .test_imports import ACLED_URL, _upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, django_user_model):
    client.force_login(
        django_user_model.objects.create_superuser(
            username="editor", email="e@example.org", password="not-a-real-password"
        )
    )
    return client


@pytest.fixture(autouse=True)
def upload_dir(settings, tmp_path):
    settings.BASEWATCH_UPLOAD_DIR = str(tmp_path / "uploads")
    return uploads.upload_dir()


def _waiting(directory) -> list[str]:
    return sorted(p.name for p in directory.iterdir())


def _preview(client, name="syria-iraq-2023.csv"):
    response = client.post(ACLED_URL, {"file": _upload(name), "status": "review"})
    assert response.status_code == 200
    confirm = response.context["confirm"]
    return confirm.initial["token"] if confirm else None


def test_a_confirmed_preview_is_deleted(admin_client, reference_data, upload_dir):
    token = _preview(admin_client)
    assert _waiting(upload_dir) == [f"{token}.csv"]
    admin_client.post(ACLED_URL, {"token": token, "status": "review"})
    assert _waiting(upload_dir) == []


def test_a_new_upload_replaces_the_sessions_preview(
    admin_client, reference_data, upload_dir
):
    first = _preview(admin_client)
    second = _preview(admin_client)
    assert _waiting(upload_dir) == [f"{second}.csv"]
    # The replaced token is spent: confirming it imports nothing.
    page = admin_client.post(
        ACLED_URL, {"token": first, "status": "review"}, follow=True
    )
    assert "unknown or expired" in page.content.decode()


def test_a_refused_file_is_not_kept(admin_client, reference_data, upload_dir):
    assert _preview(admin_client, "broken.csv") is None
    assert _waiting(upload_dir) == []


def test_an_abandoned_preview_is_swept_after_its_time(
    admin_client, reference_data, upload_dir, settings
):
    settings.BASEWATCH_UPLOAD_TTL_HOURS = 1
    old = _preview(admin_client)
    two_hours_ago = time.time() - 2 * 3600
    os.utime(upload_dir / f"{old}.csv", (two_hours_ago, two_hours_ago))
    (upload_dir / "cut-off.csv.part").write_bytes(b"half")
    os.utime(upload_dir / "cut-off.csv.part", (two_hours_ago, two_hours_ago))
    (upload_dir / "unrelated.txt").write_bytes(b"not ours")
    os.utime(upload_dir / "unrelated.txt", (two_hours_ago, two_hours_ago))
    fresh = uploads.store([b"id\n"])[0]

    call_command("sweep_uploads")
    assert _waiting(upload_dir) == [f"{fresh}.csv", "unrelated.txt"]


def test_a_cut_off_upload_leaves_nothing(upload_dir):
    def chunks():
        yield b"event_id_cnty,event_date\n"
        raise OSError("connection reset")

    with pytest.raises(OSError):
        uploads.store(chunks())
    assert _waiting(upload_dir) == []


@pytest.mark.parametrize("token", ["../../etc/passwd", "", "0" * 31, "G" * 32])
def test_a_crafted_token_names_no_file(token):
    assert uploads.path_for(token) is None
