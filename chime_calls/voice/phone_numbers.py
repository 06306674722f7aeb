"""Phone numbers: search, order, inventory and account settings (chime-sdk-voice).

A number for caller ID or dial-in is searched (``SearchAvailablePhoneNumbers``), ordered
(``CreatePhoneNumberOrder``; the order is ``Processing`` until AWS has the number, minutes as a
rule) and then lives in the account's inventory (``GetPhoneNumber``, ``ListPhoneNumbers``).
Deleting one moves it to a deletion queue for 7 days, from which ``RestorePhoneNumber``
brings it back. Numbers and phone-number IDs are held in ``PhoneNumber``,
which masks them (the IDs are the E.164 numbers themselves).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from typing import Any

import attrs

from chime_calls._spec import Model, Request, operation
from chime_calls.values import PhoneNumber, SensitiveText
from chime_calls.voice._common import (
    AT_MOST_ONCE,
    IDEMPOTENT,
    VOICE,
    PhoneNumberErrors,
    opt_text,
    phone,
    phones,
    structs,
    text,
)

__all__ = [
    "AvailablePhoneNumbers",
    "BatchDeletePhoneNumberRequest",
    "BatchUpdatePhoneNumberRequest",
    "CreatePhoneNumberOrderRequest",
    "DeletePhoneNumberRequest",
    "GetPhoneNumberOrderRequest",
    "GetPhoneNumberRequest",
    "GetPhoneNumberSettingsRequest",
    "ListPhoneNumberOrdersRequest",
    "ListPhoneNumbersRequest",
    "ListSupportedPhoneNumberCountriesRequest",
    "OrderedPhoneNumber",
    "PhoneNumberAssociation",
    "PhoneNumberCapabilities",
    "PhoneNumberCountry",
    "PhoneNumberDetails",
    "PhoneNumberOrder",
    "PhoneNumberOrdersPage",
    "PhoneNumberSettings",
    "PhoneNumbersPage",
    "RestorePhoneNumberRequest",
    "SearchAvailablePhoneNumbersRequest",
    "SupportedCountries",
    "UpdatePhoneNumberRequest",
    "UpdatePhoneNumberRequestItem",
    "UpdatePhoneNumberSettingsRequest",
]

# --- results ----------------------------------------------------------------------------------


@attrs.frozen(kw_only=True, repr=False, eq=False)
class OrderedPhoneNumber(Model):
    """One number of an order: ``status`` ``Processing``, ``Acquired`` or ``Failed``."""

    e164_phone_number: PhoneNumber | None = None
    status: str | None = None


@attrs.frozen(kw_only=True, repr=False, eq=False)
class PhoneNumberOrder(Model):
    """An order: ``status`` is ``Processing`` until every number is acquired (``Successful``),
    some are (``Partial``) or none is (``Failed``); other statuses belong to porting."""

    phone_number_order_id: str
    product_type: str | None = None
    status: str | None = None
    order_type: str | None = None
    ordered_phone_numbers: tuple[OrderedPhoneNumber, ...] = ()
    created_timestamp: datetime.datetime | None = None
    updated_timestamp: datetime.datetime | None = None
    foc_date: str | None = None


@attrs.frozen(kw_only=True, repr=False, eq=False)
class PhoneNumberCapabilities(Model):
    """What the number can do (inbound and outbound calls, SMS, MMS)."""

    inbound_call: bool | None = None
    outbound_call: bool | None = None
    inbound_sms: bool | None = attrs.field(default=None, metadata={"member": "InboundSMS"})
    outbound_sms: bool | None = attrs.field(default=None, metadata={"member": "OutboundSMS"})
    inbound_mms: bool | None = attrs.field(default=None, metadata={"member": "InboundMMS"})
    outbound_mms: bool | None = attrs.field(default=None, metadata={"member": "OutboundMMS"})


@attrs.frozen(kw_only=True, repr=False, eq=False)
class PhoneNumberAssociation(Model):
    """What the number is tied to: ``name`` ``SipRuleId``, ``VoiceConnectorId`` or
    ``VoiceConnectorGroupId``, and its ``value``."""

    value: str | None = None
    name: str | None = None
    associated_timestamp: datetime.datetime | None = None


@attrs.frozen(kw_only=True, repr=False, eq=False)
class PhoneNumberDetails(Model):
    """A number of the inventory (AWS's ``PhoneNumber``). ``product_type`` must be
    ``SipMediaApplicationDialIn`` for a SIP rule, and so for dial-out caller ID."""

    phone_number_id: PhoneNumber
    e164_phone_number: PhoneNumber | None = None
    phone_number_arn: str | None = None
    country: str | None = None
    type: str | None = None
    product_type: str | None = None
    status: str | None = None
    capabilities: PhoneNumberCapabilities | None = None
    associations: tuple[PhoneNumberAssociation, ...] = ()
    calling_name: SensitiveText | None = None
    calling_name_status: str | None = None
    created_timestamp: datetime.datetime | None = None
    updated_timestamp: datetime.datetime | None = None
    deletion_timestamp: datetime.datetime | None = None
    order_id: str | None = None
    name: SensitiveText | None = None


@attrs.frozen(kw_only=True, repr=False, eq=False)
class AvailablePhoneNumbers(Model):
    """Numbers that can be ordered now; ``next_token`` asks for more."""

    e164_phone_numbers: tuple[PhoneNumber, ...] = ()
    next_token: str | None = None


@attrs.frozen(kw_only=True, repr=False, eq=False)
class PhoneNumberOrdersPage(Model):
    """One page of orders; ``next_token`` asks for the next (``None``: last)."""

    phone_number_orders: tuple[PhoneNumberOrder, ...] = ()
    next_token: str | None = None


@attrs.frozen(kw_only=True, repr=False, eq=False)
class PhoneNumbersPage(Model):
    """One page of the inventory; ``next_token`` asks for the next (``None``: last)."""

    phone_numbers: tuple[PhoneNumberDetails, ...] = ()
    next_token: str | None = None


@attrs.frozen(kw_only=True, repr=False, eq=False)
class PhoneNumberSettings(Model):
    """The account's default outbound calling name."""

    calling_name: SensitiveText | None = None
    calling_name_updated_timestamp: datetime.datetime | None = None


@attrs.frozen(kw_only=True, repr=False, eq=False)
class PhoneNumberCountry(Model):
    """A country numbers can be ordered in, and the number types offered there."""

    country_code: str | None = None
    supported_phone_number_types: tuple[str, ...] = ()


@attrs.frozen(kw_only=True, repr=False, eq=False)
class SupportedCountries(Model):
    """The countries numbers of a product type can be ordered in."""

    phone_number_countries: tuple[PhoneNumberCountry, ...] = ()


# --- requests ---------------------------------------------------------------------------------


@operation(
    "SearchAvailablePhoneNumbers",
    page_tokens=("next_token", "next_token"),
    service=VOICE,
    kind=IDEMPOTENT,
)
@attrs.frozen(kw_only=True, repr=False, eq=False)
class SearchAvailablePhoneNumbersRequest(Request[AvailablePhoneNumbers]):
    """Numbers that can be ordered (``SearchAvailablePhoneNumbers``): by ``area_code``,
    ``city``, ``state``, ``country`` or ``toll_free_prefix``; AWS takes one criterion at a
    time, with ``country`` for city or state."""

    area_code: str | None = None
    city: str | None = None
    country: str | None = None
    state: str | None = None
    toll_free_prefix: str | None = None
    phone_number_type: str | None = None
    max_results: int | None = None
    next_token: str | None = None


@operation(
    "CreatePhoneNumberOrder",
    service=VOICE,
    kind=AT_MOST_ONCE,  # no token: a second order buys the numbers twice, or fails
    unwrap="PhoneNumberOrder",
)
@attrs.frozen(kw_only=True, repr=False, eq=False)
class CreatePhoneNumberOrderRequest(Request[PhoneNumberOrder]):
    """Order numbers (``CreatePhoneNumberOrder``). The order starts ``Processing``; poll it
    with ``GetPhoneNumberOrder``. Numbers outside the U.S. need product type
    ``SipMediaApplicationDialIn``."""

    product_type: str
    e164_phone_numbers: tuple[PhoneNumber, ...] = attrs.field(converter=phones)
    name: SensitiveText | None = attrs.field(default=None, converter=opt_text)


@operation("GetPhoneNumberOrder", service=VOICE, kind=IDEMPOTENT, unwrap="PhoneNumberOrder")
@attrs.frozen(kw_only=True, repr=False, eq=False)
class GetPhoneNumberOrderRequest(Request[PhoneNumberOrder]):
    """An order's status and numbers (``GetPhoneNumberOrder``)."""

    phone_number_order_id: str


@operation(
    "ListPhoneNumberOrders",
    page_tokens=("next_token", "next_token"),
    service=VOICE,
    kind=IDEMPOTENT,
)
@attrs.frozen(kw_only=True, repr=False, eq=False)
class ListPhoneNumberOrdersRequest(Request[PhoneNumberOrdersPage]):
    """One page of the account's phone-number orders (``ListPhoneNumberOrders``)."""

    next_token: str | None = None
    max_results: int | None = None


@operation("GetPhoneNumber", service=VOICE, kind=IDEMPOTENT, unwrap="PhoneNumber")
@attrs.frozen(kw_only=True, repr=False, eq=False)
class GetPhoneNumberRequest(Request[PhoneNumberDetails]):
    """A number of the inventory: associations, capabilities, product type, status
    (``GetPhoneNumber``). ``phone_number_id`` is the E.164 number."""

    phone_number_id: PhoneNumber = attrs.field(converter=phone)


@operation(
    "ListPhoneNumbers", page_tokens=("next_token", "next_token"), service=VOICE, kind=IDEMPOTENT
)
@attrs.frozen(kw_only=True, repr=False, eq=False)
class ListPhoneNumbersRequest(Request[PhoneNumbersPage]):
    """One page of the inventory (``ListPhoneNumbers``), optionally by ``status``,
    ``product_type`` or an association (``filter_name`` ``SipRuleId``, ... and
    ``filter_value``)."""

    status: str | None = None
    product_type: str | None = None
    filter_name: str | None = None
    filter_value: str | None = None
    max_results: int | None = None
    next_token: str | None = None


@operation("UpdatePhoneNumber", service=VOICE, kind=IDEMPOTENT, unwrap="PhoneNumber")
@attrs.frozen(kw_only=True, repr=False, eq=False)
class UpdatePhoneNumberRequest(Request[PhoneNumberDetails]):
    """Change one detail of a number (``UpdatePhoneNumber``): its product type, calling name
    or name, one per request. A calling-name change takes up to 72 hours."""

    phone_number_id: PhoneNumber = attrs.field(converter=phone)
    product_type: str | None = None
    calling_name: SensitiveText | None = attrs.field(default=None, converter=opt_text)
    name: SensitiveText | None = attrs.field(default=None, converter=opt_text)


@attrs.frozen(kw_only=True, repr=False, eq=False)
class UpdatePhoneNumberRequestItem(Model):
    """One number's change in a ``BatchUpdatePhoneNumber``."""

    phone_number_id: PhoneNumber = attrs.field(converter=phone)
    product_type: str | None = None
    calling_name: SensitiveText | None = attrs.field(default=None, converter=opt_text)
    name: SensitiveText | None = attrs.field(default=None, converter=opt_text)


def _update_items(
    value: Iterable[UpdatePhoneNumberRequestItem | Mapping[str, Any]],
) -> tuple[UpdatePhoneNumberRequestItem, ...]:
    return structs(UpdatePhoneNumberRequestItem, value)


@operation("BatchUpdatePhoneNumber", service=VOICE, kind=IDEMPOTENT)
@attrs.frozen(kw_only=True, repr=False, eq=False)
class BatchUpdatePhoneNumberRequest(Request[PhoneNumberErrors]):
    """Change one detail each of several numbers (``BatchUpdatePhoneNumber``); no number
    twice. Numbers that failed are in the result, the others were updated."""

    update_phone_number_request_items: tuple[UpdatePhoneNumberRequestItem, ...] = attrs.field(
        converter=_update_items
    )


@operation("DeletePhoneNumber", service=VOICE, kind=IDEMPOTENT, gone_after_retry=True)
@attrs.frozen(kw_only=True, repr=False, eq=False)
class DeletePhoneNumberRequest(Request[None]):
    """Move a number to the deletion queue (``DeletePhoneNumber``), where it stays 7 days.
    It must first be disassociated from Voice Connectors (and SIP rules)."""

    phone_number_id: PhoneNumber = attrs.field(converter=phone)


@operation("BatchDeletePhoneNumber", service=VOICE, kind=IDEMPOTENT)
@attrs.frozen(kw_only=True, repr=False, eq=False)
class BatchDeletePhoneNumberRequest(Request[PhoneNumberErrors]):
    """Move several numbers to the deletion queue (``BatchDeletePhoneNumber``). Numbers that
    failed are in the result, the others were queued."""

    phone_number_ids: tuple[PhoneNumber, ...] = attrs.field(converter=phones)


@operation(
    "RestorePhoneNumber",
    service=VOICE,
    kind=AT_MOST_ONCE,  # a second restore is refused: the number left the queue
    unwrap="PhoneNumber",
)
@attrs.frozen(kw_only=True, repr=False, eq=False)
class RestorePhoneNumberRequest(Request[PhoneNumberDetails]):
    """Bring a number back from the deletion queue (``RestorePhoneNumber``)."""

    phone_number_id: PhoneNumber = attrs.field(converter=phone)


@operation("GetPhoneNumberSettings", service=VOICE, kind=IDEMPOTENT)
@attrs.frozen(kw_only=True, repr=False, eq=False)
class GetPhoneNumberSettingsRequest(Request[PhoneNumberSettings]):
    """The account's phone-number settings, such as the default outbound calling name
    (``GetPhoneNumberSettings``)."""


@operation("UpdatePhoneNumberSettings", service=VOICE, kind=IDEMPOTENT)
@attrs.frozen(kw_only=True, repr=False, eq=False)
class UpdatePhoneNumberSettingsRequest(Request[None]):
    """Set the default outbound calling name (``UpdatePhoneNumberSettings``): once every
    7 days, effective within 72 hours."""

    calling_name: SensitiveText = attrs.field(converter=text)


@operation("ListSupportedPhoneNumberCountries", service=VOICE, kind=IDEMPOTENT)
@attrs.frozen(kw_only=True, repr=False, eq=False)
class ListSupportedPhoneNumberCountriesRequest(Request[SupportedCountries]):
    """The countries numbers of ``product_type`` can be ordered in
    (``ListSupportedPhoneNumberCountries``)."""

    product_type: str
