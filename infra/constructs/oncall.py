"""The SNS topic that pages on-call, with subscriptions from stage context."""

from __future__ import annotations

from aws_cdk import Acknowledgment, Validations
from aws_cdk import aws_sns as sns
from aws_cdk import aws_sns_subscriptions as subscriptions
from constructs import Construct


class OnCall(Construct):
    def __init__(
        self, scope: Construct, construct_id: str, *, stage: str, emails: tuple[str, ...],
        https_urls: tuple[str, ...],
    ) -> None:
        super().__init__(scope, construct_id)
        self.topic = sns.Topic(self, "Topic", topic_name=f"valine-oncall-{stage}", enforce_ssl=True)
        for email in emails:
            self.topic.add_subscription(subscriptions.EmailSubscription(email))
        for url in https_urls:
            self.topic.add_subscription(subscriptions.UrlSubscription(url, protocol=sns.SubscriptionProtocol.HTTPS))
        Validations.of(self.topic).acknowledge(Acknowledgment(
            id="AwsSolutions::AwsSolutions-SNS2",
            reason="CloudWatch alarms cannot publish to a topic encrypted with the AWS-managed SNS key, "
            "and alarm notifications carry no sensitive data; a customer key would cost more than it protects.",
        ))
