"""Which versions a write changes: receivers for every model the public site shows.

A change to one organization or one of its records bumps that organization, the register (lists,
figures, downloads) and its town (before and after a move); it leaves every other organization's
page, and the directory of every other town, as stored. Bulk writers that bypass model signals
call `versions.bump` themselves (registry.services, the importer, the demo loaders).
"""

from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save, pre_save
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.signals import page_published, page_unpublished, post_page_move

from . import tags
from .versions import bump, bump_everything


def organization_tags(organization_id, *town_codes):
    return (tags.REGISTER, tags.organization(organization_id),
            *(tags.town(code) for code in town_codes if code))


def _town_of(organization_id):
    """The code of the organization's town: the directory's `town` parameter."""
    from registry.models import Organization

    return Organization.objects.filter(pk=organization_id).values_list(
        "town__code", flat=True).first()


def _remember_town(sender, instance, **kwargs):
    """The town an organization is leaving, read before the save changes it."""
    instance._page_cache_previous_town = (
        _town_of(instance.pk) if instance.pk and not kwargs.get("raw") else None)


def _organization_changed(sender, instance, **kwargs):
    town = instance.town.code if instance.town_id else None
    bump(*organization_tags(
        instance.pk, town, getattr(instance, "_page_cache_previous_town", None)))


def _record_changed(extra=()):
    """For a model with an `organization` key: that organization, its town and `extra`."""
    def receiver(sender, instance, **kwargs):
        organization_id = getattr(instance, "organization_id", None)
        found = organization_tags(organization_id, _town_of(organization_id)) if organization_id else ()
        bump(*found, *extra)
    return receiver


def _tags_changed(*changed):
    def receiver(sender, **kwargs):
        bump(*changed)
    return receiver


def _foundation_changed(sender, instance, **kwargs):
    bump(tags.FUNDS, *(organization_tags(instance.organization_id) if instance.organization_id else ()))


def _special_fund_changed(sender, instance, **kwargs):
    """A special fund shows on the page of the foundation's organization that hosts it."""
    from funds.models import CommunityFoundation

    host = CommunityFoundation.objects.filter(pk=instance.host_id).values_list(
        "organization_id", flat=True).first() if instance.host_id else None
    bump(tags.FUNDS, *(organization_tags(host) if host else ()))


def _money_changed(sender, instance, **kwargs):
    grantee = getattr(instance, "grantee_id", None)
    bump(tags.FUNDS, *(organization_tags(grantee) if grantee else ()))


def _settings_changed(sender, instance, created=False, **kwargs):
    """Site settings are made with their defaults the first time a page reads them: that changes
    nothing shown. Any later save may."""
    if not created:
        bump(tags.SITE)


def _connect(signals, receiver, sender):
    for signal in signals:  # weak=False: the receivers are closures nothing else holds
        signal.connect(receiver, sender=sender, weak=False,
                       dispatch_uid=f"page_cache:{signal!r}:{sender!r}")


def connect():
    from funds.models import CommunityFoundation, MoneyMovement, SpecialFund
    from incubator.models import Incubation, IncubationCenter
    from registry.models import (
        AnnualInspection, Area, CreditListEntry, Department, EvaluationGrade, FormerName,
        Organization, ServiceField, StatusEvent, TransferredService,
    )
    from website.models import PublicSiteSettings
    from website.summaries.models import AnnualSummary

    saved = (post_save, post_delete)
    pre_save.connect(_remember_town, sender=Organization, weak=False,
                     dispatch_uid="page_cache:organization-town")
    _connect(saved, _organization_changed, Organization)
    for model in (FormerName, StatusEvent, AnnualInspection, EvaluationGrade, CreditListEntry):
        _connect(saved, _record_changed(), model)
    _connect(saved, _record_changed((tags.SERVICES,)), TransferredService)
    _connect(saved, _record_changed((tags.INCUBATION,)), Incubation)
    _connect(saved, _tags_changed(tags.CENTERS, tags.INCUBATION), IncubationCenter)
    _connect(saved, _foundation_changed, CommunityFoundation)
    _connect(saved, _special_fund_changed, SpecialFund)
    _connect(saved, _money_changed, MoneyMovement)
    # Areas, service fields and departments are in every filter form and many records.
    for model in (Area, ServiceField, Department):
        _connect(saved, _tags_changed(tags.EVERYTHING), model)
    # The pages themselves: titles, navigation, settings.
    for model in (Site, AnnualSummary, PageViewRestriction):
        _connect(saved, _tags_changed(tags.SITE), model)
    # A restriction's groups are a many-to-many: changing them changes who may read the page.
    m2m_changed.connect(_tags_changed(tags.SITE), sender=PageViewRestriction.groups.through,
                        weak=False, dispatch_uid="page_cache:restriction-groups")
    _connect(saved, _settings_changed, PublicSiteSettings)
    for signal in (page_published, page_unpublished, post_page_move):
        signal.connect(_tags_changed(tags.SITE), weak=False, dispatch_uid=f"page_cache:{signal!r}")
    # Deleting a page of any type deletes its Page row too, which sends this.
    _connect((post_delete,), _tags_changed(tags.SITE), Page)
    post_migrate.connect(lambda **kwargs: bump_everything(), weak=False,
                         dispatch_uid="page_cache:migrated")
