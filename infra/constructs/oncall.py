"""The SNS topic that pages on-call, with subscriptions from stage context."""

from __future__ import annotations

from aws_cdk import Acknowledgment, Stack, Validations
from aws_cdk import aws_iam as iam
from aws_cdk import aws_sns as sns
from aws_cdk import aws_sns_subscriptions as subscriptions
from constructs import Construct

from valine.core import names

# The AWS services that publish to the topic. A topic policy replaces SNS's default policy,
# so each publisher needs its own allow: without this one, CloudWatch alarms are refused
# ("not authorized to perform: SNS:Publish ... because no resource-based policy allows").
PUBLISHERS = ("cloudwatch.amazonaws.com",)


class OnCall(Construct):
    def __init__(
        self, scope: Construct, construct_id: str, *, stage: str, emails: tuple[str, ...],
        https_urls: tuple[str, ...],
    ) -> None:
        super().__init__(scope, construct_id)
        # enforce_ssl adds the deny of plain-HTTP publishes to the same policy document.
        self.topic = sns.Topic(self, "Topic", topic_name=names.named("topic", stage), enforce_ssl=True)
        account = Stack.of(self).account
        self.topic.add_to_resource_policy(iam.PolicyStatement(
            sid="AllowAlarmsOfThisAccountToPage",
            effect=iam.Effect.ALLOW,
            principals=[iam.ServicePrincipal(p) for p in PUBLISHERS],
            actions=["sns:Publish"],
            resources=[self.topic.topic_arn],
            # Only this account's alarms: the confused-deputy guard AWS recommends for service principals.
            conditions={"StringEquals": {"aws:SourceAccount": account}},
        ))
        for email in emails:
            self.topic.add_subscription(subscriptions.EmailSubscription(email))
        for url in https_urls:
            self.topic.add_subscription(subscriptions.UrlSubscription(url, protocol=sns.SubscriptionProtocol.HTTPS))
        Validations.of(self.topic).acknowledge(Acknowledgment(
            id="AwsSolutions::AwsSolutions-SNS2",
            reason="CloudWatch alarms cannot publish to a topic encrypted with the AWS-managed SNS key, "
            "and alarm notifications carry no sensitive data; a customer key would cost more than it protects.",
        ))
