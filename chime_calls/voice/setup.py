"""Dial-out provisioned in one idempotent step: a caller-ID number, a SIP media application
for your Lambda, and the SIP rule that ties them (``chime-calls setup dial-out``;
chime-calls docs dial-out).



    from chime_calls.voice.setup import setup_dial_out

    done = setup_dial_out(lambda_arn="arn:aws:lambda:us-east-1:111122223333:function:dial-out",
                          area_code="206")
    print(done.report())            # what it did, and the ChimeCalls(...) line to use

Everything is found by ``name`` (default ``chime-calls-dial-out``): the application and the
rule carry it, and so does a number this step ordered. A second run finds all three and
changes nothing; a run interrupted while the number's order was processing finds the number
(``AcquireInProgress``) and waits for the same order. Before anything is created the region is
checked (one where SIP media applications exist, the Lambda's own) and the Lambda is looked up.
When a step fails, ``SetupError`` lists what exists so far and how to resume or remove it;
``teardown_dial_out`` removes what setup made.
"""

from __future__ import annotations

import json
import shlex
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

import attrs

from chime_calls import errors as _errors
from chime_calls._clock import current as _current_clock
from chime_calls.values import PhoneNumber, mask_phone_number
from chime_calls.voice import phone_numbers, sip_media_applications, sip_rules

if TYPE_CHECKING:
    import boto3

    from chime_calls._clock import Clock
    from chime_calls.client import ChimeCalls
    from chime_calls.voice.phone_numbers import PhoneNumberDetails, PhoneNumberOrder
    from chime_calls.voice.sip_media_applications import SipMediaApplication
    from chime_calls.voice.sip_rules import SipRule

__all__ = [
    "DEFAULT_NAME",
    "DIAL_IN",
    "DialOutSetup",
    "DialOutTeardown",
    "SetupError",
    "Step",
    "setup_dial_out",
    "supported_regions",
    "teardown_dial_out",
]

#: What setup names the application, the rule and the number it orders (so it finds them again).
DEFAULT_NAME = "chime-calls-dial-out"
#: The product type a number needs for a SIP rule (and so to be a SIP media application's
#: caller ID).
DIAL_IN = "SipMediaApplicationDialIn"
#: The service principal that invokes a SIP media application's Lambda.
PRINCIPAL = "voiceconnector.chime.amazonaws.com"
_ACQUIRED = ("Unassigned", "Assigned")

Progress = Callable[[str], None]


def supported_regions() -> tuple[str, ...]:
    """The regions of the chime-sdk-voice PSTN services, from the installed model (the
    ``VoiceConnectorAwsRegion`` enum: the same ten regions AWS lists for the Chime SDK
    console and PSTN audio)."""
    from chime_calls._rules import StringRule, rule_for

    rule = rule_for("chime-sdk-voice", "VoiceConnectorAwsRegion")
    assert isinstance(rule, StringRule)  # noqa: S101 - the generated data says so
    return tuple(rule.enum or ())


@attrs.frozen(kw_only=True)
class Step:
    """One thing setup or teardown did (or, with ``dry_run``, would do): ``action`` is
    ``"created"``, ``"reused"``, ``"ordered"``, ``"updated"``, ``"enabled"``, ``"disabled"``,
    ``"deleted"``, ``"checked"`` or ``"would ..."``; ``what`` names the resource (numbers
    masked)."""

    resource: str
    action: str
    what: str

    @property
    def changed(self) -> bool:
        return self.action not in ("reused", "checked") and not self.action.startswith("would")

    def __str__(self) -> str:
        return f"{self.action:>16}  {self.resource}: {self.what}"


@attrs.frozen(kw_only=True)
class DialOutSetup:
    """What ``setup_dial_out`` did (``steps``) and what the application needs to dial."""

    region: str
    name: str
    lambda_arn: str
    sip_media_application_id: str | None
    phone_number: PhoneNumber | None
    sip_rule_id: str | None
    steps: tuple[Step, ...]
    warnings: tuple[str, ...] = ()
    dry_run: bool = False

    @property
    def changed(self) -> bool:
        """Whether this run created or changed anything (``False``: it was all there)."""
        return any(step.changed for step in self.steps)

    def chime_calls_line(self) -> str:
        """The facade your application builds to dial out through this setup."""
        sma = self.sip_media_application_id or "<created by the real run>"
        return f'ChimeCalls(region_name="{self.region}", sip_media_application_id="{sma}")'

    def report(self, *, show_phone_number: bool = False) -> str:
        """Human-readable: the steps, the warnings, and what to put in your code. The caller-ID
        number is masked unless ``show_phone_number``."""
        if self.dry_run:
            head = "dry run: nothing was changed; a real run would:"
        elif self.changed:
            head = "dial-out is set up:"
        else:
            head = "dial-out was already set up: nothing changed"
        lines = [head, *(str(step) for step in self.steps)]
        lines += [f"warning: {text}" for text in self.warnings]
        number = self.phone_number
        shown = (
            number.reveal()
            if number is not None and show_phone_number
            else (str(number) if number is not None else "<the number ordered by the real run>")
        )
        lines += [
            "",
            "use it with:",
            f"    calls = {self.chime_calls_line()}",
            f'    calls.dial_out(..., from_phone_number="{shown}", ...)',
        ]
        if number is not None and not show_phone_number:
            lines.append("    (the number is masked; --show-phone-number prints it)")
        return "\n".join(lines)


@attrs.frozen(kw_only=True)
class DialOutTeardown:
    """What ``teardown_dial_out`` removed (or would remove)."""

    region: str
    name: str
    steps: tuple[Step, ...]
    warnings: tuple[str, ...] = ()
    dry_run: bool = False

    @property
    def changed(self) -> bool:
        return any(step.changed for step in self.steps)

    def report(self) -> str:
        if not self.steps:
            head = f"nothing named {self.name!r} to remove in {self.region}"
        elif self.dry_run:
            head = "dry run: nothing was changed; a real run would:"
        else:
            head = "dial-out removed:"
        return "\n".join(
            [head, *(str(s) for s in self.steps), *(f"warning: {w}" for w in self.warnings)]
        )


class SetupError(_errors.ChimeCallsError):
    """Setup or teardown stopped. ``made`` lists what exists so far (nothing is left
    unreported), ``pending`` what is still under way (a phone-number order), ``resume`` the
    command that continues and ``remove`` the one that removes what was made; ``error`` is the
    ``ChimeCallsError`` that stopped it, if any."""

    def __init__(
        self,
        message: str,
        *,
        made: tuple[Step, ...] = (),
        pending: tuple[str, ...] = (),
        resume: str = "",
        remove: str = "",
        error: _errors.ChimeCallsError | None = None,
    ) -> None:
        lines = [message]
        if made:
            lines.append("made so far:")
            lines += [f"  {step}" for step in made]
        lines += [f"still pending: {item}" for item in pending]
        if resume:
            lines.append(f"to resume: {resume}")
        if remove:
            lines.append(f"to remove what was made: {remove}")
        super().__init__("\n".join(lines))
        self.made = made
        self.pending = pending
        self.resume = resume
        self.remove = remove
        self.error = error


# --- setup --------------------------------------------------------------------------------------


def setup_dial_out(
    *,
    lambda_arn: str,
    region: str | None = None,
    area_code: str | None = None,
    phone_number: str | PhoneNumber | None = None,
    name: str = DEFAULT_NAME,
    calls: ChimeCalls | None = None,
    session: boto3.Session | None = None,
    dry_run: bool = False,
    timeout: float = 900.0,
    poll_interval: float = 10.0,
    check_lambda: bool = True,
    clock: Clock | None = None,
    progress: Progress | None = None,
) -> DialOutSetup:
    """Find or create what ``dial_out`` needs in ``region`` (default: the Lambda's).

    The number: ``phone_number`` (one of your inventory), or one this step ordered before, or a
    new one in ``area_code`` (ordered, then waited for up to ``timeout`` seconds, polling every
    ``poll_interval``). The application: the one named ``name``, pointed at ``lambda_arn``. The
    rule: ``ToPhoneNumber`` for the number, targeting the application. ``dry_run`` only reads
    and reports the plan. ``progress`` gets a line per step and per poll (the CLI prints them).
    Raises ``ValidationError`` for a malformed ARN or number and
    ``SetupError`` for everything that stops it, with what was made so far.
    """
    run = _Setup(
        lambda_arn=lambda_arn,
        region=region,
        area_code=area_code,
        phone_number=phone_number,
        name=name,
        calls=calls,
        session=session,
        dry_run=dry_run,
        timeout=timeout,
        poll_interval=poll_interval,
        check_lambda=check_lambda,
        clock=clock,
        progress=progress,
    )
    return run.run()


class _Setup:
    def __init__(
        self,
        *,
        lambda_arn: str,
        region: str | None,
        area_code: str | None,
        phone_number: str | PhoneNumber | None,
        name: str,
        calls: ChimeCalls | None,
        session: boto3.Session | None,
        dry_run: bool,
        timeout: float,
        poll_interval: float,
        check_lambda: bool,
        clock: Clock | None,
        progress: Progress | None,
    ) -> None:
        if (area_code is None) == (phone_number is None):
            raise _errors.ConfigurationError(
                "setup dial-out needs a phone-number preference: an area code to order a "
                "number in (area_code=...) or a number of your inventory (phone_number=...), "
                "not both"
            )
        if timeout <= 0 or poll_interval <= 0:
            raise _errors.ConfigurationError("timeout and poll_interval must be positive")
        self.lambda_arn = lambda_arn
        self.region = _check_regions(lambda_arn, region)
        self.area_code = area_code
        self.phone_number = _number(phone_number) if phone_number is not None else None
        self.name = _check_name(name)
        self.session = session
        self.calls = calls or _facade(session, self.region)
        self.dry_run = dry_run
        self.timeout = timeout
        self.poll_interval = poll_interval
        self.check_lambda = check_lambda
        self.clock = clock or _current_clock()
        self.progress = progress or (lambda line: None)
        self.steps: list[Step] = []
        self.warnings: list[str] = []
        self.pending: list[str] = []

    # --- reporting -------------------------------------------------------------------------

    def step(self, resource: str, action: str, what: str) -> None:
        step = Step(resource=resource, action=action, what=what)
        self.steps.append(step)
        self.progress(str(step))

    def warn(self, text: str) -> None:
        self.warnings.append(text)
        self.progress(f"warning: {text}")

    def command(self, verb: str) -> str:
        parts = ["chime-calls", verb, "dial-out", "--region", self.region]
        if self.name != DEFAULT_NAME:
            parts += ["--name", self.name]
        if verb == "setup":
            parts += ["--lambda-arn", self.lambda_arn]
            if self.area_code is not None:
                parts += ["--area-code", self.area_code]
            else:
                parts += ["--phone-number", "<your number>"]
        return shlex.join(parts)

    def fail(self, message: str, error: _errors.ChimeCallsError | None = None) -> SetupError:
        made = tuple(step for step in self.steps if step.changed)
        return SetupError(
            message,
            made=made,
            pending=tuple(self.pending),
            resume=self.command("setup") if made or self.pending else "",
            remove=self.command("teardown") if made else "",
            error=error,
        )

    # --- the run ---------------------------------------------------------------------------

    def run(self) -> DialOutSetup:
        sma_id = number = rule_id = None
        try:
            if self.check_lambda:
                self.look_up_lambda()
            sma_id = self.application()
            number = self.number()
            rule_id = self.rule(sma_id, number)
        except _errors.ChimeCallsError as exc:
            if isinstance(exc, SetupError):
                raise
            what = f"{exc.operation or 'a request'} failed: {exc}"
            raise self.fail(what, exc) from None
        except KeyboardInterrupt:
            self.progress(str(self.fail("interrupted")))
            raise
        return DialOutSetup(
            region=self.region,
            name=self.name,
            lambda_arn=self.lambda_arn,
            sip_media_application_id=sma_id,
            phone_number=number,
            sip_rule_id=rule_id,
            steps=tuple(self.steps),
            warnings=tuple(self.warnings),
            dry_run=self.dry_run,
        )

    def look_up_lambda(self) -> None:
        """The function exists, and AWS's PSTN audio service may invoke it (a warning only:
        the policy may grant it in a way this does not recognise)."""
        from botocore.exceptions import BotoCoreError, ClientError

        client = _boto3_session(self.session).client("lambda", region_name=self.region)
        try:
            client.get_function(FunctionName=self.lambda_arn)
        except ClientError as exc:
            code = exc.response.get("Error", {}).get("Code", "")
            if code == "ResourceNotFoundException":
                raise self.fail(
                    f"the Lambda function {self.lambda_arn} does not exist in {self.region}: "
                    "deploy it first (chime-calls docs dial-out, 'The Lambda')"
                ) from None
            self.warn(f"could not look up the Lambda function ({code}); not checked")
            return
        except BotoCoreError as exc:
            self.warn(f"could not look up the Lambda function ({type(exc).__name__})")
            return
        self.step("Lambda function", "checked", self.lambda_arn)
        try:
            policy = client.get_policy(FunctionName=self.lambda_arn)["Policy"]
        except ClientError:
            policy = ""
        if PRINCIPAL not in _principals(policy):
            self.warn(
                f"the function's resource policy does not let {PRINCIPAL} invoke it, so calls "
                "would fail; grant it with: aws lambda add-permission --function-name "
                f"{shlex.quote(self.lambda_arn)} --statement-id chime-sma --action "
                f"lambda:InvokeFunction --principal {PRINCIPAL} --region {self.region}"
            )

    def application(self) -> str | None:

        found = next(
            (
                sma
                for page in self.calls.pages(
                    sip_media_applications.ListSipMediaApplicationsRequest()
                )
                for sma in page.sip_media_applications
                if sma.name == self.name
            ),
            None,
        )
        resource = "SIP media application"
        if found is None:
            if self.dry_run:
                self.step(resource, "would create", f"{self.name} -> {self.lambda_arn}")
                return None
            made = self.calls.sip_media_applications.create(
                aws_region=self.region,
                name=self.name,
                endpoints=[{"lambda_arn": self.lambda_arn}],
            )
            self.step(resource, "created", made.sip_media_application_id)
            return made.sip_media_application_id
        if _lambda_of(found) != self.lambda_arn:
            if self.dry_run:
                self.step(resource, "would update", f"{found.sip_media_application_id} Lambda")
            else:
                self.calls.sip_media_applications.update(
                    sip_media_application_id=found.sip_media_application_id,
                    endpoints=[{"lambda_arn": self.lambda_arn}],
                )
                self.step(resource, "updated", f"{found.sip_media_application_id} Lambda")
            return found.sip_media_application_id
        self.step(resource, "reused", found.sip_media_application_id)
        return found.sip_media_application_id

    def number(self) -> PhoneNumber | None:
        if self.phone_number is not None:
            return self.given_number(self.phone_number)

        resource = "phone number"
        for page in self.calls.pages(phone_numbers.ListPhoneNumbersRequest(product_type=DIAL_IN)):
            for number in page.phone_numbers:
                if number.name is None or number.name.reveal() != self.name:
                    continue
                if number.status in _ACQUIRED:
                    self.step(resource, "reused", str(number.phone_number_id))
                    return number.phone_number_id
                if number.status == "AcquireInProgress" and number.order_id:
                    self.step(
                        resource, "reused", f"{number.phone_number_id} (ordered by an earlier run)"
                    )
                    if self.dry_run:
                        self.step("phone-number order", "would wait for", number.order_id)
                        return number.phone_number_id
                    return self.wait(number.order_id, number.phone_number_id)
        return self.order()

    def given_number(self, wanted: PhoneNumber) -> PhoneNumber:
        resource = "phone number"
        try:
            number = self.calls.phone_numbers.get(phone_number_id=wanted)
        except _errors.NotFoundError:
            raise self.fail(
                f"{wanted} is not a number of your Chime SDK inventory: order one with "
                "--area-code, or in the console"
            ) from None
        if number.status not in _ACQUIRED:
            raise self.fail(f"{wanted} is {number.status}, not a number you can call from yet")
        others = [a for a in number.associations if a.name != "SipRuleId"]
        if others:
            raise self.fail(
                f"{wanted} is associated with {others[0].name} {others[0].value}: a number "
                "routed to a Voice Connector cannot also be a SIP media application's"
            )
        if number.product_type != DIAL_IN:
            if self.dry_run:
                self.step(resource, "would update", f"{wanted} product type to {DIAL_IN}")
            else:
                self.calls.phone_numbers.update(phone_number_id=wanted, product_type=DIAL_IN)
                self.step(resource, "updated", f"{wanted} product type to {DIAL_IN}")
        else:
            self.step(resource, "reused", str(wanted))
        return wanted

    def order(self) -> PhoneNumber | None:
        assert self.area_code is not None  # noqa: S101 - checked in __init__
        available = self.calls.phone_numbers.search_available(
            area_code=self.area_code, max_results=1
        )
        if not available.e164_phone_numbers:
            raise self.fail(f"no number is available in area code {self.area_code}")
        number = available.e164_phone_numbers[0]
        if self.dry_run:
            self.step("phone number", "would order", f"{number} (area code {self.area_code})")
            return number
        order = self.calls.phone_numbers.create_order(
            product_type=DIAL_IN, e164_phone_numbers=[number], name=self.name
        )
        self.step("phone number", "ordered", f"{number} (order {order.phone_number_order_id})")
        return self.wait(order.phone_number_order_id, number)

    def wait(self, order_id: str, number: PhoneNumber) -> PhoneNumber:
        """Poll the order on the clock until it completes or ``timeout`` passes."""
        start = self.clock.monotonic()
        self.pending = [f"phone-number order {order_id} for {number}"]
        while True:
            order = self.calls.phone_numbers.get_order(phone_number_order_id=order_id)
            elapsed = self.clock.monotonic() - start
            if order.status != "Processing":
                break
            self.progress(
                f"    waiting for phone-number order {order_id}: {order.status} "
                f"({elapsed:.0f} s of at most {self.timeout:.0f} s)"
            )
            if elapsed >= self.timeout:
                raise self.fail(
                    f"timed out after {self.timeout:.0f} s: phone-number order {order_id} is "
                    f"still {order.status} ({_ordered(order)}); AWS completes most orders within "
                    "minutes, some need days"
                )
            self.clock.sleep(min(self.poll_interval, max(self.timeout - elapsed, 0.0)))
        self.pending = []
        if order.status != "Successful":
            raise self.fail(
                f"phone-number order {order_id} ended {order.status} ({_ordered(order)}): "
                "a number can be taken by another order between the search and this one; "
                "run again to order another"
            )
        self.step("phone-number order", "completed", f"{order_id} in {elapsed:.0f} s")
        return number

    def rule(self, sma_id: str | None, number: PhoneNumber | None) -> str | None:

        resource = "SIP rule"
        existing: SipRule | None = None
        if number is not None:
            existing = next(
                (
                    rule
                    for page in self.calls.pages(sip_rules.ListSipRulesRequest())
                    for rule in page.sip_rules
                    if rule.trigger_type == "ToPhoneNumber" and rule.trigger_value == number
                ),
                None,
            )
        if existing is None:
            if self.dry_run or sma_id is None or number is None:
                self.step(resource, "would create", f"{self.name}: calls to the number -> SMA")
                return None
            made = self.calls.sip_rules.create(
                name=self.name,
                trigger_type="ToPhoneNumber",
                trigger_value=number.reveal(),
                target_applications=[
                    {"sip_media_application_id": sma_id, "priority": 1, "aws_region": self.region}
                ],
            )
            self.step(resource, "created", made.sip_rule_id)
            return made.sip_rule_id
        here = [t for t in existing.target_applications if t.aws_region == self.region]
        if sma_id is None or not here or here[0].sip_media_application_id != sma_id:
            target = here[0].sip_media_application_id if here else "no application here"
            raise self.fail(
                f"{number} already routes to {target} through SIP rule {existing.sip_rule_id} "
                f"({existing.name}); setup does not take a number from another application: "
                "pick another number, or change that rule"
            )
        if existing.disabled:
            if self.dry_run:
                self.step(resource, "would enable", existing.sip_rule_id)
            else:
                self.calls.sip_rules.update(
                    sip_rule_id=existing.sip_rule_id,
                    name=existing.name or self.name,
                    disabled=False,
                )
                self.step(resource, "enabled", existing.sip_rule_id)
            return existing.sip_rule_id
        self.step(resource, "reused", existing.sip_rule_id)
        return existing.sip_rule_id


# --- teardown -----------------------------------------------------------------------------------


def teardown_dial_out(
    *,
    region: str,
    name: str = DEFAULT_NAME,
    calls: ChimeCalls | None = None,
    session: boto3.Session | None = None,
    keep_phone_number: bool = False,
    dry_run: bool = False,
    progress: Progress | None = None,
) -> DialOutTeardown:
    """Remove what ``setup_dial_out`` made in ``region``: the SIP rule (disabled first, as
    AWS requires), the SIP media application, and the number setup ordered (into AWS's 7-day
    deletion queue, from which ``calls.phone_numbers.restore`` brings it back) unless
    ``keep_phone_number``. A number you gave setup is never deleted. Running it again finds
    nothing and says so."""
    name = _check_name(name)
    calls = calls or _facade(session, region)
    say = progress or (lambda line: None)
    steps: list[Step] = []
    warnings: list[str] = []

    def step(resource: str, action: str, what: str) -> None:
        steps.append(Step(resource=resource, action=action, what=what))
        say(str(steps[-1]))

    def command() -> str:
        parts = ["chime-calls", "teardown", "dial-out", "--region", region]
        return shlex.join(parts if name == DEFAULT_NAME else [*parts, "--name", name])

    try:
        _tear_down(
            calls,
            name,
            keep_phone_number=keep_phone_number,
            dry_run=dry_run,
            step=step,
            warnings=warnings,
        )
    except _errors.ChimeCallsError as exc:
        raise SetupError(
            f"{exc.operation or 'a request'} failed: {exc}",
            made=tuple(steps),
            resume=command(),
            error=exc,
        ) from None
    for text in warnings:
        say(f"warning: {text}")
    return DialOutTeardown(
        region=region, name=name, steps=tuple(steps), warnings=tuple(warnings), dry_run=dry_run
    )


def _tear_down(
    calls: ChimeCalls,
    name: str,
    *,
    keep_phone_number: bool,
    dry_run: bool,
    step: Callable[[str, str, str], None],
    warnings: list[str],
) -> None:

    def act(verb: str) -> str:
        return f"would {verb.removesuffix('d')}" if dry_run else verb

    smas = [
        sma
        for page in calls.pages(sip_media_applications.ListSipMediaApplicationsRequest())
        for sma in page.sip_media_applications
        if sma.name == name
    ]
    ours = {sma.sip_media_application_id for sma in smas}
    rules = [
        rule
        for page in calls.pages(sip_rules.ListSipRulesRequest())
        for rule in page.sip_rules
        if rule.name == name
        and any(t.sip_media_application_id in ours for t in rule.target_applications)
    ]
    for rule in rules:
        if not rule.disabled:
            if not dry_run:
                calls.sip_rules.update(sip_rule_id=rule.sip_rule_id, name=name, disabled=True)
            step("SIP rule", act("disabled"), rule.sip_rule_id)
        if not dry_run:
            calls.sip_rules.delete(sip_rule_id=rule.sip_rule_id)
        step("SIP rule", act("deleted"), rule.sip_rule_id)
    for sma in smas:
        if not dry_run:
            calls.sip_media_applications.delete(
                sip_media_application_id=sma.sip_media_application_id
            )
        step("SIP media application", act("deleted"), sma.sip_media_application_id)
    for number in _named_numbers(calls, name):
        if number.status == "AcquireInProgress":
            warnings.append(
                f"{number.phone_number_id} is still being ordered (order {number.order_id}); "
                "run teardown again once the order has completed to delete it"
            )
        elif number.status in _ACQUIRED and not keep_phone_number:
            if not dry_run:
                calls.phone_numbers.delete(phone_number_id=number.phone_number_id)
            step("phone number", act("deleted"), f"{number.phone_number_id} (7-day queue)")
        elif number.status in _ACQUIRED:
            step("phone number", "kept", str(number.phone_number_id))


def _named_numbers(calls: ChimeCalls, name: str) -> Iterator[PhoneNumberDetails]:

    for page in calls.pages(phone_numbers.ListPhoneNumbersRequest(product_type=DIAL_IN)):
        for number in page.phone_numbers:
            if number.name is not None and number.name.reveal() == name:
                yield number


# --- helpers ------------------------------------------------------------------------------------


def _facade(session: boto3.Session | None, region: str) -> ChimeCalls:
    from chime_calls.client import ChimeCalls

    return ChimeCalls(session=session, region_name=region)


def _boto3_session(session: boto3.Session | None) -> boto3.Session:
    import boto3

    return session if session is not None else boto3.session.Session()


def _number(value: str | PhoneNumber) -> PhoneNumber:
    return value if isinstance(value, PhoneNumber) else PhoneNumber(value)


def _check_name(name: str) -> str:
    """The name must suit the application, the rule and the number alike."""
    from chime_calls._rules import Violation, rule_for

    out: list[Violation] = []
    rule_for("chime-sdk-voice", "SipMediaApplicationName").check(name, "name", out)
    rule_for("chime-sdk-voice", "PhoneNumberName").check(name, "name", out)
    if out:
        raise _errors.ValidationError(out)
    return name


def _check_regions(lambda_arn: str, region: str | None) -> str:
    """The application's region: the Lambda's, one where SIP media applications exist."""
    from chime_calls._rules import Violation, rule_for

    out: list[Violation] = []
    rule_for("chime-sdk-voice", "FunctionArn").check(lambda_arn, "lambda_arn", out)
    if out:
        raise _errors.ValidationError(out)
    lambda_region = lambda_arn.split(":")[3]
    chosen = region or lambda_region
    regions = supported_regions()
    if chosen not in regions:
        raise SetupError(
            f"SIP media applications are not available in {chosen}; they are in "
            f"{', '.join(regions)}. Deploy the Lambda in one of them."
        )
    if chosen != lambda_region:
        raise SetupError(
            f"the Lambda function is in {lambda_region} but the SIP media application would be "
            f"in {chosen}: AWS requires both in the same region (pass --region {lambda_region}, "
            f"or deploy the function in {chosen})"
        )
    return chosen


def _lambda_of(sma: SipMediaApplication) -> str | None:
    endpoint = sma.endpoints[0] if sma.endpoints else None
    arn = endpoint.lambda_arn if endpoint is not None else None
    return arn.reveal() if arn is not None else None


def _principals(policy: str) -> set[str]:
    """The service principals a Lambda resource policy (JSON) names in Allow statements."""
    try:
        document = json.loads(policy) if policy else {}
    except ValueError:
        return set()
    found: set[str] = set()
    for statement in document.get("Statement", []):
        if statement.get("Effect") != "Allow":
            continue
        principal: Any = statement.get("Principal", {})
        services = principal.get("Service", []) if isinstance(principal, dict) else []
        found.update([services] if isinstance(services, str) else services)
    return found


def _ordered(order: PhoneNumberOrder) -> str:
    return ", ".join(
        f"{mask_phone_number(n.e164_phone_number.reveal()) if n.e164_phone_number else '?'} "
        f"{n.status}"
        for n in order.ordered_phone_numbers
    )


# --- the command line (chime-calls setup dial-out / teardown dial-out) ---------------------------


def run_cli(command: str, args: Any, out: Any, err: Any) -> int:
    """``chime-calls setup|teardown dial-out``: the report on ``out``, progress on ``err``.
    Exit status 0 done (or nothing to do), 1 stopped (what was made and how to resume or
    remove it are printed), 2 bad arguments, 130 interrupted."""

    def progress(line: str) -> None:
        print(line, file=err, flush=True)

    session = None
    if args.profile:
        import boto3

        session = boto3.Session(profile_name=args.profile)
    try:
        if command == "setup":
            done = setup_dial_out(
                lambda_arn=args.lambda_arn,
                region=args.region,
                area_code=args.area_code,
                phone_number=args.phone_number,
                name=args.name,
                session=session,
                dry_run=args.dry_run,
                timeout=args.timeout,
                poll_interval=args.poll_interval,
                check_lambda=not args.skip_lambda_check,
                progress=progress,
            )
            print(done.report(show_phone_number=args.show_phone_number), file=out)
        else:
            removed = teardown_dial_out(
                region=args.region,
                name=args.name,
                session=session,
                keep_phone_number=args.keep_phone_number,
                dry_run=args.dry_run,
                progress=progress,
            )
            print(removed.report(), file=out)
    except SetupError as exc:
        print(f"error: {exc}", file=err)
        return 1
    except (_errors.ValidationError, _errors.ConfigurationError) as exc:
        print(f"error: {exc}", file=err)
        return 2
    except _errors.ChimeCallsError as exc:  # e.g. no credentials, before anything was made
        print(f"error: {exc}", file=err)
        return 1
    except KeyboardInterrupt:
        return 130
    return 0
