"""The fake's chime-sdk-voice provisioning: phone numbers and their orders, SIP media
applications and SIP rules, statefully, with AWS's errors (chime-calls docs testing, "Voice").

* **Numbers** belong to the account, whichever regional endpoint is asked; an order is
  ``Processing`` until ``VoiceBackend.order_delay`` seconds of the fake's clock have passed,
  then ``Successful``, or ``Failed`` for a number an earlier order (or the inventory) already
  has. Until then its numbers are in the inventory as ``AcquireInProgress`` (the first order's
  only). A deleted number stays ``DeleteInProgress`` for 7 days, then is gone.
* **SIP media applications** live in the region of the endpoint that created them (another
  region's endpoint does not find them); names are unique per region (``Conflict``); the
  Lambda must be in the application's region.
* **SIP rules**: a ``ToPhoneNumber`` rule needs an acquired number of the inventory with product
  type ``SipMediaApplicationDialIn``, no other rule for it, and target applications that exist,
  one per region; an enabled rule cannot be deleted, nor an application it targets.
* **CreateSipMediaApplicationCall** (``_calls.py``) asks ``VoiceBackend.check_call``: the
  application must exist in the region, and the ``FromPhoneNumber`` must be an acquired number
  of the inventory that a SIP rule ties to the application.

Voice Connectors, groups, voice analytics and tags are not served (501 ``NotImplemented``),
nor are these operations on the legacy ``chime`` endpoint.
"""

from __future__ import annotations

import datetime
import re
import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import attrs

from chime_calls._clock import VirtualClock
from chime_calls.testing._answers import VOICE, Answer, Ctx, Operation
from chime_calls.values import mask_phone_number

if TYPE_CHECKING:
    from chime_calls.testing._fake import ChimeFake, SmaHandler

__all__ = [
    "OPERATIONS",
    "FakePhoneNumber",
    "FakePhoneNumberOrder",
    "FakeSipMediaApplication",
    "FakeSipRule",
    "ProvisionedSipMediaApplication",
    "VoiceBackend",
]

DIAL_IN = "SipMediaApplicationDialIn"
#: how long a deleted number stays in the deletion queue (AWS: 7 days)
DELETION_QUEUE_SECONDS = 7 * 24 * 3600.0
_ACQUIRED = frozenset({"Unassigned", "Assigned"})
_LAMBDA_REGION = re.compile(r"^arn:[^:]+:lambda:([^:]+):")
_PAGE = 100


def _iso(epoch: float) -> str:
    moment = datetime.datetime.fromtimestamp(epoch, tz=datetime.timezone.utc)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


# --- state ------------------------------------------------------------------------------------


@attrs.define(kw_only=True)
class _Number:
    e164: str
    product_type: str
    status: str
    created: float
    updated: float
    order_id: str | None = None
    name: str | None = None
    calling_name: str | None = None
    deleted_at: float | None = None


@attrs.define(kw_only=True)
class _Order:
    order_id: str
    product_type: str
    numbers: dict[str, str]  # E.164 -> OrderedPhoneNumber status
    mine: set[str]  # the numbers this order holds in the inventory (it asked first)
    status: str
    created: float
    updated: float
    due: float | None


@attrs.define(kw_only=True)
class _Sma:
    sma_id: str
    region: str
    aws_region: str
    name: str
    lambda_arn: str
    created: float
    updated: float
    message_logs: bool | None = None


@attrs.define(kw_only=True)
class _Rule:
    rule_id: str
    region: str
    name: str
    trigger_type: str
    trigger_value: str
    disabled: bool
    targets: list[dict[str, Any]]
    created: float
    updated: float


# --- what tests see ------------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class FakePhoneNumber:
    """A number of the fake's inventory (``status`` as AWS reports it)."""

    phone_number: str = attrs.field(repr=mask_phone_number)
    product_type: str
    status: str
    order_id: str | None = None
    sip_rule_ids: tuple[str, ...] = ()


@attrs.frozen(kw_only=True)
class FakePhoneNumberOrder:
    """A phone-number order and the status of each number in it."""

    phone_number_order_id: str
    status: str
    product_type: str
    numbers: tuple[tuple[str, str], ...] = attrs.field(
        repr=lambda pairs: repr(tuple((mask_phone_number(n), s) for n, s in pairs))
    )


@attrs.frozen(kw_only=True)
class FakeSipMediaApplication:
    """A SIP media application of the fake, in the region whose endpoint created it."""

    sip_media_application_id: str
    region: str
    name: str
    lambda_arn: str


@attrs.frozen(kw_only=True)
class FakeSipRule:
    """A SIP rule of the fake; ``targets`` are (application ID, region, priority)."""

    sip_rule_id: str
    region: str
    name: str
    trigger_type: str
    trigger_value: str = attrs.field(repr=mask_phone_number)
    disabled: bool
    targets: tuple[tuple[str, str, int], ...]


@attrs.frozen(kw_only=True)
class ProvisionedSipMediaApplication:
    """What ``provision_sip_media_application`` made: pass
    ``sip_media_application_id`` to ``ChimeCalls(...)`` and dial from ``phone_number``."""

    sip_media_application_id: str
    phone_number: str = attrs.field(repr=mask_phone_number)
    sip_rule_id: str
    region: str
    lambda_arn: str


# --- the backend --------------------------------------------------------------------------------


class VoiceBackend:
    """The fake's provisioning state (``chime.voice``), guarded by the fake's lock."""

    def __init__(self, fake: ChimeFake) -> None:
        self._fake = fake
        #: Seconds of the fake's clock an order stays ``Processing`` (``None``: for ever, like
        #: an order AWS never completes).
        self.order_delay: float | None = 30.0
        self._numbers: dict[str, _Number] = {}
        self._orders: dict[str, _Order] = {}
        self._smas: dict[str, _Sma] = {}
        self._rules: dict[str, _Rule] = {}
        self._calling_name: tuple[str, float] | None = None

    def reset(self) -> None:
        with self._fake._lock:
            self._numbers.clear()
            self._orders.clear()
            self._smas.clear()
            self._rules.clear()
            self._calling_name = None

    def _now(self) -> float:
        return self._fake.clock.time()

    # --- inspection --------------------------------------------------------------------------

    @property
    def phone_numbers(self) -> list[FakePhoneNumber]:
        """The inventory, ``DeleteInProgress`` and ``AcquireInProgress`` numbers included."""
        with self._fake._lock:
            self.settle()
            return [
                FakePhoneNumber(
                    phone_number=n.e164,
                    product_type=n.product_type,
                    status=n.status,
                    order_id=n.order_id,
                    sip_rule_ids=tuple(r.rule_id for r in self._rules_of(n.e164)),
                )
                for n in self._numbers.values()
            ]

    @property
    def phone_number_orders(self) -> list[FakePhoneNumberOrder]:
        with self._fake._lock:
            self.settle()
            return [
                FakePhoneNumberOrder(
                    phone_number_order_id=o.order_id,
                    status=o.status,
                    product_type=o.product_type,
                    numbers=tuple(o.numbers.items()),
                )
                for o in self._orders.values()
            ]

    @property
    def sip_media_applications(self) -> list[FakeSipMediaApplication]:
        with self._fake._lock:
            return [
                FakeSipMediaApplication(
                    sip_media_application_id=s.sma_id,
                    region=s.region,
                    name=s.name,
                    lambda_arn=s.lambda_arn,
                )
                for s in self._smas.values()
            ]

    @property
    def sip_rules(self) -> list[FakeSipRule]:
        with self._fake._lock:
            return [
                FakeSipRule(
                    sip_rule_id=r.rule_id,
                    region=r.region,
                    name=r.name,
                    trigger_type=r.trigger_type,
                    trigger_value=r.trigger_value,
                    disabled=r.disabled,
                    targets=tuple(
                        (t["SipMediaApplicationId"], t["AwsRegion"], int(t.get("Priority", 1)))
                        for t in r.targets
                    ),
                )
                for r in self._rules.values()
            ]

    # --- one-line provisioning for tests -----------------------------------------------------

    def add_phone_number(self, phone_number: str, *, product_type: str = DIAL_IN) -> None:
        """Put a number straight into the inventory (no order), ``Unassigned``."""
        with self._fake._lock:
            existing = self._numbers.get(phone_number)
            if existing is not None and existing.status != "DeleteInProgress":
                raise ValueError(f"{mask_phone_number(phone_number)} is already in the inventory")
            now = self._now()
            self._numbers[phone_number] = _Number(
                e164=phone_number,
                product_type=product_type,
                status="Unassigned",
                created=now,
                updated=now,
            )

    def provision(
        self,
        sip_media_application_id: str | None = None,
        *,
        phone_number: str | None = None,
        region: str = "us-east-1",
        name: str | None = None,
        lambda_arn: str | None = None,
        handler: SmaHandler | None = None,
    ) -> ProvisionedSipMediaApplication:
        """A SIP media application that can place calls: a number of the inventory, the
        application, and the SIP rule that ties them (see ``ChimeFake.provision_sip_media_
        application``)."""
        from chime_calls.voice.setup import supported_regions

        if region not in supported_regions():  # what CreateSipMediaApplication's AwsRegion takes
            raise ValueError(
                f"region {region!r} has no SIP media applications; one of "
                f"{', '.join(supported_regions())}"
            )
        with self._fake._lock:
            sma_id = sip_media_application_id or str(uuid.uuid4())
            sma = self._smas.get(sma_id)
            if sma is not None and sma.region != region:
                raise ValueError(f"SIP media application {sma_id} exists in {sma.region}")
            if sma is None:
                arn = lambda_arn or (
                    f"arn:aws:lambda:{region}:{self._fake.account_id}:function:{name or 'fake'}"
                )
                sma = self._new_sma(region, region, name or f"sma-{sma_id[:8]}", arn, sma_id)
            number = phone_number or self._free_number()
            rule = next(
                (r for r in self._rules.values() if r.trigger_value == number),
                None,
            )
            if rule is None:
                if number not in self._numbers:
                    self.add_phone_number(number)
                rule = self._new_rule(
                    region,
                    f"rule-{sma_id[:8]}-{number[-4:]}",
                    "ToPhoneNumber",
                    number,
                    [{"SipMediaApplicationId": sma_id, "AwsRegion": region, "Priority": 1}],
                    disabled=False,
                )
            elif not any(t["SipMediaApplicationId"] == sma_id for t in rule.targets):
                if any(t["AwsRegion"] == region for t in rule.targets):
                    raise ValueError(
                        f"{mask_phone_number(number)} is tied to another SIP media application "
                        f"in {region} by SIP rule {rule.rule_id} (AWS allows one per region): "
                        "provision with another phone_number"
                    )
                rule.targets.append(  # another region's application: a fail-over target
                    {
                        "SipMediaApplicationId": sma_id,
                        "AwsRegion": region,
                        "Priority": len(rule.targets) + 1,
                    }
                )
            if handler is not None:
                self._fake.register_sma_handler(sma_id, handler)
            return ProvisionedSipMediaApplication(
                sip_media_application_id=sma_id,
                phone_number=number,
                sip_rule_id=rule.rule_id,
                region=region,
                lambda_arn=sma.lambda_arn,
            )

    def _free_number(self) -> str:
        for suffix in range(100, 200):
            number = f"+1206555{suffix:04d}"
            if number not in self._numbers:
                return number
        raise ValueError("the fictional +1 206 555-01xx range is used up: pass phone_number")

    # --- the clock -----------------------------------------------------------------------------

    def settle(self) -> None:
        """Move orders and the deletion queue to where the clock says they are."""
        now = self._now()
        for order in self._orders.values():
            if order.status == "Processing" and order.due is not None and order.due <= now:
                self._complete(order, now)
        for e164, number in list(self._numbers.items()):
            if (
                number.status == "DeleteInProgress"
                and number.deleted_at is not None
                and number.deleted_at + DELETION_QUEUE_SECONDS <= now
            ):
                del self._numbers[e164]

    def _complete(self, order: _Order, now: float) -> None:
        for e164 in order.numbers:
            number = self._numbers.get(e164)
            if e164 in order.mine and number is not None and number.order_id == order.order_id:
                order.numbers[e164] = "Acquired"
                number.status = "Unassigned"
                number.updated = now
            else:
                order.numbers[e164] = "Failed"
        acquired = sum(1 for status in order.numbers.values() if status == "Acquired")
        order.status = (
            "Successful"
            if acquired == len(order.numbers)
            else "Failed"
            if acquired == 0
            else "Partial"
        )
        order.updated = now

    def _on_due(self) -> None:
        with self._fake._lock:
            self.settle()

    # --- numbers -------------------------------------------------------------------------------

    def _rules_of(self, e164: str) -> list[_Rule]:
        return [
            r
            for r in self._rules.values()
            if r.trigger_type == "ToPhoneNumber" and r.trigger_value == e164
        ]

    def _number(self, e164: str) -> _Number:
        number = self._numbers.get(e164)
        if number is None:
            raise Answer("NotFoundException", "The requested phone number was not found.")
        return number

    def _number_data(self, number: _Number) -> dict[str, Any]:
        rules = self._rules_of(number.e164)
        data: dict[str, Any] = {
            "PhoneNumberId": number.e164,
            "E164PhoneNumber": number.e164,
            "PhoneNumberArn": (
                f"arn:aws:chime:us-east-1:{self._fake.account_id}:phone-number/{number.e164}"
            ),
            "Country": "US",
            "Type": "TollFree" if number.e164[2:5].startswith("8") else "Local",
            "ProductType": number.product_type,
            "Status": number.status,
            "Capabilities": {
                "InboundCall": True,
                "OutboundCall": True,
                "InboundSMS": False,
                "OutboundSMS": False,
                "InboundMMS": False,
                "OutboundMMS": False,
            },
            "Associations": [
                {"Name": "SipRuleId", "Value": r.rule_id, "AssociatedTimestamp": _iso(r.created)}
                for r in rules
            ],
            "CallingNameStatus": "UpdateSucceeded" if number.calling_name else "Unassigned",
            "CreatedTimestamp": _iso(number.created),
            "UpdatedTimestamp": _iso(number.updated),
        }
        for key, value in (
            ("CallingName", number.calling_name),
            ("Name", number.name),
            ("OrderId", number.order_id),
        ):
            if value is not None:
                data[key] = value
        if number.deleted_at is not None:
            data["DeletionTimestamp"] = _iso(number.deleted_at)
        return data

    def _refresh_status(self, number: _Number) -> None:
        if number.status in _ACQUIRED:
            number.status = "Assigned" if self._rules_of(number.e164) else "Unassigned"

    def _delete_number(self, e164: str) -> None:
        number = self._number(e164)
        if number.status == "DeleteInProgress":
            raise Answer("NotFoundException", "The requested phone number was not found.")
        if self._rules_of(e164):
            raise Answer(
                "BadRequestException",
                "The phone number is associated with a SIP rule; delete the rule first.",
            )
        if number.status not in _ACQUIRED:
            raise Answer("BadRequestException", f"The phone number is {number.status}.")
        number.status = "DeleteInProgress"
        number.deleted_at = number.updated = self._now()

    def _update_number(self, e164: str, item: dict[str, Any]) -> _Number:
        number = self._number(e164)
        changes = [key for key in ("ProductType", "CallingName", "Name") if key in item]
        if len(changes) > 1:
            raise Answer(
                "BadRequestException",
                "Only one of ProductType, CallingName or Name can be updated at a time.",
            )
        if number.status not in _ACQUIRED:
            raise Answer("BadRequestException", f"The phone number is {number.status}.")
        if "ProductType" in item and item["ProductType"] != number.product_type:
            if self._rules_of(e164):
                raise Answer(
                    "BadRequestException",
                    "The product type of a phone number associated with a SIP rule cannot change.",
                )
            number.product_type = item["ProductType"]
        if "CallingName" in item:
            number.calling_name = item["CallingName"] or None
        if "Name" in item:
            number.name = item["Name"] or None
        number.updated = self._now()
        return number

    # --- applications and rules ------------------------------------------------------------

    def _new_sma(
        self, region: str, aws_region: str, name: str, lambda_arn: str, sma_id: str | None = None
    ) -> _Sma:
        now = self._now()
        sma = _Sma(
            sma_id=sma_id or str(uuid.uuid4()),
            region=region,
            aws_region=aws_region,
            name=name,
            lambda_arn=lambda_arn,
            created=now,
            updated=now,
        )
        self._smas[sma.sma_id] = sma
        return sma

    def _sma(self, ctx: Ctx, sma_id: str) -> _Sma:
        sma = self._smas.get(sma_id)
        if sma is None or sma.region != ctx.region:
            raise Answer("NotFoundException", "The requested SIP media application was not found.")
        return sma

    def _sma_data(self, sma: _Sma) -> dict[str, Any]:
        return {
            "SipMediaApplicationId": sma.sma_id,
            "AwsRegion": sma.aws_region,
            "Name": sma.name,
            "Endpoints": [{"LambdaArn": sma.lambda_arn}],
            "CreatedTimestamp": _iso(sma.created),
            "UpdatedTimestamp": _iso(sma.updated),
            "SipMediaApplicationArn": (
                f"arn:aws:chime:{sma.region}:{self._fake.account_id}:sma/{sma.sma_id}"
            ),
        }

    def _check_sma(self, ctx: Ctx, name: str, lambda_arn: str, aws_region: str, own: str) -> None:
        for other in self._smas.values():
            if other.region == ctx.region and other.name == name and other.sma_id != own:
                raise Answer(
                    "ConflictException",
                    f"A SIP media application named {name} already exists in {ctx.region}.",
                )
        match = _LAMBDA_REGION.match(lambda_arn)
        if match is None or match.group(1) != aws_region:
            raise Answer(
                "BadRequestException",
                "The Lambda function must be in the same AWS Region as the SIP media "
                f"application ({aws_region}).",
            )

    def _new_rule(
        self,
        region: str,
        name: str,
        trigger_type: str,
        trigger_value: str,
        targets: list[dict[str, Any]],
        *,
        disabled: bool,
    ) -> _Rule:
        now = self._now()
        rule = _Rule(
            rule_id=str(uuid.uuid4()),
            region=region,
            name=name,
            trigger_type=trigger_type,
            trigger_value=trigger_value,
            disabled=disabled,
            targets=targets,
            created=now,
            updated=now,
        )
        self._rules[rule.rule_id] = rule
        number = self._numbers.get(trigger_value)
        if number is not None:
            self._refresh_status(number)
        return rule

    def _rule(self, ctx: Ctx, rule_id: str) -> _Rule:
        rule = self._rules.get(rule_id)
        if rule is None or rule.region != ctx.region:
            raise Answer("NotFoundException", "The requested SIP rule was not found.")
        return rule

    def _rule_data(self, rule: _Rule) -> dict[str, Any]:
        return {
            "SipRuleId": rule.rule_id,
            "Name": rule.name,
            "Disabled": rule.disabled,
            "TriggerType": rule.trigger_type,
            "TriggerValue": rule.trigger_value,
            "TargetApplications": [dict(t) for t in rule.targets],
            "CreatedTimestamp": _iso(rule.created),
            "UpdatedTimestamp": _iso(rule.updated),
        }

    def _check_rule_name(self, ctx: Ctx, name: str, own: str) -> None:
        for other in self._rules.values():
            if other.region == ctx.region and other.name == name and other.rule_id != own:
                raise Answer(
                    "ConflictException", f"A SIP rule named {name} already exists in {ctx.region}."
                )

    def _check_targets(self, targets: list[dict[str, Any]]) -> list[dict[str, Any]]:
        regions: set[str] = set()
        checked = []
        for target in targets:
            sma_id = target.get("SipMediaApplicationId")
            region = target.get("AwsRegion")
            if not sma_id or not region or target.get("Priority") is None:
                raise Answer(
                    "BadRequestException",
                    "Each target application needs SipMediaApplicationId, Priority and AwsRegion.",
                )
            sma = self._smas.get(sma_id)
            if sma is None or sma.region != region:
                raise Answer(
                    "BadRequestException",
                    f"SIP media application {sma_id} was not found in {region}.",
                )
            if region in regions:
                raise Answer(
                    "BadRequestException",
                    f"Only one SIP media application per AWS Region can be a target ({region}).",
                )
            regions.add(region)
            checked.append(
                {
                    "SipMediaApplicationId": sma_id,
                    "Priority": target["Priority"],
                    "AwsRegion": region,
                }
            )
        return checked

    def _check_trigger(self, trigger_type: str, trigger_value: str) -> None:
        if trigger_type != "ToPhoneNumber":
            return  # RequestUriHostname: the fake has no Voice Connectors to check against
        number = self._numbers.get(trigger_value)
        if number is None or number.status not in _ACQUIRED or number.product_type != DIAL_IN:
            raise Answer(
                "BadRequestException",
                f"{trigger_value} is not a phone number of your inventory with product type "
                f"{DIAL_IN}.",
            )
        if self._rules_of(trigger_value):
            raise Answer("ConflictException", f"A SIP rule for {trigger_value} already exists.")

    # --- placing a call ------------------------------------------------------------------------

    def check_call(self, ctx: Ctx, sma_id: str, from_number: str) -> None:
        """Why AWS would refuse CreateSipMediaApplicationCall here (an ``Answer``)."""
        self.settle()
        self._sma(ctx, sma_id)
        number = self._numbers.get(from_number)
        if number is None or number.status not in _ACQUIRED:
            raise Answer(
                "ForbiddenException",
                f"Caller Id {from_number} is not valid: it is not a phone number of account "
                f"{self._fake.account_id}'s inventory.",
            )
        if not any(
            t["SipMediaApplicationId"] == sma_id
            for r in self._rules_of(from_number)
            for t in r.targets
        ):
            raise Answer(
                "ForbiddenException",
                f"Caller Id {from_number} is not valid: no SIP rule ties it to SIP media "
                f"application {sma_id}.",
            )

    # --- operations ----------------------------------------------------------------------------

    def search(self, ctx: Ctx, params: dict[str, Any]) -> dict[str, Any]:
        prefix = params.get("TollFreePrefix")
        area = prefix or params.get("AreaCode") or "206"
        if not re.fullmatch(r"[2-9][0-9]{2}", area):
            raise Answer("BadRequestException", f"Invalid area code or prefix: {area}")
        owned = {e for e, n in self._numbers.items() if n.status != "AcquireInProgress"}
        free = [f"+1{area}55501{n:02d}" for n in range(100)]
        free = [number for number in free if number not in owned]
        return _page(free, "E164PhoneNumbers", params)

    def create_order(self, ctx: Ctx, params: dict[str, Any]) -> dict[str, Any]:
        numbers = list(dict.fromkeys(params["E164PhoneNumbers"]))
        if not numbers:
            raise Answer("BadRequestException", "E164PhoneNumbers must name at least one number.")
        now = self._now()
        order = _Order(
            order_id=str(uuid.uuid4()),
            product_type=params["ProductType"],
            numbers=dict.fromkeys(numbers, "Processing"),
            mine=set(),
            status="Processing",
            created=now,
            updated=now,
            due=None if self.order_delay is None else now + self.order_delay,
        )
        for e164 in numbers:
            if e164 not in self._numbers:  # the first to ask holds it until the order completes
                order.mine.add(e164)
                self._numbers[e164] = _Number(
                    e164=e164,
                    product_type=order.product_type,
                    status="AcquireInProgress",
                    created=now,
                    updated=now,
                    order_id=order.order_id,
                    name=params.get("Name"),
                )
        self._orders[order.order_id] = order
        clock = self._fake.clock
        if self.order_delay is not None and isinstance(clock, VirtualClock):
            clock.call_later(self.order_delay, self._on_due)
        return {"PhoneNumberOrder": self._order_data(order)}

    def _order_data(self, order: _Order) -> dict[str, Any]:
        return {
            "PhoneNumberOrderId": order.order_id,
            "ProductType": order.product_type,
            "Status": order.status,
            "OrderType": "New",
            "OrderedPhoneNumbers": [
                {"E164PhoneNumber": e164, "Status": status}
                for e164, status in order.numbers.items()
            ],
            "CreatedTimestamp": _iso(order.created),
            "UpdatedTimestamp": _iso(order.updated),
        }

    def get_order(self, ctx: Ctx, params: dict[str, Any]) -> dict[str, Any]:
        order = self._orders.get(params["PhoneNumberOrderId"])
        if order is None:
            raise Answer("NotFoundException", "The requested phone number order was not found.")
        return {"PhoneNumberOrder": self._order_data(order)}

    def list_orders(self, ctx: Ctx, params: dict[str, Any]) -> dict[str, Any]:
        orders = [self._order_data(o) for o in self._orders.values()]
        return _page(orders, "PhoneNumberOrders", params)

    def get_number(self, ctx: Ctx, params: dict[str, Any]) -> dict[str, Any]:
        return {"PhoneNumber": self._number_data(self._number(params["PhoneNumberId"]))}

    def list_numbers(self, ctx: Ctx, params: dict[str, Any]) -> dict[str, Any]:
        found = []
        for number in self._numbers.values():
            if params.get("Status") not in (None, number.status):
                continue
            if params.get("ProductType") not in (None, number.product_type):
                continue
            if params.get("FilterName") == "SipRuleId" and params.get("FilterValue") not in {
                r.rule_id for r in self._rules_of(number.e164)
            }:
                continue
            if params.get("FilterName") in ("VoiceConnectorId", "VoiceConnectorGroupId"):
                continue  # the fake has no Voice Connectors
            found.append(self._number_data(number))
        return _page(found, "PhoneNumbers", params)

    def update_number(self, ctx: Ctx, params: dict[str, Any]) -> dict[str, Any]:
        number = self._update_number(params["PhoneNumberId"], params)
        return {"PhoneNumber": self._number_data(number)}

    def batch_update(self, ctx: Ctx, params: dict[str, Any]) -> dict[str, Any]:
        items = params["UpdatePhoneNumberRequestItems"]
        ids = [item["PhoneNumberId"] for item in items]
        if len(set(ids)) != len(ids):
            raise Answer("BadRequestException", "A phoneNumberId appears twice in the request.")
        return _batch(items, lambda item: self._update_number(item["PhoneNumberId"], item))

    def delete_number(self, ctx: Ctx, params: dict[str, Any]) -> dict[str, Any]:
        self._delete_number(params["PhoneNumberId"])
        return {}

    def batch_delete(self, ctx: Ctx, params: dict[str, Any]) -> dict[str, Any]:
        items = [{"PhoneNumberId": e164} for e164 in params["PhoneNumberIds"]]
        return _batch(items, lambda item: self._delete_number(item["PhoneNumberId"]))

    def restore(self, ctx: Ctx, params: dict[str, Any]) -> dict[str, Any]:
        number = self._number(params["PhoneNumberId"])
        if number.status != "DeleteInProgress":
            raise Answer("BadRequestException", "The phone number is not in the deletion queue.")
        number.status, number.deleted_at, number.updated = "Unassigned", None, self._now()
        self._refresh_status(number)
        return {"PhoneNumber": self._number_data(number)}

    def get_settings(self, ctx: Ctx, params: dict[str, Any]) -> dict[str, Any]:
        if self._calling_name is None:
            return {}
        name, when = self._calling_name
        return {"CallingName": name, "CallingNameUpdatedTimestamp": _iso(when)}

    def update_settings(self, ctx: Ctx, params: dict[str, Any]) -> dict[str, Any]:
        self._calling_name = (params["CallingName"], self._now())
        return {}

    def countries(self, ctx: Ctx, params: dict[str, Any]) -> dict[str, Any]:
        return {
            "PhoneNumberCountries": [
                {"CountryCode": "US", "SupportedPhoneNumberTypes": ["Local", "TollFree"]}
            ]
        }

    def create_sma(self, ctx: Ctx, params: dict[str, Any]) -> dict[str, Any]:
        (endpoint,) = params["Endpoints"]
        arn = endpoint.get("LambdaArn") or ""
        self._check_sma(ctx, params["Name"], arn, params["AwsRegion"], own="")
        sma = self._new_sma(ctx.region, params["AwsRegion"], params["Name"], arn)
        return {"SipMediaApplication": self._sma_data(sma)}

    def get_sma(self, ctx: Ctx, params: dict[str, Any]) -> dict[str, Any]:
        return {
            "SipMediaApplication": self._sma_data(self._sma(ctx, params["SipMediaApplicationId"]))
        }

    def list_smas(self, ctx: Ctx, params: dict[str, Any]) -> dict[str, Any]:
        smas = [self._sma_data(s) for s in self._smas.values() if s.region == ctx.region]
        return _page(smas, "SipMediaApplications", params)

    def update_sma(self, ctx: Ctx, params: dict[str, Any]) -> dict[str, Any]:
        sma = self._sma(ctx, params["SipMediaApplicationId"])
        name = params.get("Name", sma.name)
        endpoints = params.get("Endpoints")
        arn = (endpoints[0].get("LambdaArn") or "") if endpoints else sma.lambda_arn
        self._check_sma(ctx, name, arn, sma.aws_region, own=sma.sma_id)
        sma.name, sma.lambda_arn, sma.updated = name, arn, self._now()
        return {"SipMediaApplication": self._sma_data(sma)}

    def delete_sma(self, ctx: Ctx, params: dict[str, Any]) -> dict[str, Any]:
        sma = self._sma(ctx, params["SipMediaApplicationId"])
        for rule in self._rules.values():
            if not rule.disabled and any(
                t["SipMediaApplicationId"] == sma.sma_id for t in rule.targets
            ):
                raise Answer(
                    "ConflictException",
                    f"SIP rule {rule.rule_id} targets this SIP media application: disable the "
                    "rule first.",
                )
        del self._smas[sma.sma_id]
        self._fake._handlers.pop(sma.sma_id, None)
        return {}

    def get_sma_logging(self, ctx: Ctx, params: dict[str, Any]) -> dict[str, Any]:
        sma = self._sma(ctx, params["SipMediaApplicationId"])
        config = {}
        if sma.message_logs is not None:
            config["EnableSipMediaApplicationMessageLogs"] = sma.message_logs
        return {"SipMediaApplicationLoggingConfiguration": config}

    def put_sma_logging(self, ctx: Ctx, params: dict[str, Any]) -> dict[str, Any]:
        sma = self._sma(ctx, params["SipMediaApplicationId"])
        config = params.get("SipMediaApplicationLoggingConfiguration") or {}
        sma.message_logs = config.get("EnableSipMediaApplicationMessageLogs")
        return self.get_sma_logging(ctx, params)

    def create_rule(self, ctx: Ctx, params: dict[str, Any]) -> dict[str, Any]:
        self._check_rule_name(ctx, params["Name"], own="")
        self._check_trigger(params["TriggerType"], params["TriggerValue"])
        targets = self._check_targets(params["TargetApplications"])
        rule = self._new_rule(
            ctx.region,
            params["Name"],
            params["TriggerType"],
            params["TriggerValue"],
            targets,
            disabled=bool(params.get("Disabled", False)),
        )
        return {"SipRule": self._rule_data(rule)}

    def get_rule(self, ctx: Ctx, params: dict[str, Any]) -> dict[str, Any]:
        return {"SipRule": self._rule_data(self._rule(ctx, params["SipRuleId"]))}

    def list_rules(self, ctx: Ctx, params: dict[str, Any]) -> dict[str, Any]:
        sma_id = params.get("SipMediaApplicationId")
        if sma_id is not None:
            self._sma(ctx, sma_id)
        rules = [
            self._rule_data(r)
            for r in self._rules.values()
            if r.region == ctx.region
            and (sma_id is None or any(t["SipMediaApplicationId"] == sma_id for t in r.targets))
        ]
        return _page(rules, "SipRules", params)

    def update_rule(self, ctx: Ctx, params: dict[str, Any]) -> dict[str, Any]:
        rule = self._rule(ctx, params["SipRuleId"])
        self._check_rule_name(ctx, params["Name"], own=rule.rule_id)
        if "TargetApplications" in params:
            rule.targets = self._check_targets(params["TargetApplications"])
        rule.name = params["Name"]
        if "Disabled" in params:
            rule.disabled = bool(params["Disabled"])
        rule.updated = self._now()
        return {"SipRule": self._rule_data(rule)}

    def delete_rule(self, ctx: Ctx, params: dict[str, Any]) -> dict[str, Any]:
        rule = self._rule(ctx, params["SipRuleId"])
        if not rule.disabled:
            raise Answer(
                "ConflictException", "The SIP rule is enabled: disable it before deleting it."
            )
        del self._rules[rule.rule_id]
        number = self._numbers.get(rule.trigger_value)
        if number is not None:
            self._refresh_status(number)
        return {}


def _start(params: dict[str, Any]) -> int:
    """Where a page starts: the fake's tokens are offsets; anything else is refused."""
    token = params.get("NextToken") or "0"
    if not token.isdigit():
        raise Answer("BadRequestException", "Invalid NextToken.")
    return int(token)


def _page(items: list[Any], key: str, params: dict[str, Any]) -> dict[str, Any]:
    start = _start(params)
    size = int(params.get("MaxResults") or _PAGE)
    body: dict[str, Any] = {key: items[start : start + size]}
    if start + size < len(items):
        body["NextToken"] = str(start + size)
    return body


def _batch(
    items: list[dict[str, Any]], apply: Callable[[dict[str, Any]], object]
) -> dict[str, Any]:
    """Per-number outcome of a batch: what failed is listed, the rest went ahead."""
    errors = []
    for item in items:
        try:
            apply(item)
        except Answer as answer:
            errors.append(
                {
                    "PhoneNumberId": item["PhoneNumberId"],
                    "ErrorCode": answer.code.removesuffix("Exception"),
                    "ErrorMessage": answer.message,
                }
            )
    return {"PhoneNumberErrors": errors}


def _serve(method: str) -> Operation:
    """An operation of the backend, for chime-sdk-voice only (the legacy ``chime`` endpoint's
    forms of these operations answer 501 like every operation the fake does not serve)."""

    def operation(fake: ChimeFake, ctx: Ctx, params: dict[str, Any]) -> dict[str, Any]:
        backend = fake.voice
        backend.settle()
        body: dict[str, Any] = getattr(backend, method)(ctx, params)
        return body

    operation.__name__ = method
    return operation


OPERATIONS: dict[str, Operation] = {
    "SearchAvailablePhoneNumbers": _serve("search"),
    "CreatePhoneNumberOrder": _serve("create_order"),
    "GetPhoneNumberOrder": _serve("get_order"),
    "ListPhoneNumberOrders": _serve("list_orders"),
    "GetPhoneNumber": _serve("get_number"),
    "ListPhoneNumbers": _serve("list_numbers"),
    "UpdatePhoneNumber": _serve("update_number"),
    "BatchUpdatePhoneNumber": _serve("batch_update"),
    "DeletePhoneNumber": _serve("delete_number"),
    "BatchDeletePhoneNumber": _serve("batch_delete"),
    "RestorePhoneNumber": _serve("restore"),
    "GetPhoneNumberSettings": _serve("get_settings"),
    "UpdatePhoneNumberSettings": _serve("update_settings"),
    "ListSupportedPhoneNumberCountries": _serve("countries"),
    "CreateSipMediaApplication": _serve("create_sma"),
    "GetSipMediaApplication": _serve("get_sma"),
    "ListSipMediaApplications": _serve("list_smas"),
    "UpdateSipMediaApplication": _serve("update_sma"),
    "DeleteSipMediaApplication": _serve("delete_sma"),
    "GetSipMediaApplicationLoggingConfiguration": _serve("get_sma_logging"),
    "PutSipMediaApplicationLoggingConfiguration": _serve("put_sma_logging"),
    "CreateSipRule": _serve("create_rule"),
    "GetSipRule": _serve("get_rule"),
    "ListSipRules": _serve("list_rules"),
    "UpdateSipRule": _serve("update_rule"),
    "DeleteSipRule": _serve("delete_rule"),
}
SERVED: dict[str, dict[str, Operation]] = {VOICE: OPERATIONS}
