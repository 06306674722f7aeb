"""``chime-calls fake serve``: the same fake, over HTTP, for every language and tool.

The AWS CLI, the JavaScript and Java SDKs and anything else that takes an endpoint URL send
their rest-json requests here; each is routed to its service and operation by the installed
botocore models (method, URI template and the template's literal query), parsed exactly as in
process (``_wire``) and answered by one ``ChimeFake``. Signatures
are accepted without being checked; the region is read from the credential scope.

Routing: a path may start with the service's name (``/chime-sdk-meetings``,
``/chime-sdk-voice``, ``/chime``), which is what an endpoint URL with that path produces;
without one, the operation is found across the three services, preferring one the fake serves,
then the dedicated namespaces over the legacy one.

State, faults and time are under ``/_chime/`` (JSON), a prefix no AWS path uses:

    GET  /_chime/state                       meetings, calls, updates, requests, pending faults
    POST /_chime/reset                       forget everything (SMA handlers stay registered)
    POST /_chime/faults    {"fault": "throttle", "operation": "CreateMeeting", "times": 2}
    POST /_chime/advance   {"seconds": 5}    move the virtual clock (timers fire)
    POST /_chime/provision {"sip_media_application_id": "sma-1", "phone_number": "+12065550100",
                            "region": "eu-west-2"}   a SIP media application calls can be placed on
    POST /_chime/calls/<transaction id>/digits   {"digits": "1234#"}
    POST /_chime/calls/<transaction id>/hang-up

Faults that break the transport (``fail_connection``, and ``lose_answer`` kinds other than
``"500"``, ``"503"`` and ``"504"``) close the connection without an answer: the client sees the
connection drop, which is what a socket can show of them.
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Mapping, Sequence
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, Any, TextIO
from urllib.parse import parse_qs, urlsplit

import attrs

from chime_calls.testing._hook import SERVICES

if TYPE_CHECKING:
    from chime_calls.testing._fake import ChimeFake

__all__ = ["FakeServer", "run_server"]

_CONTROL = "/_chime/"
_PROVISION_OPTIONS = frozenset(
    {"sip_media_application_id", "phone_number", "region", "name", "lambda_arn"}
)
_FAULTS = ("fail_next", "throttle", "rate_limit", "latency", "fail_connection", "lose_answer")
_CALL_ACTION = re.compile(r"^/_chime/calls/(?P<transaction>[^/]+)/(?P<action>digits|hang-up)$")


@attrs.frozen
class _Route:
    service: str
    operation: str
    path: re.Pattern[str]
    query: tuple[tuple[str, str], ...]  # literal query of the URI template
    served: bool
    #: sort key: literal query first, then served operations, the dedicated namespaces, and
    #: the longer literal path
    key: tuple[int, bool, int, int]


def _routes() -> dict[str, list[_Route]]:
    """HTTP method -> routes, most specific first (literal query, then literal path length)."""
    from chime_calls.testing._fake import _SERVED
    from chime_calls.testing._wire import service_model

    table: dict[str, list[_Route]] = {}
    for rank, service in enumerate(SERVICES):
        model = service_model(service)
        for operation in model.operation_names:
            http = model.operation_model(operation).http
            template, _, query = http["requestUri"].partition("?")
            pattern = "".join(
                "[^/]+" if piece.startswith("{") else re.escape(piece)
                for piece in re.split(r"(\{[^}]+\})", template)
            )
            literal = tuple(
                (key, values[0]) for key, values in parse_qs(query, keep_blank_values=True).items()
            )
            served = operation in _SERVED[service]
            table.setdefault(http["method"], []).append(
                _Route(
                    service=service,
                    operation=operation,
                    path=re.compile(f"^{pattern}$"),
                    query=literal,
                    served=served,
                    key=(-len(literal), not served, rank, -len(re.sub(r"\{[^}]+\}", "", template))),
                )
            )
    for routes in table.values():
        routes.sort(key=lambda route: route.key)
    return table


class FakeServer:
    """A ``ChimeFake`` behind a threaded HTTP server on ``host:port`` (``0``: any free
    port). Use it as a context manager, or ``start`` / ``stop``; ``url`` is the
    endpoint URL to give clients.
    """

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        fake: ChimeFake | None = None,
        sma_handlers: Mapping[str, Any] | None = None,
    ) -> None:
        from chime_calls.testing._fake import ChimeFake

        self.fake = fake if fake is not None else ChimeFake(credentials=False)
        self._sma_handlers = dict(sma_handlers or {})
        self._register_handlers()
        self._routes = _routes()
        self._httpd = ThreadingHTTPServer((host, port), _handler_class(self))
        self._httpd.daemon_threads = True
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host!s}:{port}"

    def _register_handlers(self) -> None:
        for sma_id, handler in self._sma_handlers.items():
            self.fake.register_sma_handler(sma_id, handler)

    def start(self) -> FakeServer:
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, name="chime-calls-fake-serve", daemon=True
        )
        self._thread.start()
        return self

    def serve_forever(self) -> None:
        self._httpd.serve_forever()

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        if self._thread is not None:
            self._thread.join()

    def __enter__(self) -> FakeServer:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    # --- routing -----------------------------------------------------------------------

    def route(self, method: str, path: str, query: str) -> tuple[str, str] | None:
        """``(service, operation)`` of a request, or ``None``."""
        service_hint = None
        for service in SERVICES:
            if path == f"/{service}" or path.startswith(f"/{service}/"):
                service_hint, path = service, path[len(service) + 1 :] or "/"
                break
        params = parse_qs(query, keep_blank_values=True)
        for route in self._routes.get(method, []):
            if service_hint is not None and route.service != service_hint:
                continue
            if route.path.match(path) and all(
                value in params.get(key, ()) for key, value in route.query
            ):
                return route.service, route.operation
        return None

    # --- the control API -----------------------------------------------------------------

    def control(self, method: str, path: str, body: dict[str, Any]) -> tuple[int, Any]:
        """Answer one ``/_chime/`` request: (status, JSON body)."""
        if method == "GET" and path == "/_chime/state":
            return 200, _state(self.fake)
        if method != "POST":
            return 405, {"error": f"{method} {path}: use GET /_chime/state or POST"}
        action = {
            "/_chime/reset": self._reset,
            "/_chime/advance": self._advance,
            "/_chime/faults": self._fault,
            "/_chime/provision": self._provision,
        }.get(path)
        if action is not None:
            return action(body)
        match = _CALL_ACTION.match(path)
        if match is None:
            return 404, {"error": f"no control endpoint {path}"}
        transaction = match.group("transaction")
        if match.group("action") == "digits":
            tag = str(body.get("participant_tag", "LEG-A"))
            call = self.fake.press_digits(transaction, str(body["digits"]), participant_tag=tag)
        else:
            call = self.fake.hang_up_callee(transaction)
        return 200, _jsonable(call)

    def _reset(self, body: dict[str, Any]) -> tuple[int, Any]:
        self.fake.reset()
        self._register_handlers()
        return 200, {"ok": True}

    def _advance(self, body: dict[str, Any]) -> tuple[int, Any]:
        self.fake.advance(float(body.get("seconds", 0)))
        return 200, {"monotonic": self.fake.clock.monotonic()}

    def _provision(self, body: dict[str, Any]) -> tuple[int, Any]:
        """``ChimeFake.provision_sip_media_application`` with the JSON body as its arguments
        (the Lambda handler of an application comes from ``--sma-handler``)."""
        options = dict(body)
        unknown = set(options) - _PROVISION_OPTIONS
        if unknown:
            return 400, {
                "error": f"unknown option(s) {', '.join(sorted(map(repr, unknown)))}; "
                f"provision takes {', '.join(sorted(_PROVISION_OPTIONS))}"
            }
        sma_id = options.get("sip_media_application_id")
        made = self.fake.provision_sip_media_application(
            handler=self._sma_handlers.get(sma_id) if isinstance(sma_id, str) else None,
            **options,
        )
        return 200, {
            "sip_media_application_id": made.sip_media_application_id,
            "phone_number": made.phone_number,
            "sip_rule_id": made.sip_rule_id,
            "region": made.region,
        }

    def _fault(self, body: dict[str, Any]) -> tuple[int, Any]:
        options = dict(body)
        name = options.pop("fault", None)
        if name not in _FAULTS:
            return 400, {"error": f"fault must be one of {', '.join(_FAULTS)}, not {name!r}"}
        getattr(self.fake, name)(**options)
        return 200, {"pending_faults": self.fake.pending_faults}


def _handler_class(server: FakeServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        server_version = "chime-calls-fake"

        def log_message(self, format: str, *args: Any) -> None:
            return  # requests are on /_chime/state; stderr stays quiet

        def do_GET(self) -> None:
            self._dispatch()

        do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = do_GET  # noqa: N815

        def _body(self) -> bytes:
            length = int(self.headers.get("Content-Length") or 0)
            return self.rfile.read(length) if length else b""

        def _dispatch(self) -> None:
            split = urlsplit(self.path)
            body = self._body()
            if split.path.startswith(_CONTROL):
                self._control(split.path, body)
                return
            found = server.route(self.command, split.path, split.query)
            if found is None:
                self._json(404, {"error": f"no Chime operation is {self.command} {split.path}"})
                return
            self._aws(*found, body)

        def _control(self, path: str, raw: bytes) -> None:
            try:
                body = json.loads(raw) if raw else {}
                if not isinstance(body, dict):
                    raise TypeError("the body must be a JSON object")
                status, payload = server.control(self.command, path, body)
            except (KeyError, TypeError, ValueError) as exc:
                status, payload = 400, {"error": f"{type(exc).__name__}: {exc}"}
            self._json(status, payload)

        def _aws(self, service: str, operation: str, body: bytes) -> None:
            from botocore.awsrequest import AWSPreparedRequest
            from botocore.compat import HTTPHeaders
            from botocore.exceptions import BotoCoreError

            headers = HTTPHeaders()
            for name, value in self.headers.items():
                headers[name] = value
            host = self.headers.get("Host", "localhost")
            request = AWSPreparedRequest(
                self.command, f"http://{host}{self.path}", headers, body, False
            )
            try:
                response = server.fake.handle(service, operation, request)
            except BotoCoreError:  # a transport fault: all a socket can show is a drop
                self.close_connection = True
                return
            content = response.content
            self.send_response(response.status_code)
            for name, value in response.headers.items():
                if name.lower() != "content-length":
                    self.send_header(name, value)
            self.send_header("Content-Length", str(len(content)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(content)

        def _json(self, status: int, payload: Any) -> None:
            raw = json.dumps(payload, default=_jsonable).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(raw)))
            self.end_headers()
            self.wfile.write(raw)

    return Handler


_HIDDEN = frozenset({"state", "error", "body"})  # simulator internals and audio bytes


def _jsonable(value: Any) -> Any:
    """Records as JSON (real values, as the fake's properties give them)."""
    if attrs.has(type(value)):
        return {
            field.name: _jsonable(getattr(value, field.name))
            for field in attrs.fields(type(value))
            if field.name not in _HIDDEN
        }
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [_jsonable(v) for v in value]
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    return str(value)


def _state(fake: ChimeFake) -> dict[str, Any]:
    return {
        "meetings": _jsonable(fake.meetings),
        "calls": _jsonable(fake.calls),
        "call_updates": _jsonable(fake.call_updates),
        "requests": _jsonable(fake.requests),
        "recordings": _jsonable(fake.recordings),
        "pending_faults": fake.pending_faults,
        "clock": {"monotonic": fake.clock.monotonic(), "time": fake.clock.time()},
    }


def run_server(
    host: str,
    port: int,
    *,
    out: TextIO,
    err: TextIO,
    quotas: bool = True,
    real_time: bool = False,
    sma_handlers: Sequence[str] = (),
) -> int:
    """``chime-calls fake serve``: serve until interrupted (exit status 0; 2 for bad options)."""
    from chime_calls.testing._fake import ChimeFake
    from chime_calls.testing._sma_check import load_handler

    try:
        handlers = {}
        for item in sma_handlers:
            sma_id, sep, spec = item.partition("=")
            if not sep or not sma_id:
                raise ValueError(f"--sma-handler takes SMA_ID=MODULE:FUNCTION, got {item!r}")
            handlers[sma_id] = load_handler(spec)
        fake = ChimeFake(credentials=False, quotas=quotas, real_time=real_time)
        server = FakeServer(host, port, fake=fake, sma_handlers=handlers)
    except (ValueError, OSError) as exc:
        print(f"chime-calls fake serve: {exc}", file=err)
        return 2
    clock = "real time" if real_time else "virtual time (POST /_chime/advance)"
    print(
        f"chime-calls fake: serving {', '.join(SERVICES)} on {server.url} "
        f"({clock}; quotas {'on' if quotas else 'off'}; state at {server.url}/_chime/state)",
        file=out,
        flush=True,
    )
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server._httpd.server_close()
    return 0
