"""chime-sdk-voice: every operation AWS has not deprecated, typed and validated.

Reach them through the facade's groups (``calls.phone_numbers``, ``calls.sip_media_applications``,
``calls.sip_rules``, ``calls.voice_connectors``, ...; chime-calls docs voice lists them), or build a
request type of this package's modules and ``calls.send(...)`` it. Dial-out provisioning in one
step: ``chime_calls.voice.setup.setup_dial_out`` (``chime-calls setup dial-out``).
"""
