"""Secrets Manager secrets the operator fills after the first deploy.

The template never holds a value: each secret starts as ``{"unset": true, ...}`` with a
random filler, and the worker tells the user (and the logs) which secret to fill when it
meets one. Fill them with ``aws secretsmanager put-secret-value`` (docs/runbook.md).
"""

from __future__ import annotations

import json

from aws_cdk import Acknowledgment, RemovalPolicy, Validations
from aws_cdk import aws_secretsmanager as secretsmanager
from constructs import Construct

from valine.core import names


class BotSecrets(Construct):
    def __init__(self, scope: Construct, construct_id: str, *, stage: str, with_openai: bool) -> None:
        super().__init__(scope, construct_id)
        self.discord_bot_token = self._secret("DiscordBotToken", names.secret_name(stage, "discord-bot-token"),
                                              "Discord bot token: {\"bot_token\": \"...\"}")
        self.github = self._secret("GitHub", names.secret_name(stage, "github"),
                                   "GitHub: {\"token\": \"...\"} or {\"app_id\", \"installation_id\", "
                                   "\"private_key\"}")
        # GitHub signs webhook deliveries with this; CloudFormation generates it at deploy time (the
        # template holds no value) and `valine register-webhook` hands it to GitHub.
        self.github_webhook = secretsmanager.Secret(
            self, "GitHubWebhook", secret_name=names.secret_name(stage, "github-webhook"),
            description="GitHub webhook secret: {\"secret\": \"...\"} (generated; valine register-webhook)",
            generate_secret_string=secretsmanager.SecretStringGenerator(
                secret_string_template=json.dumps({}), generate_string_key="secret", exclude_punctuation=True,
                password_length=48),
            removal_policy=RemovalPolicy.RETAIN)
        Validations.of(self.github_webhook).acknowledge(_no_rotation)
        self.openai = (
            self._secret("OpenAI", names.secret_name(stage, "openai"), "OpenAI: {\"api_key\": \"...\"}")
            if with_openai else None
        )

    def _secret(self, construct_id: str, name: str, description: str) -> secretsmanager.Secret:
        secret = secretsmanager.Secret(
            self,
            construct_id,
            secret_name=name,
            description=description,
            generate_secret_string=secretsmanager.SecretStringGenerator(
                secret_string_template=json.dumps({"unset": True}),
                generate_string_key="filler",
            ),
            removal_policy=RemovalPolicy.RETAIN,
        )
        Validations.of(secret).acknowledge(_no_rotation)
        return secret

_no_rotation = Acknowledgment(
    id="AwsSolutions::AwsSolutions-SMG4",
    reason="Discord bot tokens, GitHub tokens and OpenAI keys are issued by those services; "
    "no Lambda can rotate them. Operators rotate them by hand (docs/runbook.md).",
)
