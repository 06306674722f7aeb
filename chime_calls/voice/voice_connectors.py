"""Voice Connectors: SIP trunking between your own phone system and the PSTN (chime-sdk-voice).

A Voice Connector and its settings (termination: calls out; origination: calls in; streaming
to Kinesis; logging; emergency calling; external systems), its numbers and its termination
credentials; the account's Voice Connector settings (``GetGlobalSettings``) and E911 address
validation. Credentials, addresses and numbers are held in redacting value types.
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
    Tag,
    opt_phone,
    opt_strings,
    opt_tags,
    opt_text,
    phones,
    struct,
    structs,
    text,
    texts,
)

__all__ = [
    "Address",
    "AddressValidation",
    "AssociatePhoneNumbersWithVoiceConnectorRequest",
    "CandidateAddress",
    "CreateVoiceConnectorRequest",
    "Credential",
    "DNISEmergencyCallingConfiguration",
    "DeleteVoiceConnectorEmergencyCallingConfigurationRequest",
    "DeleteVoiceConnectorExternalSystemsConfigurationRequest",
    "DeleteVoiceConnectorOriginationRequest",
    "DeleteVoiceConnectorRequest",
    "DeleteVoiceConnectorStreamingConfigurationRequest",
    "DeleteVoiceConnectorTerminationCredentialsRequest",
    "DeleteVoiceConnectorTerminationRequest",
    "DisassociatePhoneNumbersFromVoiceConnectorRequest",
    "EmergencyCallingConfiguration",
    "ExternalSystemsConfiguration",
    "GetGlobalSettingsRequest",
    "GetVoiceConnectorEmergencyCallingConfigurationRequest",
    "GetVoiceConnectorExternalSystemsConfigurationRequest",
    "GetVoiceConnectorLoggingConfigurationRequest",
    "GetVoiceConnectorOriginationRequest",
    "GetVoiceConnectorRequest",
    "GetVoiceConnectorStreamingConfigurationRequest",
    "GetVoiceConnectorTerminationHealthRequest",
    "GetVoiceConnectorTerminationRequest",
    "ListAvailableVoiceConnectorRegionsRequest",
    "ListVoiceConnectorTerminationCredentialsRequest",
    "ListVoiceConnectorsRequest",
    "LoggingConfiguration",
    "MediaInsightsConfiguration",
    "Origination",
    "OriginationRoute",
    "PutVoiceConnectorEmergencyCallingConfigurationRequest",
    "PutVoiceConnectorExternalSystemsConfigurationRequest",
    "PutVoiceConnectorLoggingConfigurationRequest",
    "PutVoiceConnectorOriginationRequest",
    "PutVoiceConnectorStreamingConfigurationRequest",
    "PutVoiceConnectorTerminationCredentialsRequest",
    "PutVoiceConnectorTerminationRequest",
    "StreamingConfiguration",
    "StreamingNotificationTarget",
    "TerminationConfiguration",
    "TerminationHealth",
    "TerminationUsernames",
    "UpdateGlobalSettingsRequest",
    "UpdateVoiceConnectorRequest",
    "ValidateE911AddressRequest",
    "VoiceConnector",
    "VoiceConnectorRegions",
    "VoiceConnectorSettings",
    "VoiceConnectorsPage",
]

# --- the Voice Connector ---------------------------------------------------------------------


@attrs.frozen(kw_only=True, repr=False, eq=False)
class VoiceConnector(Model):
    """A Voice Connector: ``outbound_host_name`` is what your SIP infrastructure sends to."""

    voice_connector_id: str
    aws_region: str | None = None
    name: str | None = None
    outbound_host_name: str | None = None
    require_encryption: bool | None = None
    created_timestamp: datetime.datetime | None = None
    updated_timestamp: datetime.datetime | None = None
    voice_connector_arn: str | None = None
    integration_type: str | None = None
    network_type: str | None = None


@attrs.frozen(kw_only=True, repr=False, eq=False)
class VoiceConnectorsPage(Model):
    """One page of Voice Connectors; ``next_token`` asks for the next (``None``: last)."""

    voice_connectors: tuple[VoiceConnector, ...] = ()
    next_token: str | None = None


@attrs.frozen(kw_only=True, repr=False, eq=False)
class VoiceConnectorRegions(Model):
    """The regions a Voice Connector can be created in."""

    voice_connector_regions: tuple[str, ...] = ()


@operation("CreateVoiceConnector", service=VOICE, kind=AT_MOST_ONCE, unwrap="VoiceConnector")
@attrs.frozen(kw_only=True, repr=False, eq=False)
class CreateVoiceConnectorRequest(Request[VoiceConnector]):
    """Create a Voice Connector (``CreateVoiceConnector``); ``require_encryption`` makes it
    take TLS and SRTP only."""

    name: str
    require_encryption: bool
    aws_region: str | None = None
    tags: tuple[Tag, ...] | None = attrs.field(default=None, converter=opt_tags)
    integration_type: str | None = None
    network_type: str | None = None


@operation("GetVoiceConnector", service=VOICE, kind=IDEMPOTENT, unwrap="VoiceConnector")
@attrs.frozen(kw_only=True, repr=False, eq=False)
class GetVoiceConnectorRequest(Request[VoiceConnector]):
    """A Voice Connector's details (``GetVoiceConnector``)."""

    voice_connector_id: str


@operation(
    "ListVoiceConnectors", page_tokens=("next_token", "next_token"), service=VOICE, kind=IDEMPOTENT
)
@attrs.frozen(kw_only=True, repr=False, eq=False)
class ListVoiceConnectorsRequest(Request[VoiceConnectorsPage]):
    """One page of the account's Voice Connectors (``ListVoiceConnectors``)."""

    next_token: str | None = None
    max_results: int | None = None


@operation("UpdateVoiceConnector", service=VOICE, kind=IDEMPOTENT, unwrap="VoiceConnector")
@attrs.frozen(kw_only=True, repr=False, eq=False)
class UpdateVoiceConnectorRequest(Request[VoiceConnector]):
    """Rename a Voice Connector or change its encryption requirement
    (``UpdateVoiceConnector``)."""

    voice_connector_id: str
    name: str
    require_encryption: bool


@operation("DeleteVoiceConnector", service=VOICE, kind=IDEMPOTENT, gone_after_retry=True)
@attrs.frozen(kw_only=True, repr=False, eq=False)
class DeleteVoiceConnectorRequest(Request[None]):
    """Delete a Voice Connector (``DeleteVoiceConnector``); its numbers must be
    disassociated and it must belong to no group first."""

    voice_connector_id: str


@operation("AssociatePhoneNumbersWithVoiceConnector", service=VOICE, kind=IDEMPOTENT)
@attrs.frozen(kw_only=True, repr=False, eq=False)
class AssociatePhoneNumbersWithVoiceConnectorRequest(Request[PhoneNumberErrors]):
    """Route numbers of the inventory to a Voice Connector
    (``AssociatePhoneNumbersWithVoiceConnector``); ``force_associate`` takes them from
    another. Numbers that failed are in the result."""

    voice_connector_id: str
    e164_phone_numbers: tuple[PhoneNumber, ...] = attrs.field(converter=phones)
    force_associate: bool | None = None


@operation("DisassociatePhoneNumbersFromVoiceConnector", service=VOICE, kind=IDEMPOTENT)
@attrs.frozen(kw_only=True, repr=False, eq=False)
class DisassociatePhoneNumbersFromVoiceConnectorRequest(Request[PhoneNumberErrors]):
    """Take numbers off a Voice Connector (``DisassociatePhoneNumbersFromVoiceConnector``).
    Numbers that failed are in the result."""

    voice_connector_id: str
    e164_phone_numbers: tuple[PhoneNumber, ...] = attrs.field(converter=phones)


# --- emergency calling -----------------------------------------------------------------------


@attrs.frozen(kw_only=True, repr=False, eq=False)
class DNISEmergencyCallingConfiguration(Model):
    """The emergency number of a country (and a test number) for the Voice Connector."""

    emergency_phone_number: PhoneNumber | None = attrs.field(default=None, converter=opt_phone)
    test_phone_number: PhoneNumber | None = attrs.field(default=None, converter=opt_phone)
    calling_country: str | None = None


def _dnis(
    value: Iterable[DNISEmergencyCallingConfiguration | Mapping[str, Any]] | None,
) -> tuple[DNISEmergencyCallingConfiguration, ...] | None:
    return structs(DNISEmergencyCallingConfiguration, value)


@attrs.frozen(kw_only=True, repr=False, eq=False)
class EmergencyCallingConfiguration(Model):
    """A Voice Connector's emergency calling numbers, per country."""

    dnis: tuple[DNISEmergencyCallingConfiguration, ...] | None = attrs.field(
        default=None, converter=_dnis, metadata={"member": "DNIS"}
    )


def _emergency(
    value: EmergencyCallingConfiguration | Mapping[str, Any],
) -> EmergencyCallingConfiguration:
    return struct(EmergencyCallingConfiguration, value)


@operation(
    "GetVoiceConnectorEmergencyCallingConfiguration",
    service=VOICE,
    kind=IDEMPOTENT,
    unwrap="EmergencyCallingConfiguration",
)
@attrs.frozen(kw_only=True, repr=False, eq=False)
class GetVoiceConnectorEmergencyCallingConfigurationRequest(Request[EmergencyCallingConfiguration]):
    """A Voice Connector's emergency calling configuration
    (``GetVoiceConnectorEmergencyCallingConfiguration``)."""

    voice_connector_id: str


@operation(
    "PutVoiceConnectorEmergencyCallingConfiguration",
    service=VOICE,
    kind=IDEMPOTENT,
    unwrap="EmergencyCallingConfiguration",
)
@attrs.frozen(kw_only=True, repr=False, eq=False)
class PutVoiceConnectorEmergencyCallingConfigurationRequest(Request[EmergencyCallingConfiguration]):
    """Set a Voice Connector's emergency calling configuration
    (``PutVoiceConnectorEmergencyCallingConfiguration``)."""

    voice_connector_id: str
    emergency_calling_configuration: EmergencyCallingConfiguration = attrs.field(
        converter=_emergency
    )


@operation(
    "DeleteVoiceConnectorEmergencyCallingConfiguration",
    service=VOICE,
    kind=IDEMPOTENT,
    gone_after_retry=True,
)
@attrs.frozen(kw_only=True, repr=False, eq=False)
class DeleteVoiceConnectorEmergencyCallingConfigurationRequest(Request[None]):
    """Remove a Voice Connector's emergency calling configuration
    (``DeleteVoiceConnectorEmergencyCallingConfiguration``)."""

    voice_connector_id: str


# --- external systems --------------------------------------------------------------------------


@attrs.frozen(kw_only=True, repr=False, eq=False)
class ExternalSystemsConfiguration(Model):
    """The session border controllers and contact center systems behind a Voice Connector."""

    session_border_controller_types: tuple[str, ...] = ()
    contact_center_system_types: tuple[str, ...] = ()


@operation(
    "GetVoiceConnectorExternalSystemsConfiguration",
    service=VOICE,
    kind=IDEMPOTENT,
    unwrap="ExternalSystemsConfiguration",
)
@attrs.frozen(kw_only=True, repr=False, eq=False)
class GetVoiceConnectorExternalSystemsConfigurationRequest(Request[ExternalSystemsConfiguration]):
    """A Voice Connector's external systems configuration
    (``GetVoiceConnectorExternalSystemsConfiguration``)."""

    voice_connector_id: str


@operation(
    "PutVoiceConnectorExternalSystemsConfiguration",
    service=VOICE,
    kind=IDEMPOTENT,
    unwrap="ExternalSystemsConfiguration",
)
@attrs.frozen(kw_only=True, repr=False, eq=False)
class PutVoiceConnectorExternalSystemsConfigurationRequest(Request[ExternalSystemsConfiguration]):
    """Name the external systems a Voice Connector works with
    (``PutVoiceConnectorExternalSystemsConfiguration``)."""

    voice_connector_id: str
    session_border_controller_types: tuple[str, ...] | None = attrs.field(
        default=None, converter=opt_strings
    )
    contact_center_system_types: tuple[str, ...] | None = attrs.field(
        default=None, converter=opt_strings
    )


@operation(
    "DeleteVoiceConnectorExternalSystemsConfiguration",
    service=VOICE,
    kind=IDEMPOTENT,
    gone_after_retry=True,
)
@attrs.frozen(kw_only=True, repr=False, eq=False)
class DeleteVoiceConnectorExternalSystemsConfigurationRequest(Request[None]):
    """Remove a Voice Connector's external systems configuration
    (``DeleteVoiceConnectorExternalSystemsConfiguration``)."""

    voice_connector_id: str


# --- logging ---------------------------------------------------------------------------------


@attrs.frozen(kw_only=True, repr=False, eq=False)
class LoggingConfiguration(Model):
    """Whether SIP message logs and media metric logs go to CloudWatch."""

    enable_sip_logs: bool | None = attrs.field(default=None, metadata={"member": "EnableSIPLogs"})
    enable_media_metric_logs: bool | None = None


def _logging(value: LoggingConfiguration | Mapping[str, Any]) -> LoggingConfiguration:
    return struct(LoggingConfiguration, value)


@operation(
    "GetVoiceConnectorLoggingConfiguration",
    service=VOICE,
    kind=IDEMPOTENT,
    unwrap="LoggingConfiguration",
)
@attrs.frozen(kw_only=True, repr=False, eq=False)
class GetVoiceConnectorLoggingConfigurationRequest(Request[LoggingConfiguration]):
    """A Voice Connector's logging configuration (``GetVoiceConnectorLoggingConfiguration``)."""

    voice_connector_id: str


@operation(
    "PutVoiceConnectorLoggingConfiguration",
    service=VOICE,
    kind=IDEMPOTENT,
    unwrap="LoggingConfiguration",
)
@attrs.frozen(kw_only=True, repr=False, eq=False)
class PutVoiceConnectorLoggingConfigurationRequest(Request[LoggingConfiguration]):
    """Turn a Voice Connector's logs on or off (``PutVoiceConnectorLoggingConfiguration``)."""

    voice_connector_id: str
    logging_configuration: LoggingConfiguration = attrs.field(converter=_logging)


# --- origination -----------------------------------------------------------------------------


@attrs.frozen(kw_only=True, repr=False, eq=False)
class OriginationRoute(Model):
    """Where inbound calls go: a host, port and protocol, by priority and weight."""

    host: str | None = None
    port: int | None = None
    protocol: str | None = None
    priority: int | None = None
    weight: int | None = None


def _routes(
    value: Iterable[OriginationRoute | Mapping[str, Any]] | None,
) -> tuple[OriginationRoute, ...] | None:
    return structs(OriginationRoute, value)


@attrs.frozen(kw_only=True, repr=False, eq=False)
class Origination(Model):
    """Inbound calling: the routes to your SIP infrastructure (at most 20)."""

    routes: tuple[OriginationRoute, ...] | None = attrs.field(default=None, converter=_routes)
    disabled: bool | None = None


def _origination(value: Origination | Mapping[str, Any]) -> Origination:
    return struct(Origination, value)


@operation("GetVoiceConnectorOrigination", service=VOICE, kind=IDEMPOTENT, unwrap="Origination")
@attrs.frozen(kw_only=True, repr=False, eq=False)
class GetVoiceConnectorOriginationRequest(Request[Origination]):
    """A Voice Connector's origination settings (``GetVoiceConnectorOrigination``)."""

    voice_connector_id: str


@operation("PutVoiceConnectorOrigination", service=VOICE, kind=IDEMPOTENT, unwrap="Origination")
@attrs.frozen(kw_only=True, repr=False, eq=False)
class PutVoiceConnectorOriginationRequest(Request[Origination]):
    """Set a Voice Connector's origination settings (``PutVoiceConnectorOrigination``)."""

    voice_connector_id: str
    origination: Origination = attrs.field(converter=_origination)


@operation("DeleteVoiceConnectorOrigination", service=VOICE, kind=IDEMPOTENT, gone_after_retry=True)
@attrs.frozen(kw_only=True, repr=False, eq=False)
class DeleteVoiceConnectorOriginationRequest(Request[None]):
    """Remove a Voice Connector's origination settings (``DeleteVoiceConnectorOrigination``);
    a Voice Connector in a group must keep them."""

    voice_connector_id: str


# --- streaming -------------------------------------------------------------------------------


@attrs.frozen(kw_only=True, repr=False, eq=False)
class StreamingNotificationTarget(Model):
    """Where streaming events are sent: ``EventBridge``, ``SNS`` or ``SQS``."""

    notification_target: str | None = None


def _targets(
    value: Iterable[StreamingNotificationTarget | Mapping[str, Any]] | None,
) -> tuple[StreamingNotificationTarget, ...] | None:
    return structs(StreamingNotificationTarget, value)


@attrs.frozen(kw_only=True, repr=False, eq=False)
class MediaInsightsConfiguration(Model):
    """A media insights pipeline configuration for the streamed calls."""

    disabled: bool | None = None
    configuration_arn: SensitiveText | None = attrs.field(default=None, converter=opt_text)


def _insights(
    value: MediaInsightsConfiguration | Mapping[str, Any] | None,
) -> MediaInsightsConfiguration | None:
    return struct(MediaInsightsConfiguration, value)


@attrs.frozen(kw_only=True, repr=False, eq=False)
class StreamingConfiguration(Model):
    """Media streaming to Kinesis Video Streams: retention, notifications, media insights."""

    data_retention_in_hours: int | None = None
    disabled: bool | None = None
    streaming_notification_targets: tuple[StreamingNotificationTarget, ...] | None = attrs.field(
        default=None, converter=_targets
    )
    media_insights_configuration: MediaInsightsConfiguration | None = attrs.field(
        default=None, converter=_insights
    )


def _streaming(value: StreamingConfiguration | Mapping[str, Any]) -> StreamingConfiguration:
    return struct(StreamingConfiguration, value)


@operation(
    "GetVoiceConnectorStreamingConfiguration",
    service=VOICE,
    kind=IDEMPOTENT,
    unwrap="StreamingConfiguration",
)
@attrs.frozen(kw_only=True, repr=False, eq=False)
class GetVoiceConnectorStreamingConfigurationRequest(Request[StreamingConfiguration]):
    """A Voice Connector's streaming configuration
    (``GetVoiceConnectorStreamingConfiguration``)."""

    voice_connector_id: str


@operation(
    "PutVoiceConnectorStreamingConfiguration",
    service=VOICE,
    kind=IDEMPOTENT,
    unwrap="StreamingConfiguration",
)
@attrs.frozen(kw_only=True, repr=False, eq=False)
class PutVoiceConnectorStreamingConfigurationRequest(Request[StreamingConfiguration]):
    """Stream a Voice Connector's media to Kinesis (``PutVoiceConnectorStreamingConfiguration``);
    ``data_retention_in_hours`` and ``disabled`` are required."""

    voice_connector_id: str
    streaming_configuration: StreamingConfiguration = attrs.field(converter=_streaming)


@operation(
    "DeleteVoiceConnectorStreamingConfiguration",
    service=VOICE,
    kind=IDEMPOTENT,
    gone_after_retry=True,
)
@attrs.frozen(kw_only=True, repr=False, eq=False)
class DeleteVoiceConnectorStreamingConfigurationRequest(Request[None]):
    """Remove a Voice Connector's streaming configuration
    (``DeleteVoiceConnectorStreamingConfiguration``)."""

    voice_connector_id: str


# --- termination -----------------------------------------------------------------------------


@attrs.frozen(kw_only=True, repr=False, eq=False)
class TerminationConfiguration(Model):
    """Outbound calling through the Voice Connector (AWS's ``Termination``): calls per second,
    the default caller ID, the countries allowed and the CIDR blocks that may send."""

    cps_limit: int | None = None
    default_phone_number: PhoneNumber | None = attrs.field(default=None, converter=opt_phone)
    calling_regions: tuple[str, ...] | None = attrs.field(default=None, converter=opt_strings)
    cidr_allowed_list: tuple[str, ...] | None = attrs.field(default=None, converter=opt_strings)
    disabled: bool | None = None


def _termination(
    value: TerminationConfiguration | Mapping[str, Any],
) -> TerminationConfiguration:
    return struct(TerminationConfiguration, value)


@attrs.frozen(kw_only=True, repr=False, eq=False)
class TerminationHealth(Model):
    """When and from where the last SIP ``OPTIONS`` ping of your infrastructure arrived."""

    timestamp: datetime.datetime | None = None
    source: str | None = None


@attrs.frozen(kw_only=True, repr=False, eq=False)
class Credential(Model):
    """A SIP digest credential for termination (username and password: both redacted)."""

    username: SensitiveText | None = attrs.field(default=None, converter=opt_text)
    password: SensitiveText | None = attrs.field(default=None, converter=opt_text)


def _credentials(
    value: Iterable[Credential | Mapping[str, Any]] | None,
) -> tuple[Credential, ...] | None:
    return structs(Credential, value)


@attrs.frozen(kw_only=True, repr=False, eq=False)
class TerminationUsernames(Model):
    """The usernames of a Voice Connector's termination credentials (redacted)."""

    usernames: tuple[SensitiveText, ...] = ()


@operation("GetVoiceConnectorTermination", service=VOICE, kind=IDEMPOTENT, unwrap="Termination")
@attrs.frozen(kw_only=True, repr=False, eq=False)
class GetVoiceConnectorTerminationRequest(Request[TerminationConfiguration]):
    """A Voice Connector's termination settings (``GetVoiceConnectorTermination``)."""

    voice_connector_id: str


@operation("PutVoiceConnectorTermination", service=VOICE, kind=IDEMPOTENT, unwrap="Termination")
@attrs.frozen(kw_only=True, repr=False, eq=False)
class PutVoiceConnectorTerminationRequest(Request[TerminationConfiguration]):
    """Set a Voice Connector's termination settings (``PutVoiceConnectorTermination``)."""

    voice_connector_id: str
    termination: TerminationConfiguration = attrs.field(converter=_termination)


@operation("DeleteVoiceConnectorTermination", service=VOICE, kind=IDEMPOTENT, gone_after_retry=True)
@attrs.frozen(kw_only=True, repr=False, eq=False)
class DeleteVoiceConnectorTerminationRequest(Request[None]):
    """Remove a Voice Connector's termination settings (``DeleteVoiceConnectorTermination``)."""

    voice_connector_id: str


@operation(
    "GetVoiceConnectorTerminationHealth",
    service=VOICE,
    kind=IDEMPOTENT,
    unwrap="TerminationHealth",
)
@attrs.frozen(kw_only=True, repr=False, eq=False)
class GetVoiceConnectorTerminationHealthRequest(Request[TerminationHealth]):
    """The last SIP ``OPTIONS`` ping from your infrastructure
    (``GetVoiceConnectorTerminationHealth``)."""

    voice_connector_id: str


@operation("PutVoiceConnectorTerminationCredentials", service=VOICE, kind=IDEMPOTENT)
@attrs.frozen(kw_only=True, repr=False, eq=False)
class PutVoiceConnectorTerminationCredentialsRequest(Request[None]):
    """Add or replace termination credentials (``PutVoiceConnectorTerminationCredentials``)."""

    voice_connector_id: str
    credentials: tuple[Credential, ...] | None = attrs.field(default=None, converter=_credentials)


@operation("DeleteVoiceConnectorTerminationCredentials", service=VOICE, kind=IDEMPOTENT)
@attrs.frozen(kw_only=True, repr=False, eq=False)
class DeleteVoiceConnectorTerminationCredentialsRequest(Request[None]):
    """Remove termination credentials by username
    (``DeleteVoiceConnectorTerminationCredentials``)."""

    voice_connector_id: str
    usernames: tuple[SensitiveText, ...] = attrs.field(converter=texts)


@operation("ListVoiceConnectorTerminationCredentials", service=VOICE, kind=IDEMPOTENT)
@attrs.frozen(kw_only=True, repr=False, eq=False)
class ListVoiceConnectorTerminationCredentialsRequest(Request[TerminationUsernames]):
    """The usernames of a Voice Connector's termination credentials
    (``ListVoiceConnectorTerminationCredentials``)."""

    voice_connector_id: str


# --- the account ----------------------------------------------------------------------------


@operation("ListAvailableVoiceConnectorRegions", service=VOICE, kind=IDEMPOTENT)
@attrs.frozen(kw_only=True, repr=False, eq=False)
class ListAvailableVoiceConnectorRegionsRequest(Request[VoiceConnectorRegions]):
    """The regions a Voice Connector can be created in
    (``ListAvailableVoiceConnectorRegions``)."""


@attrs.frozen(kw_only=True, repr=False, eq=False)
class VoiceConnectorSettings(Model):
    """The account's Voice Connector settings: the S3 bucket for call detail records."""

    cdr_bucket: str | None = None


def _settings(value: VoiceConnectorSettings | Mapping[str, Any]) -> VoiceConnectorSettings:
    return struct(VoiceConnectorSettings, value)


@operation("GetGlobalSettings", service=VOICE, kind=IDEMPOTENT, unwrap="VoiceConnector")
@attrs.frozen(kw_only=True, repr=False, eq=False)
class GetGlobalSettingsRequest(Request[VoiceConnectorSettings]):
    """The account's Voice Connector settings (``GetGlobalSettings``)."""


@operation("UpdateGlobalSettings", service=VOICE, kind=IDEMPOTENT)
@attrs.frozen(kw_only=True, repr=False, eq=False)
class UpdateGlobalSettingsRequest(Request[None]):
    """Set the account's Voice Connector settings (``UpdateGlobalSettings``)."""

    voice_connector: VoiceConnectorSettings = attrs.field(converter=_settings)


# --- E911 addresses --------------------------------------------------------------------------


@attrs.frozen(kw_only=True, repr=False, eq=False)
class Address(Model):
    """A validated address (every part redacted: it locates a person)."""

    street_name: SensitiveText | None = attrs.field(default=None, metadata={"member": "streetName"})
    street_suffix: SensitiveText | None = attrs.field(
        default=None, metadata={"member": "streetSuffix"}
    )
    post_directional: SensitiveText | None = attrs.field(
        default=None, metadata={"member": "postDirectional"}
    )
    pre_directional: SensitiveText | None = attrs.field(
        default=None, metadata={"member": "preDirectional"}
    )
    street_number: SensitiveText | None = attrs.field(
        default=None, metadata={"member": "streetNumber"}
    )
    city: SensitiveText | None = attrs.field(default=None, metadata={"member": "city"})
    state: SensitiveText | None = attrs.field(default=None, metadata={"member": "state"})
    postal_code: SensitiveText | None = attrs.field(default=None, metadata={"member": "postalCode"})
    postal_code_plus4: SensitiveText | None = attrs.field(
        default=None, metadata={"member": "postalCodePlus4"}
    )
    country: SensitiveText | None = attrs.field(default=None, metadata={"member": "country"})


@attrs.frozen(kw_only=True, repr=False, eq=False)
class CandidateAddress(Model):
    """An address AWS suggests instead of the one given (every part redacted)."""

    street_info: SensitiveText | None = attrs.field(default=None, metadata={"member": "streetInfo"})
    street_number: SensitiveText | None = attrs.field(
        default=None, metadata={"member": "streetNumber"}
    )
    city: SensitiveText | None = attrs.field(default=None, metadata={"member": "city"})
    state: SensitiveText | None = attrs.field(default=None, metadata={"member": "state"})
    postal_code: SensitiveText | None = attrs.field(default=None, metadata={"member": "postalCode"})
    postal_code_plus4: SensitiveText | None = attrs.field(
        default=None, metadata={"member": "postalCodePlus4"}
    )
    country: SensitiveText | None = attrs.field(default=None, metadata={"member": "country"})


@attrs.frozen(kw_only=True, repr=False, eq=False)
class AddressValidation(Model):
    """The outcome of ``ValidateE911Address``: ``validation_result`` 0 (valid), 1 (AWS
    suggests ``candidate_address_list``) or 2 (no match)."""

    validation_result: int | None = None
    address_external_id: str | None = None
    address: Address | None = None
    candidate_address_list: tuple[CandidateAddress, ...] = ()


@operation("ValidateE911Address", service=VOICE, kind=IDEMPOTENT)
@attrs.frozen(kw_only=True, repr=False, eq=False)
class ValidateE911AddressRequest(Request[AddressValidation]):
    """Check an address for 911 calls made through Voice Connectors (``ValidateE911Address``),
    for the PIDF-LO of your SIP requests."""

    aws_account_id: str
    street_number: SensitiveText = attrs.field(converter=text)
    street_info: SensitiveText = attrs.field(converter=text)
    city: SensitiveText = attrs.field(converter=text)
    state: SensitiveText = attrs.field(converter=text)
    country: SensitiveText = attrs.field(converter=text)
    postal_code: SensitiveText = attrs.field(converter=text)
