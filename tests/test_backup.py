"""bin/backup and bin/restore on the Jiashan demo (PostgreSQL): the restored database and media give
every headline figure, county and town, and every published summary's SHA-256 unchanged."""

import json
import subprocess
import sys

import pytest
from django.core.management import call_command
from django.db import connection

from tests.db_support import migrated_state_kept
from tests.server_support import ROOT, database_url
from website.public_pages import ensure_public_pages
from website.summaries.services import publish_summary, request_summary

pytestmark = pytest.mark.django_db(transaction=True)

# What a reader would check, read by a separate process from one database and media directory.
READ_BACK = r"""
import dataclasses, datetime, hashlib, json, sys
from pathlib import Path
import django
django.setup()
from registry.models import Area
from website.selectors import headline_figures
from website.summaries.services import published_summaries

media = Path(sys.argv[1])
days = [datetime.date(2020, 12, 31), datetime.date(2022, 12, 31), datetime.date.today()]
towns = list(Area.objects.filter(level__in=Area.TOWN_LEVELS).order_by("code"))
figures = {
    f"{day} {town.name if town else 'county'}": dataclasses.asdict(headline_figures(as_of=day, town=town))
    for day in days for town in [None, *towns]
}
summaries = [
    {"title": s.title, "version": s.version, "sha256": s.sha256,
     "file_sha256": hashlib.sha256((media / s.file.name).read_bytes()).hexdigest()}
    for s in published_summaries()
]
print(json.dumps({"figures": figures, "summaries": summaries}, default=str))
"""


@pytest.fixture(scope="module", autouse=True)
def migrations_rows_put_back(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), migrated_state_kept(connection):
        yield


def env_for(database):
    return {"PATH": "/usr/local/bin:/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "website.settings.test",
            "DATABASE_URL": database}


def read_back(database, media):
    result = subprocess.run([sys.executable, "-c", READ_BACK, str(media)], cwd=ROOT,
                            env=env_for(database), capture_output=True, text=True, check=True)
    return json.loads(result.stdout)


def run(script, *args, database):
    return subprocess.run([str(ROOT / "bin" / script), *map(str, args)], env=env_for(database),
                          capture_output=True, text=True)


def test_a_restored_backup_gives_the_same_figures_and_published_summaries(settings, tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("bin/backup works on PostgreSQL")
    call_command("load_demo", stdout=open("/dev/null", "w"))
    ensure_public_pages()
    published = publish_summary(summary=request_summary(year=2022))
    source = database_url(connection.settings_dict)
    restored_name = f"{connection.settings_dict['NAME']}_restored"
    restored = source.rsplit("/", 1)[0] + f"/{restored_name}"
    subprocess.run(["dropdb", "--if-exists", "-h", "127.0.0.1", "-U", "postgres", restored_name],
                   check=True, env=env_for(source))
    before = read_back(source, settings.MEDIA_ROOT)
    assert [s["sha256"] for s in before["summaries"]] == [published.sha256]
    assert before["figures"]["2022-12-31 county"]["registered"] == 555

    backup_dir = tmp_path / "backup"
    made = run("backup", backup_dir, "--media", settings.MEDIA_ROOT, database=source)
    assert made.returncode == 0, made.stderr
    manifest = json.loads((backup_dir / "manifest.json").read_text())
    assert set(manifest["files"]) == {"database.dump", "media.tar"} and manifest["media_files"] >= 1

    restored_media = tmp_path / "restored-media"
    try:
        put_back = run("restore", backup_dir, "--database", restored_name,
                       "--media", restored_media, database=source)
        assert put_back.returncode == 0, put_back.stderr
        assert read_back(restored, restored_media) == before

        # A damaged backup is refused before anything is created.
        with open(backup_dir / "database.dump", "r+b") as dump:
            dump.seek(-10, 2)
            dump.write(b"\0" * 10)
        refused = run("restore", backup_dir, "--database", f"{restored_name}_2",
                      "--media", tmp_path / "other-media", database=source)
        assert refused.returncode == 1
        assert "does not match its SHA-256" in refused.stderr
        assert not (tmp_path / "other-media").exists()
    finally:
        subprocess.run(["dropdb", "--if-exists", "-h", "127.0.0.1", "-U", "postgres", restored_name],
                       env=env_for(source))
