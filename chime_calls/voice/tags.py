"""Tags of chime-sdk-voice resources (SIP media applications, Voice Connectors, voice profile
domains), by ARN. The voice model marks tag keys and values sensitive: they are held redacted
(``Tag``)."""

from __future__ import annotations

import attrs

from chime_calls._spec import Model, Request, operation
from chime_calls.values import SensitiveText
from chime_calls.voice._common import IDEMPOTENT, VOICE, Tag, tags, text, texts

__all__ = [
    "ListTagsForResourceRequest",
    "Tag",
    "TagResourceRequest",
    "Tags",
    "UntagResourceRequest",
]

_ARN = {"member": "ResourceARN"}


@attrs.frozen(kw_only=True, repr=False, eq=False)
class Tags(Model):
    """A resource's tags."""

    tags: tuple[Tag, ...] = ()

    def as_dict(self) -> dict[str, str]:
        """The tags as ``{key: value}``, with the real keys and values."""
        return {tag.key.reveal(): tag.value.reveal() for tag in self.tags}


@operation("ListTagsForResource", service=VOICE, kind=IDEMPOTENT)
@attrs.frozen(kw_only=True, repr=False, eq=False)
class ListTagsForResourceRequest(Request[Tags]):
    """A resource's tags (``ListTagsForResource``)."""

    resource_arn: SensitiveText = attrs.field(converter=text, metadata=_ARN)


@operation("TagResource", service=VOICE, kind=IDEMPOTENT)
@attrs.frozen(kw_only=True, repr=False, eq=False)
class TagResourceRequest(Request[None]):
    """Add or overwrite tags of a resource (``TagResource``): ``{"team": "ops"}`` or a list of
    ``Tag``."""

    resource_arn: SensitiveText = attrs.field(converter=text, metadata=_ARN)
    tags: tuple[Tag, ...] = attrs.field(converter=tags)


@operation("UntagResource", service=VOICE, kind=IDEMPOTENT)
@attrs.frozen(kw_only=True, repr=False, eq=False)
class UntagResourceRequest(Request[None]):
    """Remove tags from a resource by key (``UntagResource``)."""

    resource_arn: SensitiveText = attrs.field(converter=text, metadata=_ARN)
    tag_keys: tuple[SensitiveText, ...] = attrs.field(converter=texts)
