"""Benchmark: import N organization rows from an .xlsx file (not a test).

    .venv/bin/python benchmarks/import_organizations.py --database sqlite
    .venv/bin/python benchmarks/import_organizations.py --database postgres \
        --postgres-url postgres://postgres@127.0.0.1:5432/benchmark_import

It builds a fresh database (a temporary SQLite file, or the PostgreSQL database named in the URL,
dropped and created again), adds a county with its towns, villages, service fields and
departments, writes an .xlsx of N organizations in the admin's export format, then imports it
twice through the engine the admin and `import_records` use, each in its own process: the first
run creates every organization, its registration or filing event and their history entries; the
second finds every row unchanged. It prints rows per second and each process's peak memory.
"""

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
TOWNS = [("330421001", "罗星街道", "subdistrict"), ("330421002", "魏塘街道", "subdistrict"),
         ("330421003", "惠民街道", "subdistrict"), ("330421101", "大云镇", "town"),
         ("330421102", "西塘镇", "town"), ("330421103", "干窑镇", "town"),
         ("330421104", "陶庄镇", "town"), ("330421105", "姚庄镇", "town"),
         ("330421106", "天凝镇", "town")]
FIELDS = ["民生服务", "矛盾化解", "社区治理", "养老服务", "助残服务", "儿童关爱", "青少年服务",
          "妇女服务", "志愿服务", "文化体育", "教育培训", "卫生健康", "环境保护", "法律援助",
          "心理健康", "就业创业", "乡村振兴", "慈善救助", "邻里互助", "平安建设", "科普宣传",
          "行业自律", "学术研究", "社会工作", "应急救援", "禁毒宣传", "家庭教育", "老年教育",
          "非遗传承", "旅游发展", "农业技术", "物业协调"]
DEPARTMENTS = ["嘉善县教育局", "嘉善县民政局", "嘉善县文化和广电旅游体育局", "嘉善县卫生健康局",
               "嘉善县科学技术局", "嘉善县农业农村局", "嘉善县人力资源和社会保障局", "嘉善县司法局"]
FORMS = [("社会团体", "1", "登记"), ("社会服务机构(民办非企业单位)", "2", "登记"),
         ("基金会", "3", "登记"), ("社区社会组织(备案)", None, "备案")]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--postgres-url",
                        default="postgres://postgres@127.0.0.1:5432/benchmark_import")
    parser.add_argument("--import-only", help=argparse.SUPPRESS)  # the child process
    args = parser.parse_args()
    if args.import_only:
        return import_file(Path(args.import_only))

    workdir = Path(tempfile.mkdtemp(prefix="import-benchmark-"))
    if args.database == "sqlite":
        os.environ["DATABASE_URL"] = f"sqlite:///{workdir / 'benchmark.sqlite3'}"
    else:
        recreate_postgres(args.postgres_url)
        os.environ["DATABASE_URL"] = args.postgres_url
    setup_django()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    make_taxonomy()
    path = workdir / f"organizations-{args.rows}.xlsx"
    started = time.perf_counter()
    write_xlsx(path, args.rows)
    print(f"wrote {path.name} ({path.stat().st_size / 1e6:.1f} MB) in "
          f"{time.perf_counter() - started:.0f} s", flush=True)
    for label in ("first import (all new)", "second import (all unchanged)"):
        child = subprocess.run(
            [sys.executable, __file__, "--import-only", str(path)], env=os.environ,
            capture_output=True, text=True, check=False,
        )
        if child.returncode != 0:
            sys.exit(child.stderr)
        figures = json.loads(child.stdout.strip().splitlines()[-1])
        print(f"{args.database} {label}: {figures['rows']} rows in {figures['seconds']:.1f} s = "
              f"{figures['rows'] / figures['seconds']:,.0f} rows/s (the importing process used "
              f"{figures['cpu_seconds']:.1f} s of CPU), peak RSS {figures['peak_rss_mb']:.0f} MB; "
              f"created {figures['created']}, unchanged {figures['unchanged']}, "
              f"errors {figures['errors']}", flush=True)


def setup_django():
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "website.settings.dev")
    import django
    from django.conf import settings

    django.setup()
    settings.DEBUG = False  # a production-like run: no query log


def recreate_postgres(url):
    import psycopg2

    parts = urlparse(url)
    name = parts.path.lstrip("/")
    admin = psycopg2.connect(host=parts.hostname, port=parts.port or 5432,
                             user=parts.username or "postgres", password=parts.password,
                             dbname="postgres")
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')
    admin.close()


def make_taxonomy():
    from django.contrib.auth import get_user_model

    from registry.models import Area, Department, ServiceField

    county = Area.objects.create(code="330421", name="嘉善县", level="county")
    for code, name, level in TOWNS:
        town = Area.objects.create(code=code, name=name, level=level, parent=county)
        Area.objects.bulk_create(
            Area(code=f"{code}{n:03d}", name=f"{name[:2]}第{n}社区", level="community", parent=town)
            for n in range(1, 13)
        )
    ServiceField.objects.bulk_create(
        ServiceField(code=f"field-{n}", name=name, sort_order=n) for n, name in enumerate(FIELDS)
    )
    Department.objects.bulk_create(Department(name=name) for name in DEPARTMENTS)
    get_user_model().objects.create_superuser("benchmark", password=None)


def write_xlsx(path, rows):
    import openpyxl

    from registry import credit_code
    from registry.columns import ORGANIZATION_HEADERS

    rng = random.Random(330421)
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("社会组织")
    sheet.append(ORGANIZATION_HEADERS)
    for n in range(rows):
        form, form_code, registration = FORMS[0 if n % 10 < 3 else 1 if n % 10 < 4 else
                                              2 if n % 100 == 99 else 3]
        _code, town, _level = TOWNS[n % len(TOWNS)]
        year = 2005 + n % 18
        registered_on = f"{year}-{1 + n % 12:02d}-{1 + n % 28:02d}"
        sheet.append([
            f"{town[:2]}{n:06d}号{'志愿服务队' if form_code is None else '协会'}",
            credit_code.make(legal_form_code=form_code, division_code="330421",
                             body=f"MJ{n:07d}") if form_code else "",
            f"嘉善备{n:07d}" if form_code is None else "",
            registration, form,
            "嘉善县民政局" if form_code else f"{town}社会事务办",
            rng.choice(DEPARTMENTS) if form_code else "",
            "张某某", registered_on, registered_on, town,
            f"{town[:2]}第{1 + n % 12}社区", f"{town}某某路{n % 500}号",
            "开展公益活动,服务社区居民",
            "、".join(rng.sample(FIELDS, 1 + n % 3)),
            f"0573-8{n % 10_000_000:07d}",
            "正常(登记)" if form_code else "正常(备案)",
        ])
    workbook.save(path)


def import_file(path):
    setup_django()
    from django.contrib.auth import get_user_model

    from website.importer.engine import run_import
    from website.importer.kinds import get_kind
    from website.models import ImportRun

    user = get_user_model().objects.get(username="benchmark")
    cpu_before = _cpu_seconds()
    started = time.perf_counter()
    result = run_import(kind=get_kind("organizations"), file_name=path.name, path=path, user=user,
                        commit=True, source=ImportRun.Source.COMMAND)
    seconds = time.perf_counter() - started
    cpu = _cpu_seconds() - cpu_before
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({
        "rows": result.total_rows, "seconds": seconds, "cpu_seconds": cpu,
        "peak_rss_mb": peak_kb / 1024,
        "created": result.created, "unchanged": result.unchanged,
        "errors": result.error_rows + bool(result.file_error),
        "first_errors": result.errors[:3] or result.file_error,
    }, ensure_ascii=False))


def _cpu_seconds():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


if __name__ == "__main__":
    main()
