"""``chime-calls demo``: the whole flow against the embedded fake, no AWS account needed.

It doubles as a smoke test of the installed package: every step checks what the fake saw and
the command exits non-zero if anything is off.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Callable
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from chime_calls import ChimeCalls
    from chime_calls.testing import ChimeFake

__all__ = ["run_demo"]

_FROM = "+12065550100"
_CAMPAIGN_FROM = "+12065550101"
_TO = "+14255550199"
_SMA = "sma-demo"
_CAMPAIGN_SMA = "sma-campaign"  # no Lambda registered: its calls just ring
_REGION = "eu-west-2"


class _DemoFailedError(Exception):
    pass


def _check(condition: bool, what: str) -> None:
    if not condition:
        raise _DemoFailedError(what)


def run_demo(out: TextIO) -> int:
    """Run the demo, printing each step to ``out``; 0 when every check held."""
    import logging

    import boto3

    from chime_calls import ChimeCalls, Pacing, RetryPolicy
    from chime_calls.testing import mock_chime

    def say(text: str) -> None:
        print(text, file=out)

    log = logging.getLogger("chime_calls")
    handler = logging.StreamHandler(out)
    handler.setFormatter(logging.Formatter("   log %(levelname)s: %(message)s"))
    log.addHandler(handler)

    say("chime-calls demo: everything below runs against chime_calls.testing (no AWS account)")
    with mock_chime() as chime:
        # What `chime-calls setup dial-out` makes on AWS: a number, the application, the rule.
        chime.provision_sip_media_application(_SMA, phone_number=_FROM, region=_REGION)
        chime.provision_sip_media_application(
            _CAMPAIGN_SMA, phone_number=_CAMPAIGN_FROM, region=_REGION
        )
        session = boto3.Session(
            aws_access_key_id="demo",
            aws_secret_access_key="demo",  # noqa: S106 - dummy credentials, the fake answers
            region_name=_REGION,
        )
        calls = ChimeCalls(
            session=session,
            region_name=_REGION,
            sip_media_application_id=_SMA,
            retry=RetryPolicy(base_delay=0.01, max_delay=0.05),
            # The fake enforces AWS's documented quotas (CreateSipMediaApplicationCall 1/s);
            # pacing waits for them, on the fake's virtual clock: no real time passes.
            pacing=Pacing.documented_quotas(),
        )
        try:
            _flow(calls, chime, say)
        except _DemoFailedError as exc:
            say(f"\nDEMO FAILED: {exc}")
            return 1
        finally:
            log.removeHandler(handler)
    return 0


def _flow(calls: ChimeCalls, chime: ChimeFake, echo: Callable[[str], None]) -> None:  # noqa: PLR0915 - one story, told in order
    from chime_calls import NotFoundError, ResponseLostError, ValidationError
    from chime_calls.testing import MagicNumbers

    echo("\n1. create_meeting (chime-sdk-meetings, ClientRequestToken owned by the SDK)")
    meeting = calls.create_meeting(external_meeting_id="standup", media_region=_REGION)
    echo(f"   meeting {meeting.meeting_id} in {meeting.media_region}")
    echo(f"   signaling {meeting.media_placement.signaling_url if meeting.media_placement else ''}")
    echo(f"   token     {meeting.client_request_token!r} (reuse it to retry safely)")
    _check(len(chime.meetings) == 1, "the fake should hold one meeting")

    echo("\n2. create_attendee")
    alice = calls.create_attendee(meeting_id=meeting.meeting_id, external_user_id="alice")
    echo(f"   attendee {alice.attendee_id}, join token {alice.join_token!r}")
    _check(alice.join_token is not None, "an attendee comes with a join token")
    assert alice.join_token is not None  # noqa: S101 - narrows the type

    echo("\n3. create_meeting_dial_out (legacy 'chime' namespace: the only place it exists)")
    legacy = calls.create_meeting_dial_out(
        meeting_id=meeting.meeting_id,
        from_phone_number=_FROM,
        to_phone_number=_TO,
        join_token=alice.join_token,
    )
    placed = chime.calls[-1]
    echo(f"   transaction {legacy.transaction_id}: joined {placed.joined_meeting_id}")
    _check(placed.joined_meeting_id == meeting.meeting_id, "the dial-out should join the meeting")

    echo("\n4. dial_out through a SIP media application (no legacy namespace needed)")
    if importlib.util.find_spec("chime_calls.sma") is not None:
        from chime_calls.sma import dial_out_handler

        chime.register_sma_handler(_SMA, dial_out_handler)
    bob = calls.create_attendee(meeting_id=meeting.meeting_id, external_user_id="bob")
    assert bob.join_token is not None  # noqa: S101 - narrows the type
    result = calls.dial_out(
        meeting_id=meeting.meeting_id,
        from_phone_number=_FROM,
        to_phone_number=_TO,
        join_token=bob.join_token,
        correlation_id="demo-1",
    )
    sma_call = chime.calls[-1]
    outcome = sma_call.sma.outcome if sma_call.sma is not None else "no handler registered"
    echo(f"   transaction {result.transaction_id} via {result.path}: {outcome}")
    if sma_call.sma is not None:
        _check(sma_call.joined_meeting_id == meeting.meeting_id, "the SMA call should join")

    echo("\n5. create_sip_media_application_call with SIP headers and ArgumentsMap")
    call = calls.create_sip_media_application_call(
        sip_media_application_id=_CAMPAIGN_SMA,
        from_phone_number=_CAMPAIGN_FROM,
        to_phone_number=_TO,
        sip_headers={"X-Campaign": "c1"},
        arguments_map={"ticket": "42"},
    )
    echo(f"   transaction {call.transaction_id}; the fake recorded {chime.calls[-1]!r}")

    echo("\n6. a bad number is a typed error, and nothing is sent")
    before = len(chime.requests)
    try:
        calls.create_sip_media_application_call(
            sip_media_application_id=_CAMPAIGN_SMA,
            from_phone_number=_CAMPAIGN_FROM,
            to_phone_number="425-555-0199",
        )
    except ValidationError as exc:
        echo("   ValidationError: " + str(exc).replace("\n", "\n   "))
    else:
        _check(False, "a malformed number must be rejected")
    _check(len(chime.requests) == before, "nothing may be sent for invalid input")

    echo("\n7. a throttled call is retried; a lost answer is never re-sent")
    chime.throttle("CreateSipMediaApplicationCall", times=1)
    placed_before = len(chime.calls)
    calls.create_sip_media_application_call(
        sip_media_application_id=_CAMPAIGN_SMA,
        from_phone_number=_CAMPAIGN_FROM,
        to_phone_number=_TO,
    )
    echo("   throttled once, retried, placed once")
    try:
        calls.create_sip_media_application_call(
            sip_media_application_id=_CAMPAIGN_SMA,
            from_phone_number=_CAMPAIGN_FROM,
            to_phone_number=MagicNumbers.ANSWER_LOST,
        )
    except ResponseLostError as exc:
        echo(f"   {type(exc).__name__}: outcome_unknown={exc.outcome_unknown}, not re-sent")
    _check(len(chime.calls) == placed_before + 2, "exactly two more calls should have rung")

    echo("\n8. typed service errors")
    calls.delete_meeting(meeting_id=meeting.meeting_id)
    try:
        calls.get_meeting(meeting_id=meeting.meeting_id)
    except NotFoundError as exc:
        echo(f"   after delete_meeting, get_meeting raises {exc!r}")
    else:
        _check(False, "a deleted meeting must be NotFound")

    echo(
        f"\nDone: {len(chime.requests)} requests answered by the fake, "
        f"{len(chime.calls)} calls placed, none twice; paced to AWS's quotas over "
        f"{chime.clock.monotonic():.1f} s of the fake's virtual time."
    )
