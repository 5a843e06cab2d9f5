"""Backup and restore of a deployment: the PostgreSQL database and the media files (published
summary PDFs, documents, images). Run through bin/backup and bin/restore; docs/deploy.md.

A backup is a directory:
  database.dump   pg_dump's custom format (compressed; pg_restore reads it)
  media.tar       MEDIA_ROOT, paths relative to it
  manifest.json   written last, so its presence means the backup is complete: each file's size
                  and SHA-256, checked before anything is restored

The database settings and MEDIA_ROOT come from Django's settings (DATABASE_URL, and
DJANGO_SETTINGS_MODULE, website.settings.production unless set).
"""

import argparse
import datetime
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

FORMAT = 1
DUMP, MEDIA, MANIFEST = "database.dump", "media.tar", "manifest.json"


class BackupError(Exception):
    pass


def django_settings():
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "website.settings.production")
    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"] not in ("django.db.backends.postgresql", "website.db.postgresql"):
        raise BackupError("bin/backup and bin/restore work on PostgreSQL (DATABASE_URL=postgres://…); "
                          "for the embedded SQLite file, copy var/db.sqlite3 while the site is stopped.")
    return database, Path(settings.MEDIA_ROOT)


def libpq_env(database, name=None):
    """The libpq environment for a database: the password never appears on a command line."""
    env = dict(os.environ)
    for variable, key in (("PGHOST", "HOST"), ("PGPORT", "PORT"), ("PGUSER", "USER"),
                          ("PGPASSWORD", "PASSWORD")):
        if database.get(key):
            env[variable] = str(database[key])
    env["PGDATABASE"] = name or database["NAME"]
    return env


def sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def run(command, env):
    result = subprocess.run(command, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip()}")
    return result.stdout


def backup(directory, media_root=None):
    database, settings_media = django_settings()
    media_root = Path(media_root or settings_media)
    directory = Path(directory)
    if directory.exists() and any(directory.iterdir()):
        raise BackupError(f"{directory} is not empty: give each backup a new directory.")
    directory.mkdir(parents=True, exist_ok=True)
    env = libpq_env(database)

    # The database first: every file a row names was written before the dump began, so it is in
    # the tar taken after it (a file added meanwhile is only an extra).
    run(["pg_dump", "--format=custom", "--file", str(directory / DUMP)], env)
    media_files = 0
    with tarfile.open(directory / MEDIA, "w") as tar:
        if media_root.is_dir():
            for path in sorted(media_root.rglob("*")):
                if path.is_file():
                    tar.add(path, arcname=str(path.relative_to(media_root)), recursive=False)
                    media_files += 1

    manifest = {
        "format": FORMAT,
        "created_at": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "database": database["NAME"],
        "pg_dump": run(["pg_dump", "--version"], env).strip(),
        "media_files": media_files,
        "files": {name: {"bytes": (directory / name).stat().st_size, "sha256": sha256(directory / name)}
                  for name in (DUMP, MEDIA)},
    }
    (directory / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n")
    return manifest


def verified_manifest(directory):
    path = Path(directory) / MANIFEST
    if not path.is_file():
        raise BackupError(f"{path} is missing: the backup is incomplete or not a backup.")
    manifest = json.loads(path.read_text())
    if manifest.get("format") != FORMAT:
        raise BackupError(f"unknown backup format {manifest.get('format')!r}.")
    for name, expected in manifest["files"].items():
        file = Path(directory) / name
        if not file.is_file() or sha256(file) != expected["sha256"]:
            raise BackupError(f"{file} does not match its SHA-256 in the manifest: not restored.")
    return manifest


def restore(directory, database_name, media_root=None):
    database, settings_media = django_settings()
    media_root = Path(media_root or settings_media)
    manifest = verified_manifest(directory)
    if media_root.exists() and any(media_root.iterdir()):
        raise BackupError(f"{media_root} is not empty: restore the media into a new directory.")
    env = libpq_env(database, name="postgres")
    # A new database, never over a live one: createdb fails if the name is taken.
    run(["createdb", database_name], env)
    try:
        run(["pg_restore", "--no-owner", "--exit-on-error", "--dbname", database_name,
             str(Path(directory) / DUMP)], env)
    except BackupError:
        run(["dropdb", "--if-exists", database_name], env)
        raise
    media_root.mkdir(parents=True, exist_ok=True)
    with tarfile.open(Path(directory) / MEDIA) as tar:
        tar.extractall(media_root, filter="data")  # no absolute paths, links out or devices
    return manifest


def main(argv=None):
    parser = argparse.ArgumentParser(prog="bin/backup | bin/restore")
    commands = parser.add_subparsers(dest="command", required=True)
    make = commands.add_parser("backup", help="dump the database and the media into DIR")
    make.add_argument("directory")
    make.add_argument("--media", help="the media directory (default: MEDIA_ROOT)")
    put_back = commands.add_parser("restore", help="restore DIR into a new database")
    put_back.add_argument("directory")
    put_back.add_argument("--database", required=True,
                          help="name of the new database, on the server DATABASE_URL names")
    put_back.add_argument("--media", help="an empty directory for the media (default: MEDIA_ROOT)")
    args = parser.parse_args(argv)
    try:
        if args.command == "backup":
            manifest = backup(args.directory, args.media)
            print(f"backup of {manifest['database']} in {args.directory}: "
                  f"{manifest['files'][DUMP]['bytes']} bytes of database, "
                  f"{manifest['media_files']} media files")
        else:
            restore(args.directory, args.database, args.media)
            print(f"restored into database {args.database}; point DATABASE_URL at it "
                  "(and MEDIA_ROOT at the media) and restart the app servers and the worker")
    except BackupError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    shutil.which("pg_dump") or sys.exit("error: pg_dump is not installed (apt-get install postgresql-client)")
    sys.exit(main())
