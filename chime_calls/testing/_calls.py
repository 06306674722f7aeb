"""The fake's call operations: SIP media application calls and the legacy dial-out."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

from chime_calls.testing._answers import LEGACY, VOICE, Answer, Ctx, Operation
from chime_calls.testing._records import CallUpdate, PlacedCall

if TYPE_CHECKING:
    from chime_calls.testing._fake import ChimeFake

__all__ = ["OPERATIONS"]


def _create_sma_call(fake: ChimeFake, ctx: Ctx, params: dict[str, Any]) -> dict[str, Any]:
    sma_id = params["SipMediaApplicationId"]
    to_number = params["ToPhoneNumber"]
    # The application must exist here, and the caller ID be a number of the inventory that a
    # SIP rule ties to it (_voice.py; the sources are in chime-calls docs testing).
    fake.voice.check_call(ctx, sma_id, params["FromPhoneNumber"])
    fake._check_concurrency(ctx)
    callee = fake._callee(to_number)
    call = PlacedCall(
        kind="sip-media-application",
        transaction_id=str(uuid.uuid4()),
        service=ctx.service,
        region=ctx.region,
        from_phone_number=params["FromPhoneNumber"],
        to_phone_number=to_number,
        sip_media_application_id=sma_id,
        sip_headers=dict(params.get("SipHeaders") or {}),
        arguments_map=dict(params.get("ArgumentsMap") or {}),
        answer=callee.answer,
    )
    fake._place(call, fake._handlers.get(sma_id), callee)
    return {"SipMediaApplicationCall": {"TransactionId": call.transaction_id}}


def _update_sma_call(fake: ChimeFake, ctx: Ctx, params: dict[str, Any]) -> dict[str, Any]:
    sma_id = params["SipMediaApplicationId"]
    transaction_id = params["TransactionId"]
    indexes = list(fake._iter_calls(sma_id, transaction_id))
    if not indexes:
        raise Answer("NotFoundException", "The requested call was not found.")
    arguments = dict(params.get("Arguments") or {})
    fake._updates.append(
        CallUpdate(
            transaction_id=transaction_id,
            sip_media_application_id=sma_id,
            region=ctx.region,
            arguments=arguments,
        )
    )
    index = indexes[-1]
    call = fake._calls[index]
    handler = fake._handlers.get(sma_id)
    if handler is not None and call.sma is not None:
        from chime_calls.testing._sma import simulate_update

        record = simulate_update(handler, call.sma, arguments, join=fake._join)
        fake._calls[index] = fake._with_sma(call, record)
    return {"SipMediaApplicationCall": {"TransactionId": transaction_id}}


def _create_meeting_dial_out(fake: ChimeFake, ctx: Ctx, params: dict[str, Any]) -> dict[str, Any]:
    meeting_id = params["MeetingId"]
    meeting = fake._meetings.get(meeting_id)
    if meeting is None or meeting.deleted:
        raise Answer("NotFoundException", "The requested meeting was not found.")
    to_number = params["ToPhoneNumber"]
    answer = fake._callee(to_number).answer
    reason = fake._join(meeting_id, params["JoinToken"]) if answer == "answered" else answer
    call = PlacedCall(
        kind="meeting-dial-out",
        transaction_id=str(uuid.uuid4()),
        service=ctx.service,
        region=ctx.region,
        from_phone_number=params["FromPhoneNumber"],
        to_phone_number=to_number,
        meeting_id=meeting_id,
        join_token=params["JoinToken"],
        answer=answer,
        joined_meeting_id=meeting_id if reason is None else None,
        reason=reason,
    )
    fake._place(call, None)
    return {"TransactionId": call.transaction_id}


OPERATIONS: dict[str, Operation] = {
    "CreateSipMediaApplicationCall": _create_sma_call,
    "UpdateSipMediaApplicationCall": _update_sma_call,
}
SERVED: dict[str, dict[str, Operation]] = {
    VOICE: OPERATIONS,
    LEGACY: {**OPERATIONS, "CreateMeetingDialOut": _create_meeting_dial_out},
}
