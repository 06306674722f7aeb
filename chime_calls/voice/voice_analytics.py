"""Voice analytics: voice profile domains, voice profiles, speaker search and voice tone
analysis tasks on Voice Connector calls (chime-sdk-voice).

Speaker search compares a caller's voice with the enrolled voice profiles of a domain; voice
tone analysis estimates a caller's sentiment. Both need the speaker's consent as applicable
law requires (AWS's API reference says so on every operation); the ARNs the model marks
sensitive are held redacted.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
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
)

__all__ = [
    "CallDetails",
    "CreateVoiceProfileDomainRequest",
    "CreateVoiceProfileRequest",
    "DeleteVoiceProfileDomainRequest",
    "DeleteVoiceProfileRequest",
    "GetSpeakerSearchTaskRequest",
    "GetVoiceProfileDomainRequest",
    "GetVoiceProfileRequest",
    "GetVoiceToneAnalysisTaskRequest",
    "ListVoiceProfileDomainsRequest",
    "ListVoiceProfilesRequest",
    "ServerSideEncryptionConfiguration",
    "SpeakerSearchDetails",
    "SpeakerSearchResult",
    "SpeakerSearchTask",
    "StartSpeakerSearchTaskRequest",
    "StartVoiceToneAnalysisTaskRequest",
    "StopSpeakerSearchTaskRequest",
    "StopVoiceToneAnalysisTaskRequest",
    "UpdateVoiceProfileDomainRequest",
    "UpdateVoiceProfileRequest",
    "VoiceProfile",
    "VoiceProfileDomain",
    "VoiceProfileDomainSummary",
    "VoiceProfileDomainsPage",
    "VoiceProfilesPage",
    "VoiceToneAnalysisTask",
]

# --- voice profile domains -------------------------------------------------------------------


@attrs.frozen(kw_only=True, repr=False, eq=False)
class ServerSideEncryptionConfiguration(Model):
    """The KMS key that encrypts a domain's voice prints and enrollment audio."""

    kms_key_arn: SensitiveText | None = attrs.field(default=None, converter=opt_text)


def _encryption(
    value: ServerSideEncryptionConfiguration | Mapping[str, Any],
) -> ServerSideEncryptionConfiguration:
    return struct(ServerSideEncryptionConfiguration, value)


@attrs.frozen(kw_only=True, repr=False, eq=False)
class VoiceProfileDomain(Model):
    """A voice profile domain: a collection of voice profiles, their voice prints and their
    encrypted enrollment audio."""

    voice_profile_domain_id: str
    voice_profile_domain_arn: SensitiveText | None = None
    name: str | None = None
    description: str | None = None
    server_side_encryption_configuration: ServerSideEncryptionConfiguration | None = None
    created_timestamp: datetime.datetime | None = None
    updated_timestamp: datetime.datetime | None = None


@attrs.frozen(kw_only=True, repr=False, eq=False)
class VoiceProfileDomainSummary(Model):
    """A domain as ``ListVoiceProfileDomains`` lists it."""

    voice_profile_domain_id: str
    voice_profile_domain_arn: SensitiveText | None = None
    name: str | None = None
    description: str | None = None
    created_timestamp: datetime.datetime | None = None
    updated_timestamp: datetime.datetime | None = None


@attrs.frozen(kw_only=True, repr=False, eq=False)
class VoiceProfileDomainsPage(Model):
    """One page of domains; ``next_token`` asks for the next (``None``: last)."""

    voice_profile_domains: tuple[VoiceProfileDomainSummary, ...] = ()
    next_token: str | None = None


@operation(
    "CreateVoiceProfileDomain", service=VOICE, kind=AT_MOST_ONCE, unwrap="VoiceProfileDomain"
)
@attrs.frozen(kw_only=True, repr=False, eq=False)
class CreateVoiceProfileDomainRequest(Request[VoiceProfileDomain]):
    """Create a voice profile domain encrypted with a KMS key (``CreateVoiceProfileDomain``).
    ``client_request_token`` is yours to set: AWS documents no default."""

    name: str
    server_side_encryption_configuration: ServerSideEncryptionConfiguration = attrs.field(
        converter=_encryption
    )
    description: str | None = None
    client_request_token: str | None = None
    tags: tuple[Tag, ...] | None = attrs.field(default=None, converter=opt_tags)


@operation("GetVoiceProfileDomain", service=VOICE, kind=IDEMPOTENT, unwrap="VoiceProfileDomain")
@attrs.frozen(kw_only=True, repr=False, eq=False)
class GetVoiceProfileDomainRequest(Request[VoiceProfileDomain]):
    """A voice profile domain's details (``GetVoiceProfileDomain``)."""

    voice_profile_domain_id: str


@operation(
    "ListVoiceProfileDomains",
    page_tokens=("next_token", "next_token"),
    service=VOICE,
    kind=IDEMPOTENT,
)
@attrs.frozen(kw_only=True, repr=False, eq=False)
class ListVoiceProfileDomainsRequest(Request[VoiceProfileDomainsPage]):
    """One page of the account's voice profile domains (``ListVoiceProfileDomains``)."""

    next_token: str | None = None
    max_results: int | None = None


@operation("UpdateVoiceProfileDomain", service=VOICE, kind=IDEMPOTENT, unwrap="VoiceProfileDomain")
@attrs.frozen(kw_only=True, repr=False, eq=False)
class UpdateVoiceProfileDomainRequest(Request[VoiceProfileDomain]):
    """Rename or redescribe a voice profile domain (``UpdateVoiceProfileDomain``)."""

    voice_profile_domain_id: str
    name: str | None = None
    description: str | None = None


@operation("DeleteVoiceProfileDomain", service=VOICE, kind=IDEMPOTENT, gone_after_retry=True)
@attrs.frozen(kw_only=True, repr=False, eq=False)
class DeleteVoiceProfileDomainRequest(Request[None]):
    """Delete a voice profile domain and all its voice profiles, voice prints and enrollment
    audio (``DeleteVoiceProfileDomain``)."""

    voice_profile_domain_id: str


# --- voice profiles --------------------------------------------------------------------------


@attrs.frozen(kw_only=True, repr=False, eq=False)
class VoiceProfile(Model):
    """An enrolled speaker and their latest voice print, until ``expiration_timestamp``."""

    voice_profile_id: str
    voice_profile_arn: SensitiveText | None = None
    voice_profile_domain_id: str | None = None
    created_timestamp: datetime.datetime | None = None
    updated_timestamp: datetime.datetime | None = None
    expiration_timestamp: datetime.datetime | None = None


@attrs.frozen(kw_only=True, repr=False, eq=False)
class VoiceProfilesPage(Model):
    """One page of a domain's voice profiles (AWS's ``VoiceProfileSummary`` has the members of a
    ``VoiceProfile``); ``next_token`` asks for the next."""

    voice_profiles: tuple[VoiceProfile, ...] = ()
    next_token: str | None = None


@operation("CreateVoiceProfile", service=VOICE, kind=AT_MOST_ONCE, unwrap="VoiceProfile")
@attrs.frozen(kw_only=True, repr=False, eq=False)
class CreateVoiceProfileRequest(Request[VoiceProfile]):
    """Enroll the speaker of a speaker search task as a voice profile
    (``CreateVoiceProfile``)."""

    speaker_search_task_id: str


@operation("GetVoiceProfile", service=VOICE, kind=IDEMPOTENT, unwrap="VoiceProfile")
@attrs.frozen(kw_only=True, repr=False, eq=False)
class GetVoiceProfileRequest(Request[VoiceProfile]):
    """A voice profile's details (``GetVoiceProfile``)."""

    voice_profile_id: str


@operation(
    "ListVoiceProfiles", page_tokens=("next_token", "next_token"), service=VOICE, kind=IDEMPOTENT
)
@attrs.frozen(kw_only=True, repr=False, eq=False)
class ListVoiceProfilesRequest(Request[VoiceProfilesPage]):
    """One page of a domain's voice profiles (``ListVoiceProfiles``)."""

    voice_profile_domain_id: str
    next_token: str | None = None
    max_results: int | None = None


@operation("UpdateVoiceProfile", service=VOICE, kind=IDEMPOTENT, unwrap="VoiceProfile")
@attrs.frozen(kw_only=True, repr=False, eq=False)
class UpdateVoiceProfileRequest(Request[VoiceProfile]):
    """Replace a profile's voice print with a speaker search task's and refresh its expiry
    (``UpdateVoiceProfile``)."""

    voice_profile_id: str
    speaker_search_task_id: str


@operation("DeleteVoiceProfile", service=VOICE, kind=IDEMPOTENT, gone_after_retry=True)
@attrs.frozen(kw_only=True, repr=False, eq=False)
class DeleteVoiceProfileRequest(Request[None]):
    """Delete a voice profile, its voice print and enrollment audio (``DeleteVoiceProfile``)."""

    voice_profile_id: str


# --- analysis tasks --------------------------------------------------------------------------


@attrs.frozen(kw_only=True, repr=False, eq=False)
class CallDetails(Model):
    """The call a task analyses: its Voice Connector, transaction and leg."""

    voice_connector_id: str | None = None
    transaction_id: str | None = None
    is_caller: bool | None = None


@attrs.frozen(kw_only=True, repr=False, eq=False)
class SpeakerSearchResult(Model):
    """A voice profile that matched, with the confidence (0..1)."""

    confidence_score: float | None = None
    voice_profile_id: str | None = None


@attrs.frozen(kw_only=True, repr=False, eq=False)
class SpeakerSearchDetails(Model):
    """The matches of a speaker search and whether a voice print could be generated."""

    results: tuple[SpeakerSearchResult, ...] = ()
    voiceprint_generation_status: str | None = None


@attrs.frozen(kw_only=True, repr=False, eq=False)
class SpeakerSearchTask(Model):
    """A speaker search task and, once done, its results."""

    speaker_search_task_id: str
    speaker_search_task_status: str | None = None
    call_details: CallDetails | None = None
    speaker_search_details: SpeakerSearchDetails | None = None
    created_timestamp: datetime.datetime | None = None
    updated_timestamp: datetime.datetime | None = None
    started_timestamp: datetime.datetime | None = None
    status_message: str | None = None


@attrs.frozen(kw_only=True, repr=False, eq=False)
class VoiceToneAnalysisTask(Model):
    """A voice tone analysis task (its results go to the Voice Connector's notification
    targets)."""

    voice_tone_analysis_task_id: str
    voice_tone_analysis_task_status: str | None = None
    call_details: CallDetails | None = None
    created_timestamp: datetime.datetime | None = None
    updated_timestamp: datetime.datetime | None = None
    started_timestamp: datetime.datetime | None = None
    status_message: str | None = None


@operation("StartSpeakerSearchTask", service=VOICE, kind=AT_MOST_ONCE, unwrap="SpeakerSearchTask")
@attrs.frozen(kw_only=True, repr=False, eq=False)
class StartSpeakerSearchTaskRequest(Request[SpeakerSearchTask]):
    """Search a domain's voice profiles for the speaker of a call leg
    (``StartSpeakerSearchTask``)."""

    voice_connector_id: str
    transaction_id: str
    voice_profile_domain_id: str
    client_request_token: str | None = None
    call_leg: str | None = None


@operation("GetSpeakerSearchTask", service=VOICE, kind=IDEMPOTENT, unwrap="SpeakerSearchTask")
@attrs.frozen(kw_only=True, repr=False, eq=False)
class GetSpeakerSearchTaskRequest(Request[SpeakerSearchTask]):
    """A speaker search task's status and results (``GetSpeakerSearchTask``)."""

    voice_connector_id: str
    speaker_search_task_id: str


@operation("StopSpeakerSearchTask", service=VOICE, kind=AT_MOST_ONCE)
@attrs.frozen(kw_only=True, repr=False, eq=False)
class StopSpeakerSearchTaskRequest(Request[None]):
    """Stop a speaker search task (``StopSpeakerSearchTask``)."""

    voice_connector_id: str
    speaker_search_task_id: str


@operation(
    "StartVoiceToneAnalysisTask",
    service=VOICE,
    kind=AT_MOST_ONCE,
    unwrap="VoiceToneAnalysisTask",
)
@attrs.frozen(kw_only=True, repr=False, eq=False)
class StartVoiceToneAnalysisTaskRequest(Request[VoiceToneAnalysisTask]):
    """Analyse the tone of a call's speaker (``StartVoiceToneAnalysisTask``)."""

    voice_connector_id: str
    transaction_id: str
    language_code: str
    client_request_token: str | None = None


@operation(
    "GetVoiceToneAnalysisTask", service=VOICE, kind=IDEMPOTENT, unwrap="VoiceToneAnalysisTask"
)
@attrs.frozen(kw_only=True, repr=False, eq=False)
class GetVoiceToneAnalysisTaskRequest(Request[VoiceToneAnalysisTask]):
    """A voice tone analysis task's status (``GetVoiceToneAnalysisTask``); ``is_caller``
    names the leg."""

    voice_connector_id: str
    voice_tone_analysis_task_id: str
    is_caller: bool


@operation("StopVoiceToneAnalysisTask", service=VOICE, kind=AT_MOST_ONCE)
@attrs.frozen(kw_only=True, repr=False, eq=False)
class StopVoiceToneAnalysisTaskRequest(Request[None]):
    """Stop a voice tone analysis task (``StopVoiceToneAnalysisTask``)."""

    voice_connector_id: str
    voice_tone_analysis_task_id: str
