"""SIP rules: which SIP media application a phone number (or a Voice Connector's host name)
runs (chime-sdk-voice).

A rule with ``trigger_type="ToPhoneNumber"`` ties a number of the inventory (product type
``SipMediaApplicationDialIn``) to one target application per region, in priority order. AWS
refuses to delete an enabled rule, or an application an enabled rule targets: disable the rule
first (``update(..., disabled=True)``).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from typing import Any

import attrs

from chime_calls._spec import Model, Request, operation
from chime_calls.voice._common import AT_MOST_ONCE, IDEMPOTENT, VOICE, structs

__all__ = [
    "CreateSipRuleRequest",
    "DeleteSipRuleRequest",
    "GetSipRuleRequest",
    "ListSipRulesRequest",
    "SipRule",
    "SipRuleTargetApplication",
    "SipRulesPage",
    "UpdateSipRuleRequest",
]


@attrs.frozen(kw_only=True, repr=False, eq=False)
class SipRuleTargetApplication(Model):
    """An application the rule runs, with its region and priority (1 first); at most one per
    region."""

    sip_media_application_id: str | None = None
    priority: int | None = None
    aws_region: str | None = None


def _targets(
    value: Iterable[SipRuleTargetApplication | Mapping[str, Any]],
) -> tuple[SipRuleTargetApplication, ...]:
    return structs(SipRuleTargetApplication, value)


def _opt_targets(
    value: Iterable[SipRuleTargetApplication | Mapping[str, Any]] | None,
) -> tuple[SipRuleTargetApplication, ...] | None:
    return structs(SipRuleTargetApplication, value)


@attrs.frozen(kw_only=True, repr=False, eq=False)
class SipRule(Model):
    """A SIP rule: its trigger (``ToPhoneNumber`` with an E.164 number, or
    ``RequestUriHostname``), whether it is disabled, and its target applications."""

    sip_rule_id: str
    name: str | None = None
    disabled: bool | None = None
    trigger_type: str | None = None
    trigger_value: str | None = None
    target_applications: tuple[SipRuleTargetApplication, ...] = ()
    created_timestamp: datetime.datetime | None = None
    updated_timestamp: datetime.datetime | None = None


@attrs.frozen(kw_only=True, repr=False, eq=False)
class SipRulesPage(Model):
    """One page of rules; ``next_token`` asks for the next (``None``: last)."""

    sip_rules: tuple[SipRule, ...] = ()
    next_token: str | None = None


@operation(
    "CreateSipRule",
    service=VOICE,
    kind=AT_MOST_ONCE,  # no token; a second rule for the same trigger is a Conflict
    unwrap="SipRule",
)
@attrs.frozen(kw_only=True, repr=False, eq=False)
class CreateSipRuleRequest(Request[SipRule]):
    """Create a SIP rule (``CreateSipRule``): calls to ``trigger_value`` run the target
    applications. A ``ToPhoneNumber`` trigger needs a number of the inventory with product type
    ``SipMediaApplicationDialIn``."""

    name: str
    trigger_type: str
    trigger_value: str
    disabled: bool | None = None
    target_applications: tuple[SipRuleTargetApplication, ...] = attrs.field(converter=_targets)


@operation("GetSipRule", service=VOICE, kind=IDEMPOTENT, unwrap="SipRule")
@attrs.frozen(kw_only=True, repr=False, eq=False)
class GetSipRuleRequest(Request[SipRule]):
    """A SIP rule's details (``GetSipRule``)."""

    sip_rule_id: str


@operation("ListSipRules", page_tokens=("next_token", "next_token"), service=VOICE, kind=IDEMPOTENT)
@attrs.frozen(kw_only=True, repr=False, eq=False)
class ListSipRulesRequest(Request[SipRulesPage]):
    """One page of the account's SIP rules (``ListSipRules``), optionally only those targeting
    ``sip_media_application_id``."""

    sip_media_application_id: str | None = None
    max_results: int | None = None
    next_token: str | None = None


@operation("UpdateSipRule", service=VOICE, kind=IDEMPOTENT, unwrap="SipRule")
@attrs.frozen(kw_only=True, repr=False, eq=False)
class UpdateSipRuleRequest(Request[SipRule]):
    """Rename, enable or disable a rule, or change its targets (``UpdateSipRule``); ``name``
    is required even when it does not change."""

    sip_rule_id: str
    name: str
    disabled: bool | None = None
    target_applications: tuple[SipRuleTargetApplication, ...] | None = attrs.field(
        default=None, converter=_opt_targets
    )


@operation("DeleteSipRule", service=VOICE, kind=IDEMPOTENT, gone_after_retry=True)
@attrs.frozen(kw_only=True, repr=False, eq=False)
class DeleteSipRuleRequest(Request[None]):
    """Delete a SIP rule (``DeleteSipRule``). AWS refuses an enabled one
    (``ConflictError``): disable it first."""

    sip_rule_id: str
