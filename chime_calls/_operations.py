"""The facades' operation methods, one line each (see ``chime_calls._ops``).

Each line names the request type that defines the operation; the method takes that type's
keyword arguments and returns its result type, on ``ChimeCalls`` as on ``AsyncChimeCalls``.
"""

from __future__ import annotations

import functools
from collections.abc import AsyncIterator, Iterator
from typing import TYPE_CHECKING, Any, Protocol, TypeVar, overload

from chime_calls import _flows
from chime_calls._flows import Flow, Items, Pages
from chime_calls._ops import Async, Group, M, Op, Sync, lazy_module

if TYPE_CHECKING:
    from chime_calls import meetings, models
    from chime_calls._spec import Request
    from chime_calls.voice import _groups as voice
else:
    models = lazy_module("chime_calls.models")
    meetings = lazy_module("chime_calls.meetings")
    voice = lazy_module("chime_calls.voice._groups")

__all__ = ["CallOperations", "MeetingOperations", "Paging", "VoiceGroups"]


class _Page(Protocol):
    """A result that may continue on another page (``AttendeesPage``, ``SipRulesPage``, ...)."""

    @property
    def next_token(self) -> str | None: ...


PageT = TypeVar("PageT", bound=_Page)


class Paging(Group[M]):
    """Any listing, page by page."""

    @overload
    def pages(self: Paging[Sync], request: Request[PageT]) -> Iterator[PageT]: ...

    @overload
    def pages(self: Paging[Async], request: Request[PageT]) -> AsyncIterator[PageT]: ...

    def pages(self, request: Request[Any]) -> Any:
        """Every page of a paginated operation from ``request`` on, each page sent when the
        loop asks for it with the previous page's ``next_token``: an iterator on
        ``ChimeCalls``, an async iterator on ``AsyncChimeCalls``.



            for page in calls.pages(ListSipRulesRequest(max_results=100)):
                for rule in page.sip_rules: ...

        Each page is one request under the operation's retry rules. A service that hands back a
        token it gave before ends the walk with an ``InvalidResponseError``
        instead of looping for ever. A request type whose spec has no ``page_tokens`` is a
        ``TypeError``, before anything is sent.
        """
        return _flows.pages(self.send, request)


def _attendees(page: models.AttendeesPage) -> tuple[models.Attendee, ...]:
    return page.attendees


class MeetingOperations(Group[M]):
    """chime-sdk-meetings: meetings and their attendees (chime-calls docs meetings)."""

    create_meeting = Op(lambda: models.CreateMeetingRequest)
    get_meeting = Op(lambda: models.GetMeetingRequest)
    delete_meeting = Op(lambda: models.DeleteMeetingRequest)
    create_attendee = Op(lambda: models.CreateAttendeeRequest)
    list_attendees = Op(lambda: models.ListAttendeesRequest)
    create_meeting_with_attendees = Op(lambda: meetings.CreateMeetingWithAttendeesRequest)
    batch_create_attendee = Op(lambda: meetings.BatchCreateAttendeeRequest)
    get_attendee = Op(lambda: meetings.GetAttendeeRequest)
    delete_attendee = Op(lambda: meetings.DeleteAttendeeRequest)
    update_attendee_capabilities = Op(lambda: meetings.UpdateAttendeeCapabilitiesRequest)
    batch_update_attendee_capabilities_except = Op(
        lambda: meetings.BatchUpdateAttendeeCapabilitiesExceptRequest
    )
    start_meeting_transcription = Op(lambda: meetings.StartMeetingTranscriptionRequest)
    stop_meeting_transcription = Op(lambda: meetings.StopMeetingTranscriptionRequest)
    # (chime-sdk-meetings' TagResource & co.: named for what they tag, so the voice namespace's
    # operations of the same AWS names can have their own methods)
    tag_meeting = Op(lambda: meetings.TagResourceRequest)
    untag_meeting = Op(lambda: meetings.UntagResourceRequest)
    list_meeting_tags = Op(lambda: meetings.ListTagsForResourceRequest)
    # every page, and every attendee of every page, of ListAttendees
    iter_attendee_pages = Pages(lambda: models.ListAttendeesRequest)
    iter_attendees = Items(lambda: models.ListAttendeesRequest, _attendees)
    # flows: several requests each (chime_calls/_flows.py)
    add_attendees = Flow(lambda: meetings._add_attendees)
    create_meeting_with_all_attendees = Flow(lambda: meetings._create_meeting_with_all_attendees)
    live_meeting = Flow(lambda: meetings._live_meeting)
    join_meeting = Flow(lambda: meetings._join_meeting)


class CallOperations(Group[M]):
    """Placing calls: a SIP media application call, or the legacy meeting dial-out."""

    create_sip_media_application_call = Op(lambda: models.CreateSipMediaApplicationCallRequest)
    create_meeting_dial_out = Op(lambda: models.CreateMeetingDialOutRequest)


class VoiceGroups(Group[M]):
    """chime-sdk-voice, one group per resource (``chime_calls.voice``, chime-calls docs voice): the
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
