"""An organization's public page at /organizations/<credit code or filing number>/."""

import datetime
from decimal import Decimal

import pytest

from funds.factories import CommunityFoundationFactory, MoneyMovementFactory, SpecialFundFactory
from incubator.factories import IncubationFactory
from registry.factories import (
    AnnualInspectionFactory, CreditListEntryFactory, DepartmentFactory, EvaluationGradeFactory,
    ServiceFieldFactory, TransferredServiceFactory,
)
from registry.models import FormerName, LegalForm, Organization, StatusEvent
from registry.urls_public import organization_url
from website import money
from tests.directory_support import TODAY, end, json_ld_of, organization, text_of, town

pytestmark = pytest.mark.django_db
D = datetime.date
PRIVATE = ["13900001111", "组织内部备注甲", "事项内部备注乙", "孵化内部备注丙", "张捐赠", "PJ-20220501",
           "资金内部备注丁"]


@pytest.fixture(autouse=True)
def pages(public_pages):
    """The public pages, built once for the module (tests/conftest.py)."""


@pytest.fixture
def luoxing():
    return town("330421001", "罗星街道")


def full_history(org, *, grants=1, inspections=1):
    """Every kind of public record around `org`, each carrying a private value where it has one."""
    Organization.objects.filter(pk=org.pk).update(contact_phone="13900001111",
                                                  internal_note="组织内部备注甲")
    StatusEvent.objects.filter(organization=org).update(internal_note="事项内部备注乙",
                                                        document_number="嘉民登〔2015〕3号")
    FormerName.objects.create(organization=org, name="嘉善县老年互助会", used_until=D(2019, 4, 30))
    for year in range(2021 - inspections + 1, 2022):
        AnnualInspectionFactory(organization=org, year=year, result="passed")
    EvaluationGradeFactory(organization=org, grade=3, awarded_on=D(2015, 6, 1))
    EvaluationGradeFactory(organization=org, grade=4, awarded_on=TODAY() - datetime.timedelta(days=60),
                           certificate_number="嘉评4A-007")
    CreditListEntryFactory(organization=org, listed_on=D(2019, 7, 1), removed_on=D(2020, 1, 15),
                           reason="未按规定参加2018年度检查", removal_reason="已补检")
    CreditListEntryFactory(organization=org, listed_on=D(2024, 7, 1), reason="未按规定报送年度工作报告")
    TransferredServiceFactory(organization=org, title="居家养老上门服务", amount=Decimal("180000"),
                              department=DepartmentFactory(name="嘉善县民政局"),
                              service_fields=[ServiceFieldFactory(code="elderly", name="养老服务")])
    IncubationFactory(organization=org, group_name="银发互助小组", started_on=D(2014, 3, 1),
                      ended_on=D(2015, 5, 1), outcome="registered", internal_note="孵化内部备注丙")
    fund = SpecialFundFactory(name="银龄关爱专项基金")
    for n in range(grants):
        MoneyMovementFactory(special_fund=fund, kind="grant_out", grantee=org, counterparty="",
                             amount=Decimal("5000") + n, project=f"助老项目{n}",
                             date=D(2022, 5, 1) + datetime.timedelta(days=n),
                             internal_note="资金内部备注丁", receipt_number="PJ-20220501")
    MoneyMovementFactory(special_fund=fund, kind="donation_in", counterparty_kind="individual",
                         counterparty="", personal_donor_name="张捐赠", receipt_number="PJ-20220501")
    return org


def test_page_shows_the_public_record(client, luoxing):
    org = full_history(organization("嘉善县银发互助协会", town=luoxing, on=D(2015, 6, 1)))
    response = client.get(organization_url(org))
    assert response.status_code == 200
    text = text_of(response)
    for expected in [
        "嘉善县银发互助协会", org.credit_code, "正常（登记）", "社会团体", "罗星街道",
        "嘉善县老年互助会", "2019-04-30",  # former name and until when
        "2015-06-01", "成立登记", "嘉民登〔2015〕3号",  # timeline
        "2021", "合格",  # inspection
        "4A", "现行有效", "嘉评4A-007", "3A", "已过期",  # grades with validity
        "未按规定报送年度工作报告", "该组织目前列入以下信用名录",  # current credit-list entry
        "未按规定参加2018年度检查", "2020-01-15", "已补检",  # past entry
        "居家养老上门服务", "嘉善县民政局", "养老服务", "180,000.00",  # transferred service
        "银发互助小组", "已登记",  # incubation
        "银龄关爱专项基金", "5,000.00", "助老项目0",  # grant received
    ]:
        assert expected in text, expected
    html = response.content.decode()
    assert f'href="/organizations/{org.credit_code}/profile.pdf"' in html


def test_amounts_among_the_facts_are_grouped_in_both_languages(client, luoxing):
    org = organization("嘉善县气象学会", town=luoxing, initial_funds=Decimal("1080000"))
    for url in (organization_url(org), "/en" + organization_url(org)):
        assert "1,080,000.00" in text_of(client.get(url)), url


def test_no_private_value_on_the_page(client, luoxing):
    org = full_history(organization("嘉善县银发互助协会", town=luoxing))
    html = client.get(organization_url(org)).content.decode()
    for secret in PRIVATE:
        assert secret not in html, secret


def test_json_ld_names_the_organization(client, luoxing):
    org = full_history(organization("嘉善县银发互助协会", town=luoxing, on=D(2015, 6, 1)))
    data = json_ld_of(client.get(organization_url(org)))
    assert data["@context"] == "https://schema.org" and data["@type"] == "Organization"
    assert data["name"] == data["legalName"] == "嘉善县银发互助协会"
    assert data["identifier"] == org.credit_code
    assert data["foundingDate"] == "2015-06-01"
    assert data["alternateName"] == ["嘉善县老年互助会"]
    assert data["address"]["addressLocality"] == "罗星街道"
    assert data["url"].endswith(f"/organizations/{org.credit_code}/")
    assert "dissolutionDate" not in data


def test_json_ld_stays_json_whatever_the_name(client, luoxing):
    org = organization("</script><script>alert(1)</script>协会", town=luoxing)
    response = client.get(organization_url(org))
    assert json_ld_of(response)["name"] == "</script><script>alert(1)</script>协会"
    assert "<script>alert(1)" not in response.content.decode()


def test_deregistered_organization_keeps_its_page_with_its_status_plain(client, luoxing):
    org = organization("嘉善县书画协会", town=luoxing, on=D(2012, 3, 1))
    end(org, StatusEvent.Kind.DEREGISTERED, on=D(2023, 9, 20))
    response = client.get(organization_url(org))
    assert response.status_code == 200
    text = text_of(response)
    assert "已注销" in text and "2023-09-20" in text and "注销登记" in text
    assert "正常（登记）" not in text
    assert json_ld_of(response)["dissolutionDate"] == "2023-09-20"


def test_filed_organization_by_its_filing_number(client, luoxing):
    org = organization("罗星街道睦邻互助队", town=luoxing, legal_form=LegalForm.COMMUNITY_ORGANIZATION,
                       on=D(2019, 5, 1))
    url = organization_url(org)
    assert org.filing_number in url or "%" in url
    response = client.get(url)
    assert response.status_code == 200
    assert "正常（备案）" in text_of(response) and org.filing_number in text_of(response)
    assert json_ld_of(response)["identifier"] == org.filing_number


def test_a_lower_case_credit_code_leads_to_the_page(client, luoxing):
    org = organization("嘉善县银发互助协会", town=luoxing)
    response = client.get(f"/organizations/{org.credit_code.lower()}/", follow=True)
    assert response.status_code == 200
    assert response.redirect_chain == [(f"/organizations/{org.credit_code}/", 301)]
    assert "嘉善县银发互助协会" in text_of(response)


def test_an_unknown_identifier_is_a_404_page(client, luoxing):
    organization("嘉善县银发互助协会", town=luoxing)
    for identifier in ["51330421MJ0000000X", "nothing", "a" * 300]:
        response = client.get(f"/organizations/{identifier}/")
        assert response.status_code == 404
        assert "未找到该社会组织" in text_of(response)


def test_grants_page_through_their_foundation_and_fund(client, luoxing):
    host = CommunityFoundationFactory(area=luoxing)
    fund = SpecialFundFactory(host=host, name="共同富裕专项基金")
    org = organization("嘉善县银发互助协会", town=luoxing)
    MoneyMovementFactory(special_fund=fund, kind="grant_out", grantee=org, counterparty="",
                         amount=Decimal("8000"))
    html = client.get(organization_url(org)).content.decode()
    assert f'href="/funds/special-funds/{fund.pk}/"' in html
    assert f'href="/funds/foundations/{host.pk}/"' in html
    hosting = client.get(organization_url(host.organization))
    assert "共同富裕专项基金" in text_of(hosting) and "社区发展基金会" in text_of(hosting)


@pytest.mark.parametrize("size", [1, 30])
def test_query_count_does_not_grow_with_the_history(client, luoxing, django_assert_max_num_queries,
                                                    size):
    org = full_history(organization("嘉善县银发互助协会", town=luoxing), grants=size, inspections=size)
    for n in range(size):
        end_org = organization(f"其他协会{n}", town=luoxing)
        assert end_org.pk
    url = organization_url(org)
    client.get(url)
    with django_assert_max_num_queries(30):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("grants", [3, 52])
def test_the_grants_received_are_counted_and_added_up_beyond_the_ones_shown(client, luoxing, grants):
    org = full_history(organization("嘉善县银发互助协会", town=luoxing), grants=grants)
    total = sum(Decimal("5000") + n for n in range(grants))
    text = text_of(client.get(organization_url(org)))
    # The sentence gives the total the short way (万元), as figures are written.
    assert f"共 {grants} 笔\uFF0C合计 {money.short(total)}" in text
    assert ("以下为最近 50 笔" in text) == (grants > 50)
