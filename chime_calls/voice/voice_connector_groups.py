"""Voice Connector groups: Voice Connectors of several regions behind one set of numbers, for
fail-over (chime-sdk-voice)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from typing import Any

import attrs

from chime_calls._spec import Model, Request, operation
from chime_calls.values import PhoneNumber
from chime_calls.voice._common import (
    AT_MOST_ONCE,
    IDEMPOTENT,
    VOICE,
    PhoneNumberErrors,
    phones,
    structs,
)

__all__ = [
    "AssociatePhoneNumbersWithVoiceConnectorGroupRequest",
    "CreateVoiceConnectorGroupRequest",
    "DeleteVoiceConnectorGroupRequest",
    "DisassociatePhoneNumbersFromVoiceConnectorGroupRequest",
    "GetVoiceConnectorGroupRequest",
    "ListVoiceConnectorGroupsRequest",
    "UpdateVoiceConnectorGroupRequest",
    "VoiceConnectorGroup",
    "VoiceConnectorGroupsPage",
    "VoiceConnectorItem",
]


@attrs.frozen(kw_only=True, repr=False, eq=False)
class VoiceConnectorItem(Model):
    """A Voice Connector of a group and its priority (1 first)."""

    voice_connector_id: str | None = None
    priority: int | None = None


def _items(
    value: Iterable[VoiceConnectorItem | Mapping[str, Any]],
) -> tuple[VoiceConnectorItem, ...]:
    return structs(VoiceConnectorItem, value)


def _opt_items(
    value: Iterable[VoiceConnectorItem | Mapping[str, Any]] | None,
) -> tuple[VoiceConnectorItem, ...] | None:
    return structs(VoiceConnectorItem, value)


@attrs.frozen(kw_only=True, repr=False, eq=False)
class VoiceConnectorGroup(Model):
    """A group: its Voice Connectors by priority, and how calls are distributed."""

    voice_connector_group_id: str
    name: str | None = None
    voice_connector_items: tuple[VoiceConnectorItem, ...] = ()
    created_timestamp: datetime.datetime | None = None
    updated_timestamp: datetime.datetime | None = None
    voice_connector_group_arn: str | None = None
    call_distribution_type: str | None = None


@attrs.frozen(kw_only=True, repr=False, eq=False)
class VoiceConnectorGroupsPage(Model):
    """One page of groups; ``next_token`` asks for the next (``None``: last)."""

    voice_connector_groups: tuple[VoiceConnectorGroup, ...] = ()
    next_token: str | None = None


@operation(
    "CreateVoiceConnectorGroup", service=VOICE, kind=AT_MOST_ONCE, unwrap="VoiceConnectorGroup"
)
@attrs.frozen(kw_only=True, repr=False, eq=False)
class CreateVoiceConnectorGroupRequest(Request[VoiceConnectorGroup]):
    """Create a Voice Connector group (``CreateVoiceConnectorGroup``), optionally with Voice
    Connectors of different regions for fail-over."""

    name: str
    voice_connector_items: tuple[VoiceConnectorItem, ...] | None = attrs.field(
        default=None, converter=_opt_items
    )
    call_distribution_type: str | None = None


@operation("GetVoiceConnectorGroup", service=VOICE, kind=IDEMPOTENT, unwrap="VoiceConnectorGroup")
@attrs.frozen(kw_only=True, repr=False, eq=False)
class GetVoiceConnectorGroupRequest(Request[VoiceConnectorGroup]):
    """A Voice Connector group's details (``GetVoiceConnectorGroup``)."""

    voice_connector_group_id: str


@operation(
    "ListVoiceConnectorGroups",
    page_tokens=("next_token", "next_token"),
    service=VOICE,
    kind=IDEMPOTENT,
)
@attrs.frozen(kw_only=True, repr=False, eq=False)
class ListVoiceConnectorGroupsRequest(Request[VoiceConnectorGroupsPage]):
    """One page of the account's Voice Connector groups (``ListVoiceConnectorGroups``)."""

    next_token: str | None = None
    max_results: int | None = None


@operation(
    "UpdateVoiceConnectorGroup", service=VOICE, kind=IDEMPOTENT, unwrap="VoiceConnectorGroup"
)
@attrs.frozen(kw_only=True, repr=False, eq=False)
class UpdateVoiceConnectorGroupRequest(Request[VoiceConnectorGroup]):
    """Rename a group or replace its Voice Connectors (``UpdateVoiceConnectorGroup``)."""

    voice_connector_group_id: str
    name: str
    voice_connector_items: tuple[VoiceConnectorItem, ...] = attrs.field(converter=_items)
    call_distribution_type: str | None = None


@operation("DeleteVoiceConnectorGroup", service=VOICE, kind=IDEMPOTENT, gone_after_retry=True)
@attrs.frozen(kw_only=True, repr=False, eq=False)
class DeleteVoiceConnectorGroupRequest(Request[None]):
    """Delete a group (``DeleteVoiceConnectorGroup``); its numbers and Voice Connectors must
    be removed first."""

    voice_connector_group_id: str


@operation("AssociatePhoneNumbersWithVoiceConnectorGroup", service=VOICE, kind=IDEMPOTENT)
@attrs.frozen(kw_only=True, repr=False, eq=False)
class AssociatePhoneNumbersWithVoiceConnectorGroupRequest(Request[PhoneNumberErrors]):
    """Route numbers of the inventory to a group
    (``AssociatePhoneNumbersWithVoiceConnectorGroup``); ``force_associate`` takes them from
    another. Numbers that failed are in the result."""

    voice_connector_group_id: str
    e164_phone_numbers: tuple[PhoneNumber, ...] = attrs.field(converter=phones)
    force_associate: bool | None = None


@operation("DisassociatePhoneNumbersFromVoiceConnectorGroup", service=VOICE, kind=IDEMPOTENT)
@attrs.frozen(kw_only=True, repr=False, eq=False)
class DisassociatePhoneNumbersFromVoiceConnectorGroupRequest(Request[PhoneNumberErrors]):
    """Take numbers off a group (``DisassociatePhoneNumbersFromVoiceConnectorGroup``). Numbers
    that failed are in the result."""

    voice_connector_group_id: str
    e164_phone_numbers: tuple[PhoneNumber, ...] = attrs.field(converter=phones)
