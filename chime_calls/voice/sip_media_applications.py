"""SIP media applications: the Lambda that answers a call, per region (chime-sdk-voice).

An application names one Lambda function (``endpoints``: AWS takes exactly one) in its own
region; calls placed with ``CreateSipMediaApplicationCall`` and calls a SIP rule routes to it
invoke that function. Placing and updating calls stays on the facade
(``create_sip_media_application_call``, ``update_sip_media_application_call``, ``dial_out``).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from typing import Any

import attrs

from chime_calls._spec import Model, Request, operation
from chime_calls.values import SensitiveText
from chime_calls.voice._common import (
    AT_MOST_ONCE,
    IDEMPOTENT,
    VOICE,
    Tag,
    opt_tags,
    opt_text,
    struct,
    structs,
)

__all__ = [
    "CreateSipMediaApplicationRequest",
    "DeleteSipMediaApplicationRequest",
    "GetSipMediaApplicationLoggingConfigurationRequest",
    "GetSipMediaApplicationRequest",
    "ListSipMediaApplicationsRequest",
    "PutSipMediaApplicationLoggingConfigurationRequest",
    "SipMediaApplication",
    "SipMediaApplicationEndpoint",
    "SipMediaApplicationLoggingConfiguration",
    "SipMediaApplicationsPage",
    "UpdateSipMediaApplicationRequest",
]


@attrs.frozen(kw_only=True, repr=False, eq=False)
class SipMediaApplicationEndpoint(Model):
    """The application's Lambda function. The model marks its ARN sensitive."""

    lambda_arn: SensitiveText | None = attrs.field(default=None, converter=opt_text)


def _endpoints(
    value: Iterable[SipMediaApplicationEndpoint | Mapping[str, Any]],
) -> tuple[SipMediaApplicationEndpoint, ...]:
    return structs(SipMediaApplicationEndpoint, value)


def _opt_endpoints(
    value: Iterable[SipMediaApplicationEndpoint | Mapping[str, Any]] | None,
) -> tuple[SipMediaApplicationEndpoint, ...] | None:
    return structs(SipMediaApplicationEndpoint, value)


@attrs.frozen(kw_only=True, repr=False, eq=False)
class SipMediaApplication(Model):
    """A SIP media application: its ID (for ``ChimeCalls(sip_media_application_id=...)``),
    region, name and Lambda."""

    sip_media_application_id: str
    aws_region: str | None = None
    name: str | None = None
    endpoints: tuple[SipMediaApplicationEndpoint, ...] = ()
    created_timestamp: datetime.datetime | None = None
    updated_timestamp: datetime.datetime | None = None
    sip_media_application_arn: str | None = None


@attrs.frozen(kw_only=True, repr=False, eq=False)
class SipMediaApplicationsPage(Model):
    """One page of applications; ``next_token`` asks for the next (``None``: last)."""

    sip_media_applications: tuple[SipMediaApplication, ...] = ()
    next_token: str | None = None


@attrs.frozen(kw_only=True, repr=False, eq=False)
class SipMediaApplicationLoggingConfiguration(Model):
    """Whether the application's messages are logged to CloudWatch."""

    enable_sip_media_application_message_logs: bool | None = None


def _opt_logging(
    value: SipMediaApplicationLoggingConfiguration | Mapping[str, Any] | None,
) -> SipMediaApplicationLoggingConfiguration | None:
    return struct(SipMediaApplicationLoggingConfiguration, value)


@operation(
    "CreateSipMediaApplication",
    service=VOICE,
    kind=AT_MOST_ONCE,  # no token; a second one with the same name is a Conflict
    unwrap="SipMediaApplication",
)
@attrs.frozen(kw_only=True, repr=False, eq=False)
class CreateSipMediaApplicationRequest(Request[SipMediaApplication]):
    """Create a SIP media application (``CreateSipMediaApplication``) in ``aws_region``,
    invoking the one Lambda function of ``endpoints``, which must be in the same region."""

    aws_region: str
    name: str
    endpoints: tuple[SipMediaApplicationEndpoint, ...] = attrs.field(converter=_endpoints)
    tags: tuple[Tag, ...] | None = attrs.field(default=None, converter=opt_tags)


@operation("GetSipMediaApplication", service=VOICE, kind=IDEMPOTENT, unwrap="SipMediaApplication")
@attrs.frozen(kw_only=True, repr=False, eq=False)
class GetSipMediaApplicationRequest(Request[SipMediaApplication]):
    """A SIP media application's details (``GetSipMediaApplication``)."""

    sip_media_application_id: str


@operation(
    "ListSipMediaApplications",
    page_tokens=("next_token", "next_token"),
    service=VOICE,
    kind=IDEMPOTENT,
)
@attrs.frozen(kw_only=True, repr=False, eq=False)
class ListSipMediaApplicationsRequest(Request[SipMediaApplicationsPage]):
    """One page of the account's SIP media applications in this region
    (``ListSipMediaApplications``)."""

    max_results: int | None = None
    next_token: str | None = None


@operation(
    "UpdateSipMediaApplication", service=VOICE, kind=IDEMPOTENT, unwrap="SipMediaApplication"
)
@attrs.frozen(kw_only=True, repr=False, eq=False)
class UpdateSipMediaApplicationRequest(Request[SipMediaApplication]):
    """Rename an application or point it at another Lambda (``UpdateSipMediaApplication``)."""

    sip_media_application_id: str
    name: str | None = None
    endpoints: tuple[SipMediaApplicationEndpoint, ...] | None = attrs.field(
        default=None, converter=_opt_endpoints
    )


@operation("DeleteSipMediaApplication", service=VOICE, kind=IDEMPOTENT, gone_after_retry=True)
@attrs.frozen(kw_only=True, repr=False, eq=False)
class DeleteSipMediaApplicationRequest(Request[None]):
    """Delete a SIP media application (``DeleteSipMediaApplication``). AWS refuses
    (``ConflictError``) while an enabled SIP rule targets it: disable the rule first."""

    sip_media_application_id: str


@operation(
    "GetSipMediaApplicationLoggingConfiguration",
    service=VOICE,
    kind=IDEMPOTENT,
    unwrap="SipMediaApplicationLoggingConfiguration",
)
@attrs.frozen(kw_only=True, repr=False, eq=False)
class GetSipMediaApplicationLoggingConfigurationRequest(
    Request[SipMediaApplicationLoggingConfiguration]
):
    """Whether an application's messages are logged
    (``GetSipMediaApplicationLoggingConfiguration``)."""

    sip_media_application_id: str


@operation(
    "PutSipMediaApplicationLoggingConfiguration",
    service=VOICE,
    kind=IDEMPOTENT,
    unwrap="SipMediaApplicationLoggingConfiguration",
)
@attrs.frozen(kw_only=True, repr=False, eq=False)
class PutSipMediaApplicationLoggingConfigurationRequest(
    Request[SipMediaApplicationLoggingConfiguration]
):
    """Turn an application's message logs on or off
    (``PutSipMediaApplicationLoggingConfiguration``)."""

    sip_media_application_id: str
    sip_media_application_logging_configuration: SipMediaApplicationLoggingConfiguration | None = (
        attrs.field(default=None, converter=_opt_logging)
    )
