"""One Lambda function of the bot: code, logs, the live alias and its deployment group.

Every function is built here so runtime, architecture, JSON logging, log retention and
the canary wiring cannot drift apart; a function is named by its kind (``names.FUNCTIONS``),
which gives its name, its handler and its bundle.
"""

from __future__ import annotations

from collections.abc import Mapping

from aws_cdk import Acknowledgment, Duration, RemovalPolicy, Validations
from aws_cdk import aws_codedeploy as codedeploy
from aws_cdk import aws_events as events
from aws_cdk import aws_events_targets as targets
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from aws_cdk import aws_sqs as sqs
from constructs import Construct

from infra.bundling import LAMBDA_ARCHITECTURE, LAMBDA_RUNTIME, lambda_code
from valine.core import names

LIVE_ALIAS = names.LIVE_ALIAS
# The prod canary: 10% of traffic for the bake time, then all of it. Every rollback alarm must
# be able to fire inside the bake (its evaluation window is at most this long; the stack
# refuses to synthesise otherwise, and the template tests compare the two).
CANARY_CONFIG = codedeploy.LambdaDeploymentConfig.CANARY_10_PERCENT_10_MINUTES
CANARY_BAKE_SECONDS = 10 * 60
# A function's handler is valine.handlers.<module>.handler, its module named as its kind unless here.
HANDLER_MODULES = {"webhook": "github_webhook"}


def handler_of(kind: str) -> str:
    """The handler of the function of ``kind``, as Lambda's ``handler`` setting names it."""
    return f"valine.handlers.{HANDLER_MODULES.get(kind, kind)}.handler"


def bundle_of(kind: str) -> str:
    """The interactions function ships its own small bundle (its cold start is on the 3-second
    path); every other function ships the worker's."""
    return "interactions" if kind == "interactions" else "worker"


class BotFunction(Construct):
    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        kind: str,
        stage: str,
        environment: Mapping[str, str],
        timeout: Duration,
        memory_mb: int,
        log_retention_days: int,
        canary: bool,
        description: str,
        failed_events: sqs.IQueue,
    ) -> None:
        super().__init__(scope, construct_id)
        function_name = names.function_name(kind, stage)
        self.log_group = logs.LogGroup(
            self,
            "Logs",
            log_group_name=f"/aws/lambda/{function_name}",
            retention=log_retention(log_retention_days),
            removal_policy=RemovalPolicy.DESTROY,
        )
        self.function = lambda_.Function(
            self,
            "Function",
            function_name=function_name,
            description=description,
            runtime=LAMBDA_RUNTIME,
            architecture=LAMBDA_ARCHITECTURE,
            handler=handler_of(kind),
            code=lambda_code(bundle_of(kind)),
            environment=dict(environment),
            timeout=timeout,
            memory_size=memory_mb,
            logging_format=lambda_.LoggingFormat.JSON,
            log_group=self.log_group,
            # An asynchronous event that still fails after Lambda's two retries lands here (and pages),
            # instead of being dropped. Synchronous callers (API Gateway, SQS) get their error directly.
            dead_letter_queue=failed_events,
        )
        # The alias is what API Gateway and SQS call; CodeDeploy shifts it between versions.
        self.alias = lambda_.Alias(self, "Live", alias_name=LIVE_ALIAS, version=self.function.current_version)
        self.deployment_group = codedeploy.LambdaDeploymentGroup(
            self,
            "Deployment",
            alias=self.alias,
            deployment_config=(
                CANARY_CONFIG if canary
                else codedeploy.LambdaDeploymentConfig.ALL_AT_ONCE
            ),
            auto_rollback=codedeploy.AutoRollbackConfig(failed_deployment=True, stopped_deployment=True),
        )
        Validations.of(self).acknowledge(
            Acknowledgment(
                id="AwsSolutions::AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/"
                "service-role/AWSLambdaBasicExecutionRole]",
                reason="AWSLambdaBasicExecutionRole only allows writing the function's own logs.",
            ),
            Acknowledgment(
                id="AwsSolutions::AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/"
                "service-role/AWSCodeDeployRoleForLambdaLimited]",
                reason="CodeDeploy's managed role for Lambda canaries is scoped to alias shifting and "
                "the deployment hooks; AWS maintains it as the service evolves.",
            ),
        )
        Validations.of(self.function).acknowledge(Acknowledgment(
            id="AwsSolutions::AwsSolutions-L1",
            reason="Python 3.12 is pinned on purpose: the bundled PyNaCl/cffi/tree-sitter wheels are built "
            "for cp312; moving runtimes is a deliberate change of infra/bundling.py.",
        ))


def scheduled_function(scope: Construct, construct_id: str, *, schedule: events.Schedule, rule_id: str,
                       rule_description: str, retry_attempts: int | None = None, kind: str, stage: str,
                       description: str, environment: Mapping[str, str],
                       timeout: Duration, memory_mb: int, log_retention_days: int,
                       failed_events: sqs.IQueue) -> BotFunction:
    """A BotFunction that EventBridge invokes on ``schedule`` (through its live alias); never a canary.
    An event EventBridge cannot deliver goes to ``failed_events`` too."""
    fn = BotFunction(scope, construct_id, kind=kind, stage=stage, description=description, environment=environment,
                      timeout=timeout, memory_mb=memory_mb,
                     log_retention_days=log_retention_days, canary=False, failed_events=failed_events)
    events.Rule(scope, rule_id, description=rule_description, schedule=schedule,
                targets=[targets.LambdaFunction(fn.alias, retry_attempts=retry_attempts,
                                                dead_letter_queue=failed_events)])
    return fn


_RETENTIONS: tuple[tuple[int, logs.RetentionDays], ...] = (
    (1, logs.RetentionDays.ONE_DAY), (3, logs.RetentionDays.THREE_DAYS), (5, logs.RetentionDays.FIVE_DAYS),
    (7, logs.RetentionDays.ONE_WEEK), (14, logs.RetentionDays.TWO_WEEKS), (30, logs.RetentionDays.ONE_MONTH),
    (60, logs.RetentionDays.TWO_MONTHS), (90, logs.RetentionDays.THREE_MONTHS),
    (180, logs.RetentionDays.SIX_MONTHS), (365, logs.RetentionDays.ONE_YEAR),
)


def log_retention(days: int) -> logs.RetentionDays:
    """The shortest CloudWatch retention that keeps logs at least ``days`` days."""
    for value, retention in _RETENTIONS:
        if value >= days:
            return retention
    return _RETENTIONS[-1][1]
