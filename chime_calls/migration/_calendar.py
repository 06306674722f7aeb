"""What AWS retired and when: the dates AWS published, with where it published them, and the
end-of-support notices the installed botocore's models carry.

The calendar is data because three of its four dates are in no model (the 2023 refusal is only
a changelog line, the 2025 removal is the absence of the operations, the end of the Amazon Chime
service is a banner on the API reference pages). The model notices are read at import, so the
next operation AWS marks ``deprecated`` is reported without a change here.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import attrs

__all__ = ["RETIREMENTS", "EndOfSupport", "Retirement", "end_of_support_notices"]


@attrs.frozen(kw_only=True)
class Retirement:
    """One date on which AWS took something away, as AWS published it.

    ``operations`` lists the ``(service, operation)`` pairs that reached end of support that
    day (empty when the change is about a namespace or a service as a whole); ``botocore`` is
    the release that reflects it, ``None`` when no botocore release does.
    """

    id: str
    date: datetime.date
    title: str
    effect: str
    botocore: str | None
    sources: tuple[str, ...]
    operations: tuple[tuple[str, str], ...] = ()


_PROXY_OPERATIONS = (
    "CreateProxySession",
    "DeleteProxySession",
    "DeleteVoiceConnectorProxy",
    "GetProxySession",
    "GetVoiceConnectorProxy",
    "ListProxySessions",
    "PutVoiceConnectorProxy",
    "UpdateProxySession",
)

#: The dates, oldest first. ``chime-calls docs migration`` renders this table; a test keeps
#: them equal.
RETIREMENTS: tuple[Retirement, ...] = (
    Retirement(
        id="legacy-deprecated",
        date=datetime.date(2023, 6, 29),
        title="Amazon Chime SDK operations in the chime namespace deprecated",
        effect='New customers are refused ("not authorized to call deprecated Amazon Chime SDK '
        'API on the "chime" endpoint"); only accounts that already used them keep access.',
        botocore="1.29.164",
        sources=(
            "https://github.com/boto/botocore/blob/develop/CHANGELOG.rst",
            "https://docs.aws.amazon.com/chime-sdk/latest/dg/migrate-from-chm-namespace.html",
        ),
    ),
    Retirement(
        id="legacy-removed",
        date=datetime.date(2025, 2, 26),
        title="129 Chime SDK operations removed from botocore's chime model",
        effect="On botocore 1.37.2 and later, boto3.client('chime').create_meeting and the other "
        "removed methods do not exist: the call fails before anything is sent.",
        botocore="1.37.2",
        sources=("https://github.com/boto/botocore/blob/develop/.changes/1.37.2.json",),
    ),
    Retirement(
        id="chime-service-end",
        date=datetime.date(2026, 2, 20),
        title="AWS ended support for the Amazon Chime service",
        effect="The Amazon Chime application, its console and its resources (not the Amazon Chime "
        "SDK). Every chime API page carries the notice; botocore still models "
        "CreateMeetingDialOut there, but treat it as at risk.",
        botocore=None,
        sources=("https://docs.aws.amazon.com/chime/latest/APIReference/API_Operations.html",),
    ),
    Retirement(
        id="proxy-sessions-end",
        date=datetime.date(2026, 4, 7),
        title="AWS ended support for Amazon Chime SDK proxy sessions",
        effect="The 8 proxy-session operations of chime-sdk-voice, which AWS had named as the "
        "replacements of the legacy ones, have no supported successor.",
        botocore="1.43.50",
        sources=(
            "https://docs.aws.amazon.com/chime-sdk/latest/APIReference/"
            "API_voice-chime_CreateProxySession.html",
            "https://github.com/boto/botocore/blob/develop/.changes/1.43.50.json",
        ),
        operations=tuple(("chime-sdk-voice", op) for op in _PROXY_OPERATIONS),
    ),
)

_BY_ID = {r.id: r for r in RETIREMENTS}


def retirement(retirement_id: str) -> Retirement:
    return _BY_ID[retirement_id]


@attrs.frozen(kw_only=True)
class EndOfSupport:
    """A dedicated-namespace operation that reached end of support, so it cannot be a
    replacement. ``notice`` is AWS's text (the model's ``deprecatedMessage`` when the installed
    botocore has one, else the calendar's); ``date`` is ``None`` when AWS gave none."""

    service: str
    operation: str
    date: datetime.date | None
    notice: str
    source: str

    def describe(self) -> str:
        """``chime-sdk-voice CreateProxySession reached end of support on 2026-04-07``."""
        when = f" on {self.date.isoformat()}" if self.date else ""
        return f"{self.service} {self.operation} reached end of support{when}"


_MONTHS = (  # AWS writes English month names; strftime("%B") would follow the locale
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
# "End of support notice: On April 7, 2026, AWS ended support for ..."
_DATE = re.compile(r"\bOn (" + "|".join(_MONTHS) + r") (\d{1,2}), (\d{4})\b")
_URL = re.compile(r"https://\S+?(?=[).,;]?(?:\s|$))")


def _date_in(text: str) -> datetime.date | None:
    m = _DATE.search(text)
    if m is None:
        return None
    return datetime.date(int(m.group(3)), _MONTHS.index(m.group(1)) + 1, int(m.group(2)))


#: Loads a raw service model (``service-2.json`` as a dict) by boto3 service name.
ModelLoader = Callable[[str], Mapping[str, Any]]


def installed_model_loader() -> ModelLoader:
    """Raw models from the installed botocore (no ``OperationModel`` objects: cheaper)."""
    import botocore.session

    loader = botocore.session.get_session().get_component("data_loader")

    def load(service: str) -> Mapping[str, Any]:
        model: Mapping[str, Any] = loader.load_service_model(service, "service-2")
        return model

    return load


def end_of_support_notices(
    targets: Iterable[tuple[str, str]], load: ModelLoader, botocore_version: str
) -> dict[tuple[str, str], EndOfSupport]:
    """Which of ``targets`` (``(service, operation)``) reached end of support: marked
    ``deprecated`` in the installed model, or listed in ``RETIREMENTS`` (for a botocore
    older than the notice). A model notice without a date takes the calendar's date."""
    from botocore.exceptions import BotoCoreError

    published = {pair: r for r in RETIREMENTS for pair in r.operations}
    found: dict[tuple[str, str], EndOfSupport] = {}
    models: dict[str, Mapping[str, Any] | None] = {}
    for service, operation in sorted(set(targets)):
        if service not in models:
            try:
                models[service] = load(service)
            except BotoCoreError:  # a botocore without the service: the calendar still counts
                models[service] = None
        model = models[service]
        spec = (model or {}).get("operations", {}).get(operation, {})
        calendar = published.get((service, operation))
        if spec.get("deprecated"):
            notice = " ".join(str(spec.get("deprecatedMessage") or "").split())
            notice = notice or f"{operation} is marked deprecated in the {service} model."
            url = _URL.search(notice)
            date = _date_in(notice) or (calendar.date if calendar else None)
            source = url.group(0) if url else f"botocore {botocore_version} {service} model"
            found[(service, operation)] = EndOfSupport(
                service=service, operation=operation, date=date, notice=notice, source=source
            )
        elif calendar is not None:
            found[(service, operation)] = EndOfSupport(
                service=service,
                operation=operation,
                date=calendar.date,
                notice=calendar.title + ".",
                source=calendar.sources[0],
            )
    return found
