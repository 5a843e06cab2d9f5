"""Every label, choice and description the public pages, the open data and the API show is marked
for translation, and the English catalogue has it: legal forms, statuses, event kinds, inspection
results, list names, field labels, filter labels and options, open-data tables and columns, the
API's parameter descriptions.

A label is marked when it is a lazy translation (resolved in the language of the page showing it);
the last test runs makemessages into a copy of the tree and checks that each of these strings is a
msgid there, so none is hidden from the catalogue (a \\u escape, for one, is not read by xgettext).
"""

import shutil
from pathlib import Path

import pytest
from django.core.management import call_command

from funds.models import CommunityFoundation, MoneyMovement, SpecialFund
from incubator.facts import IncubationState
from incubator.models import Incubation, IncubationCenter
from registry.facts.services import ServiceState
from registry.filters import OrganizationFilterSet
from registry.models import (
    AnnualInspection, Area, CreditListEntry, Department, EvaluationGrade, FormerName, LegalForm,
    Organization, ServiceField, Status, StatusEvent, TransferredService,
)
from registry.record import ENDING_MESSAGES, START_DATE_LABELS
from registry.service_filters import TransferredServiceFilterSet
from website.opendata.tables import REGISTER
from website.privacy import public_fields

from tests.english_support import han, in_chinese, in_english, is_translatable

ROOT = Path(__file__).resolve().parent.parent

PUBLIC_CHOICES = [
    LegalForm, Status, StatusEvent.Kind, AnnualInspection.Result, CreditListEntry.ListKind,
    TransferredService.Mode, TransferredService.Evaluation, ServiceState, IncubationCenter.Level,
    Incubation.Outcome, IncubationState, CommunityFoundation.Role, SpecialFund.Theme,
    MoneyMovement.Kind, MoneyMovement.CounterpartyKind, Area.Level,
]
PUBLIC_MODELS = [
    Organization, FormerName, StatusEvent, AnnualInspection, EvaluationGrade, CreditListEntry,
    TransferredService, IncubationCenter, Incubation, CommunityFoundation, SpecialFund,
    MoneyMovement, Area, ServiceField, Department,
]


def _name(choices):
    return f"{choices.__module__.rsplit('.', 1)[-1]}.{choices.__qualname__}"


def untranslated(labels):
    """The labels (pairs of where, text) a reader of the English site would read in Chinese:
    Chinese text not marked for translation, or with no English in the catalogue."""
    found = []
    for where, text in labels:
        if not han(in_chinese(text)):
            continue  # 1A to 5A, codes: the same in both languages
        if not is_translatable(text):
            found.append(f"{where}: {text!r} is not marked for translation")
        elif han(in_english(text)):
            found.append(f"{where}: no English for {in_chinese(text)!r}")
    return found


def choice_labels():
    return [(f"{_name(choices)}.{value}", label)
            for choices in PUBLIC_CHOICES for value, label in choices.choices]


def field_labels():
    labels = []
    for model in PUBLIC_MODELS:
        labels.append((f"{model.__name__} (verbose name)", model._meta.verbose_name))
        for name in public_fields(model):
            if name != "id":
                labels.append((f"{model.__name__}.{name}", model._meta.get_field(name).verbose_name))
    return labels


def filter_labels():
    labels = []
    for filterset in (OrganizationFilterSet, TransferredServiceFilterSet):
        for key, directory_filter in filterset.base_filters.items():
            where = f"{filterset.__name__}.{key}"
            labels.append((where, directory_filter.label))
            for extra in ("help_text", "empty_label"):
                if directory_filter.extra.get(extra):
                    labels.append((f"{where} ({extra})", directory_filter.extra[extra]))
            for value, label in directory_filter.extra.get("choices") or ():
                labels.append((f"{where}={value}", label))
    return labels


def open_data_labels():
    labels = []
    for table in REGISTER:
        labels += [(f"{table.name} (title)", table.title),
                   (f"{table.name} (description)", table.description)]
        labels += [(f"{table.name}.{column.key}", column.header) for column in table.columns]
    return labels


def record_page_labels():
    return ([(f"start date of {kind}", label) for kind, label in START_DATE_LABELS.items()]
            + [(f"ending by {kind}", text) for kind, text in ENDING_MESSAGES.items()])


@pytest.mark.parametrize("choices", PUBLIC_CHOICES, ids=_name)
def test_every_choice_a_public_page_shows_has_an_english_label(choices):
    labels = [(f"{_name(choices)}.{value}", label) for value, label in choices.choices]
    assert untranslated(labels) == []
    # A label is translated where it is shown, not when the module was imported.
    assert all(is_translatable(label) for _value, label in choices.choices if han(in_chinese(label)))


def test_the_legal_forms_statuses_event_kinds_results_and_lists_read_in_english():
    assert in_english(LegalForm.SOCIAL_GROUP.label) != in_chinese(LegalForm.SOCIAL_GROUP.label)
    for label in (LegalForm.SOCIAL_SERVICE_INSTITUTION.label, Status.DEREGISTERED.label,
                  StatusEvent.Kind.FILED_TO_REGISTERED.label, AnnualInspection.Result.BASICALLY_PASSED.label,
                  CreditListEntry.ListKind.SERIOUS_VIOLATION.label, ServiceState.TERMINATED.label,
                  IncubationState.OVERDUE.label):
        assert in_chinese(label) != in_english(label) and not han(in_english(label)), in_chinese(label)
    # 备案 the filter option reads "Filed"; 备案 the event has a context of its own.
    assert in_chinese(StatusEvent.Kind.FILED.label) == "备案"


def test_every_public_field_has_an_english_label():
    assert untranslated(field_labels()) == []


def test_the_directory_and_services_filters_have_english_labels_and_options():
    assert untranslated(filter_labels()) == []


def test_the_open_data_tables_and_columns_are_described_in_english():
    assert untranslated(open_data_labels()) == []


def test_the_record_page_says_its_start_and_end_in_whole_english_phrases():
    assert untranslated(record_page_labels()) == []
    for text in ENDING_MESSAGES.values():
        english = in_english(text) % {"date": "2022-06-01", "status": "Deregistered"}
        assert "2022-06-01" in english and "Deregistered" in english


def _po_msgids(path):
    """{(context, msgid)} of a .po file written by makemessages --no-wrap."""
    import ast

    found, context = set(), None
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("msgctxt "):
            context = ast.literal_eval(line[8:])
        elif line.startswith("msgid "):
            msgid = ast.literal_eval(line[6:])
            if msgid:
                found.add((context, msgid))
            context = None
    return found


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="makemessages needs GNU gettext")
def test_makemessages_finds_every_one_of_these_strings(tmp_path, settings, monkeypatch):
    tree = tmp_path / "tree"
    for folder in ("registry", "funds", "incubator", "site", "templates"):
        shutil.copytree(ROOT / folder, tree / folder,
                        ignore=shutil.ignore_patterns("__pycache__", "static"))
    (tree / "locale").mkdir()
    settings.LOCALE_PATHS = [tree / "locale"]  # the copy's catalogue, never the project's
    monkeypatch.chdir(tree)
    call_command("makemessages", locale=["en"], no_wrap=True, verbosity=0)

    msgids = {msgid for _context, msgid in _po_msgids(tree / "locale/en/LC_MESSAGES/django.po")}
    labels = (choice_labels() + field_labels() + filter_labels() + open_data_labels()
              + record_page_labels())
    # An organization's identifier column is named from its field's label and one msgid.
    composed = [(where, text) for where, text in labels if where.endswith("_identifier")]
    assert composed and "{field}统一社会信用代码/备案编号" in msgids
    missing = [f"{where}: {in_chinese(text)!r}" for where, text in labels
               if (where, text) not in composed and han(in_chinese(text))
               and in_chinese(text) not in msgids]
    assert missing == []
    assert ("status event", "备案") in _po_msgids(tree / "locale/en/LC_MESSAGES/django.po")
