"""The migrations that replaced typed states by dates: a service typed 'terminated' gets its
terminated_on, every incubation a planned end. In a module of its own: a transactional test must
not run inside another module's demo transaction."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from incubator.models import Incubation
from registry.models import TransferredService

from tests.db_support import migrated_state_kept

D = datetime.date


@pytest.fixture(scope="module", autouse=True)
def migrations_rows_put_back(django_db_setup, django_db_blocker):
    # Outside the test: pytest-django flushes the database after a transactional test, and the
    # tests after this one need the rows the migrations made (the Wagtail root page, for one).
    with django_db_blocker.unblock(), migrated_state_kept(connection):
        yield


@pytest.mark.django_db(transaction=True)
def test_the_migrations_date_terminated_services_and_plan_incubation_ends():
    executor = MigrationExecutor(connection)
    before = [("registry", "0005_cheaper_organization_indexes"),
              ("incubator", "0003_incubationpage")]
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    Area = old.get_model("registry", "Area")
    Department = old.get_model("registry", "Department")
    Organization = old.get_model("registry", "Organization")
    Service = old.get_model("registry", "TransferredService")
    Center = old.get_model("incubator", "IncubationCenter")
    OldIncubation = old.get_model("incubator", "Incubation")
    county = Area.objects.create(code="339999", name="测试县", level="county")
    town = Area.objects.create(code="339999001", name="测试镇", level="town", parent=county)
    department = Department.objects.create(name="测试局")
    org = Organization.objects.create(name="测试协会", legal_form="social_group", town=town)
    common = {"department": department, "organization": org, "mode": "purchase"}
    Service.objects.create(title="提前终止的", starts_on=D(2021, 1, 1), ends_on=D(2021, 6, 30),
                           status="terminated", **common)
    Service.objects.create(title="无结束日期而终止的", starts_on=D(2021, 3, 1), status="terminated",
                           **common)
    Service.objects.create(title="已完成的", starts_on=D(2021, 1, 1), ends_on=D(2021, 12, 31),
                           status="completed", **common)
    center = Center.objects.create(name="测试中心", level="county", area=county,
                                   opened_on=D(2015, 1, 1))
    OldIncubation.objects.create(center=center, group_name="闰日入驻的队", started_on=D(2024, 2, 29))
    OldIncubation.objects.create(center=center, group_name="2023年入驻的队",
                                 started_on=D(2023, 5, 1))

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())

    terminated = dict(TransferredService.objects.values_list("title", "terminated_on"))
    assert terminated == {"提前终止的": D(2021, 6, 30), "无结束日期而终止的": D(2021, 3, 1),
                          "已完成的": None}
    planned = dict(Incubation.objects.values_list("group_name", "planned_end_on"))
    assert planned == {"闰日入驻的队": D(2025, 2, 28), "2023年入驻的队": D(2024, 5, 1)}
