"""Measure ``chime-calls migrate scan`` and ``migrate fix`` throughput (files/s) on a generated
source tree.

Run from the repository root::

    python bench/scan_throughput.py                  # 3000 files, 1 in 4 uses a chime client
    python bench/scan_throughput.py --files 5000 --every 1   # every file parsed and analysed
    python bench/scan_throughput.py --fix            # the rewrite (diff only, nothing written)

The tree mixes the shapes of a real service: legacy clients in module globals and on ``self``,
clients of the dedicated namespaces, and plain modules with look-alike method names. Each
planted legacy call carries a ``# expect: Operation`` comment on the line above, so the same
generator feeds the large-tree test (``tests/migration/test_scan_large.py``). Timing lives here,
never in tests.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

_GLOBAL_CLIENT = '''"""Meetings for tenant {n}: a legacy client kept in a module global."""

import boto3

CHIME = boto3.client("chime", region_name="us-east-1")
MEETINGS = boto3.client("chime-sdk-meetings", region_name="eu-west-2")


def start_{n}(token: str, host: str) -> dict:
    # expect: CreateMeeting
    meeting = CHIME.create_meeting(ClientRequestToken=token, MeetingHostId=host)["Meeting"]
    # expect: CreateAttendee
    CHIME.create_attendee(MeetingId=meeting["MeetingId"], ExternalUserId=host)
    MEETINGS.get_meeting(MeetingId=meeting["MeetingId"])
    return meeting


def account_{n}(account_id: str) -> dict:
    return CHIME.get_account(AccountId=account_id)


def end_{n}(meeting_id: str) -> None:
    # expect: DeleteMeeting
    CHIME.delete_meeting(MeetingId=meeting_id)
'''

_SELF_CLIENT = '''"""Voice service {n}: the client lives on ``self``."""

import boto3


class Voice{n}:
    def __init__(self, session: boto3.Session) -> None:
        self.chime = session.client("chime")
        self.voice = session.client(service_name="chime-sdk-voice")

    def ring(self, sma_id: str, to: str) -> dict:
        # expect: CreateSipMediaApplicationCall
        return self.chime.create_sip_media_application_call(
            FromPhoneNumber="+12065550100", ToPhoneNumber=to, SipMediaApplicationId=sma_id
        )

    def ring_sdk(self, sma_id: str, to: str) -> dict:
        return self.voice.create_sip_media_application_call(
            FromPhoneNumber="+12065550100", ToPhoneNumber=to, SipMediaApplicationId=sma_id
        )

    def pages(self) -> list:
        # expect: ListMeetings
        return list(self.chime.get_paginator("list_meetings").paginate())
'''

_SDK_ONLY = '''"""Module {n}: already migrated, but still says chime everywhere."""

import boto3

meetings = boto3.client("chime-sdk-meetings", region_name="eu-west-1")


def create_{n}(token: str, external_id: str) -> dict:
    return meetings.create_meeting(
        ClientRequestToken=token, ExternalMeetingId=external_id, MediaRegion="eu-west-1"
    )


def tag_{n}(arn: str) -> None:
    meetings.tag_resource(ResourceARN=arn, Tags=[{{"Key": "team", "Value": "{n}"}}])
'''

_PLAIN = '''"""Module {n}: calendar code with look-alike method names, nothing to do with AWS."""

from dataclasses import dataclass, field


@dataclass
class Calendar{n}:
    events: list = field(default_factory=list)

    def create_meeting(self, title: str) -> dict:
        event = {{"title": title, "id": len(self.events)}}
        self.events.append(event)
        return event

    def delete_meeting(self, meeting_id: int) -> None:
        self.events = [e for e in self.events if e["id"] != meeting_id]


def busy_{n}(calendar: Calendar{n}) -> bool:
    calendar.create_meeting("standup")
    return len(calendar.events) > {n} % 7
'''

_LEGACY = (_GLOBAL_CLIENT, _SELF_CLIENT)
_OTHER = (_PLAIN, _PLAIN, _SDK_ONLY)


def generate(root: Path, files: int, every: int = 4) -> int:
    """Write ``files`` modules under ``root``; every ``every``-th uses a legacy client.

    Returns how many legacy calls were planted (each marked ``# expect:``).
    """
    planted = 0
    for i in range(files):
        package = root / f"pkg_{i // 100:03d}"
        if i % 100 == 0:
            package.mkdir(parents=True, exist_ok=True)
            (package / "__init__.py").write_text("", encoding="utf-8")
        legacy = i % every == 0
        template = _LEGACY[(i // every) % len(_LEGACY)] if legacy else _OTHER[i % len(_OTHER)]
        text = template.format(n=i)
        planted += text.count("# expect: ")
        (package / f"mod_{i:05d}.py").write_text(text, encoding="utf-8")
    return planted


def _cpu() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _scan(root: Path) -> tuple[int, int, str]:
    from chime_calls.migration import scan_paths

    result = scan_paths([root])
    return len(result.findings), result.files_scanned, "findings"


def _fix(root: Path) -> tuple[int, int, str]:
    """The whole rewrite, diffs included; nothing is written."""
    from chime_calls.migration import fix_paths

    result = fix_paths([root])
    for fixed in result.files:
        fixed.diff()
    changed = sum(f.changed for f in result.files)
    found = sum(len(f.findings) for f in result.files)
    return found, result.files_scanned, f"findings, {changed} files rewritten"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=3000)
    parser.add_argument("--every", type=int, default=4, help="1 in N files uses chime")
    parser.add_argument("--repeat", type=int, default=3, help="report the best of N runs")
    parser.add_argument("--fix", action="store_true", help="measure migrate fix, not scan")
    args = parser.parse_args(argv)
    run = _fix if args.fix else _scan
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        planted = generate(root, args.files, args.every)
        scanned = root.glob("**/*.py")
        total = sum(1 for _ in scanned)
        best = float("inf")
        for _ in range(args.repeat):
            start = time.perf_counter()
            found, files, what = run(root)
            best = min(best, time.perf_counter() - start)
        if found != planted or files != total:
            print(f"MISMATCH: {found} findings, {planted} planted", file=sys.stderr)
            return 1
    print(
        f"{'fix' if args.fix else 'scan'}: {total} files ({args.files} modules, 1 in "
        f"{args.every} with a legacy client), {planted} {what}: best of {args.repeat} "
        f"{best:.3f} s = {total / best:,.0f} files/s"
    )
    print(
        f"Python {platform.python_version()} ({platform.python_implementation()}), "
        f"{platform.system()} {platform.machine()}, {_cpu()}, {os.cpu_count()} CPUs"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
