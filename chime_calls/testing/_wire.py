"""The fake's HTTP side: read a signed rest-json request back into parameters, write answers.

Everything is derived from the installed botocore service model (URI templates, member
locations, success codes, error shapes), so the fake speaks exactly the dialect the client
that sent the request expects.
"""

from __future__ import annotations

import datetime
import email.utils
import functools
import io
import json
import re
import uuid
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, unquote, urlsplit

from botocore.awsrequest import AWSResponse
from botocore.compat import HTTPHeaders

if TYPE_CHECKING:
    from botocore.awsrequest import AWSPreparedRequest
    from botocore.model import OperationModel, ServiceModel, Shape

__all__ = [
    "error_response",
    "filter_to_shape",
    "parse_request",
    "plain_response",
    "region_of",
    "response",
    "service_model",
]

_CREDENTIAL_SCOPE = re.compile(r"Credential=[^/]+/\d{8}/([a-z0-9-]+)/")
_HOST_REGION = re.compile(r"^[a-z-]*chime\.([a-z0-9-]+)\.amazonaws\.com")


class _RawBody(io.BytesIO):
    """What ``AWSResponse`` reads its content from (urllib3's ``stream()`` interface)."""

    def stream(self, **_: Any) -> Iterator[bytes]:
        chunk = self.read()
        while chunk:
            yield chunk
            chunk = self.read()


@functools.cache
def service_model(service: str) -> ServiceModel:
    """The installed botocore's model for ``service``, loaded once."""
    model: ServiceModel = _session().get_service_model(service)
    return model


@functools.lru_cache(maxsize=1)
def _session() -> Any:
    import botocore.session

    return botocore.session.get_session()


@functools.cache
def _uri_pattern(template: str) -> re.Pattern[str]:
    path = template.split("?", 1)[0]
    out = ""
    for piece in re.split(r"(\{[^}]+\})", path):
        if piece.startswith("{") and piece.endswith("}"):
            name = piece[1:-1]
            greedy = name.endswith("+")
            name = name.rstrip("+")
            out += f"(?P<{_group(name)}>{'.+' if greedy else '[^/]+'})"
        else:
            out += re.escape(piece)
    return re.compile(out + "$")


def _group(name: str) -> str:
    return "g_" + re.sub(r"\W", "_", name)


def region_of(request: AWSPreparedRequest) -> str:
    """The region the request was signed for (what the service would act in)."""
    auth = request.headers.get("Authorization", b"")
    text = auth.decode() if isinstance(auth, bytes) else str(auth)
    match = _CREDENTIAL_SCOPE.search(text)
    if match:
        return match.group(1)
    host = urlsplit(request.url).hostname or ""
    match = _HOST_REGION.match(host)
    return match.group(1) if match else "us-east-1"


def parse_request(operation: OperationModel, request: AWSPreparedRequest) -> dict[str, Any]:
    """The request's parameters keyed by member name, read from URI, query, headers and body."""
    shape = operation.input_shape
    if shape is None:
        return {}
    split = urlsplit(request.url)
    match = _uri_pattern(operation.http["requestUri"]).search(split.path)
    labels = match.groupdict() if match else {}
    query = parse_qs(split.query, keep_blank_values=True)
    body: Any = request.body or b""
    if hasattr(body, "read"):
        body = body.read()
    if isinstance(body, bytes):
        body = body.decode("utf-8")
    payload = json.loads(body) if body else {}
    params: dict[str, Any] = {}
    for member, member_shape in shape.members.items():
        location = member_shape.serialization.get("location")
        wire_name = member_shape.serialization.get("name", member)
        if location == "uri":
            value = labels.get(_group(wire_name))
            if value is not None:
                params[member] = unquote(value)
        elif location == "querystring":
            if wire_name in query:
                values = query[wire_name]
                params[member] = (
                    values if member_shape.type_name == "list" else _scalar(member_shape, values[0])
                )
        elif location == "header":
            header = request.headers.get(wire_name)
            if header is not None:
                params[member] = header.decode() if isinstance(header, bytes) else header
        elif wire_name in payload:
            params[member] = payload[wire_name]
    return params


def _scalar(shape: Shape, text: str) -> Any:
    """Query strings and headers carry text; the shape says what it meant."""
    if shape.type_name in ("integer", "long"):
        try:
            return int(text)
        except ValueError:
            return text
    if shape.type_name == "boolean":
        return text == "true"
    return text


def filter_to_shape(shape: Shape | None, value: Any) -> Any:
    """Drop whatever the shape does not model, so each namespace gets its own dialect."""
    if shape is None:
        return value
    if shape.type_name == "structure" and isinstance(value, Mapping):
        members = shape.members  # type: ignore[attr-defined]
        return {
            key: filter_to_shape(members[key], item)
            for key, item in value.items()
            if key in members and item is not None
        }
    if shape.type_name == "list" and isinstance(value, list):
        return [filter_to_shape(shape.member, item) for item in value]  # type: ignore[attr-defined]
    return value


def _headers(request_id: str, extra: Mapping[str, str] | None = None) -> dict[str, str]:
    headers = {"x-amzn-RequestId": request_id, "Content-Type": "application/json"}
    headers.update(extra or {})
    return headers


def response(
    operation: OperationModel, url: str, body: Mapping[str, Any] | None
) -> tuple[AWSResponse, str]:
    """A success answer with the operation's modelled status code and a fresh request ID."""
    request_id = str(uuid.uuid4())
    status = int(operation.http.get("responseCode", 200))
    payload = filter_to_shape(operation.output_shape, dict(body or {}))
    raw = json.dumps(payload).encode() if payload else b""
    headers = _headers(request_id)
    headers["Content-Length"] = str(len(raw))
    return AWSResponse(url, status, _http_headers(headers), _RawBody(raw)), request_id


def error_response(
    service: ServiceModel,
    url: str,
    code: str,
    message: str,
    *,
    status: int | None = None,
    retry_after: float | datetime.datetime | None = None,
) -> tuple[AWSResponse, str, int]:
    """An error in the service's wire format: ``x-amzn-ErrorType`` header plus a short code."""
    request_id = str(uuid.uuid4())
    status = status if status is not None else _status_for(service, code)
    short = code[: -len("Exception")] if code.endswith("Exception") else code
    body = json.dumps({"Code": short, "Message": message, "RequestId": request_id}).encode()
    extra = {"x-amzn-ErrorType": f"{code}:http://internal.amazon.com/coral/com.amazonaws.chime/"}
    if retry_after is not None:
        extra["Retry-After"] = _format_seconds(retry_after)
    headers = _headers(request_id, extra)
    headers["Content-Length"] = str(len(body))
    return AWSResponse(url, status, _http_headers(headers), _RawBody(body)), request_id, status


def plain_response(url: str, status: int, text: str) -> AWSResponse:
    """A non-JSON answer, as a load balancer in front of the service would send it."""
    raw = text.encode()
    headers = _http_headers({"Content-Type": "text/html", "Content-Length": str(len(raw))})
    return AWSResponse(url, status, headers, _RawBody(raw))


def _http_headers(values: Mapping[str, str]) -> HTTPHeaders:
    headers = HTTPHeaders()
    for name, value in values.items():
        headers[name] = value
    return headers


def _format_seconds(value: float | datetime.datetime) -> str:
    """Retry-After as delay-seconds, or as an HTTP date when given a datetime (RFC 9110)."""
    if isinstance(value, datetime.datetime):
        return email.utils.format_datetime(value.astimezone(datetime.timezone.utc), usegmt=True)
    return str(int(value)) if float(value).is_integer() else str(value)


def _status_for(service: ServiceModel, code: str) -> int:
    from botocore.model import NoShapeFoundError

    try:
        shape = service.shape_for(code)
    except NoShapeFoundError:
        return 400
    return int(shape.metadata.get("error", {}).get("httpStatusCode", 400))
