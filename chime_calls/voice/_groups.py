"""The facade's chime-sdk-voice groups: one per resource, each method one ``Op`` line.

``calls.sip_rules.create(...)`` builds ``CreateSipRuleRequest(...)`` and sends it through the
facade that made the group, so a group adds nothing to how a request travels (validation,
retries, pacing, errors). A group is generic in the facade's mode: ``ChimeCalls`` makes
``SipRules[Sync]`` (methods return results), an async facade ``SipRules[Async]`` (methods
return coroutines) with the same one-line property. Importing this module loads no request
type: each module loads when one of its methods is first used.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from chime_calls._ops import Group, M, Op, lazy_module

if TYPE_CHECKING:
    from chime_calls.voice import (
        phone_numbers,
        sip_media_applications,
        sip_rules,
        tags,
        voice_analytics,
        voice_connector_groups,
        voice_connectors,
    )
else:
    phone_numbers = lazy_module("chime_calls.voice.phone_numbers")
    sip_media_applications = lazy_module("chime_calls.voice.sip_media_applications")
    sip_rules = lazy_module("chime_calls.voice.sip_rules")
    tags = lazy_module("chime_calls.voice.tags")
    voice_analytics = lazy_module("chime_calls.voice.voice_analytics")
    voice_connector_groups = lazy_module("chime_calls.voice.voice_connector_groups")
    voice_connectors = lazy_module("chime_calls.voice.voice_connectors")

__all__ = [
    "GROUPS",
    "PhoneNumbers",
    "SipMediaApplications",
    "SipRules",
    "VoiceAnalytics",
    "VoiceConnectorGroups",
    "VoiceConnectors",
    "VoiceProfileDomains",
    "VoiceProfiles",
    "VoiceTags",
]


class _VoiceGroup(Group[M]):
    """Operations sent through ``facade`` (a ``ChimeCalls`` or an async facade)."""

    def __init__(self, facade: Group[M]) -> None:
        self._facade = facade
        # the facade's own bound method, so that on an async facade the group's methods are
        # coroutine functions too (bad input raises when awaited, as on the facade)
        self.send = facade.send  # type: ignore[method-assign]

    def __repr__(self) -> str:
        return f"<{type(self).__name__} of {self._facade!r}>"


class PhoneNumbers(_VoiceGroup[M]):
    """Phone numbers: search, order, inventory, settings (``calls.phone_numbers``)."""

    search_available = Op(lambda: phone_numbers.SearchAvailablePhoneNumbersRequest)
    create_order = Op(lambda: phone_numbers.CreatePhoneNumberOrderRequest)
    get_order = Op(lambda: phone_numbers.GetPhoneNumberOrderRequest)
    list_orders = Op(lambda: phone_numbers.ListPhoneNumberOrdersRequest)
    get = Op(lambda: phone_numbers.GetPhoneNumberRequest)
    list = Op(lambda: phone_numbers.ListPhoneNumbersRequest)
    update = Op(lambda: phone_numbers.UpdatePhoneNumberRequest)
    batch_update = Op(lambda: phone_numbers.BatchUpdatePhoneNumberRequest)
    delete = Op(lambda: phone_numbers.DeletePhoneNumberRequest)
    batch_delete = Op(lambda: phone_numbers.BatchDeletePhoneNumberRequest)
    restore = Op(lambda: phone_numbers.RestorePhoneNumberRequest)
    get_settings = Op(lambda: phone_numbers.GetPhoneNumberSettingsRequest)
    update_settings = Op(lambda: phone_numbers.UpdatePhoneNumberSettingsRequest)
    list_supported_countries = Op(lambda: phone_numbers.ListSupportedPhoneNumberCountriesRequest)


class SipMediaApplications(_VoiceGroup[M]):
    """SIP media applications (``calls.sip_media_applications``); placing calls on one stays
    on the facade (``create_sip_media_application_call``, ``dial_out``)."""

    create = Op(lambda: sip_media_applications.CreateSipMediaApplicationRequest)
    get = Op(lambda: sip_media_applications.GetSipMediaApplicationRequest)
    list = Op(lambda: sip_media_applications.ListSipMediaApplicationsRequest)
    update = Op(lambda: sip_media_applications.UpdateSipMediaApplicationRequest)
    delete = Op(lambda: sip_media_applications.DeleteSipMediaApplicationRequest)
    get_logging_configuration = Op(
        lambda: sip_media_applications.GetSipMediaApplicationLoggingConfigurationRequest
    )
    put_logging_configuration = Op(
        lambda: sip_media_applications.PutSipMediaApplicationLoggingConfigurationRequest
    )


class SipRules(_VoiceGroup[M]):
    """SIP rules (``calls.sip_rules``)."""

    create = Op(lambda: sip_rules.CreateSipRuleRequest)
    get = Op(lambda: sip_rules.GetSipRuleRequest)
    list = Op(lambda: sip_rules.ListSipRulesRequest)
    update = Op(lambda: sip_rules.UpdateSipRuleRequest)
    delete = Op(lambda: sip_rules.DeleteSipRuleRequest)


class VoiceConnectors(_VoiceGroup[M]):
    """Voice Connectors, their settings and credentials, and the account's Voice Connector
    settings (``calls.voice_connectors``)."""

    create = Op(lambda: voice_connectors.CreateVoiceConnectorRequest)
    get = Op(lambda: voice_connectors.GetVoiceConnectorRequest)
    list = Op(lambda: voice_connectors.ListVoiceConnectorsRequest)
    update = Op(lambda: voice_connectors.UpdateVoiceConnectorRequest)
    delete = Op(lambda: voice_connectors.DeleteVoiceConnectorRequest)
    associate_phone_numbers = Op(
        lambda: voice_connectors.AssociatePhoneNumbersWithVoiceConnectorRequest
    )
    disassociate_phone_numbers = Op(
        lambda: voice_connectors.DisassociatePhoneNumbersFromVoiceConnectorRequest
    )
    get_emergency_calling_configuration = Op(
        lambda: voice_connectors.GetVoiceConnectorEmergencyCallingConfigurationRequest
    )
    put_emergency_calling_configuration = Op(
        lambda: voice_connectors.PutVoiceConnectorEmergencyCallingConfigurationRequest
    )
    delete_emergency_calling_configuration = Op(
        lambda: voice_connectors.DeleteVoiceConnectorEmergencyCallingConfigurationRequest
    )
    get_external_systems_configuration = Op(
        lambda: voice_connectors.GetVoiceConnectorExternalSystemsConfigurationRequest
    )
    put_external_systems_configuration = Op(
        lambda: voice_connectors.PutVoiceConnectorExternalSystemsConfigurationRequest
    )
    delete_external_systems_configuration = Op(
        lambda: voice_connectors.DeleteVoiceConnectorExternalSystemsConfigurationRequest
    )
    get_logging_configuration = Op(
        lambda: voice_connectors.GetVoiceConnectorLoggingConfigurationRequest
    )
    put_logging_configuration = Op(
        lambda: voice_connectors.PutVoiceConnectorLoggingConfigurationRequest
    )
    get_origination = Op(lambda: voice_connectors.GetVoiceConnectorOriginationRequest)
    put_origination = Op(lambda: voice_connectors.PutVoiceConnectorOriginationRequest)
    delete_origination = Op(lambda: voice_connectors.DeleteVoiceConnectorOriginationRequest)
    get_streaming_configuration = Op(
        lambda: voice_connectors.GetVoiceConnectorStreamingConfigurationRequest
    )
    put_streaming_configuration = Op(
        lambda: voice_connectors.PutVoiceConnectorStreamingConfigurationRequest
    )
    delete_streaming_configuration = Op(
        lambda: voice_connectors.DeleteVoiceConnectorStreamingConfigurationRequest
    )
    get_termination = Op(lambda: voice_connectors.GetVoiceConnectorTerminationRequest)
    put_termination = Op(lambda: voice_connectors.PutVoiceConnectorTerminationRequest)
    delete_termination = Op(lambda: voice_connectors.DeleteVoiceConnectorTerminationRequest)
    get_termination_health = Op(lambda: voice_connectors.GetVoiceConnectorTerminationHealthRequest)
    put_termination_credentials = Op(
        lambda: voice_connectors.PutVoiceConnectorTerminationCredentialsRequest
    )
    delete_termination_credentials = Op(
        lambda: voice_connectors.DeleteVoiceConnectorTerminationCredentialsRequest
    )
    list_termination_credentials = Op(
        lambda: voice_connectors.ListVoiceConnectorTerminationCredentialsRequest
    )
    list_available_regions = Op(lambda: voice_connectors.ListAvailableVoiceConnectorRegionsRequest)
    validate_e911_address = Op(lambda: voice_connectors.ValidateE911AddressRequest)
    get_global_settings = Op(lambda: voice_connectors.GetGlobalSettingsRequest)
    update_global_settings = Op(lambda: voice_connectors.UpdateGlobalSettingsRequest)


class VoiceConnectorGroups(_VoiceGroup[M]):
    """Voice Connector groups (``calls.voice_connector_groups``)."""

    create = Op(lambda: voice_connector_groups.CreateVoiceConnectorGroupRequest)
    get = Op(lambda: voice_connector_groups.GetVoiceConnectorGroupRequest)
    list = Op(lambda: voice_connector_groups.ListVoiceConnectorGroupsRequest)
    update = Op(lambda: voice_connector_groups.UpdateVoiceConnectorGroupRequest)
    delete = Op(lambda: voice_connector_groups.DeleteVoiceConnectorGroupRequest)
    associate_phone_numbers = Op(
        lambda: voice_connector_groups.AssociatePhoneNumbersWithVoiceConnectorGroupRequest
    )
    disassociate_phone_numbers = Op(
        lambda: voice_connector_groups.DisassociatePhoneNumbersFromVoiceConnectorGroupRequest
    )


class VoiceProfileDomains(_VoiceGroup[M]):
    """Voice profile domains (``calls.voice_profile_domains``)."""

    create = Op(lambda: voice_analytics.CreateVoiceProfileDomainRequest)
    get = Op(lambda: voice_analytics.GetVoiceProfileDomainRequest)
    list = Op(lambda: voice_analytics.ListVoiceProfileDomainsRequest)
    update = Op(lambda: voice_analytics.UpdateVoiceProfileDomainRequest)
    delete = Op(lambda: voice_analytics.DeleteVoiceProfileDomainRequest)


class VoiceProfiles(_VoiceGroup[M]):
    """Voice profiles, the enrolled speakers of a domain (``calls.voice_profiles``)."""

    create = Op(lambda: voice_analytics.CreateVoiceProfileRequest)
    get = Op(lambda: voice_analytics.GetVoiceProfileRequest)
    list = Op(lambda: voice_analytics.ListVoiceProfilesRequest)
    update = Op(lambda: voice_analytics.UpdateVoiceProfileRequest)
    delete = Op(lambda: voice_analytics.DeleteVoiceProfileRequest)


class VoiceAnalytics(_VoiceGroup[M]):
    """Speaker search and voice tone analysis tasks (``calls.voice_analytics``)."""

    start_speaker_search = Op(lambda: voice_analytics.StartSpeakerSearchTaskRequest)
    get_speaker_search = Op(lambda: voice_analytics.GetSpeakerSearchTaskRequest)
    stop_speaker_search = Op(lambda: voice_analytics.StopSpeakerSearchTaskRequest)
    start_voice_tone_analysis = Op(lambda: voice_analytics.StartVoiceToneAnalysisTaskRequest)
    get_voice_tone_analysis = Op(lambda: voice_analytics.GetVoiceToneAnalysisTaskRequest)
    stop_voice_tone_analysis = Op(lambda: voice_analytics.StopVoiceToneAnalysisTaskRequest)


class VoiceTags(_VoiceGroup[M]):
    """Tags of voice resources, by ARN (``calls.voice_tags``)."""

    list = Op(lambda: tags.ListTagsForResourceRequest)
    tag = Op(lambda: tags.TagResourceRequest)
    untag = Op(lambda: tags.UntagResourceRequest)


#: facade property name -> group class: what ``ChimeCalls`` has, and an async facade needs
GROUPS: dict[str, type[_VoiceGroup[Any]]] = {
    "phone_numbers": PhoneNumbers,
    "sip_media_applications": SipMediaApplications,
    "sip_rules": SipRules,
    "voice_connectors": VoiceConnectors,
    "voice_connector_groups": VoiceConnectorGroups,
    "voice_profile_domains": VoiceProfileDomains,
    "voice_profiles": VoiceProfiles,
    "voice_analytics": VoiceAnalytics,
    "voice_tags": VoiceTags,
}
