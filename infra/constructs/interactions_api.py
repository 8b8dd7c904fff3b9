"""HTTP API: ``POST /discord`` to the interactions function's live alias, and ``POST /github``
(GitHub's pull_request webhook) to the webhook function's."""

from __future__ import annotations

import jsii
from aws_cdk import Acknowledgment, RemovalPolicy, Validations
from aws_cdk import aws_apigateway as apigateway
from aws_cdk import aws_apigatewayv2 as apigw
from aws_cdk import aws_apigatewayv2_integrations as integrations
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from constructs import Construct


@jsii.implements(apigw.IAccessLogSettings)
class _AccessLogs:
    """IAccessLogSettings is a jsii interface, so Python passes an implementing object."""

    def __init__(self, destination: apigw.IAccessLogDestination) -> None:
        self._destination = destination

    @property
    def destination(self) -> apigw.IAccessLogDestination:
        return self._destination

    @property
    def format(self) -> apigateway.AccessLogFormat:
        return apigateway.AccessLogFormat.custom(
            '{"requestId":"$context.requestId","ip":"$context.identity.sourceIp",'
            '"status":"$context.status","latency":"$context.integrationLatency","path":"$context.path"}'
        )


class InteractionsApi(Construct):
    def __init__(self, scope: Construct, construct_id: str, *, stage: str, target: lambda_.IFunction,
                 webhook: lambda_.IFunction, log_retention: logs.RetentionDays) -> None:
        super().__init__(scope, construct_id)
        self.api = apigw.HttpApi(
            self, "Api", api_name=f"valine-interactions-{stage}", create_default_stage=False,
        )
        self.api.add_routes(
            path="/discord",
            methods=[apigw.HttpMethod.POST],
            integration=integrations.HttpLambdaIntegration("Interactions", target),
        )
        self.api.add_routes(
            path="/github",
            methods=[apigw.HttpMethod.POST],
            integration=integrations.HttpLambdaIntegration("GitHubWebhook", webhook),
        )
        self.access_logs = logs.LogGroup(
            self, "AccessLogs", retention=log_retention, removal_policy=RemovalPolicy.DESTROY,
        )
        self.stage = apigw.HttpStage(
            self,
            "Stage",
            http_api=self.api,
            stage_name="$default",
            auto_deploy=True,
            # Discord retries nothing and sends little; a cap keeps a flood off the functions.
            throttle=apigw.ThrottleSettings(rate_limit=50, burst_limit=100),
            access_log_settings=_AccessLogs(apigw.LogGroupLogDestination(self.access_logs)),
        )
        Validations.of(self.api).acknowledge(Acknowledgment(
            id="AwsSolutions::AwsSolutions-APIG4",
            reason="Discord and GitHub cannot send IAM/JWT credentials; every request is authenticated by "
            "its signature (Discord's Ed25519, GitHub's HMAC-SHA256) in the function and refused with 401 "
            "otherwise.",
        ))

    @property
    def url(self) -> str:
        return f"{self.api.api_endpoint}/discord"

    @property
    def webhook_url(self) -> str:
        return f"{self.api.api_endpoint}/github"
