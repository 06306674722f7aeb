"""The facades' operation methods, one line each (see :mod:`chime_calls._ops`).

Each line names the request type that defines the operation; the method takes that type's
keyword arguments and returns its result type, on ``ChimeCalls`` as on ``AsyncChimeCalls``.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

from chime_calls._ops import Group, M, Op, lazy_module

if TYPE_CHECKING:
    from chime_calls import models
    from chime_calls.voice import _groups as voice
else:
    models = lazy_module("chime_calls.models")
    voice = lazy_module("chime_calls.voice._groups")

__all__ = ["CallOperations", "MeetingOperations", "VoiceGroups"]


class MeetingOperations(Group[M]):
    """chime-sdk-meetings: meetings and their attendees."""

    create_meeting = Op(lambda: models.CreateMeetingRequest)
    get_meeting = Op(lambda: models.GetMeetingRequest)
    delete_meeting = Op(lambda: models.DeleteMeetingRequest)
    create_attendee = Op(lambda: models.CreateAttendeeRequest)
    list_attendees = Op(lambda: models.ListAttendeesRequest)


class CallOperations(Group[M]):
    """Placing calls: a SIP media application call, or the legacy meeting dial-out."""

    create_sip_media_application_call = Op(lambda: models.CreateSipMediaApplicationCallRequest)
    create_meeting_dial_out = Op(lambda: models.CreateMeetingDialOutRequest)


class VoiceGroups(Group[M]):
    """chime-sdk-voice, one group per resource (:mod:`chime_calls.voice`, docs/voice.md): the
    group sends through this facade, in its mode (``calls.sip_rules.create(...)`` returns a
    result on ``ChimeCalls``, a coroutine on ``AsyncChimeCalls``)."""

    @functools.cached_property
    def phone_numbers(self) -> voice.PhoneNumbers[M]:
        """Phone numbers: ``search_available``, ``create_order``, ``get``, ``list``, ..."""
        return voice.PhoneNumbers(self)

    @functools.cached_property
    def sip_media_applications(self) -> voice.SipMediaApplications[M]:
        """SIP media applications: ``create``, ``get``, ``list``, ``update``, ``delete``, ..."""
        return voice.SipMediaApplications(self)

    @functools.cached_property
    def sip_rules(self) -> voice.SipRules[M]:
        """SIP rules: ``create``, ``get``, ``list``, ``update``, ``delete``."""
        return voice.SipRules(self)

    @functools.cached_property
    def voice_connectors(self) -> voice.VoiceConnectors[M]:
        """Voice Connectors, their settings and the account's Voice Connector settings."""
        return voice.VoiceConnectors(self)

    @functools.cached_property
    def voice_connector_groups(self) -> voice.VoiceConnectorGroups[M]:
        """Voice Connector groups."""
        return voice.VoiceConnectorGroups(self)

    @functools.cached_property
    def voice_profile_domains(self) -> voice.VoiceProfileDomains[M]:
        """Voice profile domains (speaker search)."""
        return voice.VoiceProfileDomains(self)

    @functools.cached_property
    def voice_profiles(self) -> voice.VoiceProfiles[M]:
        """Voice profiles (speaker search)."""
        return voice.VoiceProfiles(self)

    @functools.cached_property
    def voice_analytics(self) -> voice.VoiceAnalytics[M]:
        """Speaker search and voice tone analysis tasks."""
        return voice.VoiceAnalytics(self)

    @functools.cached_property
    def voice_tags(self) -> voice.VoiceTags[M]:
        """Tags of voice resources: ``list``, ``tag``, ``untag``."""
        return voice.VoiceTags(self)
