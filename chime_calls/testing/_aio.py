"""The fake's answers, readable by botocore and by aiobotocore alike.

aiobotocore emits the same ``before-send`` events as botocore (its session copies botocore's
``BUILTIN_HANDLERS``, so the fake's hook is registered on aiobotocore sessions too) and takes
the first answer the same way, but it reads the body with ``await response.content`` where
botocore reads ``response.content``. A handler cannot tell which of the two called it, so the
fake answers both with one object: ``Answer``, whose ``content`` is bytes that can also be
awaited. Awaiting it gives the event loop one turn, as a real read from the network does: other
tasks run between the service acting and the client receiving the answer, and a task cancelled
then has sent a request whose outcome it never learns (``chime-calls docs async``).
"""

from __future__ import annotations

import sys
from collections.abc import Generator
from typing import Any

from botocore.awsrequest import AWSResponse

__all__ = ["Answer", "Body", "Raw", "answer"]


class Body(bytes):
    """The answer's bytes; ``await body`` gives the same bytes after one turn of the loop."""

    __slots__ = ()

    def __await__(self) -> Generator[Any, None, bytes]:
        asyncio = sys.modules.get("asyncio")
        if asyncio is not None and asyncio._get_running_loop() is not None:
            # One bare yield is how asyncio's own ``sleep(0)`` gives other tasks a turn. Under
            # another event loop (trio, through aiobotocore's httpx backend) nothing is yielded.
            yield None
        return bytes(self)


class Answer(AWSResponse):
    """An ``AWSResponse`` whose ``content`` is a ``Body`` (see the module doc)."""

    _content: bytes | None

    @property
    def content(self) -> Body:
        content = self._content
        if not isinstance(content, Body):
            content = self._content = Body(b"".join(self.raw.stream()))
        return content


class Raw:
    """The answer's raw stream, as botocore reads it (``stream()``) and with the
    ``raw_headers`` aiobotocore before 2.12 read headers from (aiohttp's, as bytes pairs)."""

    def __init__(self, raw: Any, headers: Any) -> None:
        self._raw = raw
        self.raw_headers = [(k.encode(), v.encode()) for k, v in headers.items()]

    def stream(self, **kwargs: Any) -> Any:
        return self._raw.stream(**kwargs)


def answer(response: AWSResponse) -> Answer:
    """``response`` (as the fake built it for botocore) as an ``Answer`` for any client."""
    headers: Any = response.headers
    return Answer(response.url, response.status_code, headers, Raw(response.raw, headers))
