"""The admin's 批量导入 pages, driven as a registrar would: upload, preview, confirm."""

import codecs
import io
from pathlib import Path

import openpyxl
import pytest
from bs4 import BeautifulSoup
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from registry.columns import ORGANIZATION_HEADERS
from registry.models import Organization
from website.importer.kinds import all_kinds
from website.models import ImportRun

from tests.import_support import import_file, make_county, org_row, snapshot, table, xlsx_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def county():
    return make_county()


@pytest.fixture
def client_admin(client, django_user_model):
    user = django_user_model.objects.create_superuser("registrar", password="x")
    client.force_login(user)
    client.user = user
    return client


def upload(client, content, name="组织.xlsx", kind="organizations"):
    return client.post(reverse("importer:index"), {
        "kind": kind, "file": SimpleUploadedFile(name, content),
    })


def stored_files(settings):
    return sorted(p.name for p in (Path(settings.MEDIA_ROOT) / "imports").glob("*/*"))


def test_upload_preview_confirm(county, client_admin, settings):
    page = client_admin.get(reverse("importer:index"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "批量导入" in html and "上传并预览" in html
    assert reverse("importer:template", args=["organizations", "xlsx"]) in html

    before = snapshot()
    response = upload(client_admin, xlsx_bytes(table([org_row(1), org_row(2)])))
    run = ImportRun.objects.get()
    assert response.status_code == 302 and response.url == reverse("importer:preview", args=[run.pk])
    assert snapshot() == before  # the preview writes nothing
    assert stored_files(settings) == ["upload.xlsx"]

    preview = client_admin.get(response.url).content.decode()
    assert "这是预览，尚未写入" in preview and "确认导入" in preview
    assert "<td>2</td><td>2</td><td>0</td>" in preview.replace("\n", "").replace(" ", "")

    done = client_admin.post(reverse("importer:confirm", args=[run.pk]), follow=True)
    assert "已导入“组织.xlsx”：新增2\uFF0C变更0\uFF0C未变0。" in done.content.decode()
    assert Organization.objects.count() == 2
    run.refresh_from_db()
    assert run.committed and run.user == client_admin.user and run.created == 2
    assert stored_files(settings) == []
    # A committed import cannot be confirmed twice (the admin answers a refusal by a redirect).
    again = client_admin.post(reverse("importer:confirm", args=[run.pk]))
    assert again.status_code == 302 and Organization.objects.count() == 2
    assert ImportRun.objects.get().created == 2
    assert "已写入" in client_admin.get(reverse("importer:index")).content.decode()


def change_list(html):
    """The preview's list of records: [(row, action, record, [each change as shown])]."""
    heading = BeautifulSoup(html, "html.parser").find(
        "h2", string=lambda text: text and "新增和变更的记录" in text)
    assert heading is not None, "no list of records on the page"
    rows = heading.find_next("table").tbody.find_all("tr")
    return [(*(td.get_text(" ", strip=True) for td in tr.find_all("td")[:3]),
             [li.get_text(" ", strip=True) for li in tr.find_all("li")]) for tr in rows]


def test_the_preview_lists_each_record_added_and_each_change(county, client_admin):
    saved = org_row(2)
    import_file(xlsx_bytes(table([saved])), source=ImportRun.Source.COMMAND)
    before = snapshot()
    upload(client_admin, xlsx_bytes(table([
        org_row(1), org_row(2, 住所="西塘镇某路2号", 服务领域="民生服务", 业务主管单位="")])))
    run = ImportRun.objects.get(source=ImportRun.Source.ADMIN)
    html = client_admin.get(reverse("importer:preview", args=[run.pk])).content.decode()
    assert snapshot() == before  # nothing written before the confirm

    added, changed = change_list(html)
    assert added == ("第2行", "新增", f"{org_row(1)['社会组织名称']} {org_row(1)['统一社会信用代码']}", [])
    assert changed[:3] == ("第3行", "变更", f"{saved['社会组织名称']} {saved['统一社会信用代码']}")
    assert sorted(changed[3]) == sorted([
        "业务主管单位\uFF1A嘉善县教育局 \u2192 \uFF08空\uFF09",
        "住所\uFF1A西塘镇某路1号 \u2192 西塘镇某路2号",
        "服务领域\uFF1A民生服务\u3001社区治理 \u2192 民生服务",
    ])
    assert "将新增和变更的记录" in html and "只列出前" not in html

    client_admin.post(reverse("importer:confirm", args=[run.pk]))
    organization = Organization.objects.get(name=saved["社会组织名称"])
    assert organization.address == "西塘镇某路2号" and organization.supervising_unit is None
    done = client_admin.get(reverse("importer:preview", args=[run.pk])).content.decode()
    assert "本次新增和变更的记录" in done and len(change_list(done)) == 2


def test_the_preview_says_when_its_list_is_cut(county, client_admin, monkeypatch):
    from website.importer import changes

    monkeypatch.setattr(changes, "STORED_CHANGES", 2)
    upload(client_admin, xlsx_bytes(table([org_row(1), org_row(2), org_row(3)])))
    run = ImportRun.objects.get()
    assert [change["row"] for change in run.changes] == [2, 3]
    html = client_admin.get(reverse("importer:preview", args=[run.pk])).content.decode()
    assert len(change_list(html)) == 2
    assert "只列出前2条\uFF08共新增3条\u3001变更0条\uFF09" in html


def test_bad_rows_are_listed_and_cannot_be_confirmed(county, client_admin):
    before = snapshot()
    upload(client_admin, xlsx_bytes(table([org_row(1), org_row(2, 所属镇街="凤凰镇", 登记日期="2022/2/30")])))
    run = ImportRun.objects.get()
    preview = client_admin.get(reverse("importer:preview", args=[run.pk])).content.decode()
    assert "发现错误，未写入任何数据" in preview
    assert "第3行" in preview and "找不到镇街“凤凰镇”。" in preview and "日期“2022/2/30”不存在" in preview
    assert "确认导入" not in preview
    client_admin.post(reverse("importer:confirm", args=[run.pk]))
    assert snapshot() == before and not ImportRun.objects.get().committed


def test_a_bad_file_is_explained_on_the_preview(county, client_admin):
    upload(client_admin, xlsx_bytes([["名称", "地址"], ["某协会", "某路"]]))
    preview = client_admin.get(reverse("importer:preview", args=[ImportRun.objects.get().pk]))
    assert "无法识别的列：名称、地址" in preview.content.decode()
    assert Organization.objects.count() == 0


def test_a_file_over_the_limit_is_refused_by_the_form(county, client_admin, settings):
    settings.IMPORT_MAX_UPLOAD_BYTES = 1024
    response = upload(client_admin, b"x" * 2048, name="大文件.csv")
    assert response.status_code == 200
    assert "超过了上限1024" not in response.content.decode()  # sizes are shown in MB
    assert "大小为0.0 MB\uFF0C超过了上限0.0 MB" in response.content.decode()
    assert not ImportRun.objects.exists()


def test_the_confirm_checks_the_file_again(county, client_admin):
    upload(client_admin, xlsx_bytes(table([org_row(1)])))
    run = ImportRun.objects.get()
    county.department.delete()  # meanwhile, the supervising unit the row names is removed
    client_admin.post(reverse("importer:confirm", args=[run.pk]))
    run.refresh_from_db()
    assert not run.committed
    assert run.errors == [{"row": 2, "column": "业务主管单位", "message": "找不到政府部门“嘉善县教育局”。"}]
    assert Organization.objects.count() == 0


@pytest.mark.parametrize("kind", [k.name for k in all_kinds()])
def test_template_files_carry_each_kinds_headers(client_admin, kind):
    headers = next(k for k in all_kinds() if k.name == kind).headers
    response = client_admin.get(reverse("importer:template", args=[kind, "xlsx"]))
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert [c.value for c in workbook.worksheets[0][1]] == headers
    assert workbook.worksheets[1].title == "填写说明"
    csv = b"".join(client_admin.get(reverse("importer:template", args=[kind, "csv"])).streaming_content)
    assert csv.startswith(codecs.BOM_UTF8) and csv[3:].decode().strip() == ",".join(headers)


def test_the_organizations_template_is_the_export_format(client_admin):
    response = client_admin.get(reverse("importer:template", args=["organizations", "xlsx"]))
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert [c.value for c in workbook.worksheets[0][1]] == ORGANIZATION_HEADERS


def test_staff_without_permission_see_no_import(client, django_user_model):
    user = django_user_model.objects.create_user("clerk", password="x", is_staff=True)
    from django.contrib.auth.models import Permission

    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(user)
    for url in (reverse("importer:index"), reverse("importer:template", args=["organizations", "xlsx"])):
        response = client.get(url)
        assert response.status_code == 302 and response.url == reverse("wagtailadmin_home")
    assert reverse("importer:index") not in client.get(reverse("wagtailadmin_home")).content.decode()


def test_the_menu_shows_import_to_a_registrar(client_admin):
    assert reverse("importer:index") in client_admin.get(reverse("wagtailadmin_home")).content.decode()


def test_docs_describe_every_kind_and_column():
    docs = (Path(__file__).resolve().parent.parent / "docs" / "import.md").read_text()
    for kind in all_kinds():
        assert f"`--kind {kind.name}`" in docs
        assert kind.description in docs, kind.name
        for column in kind.columns:
            # The whole row, as the template's notes give it: the docs cannot drift from them.
            row = f"| {column.header} | {'是' if column.required else ''} | {column.help} |"
            assert row in docs, (kind.name, row)
