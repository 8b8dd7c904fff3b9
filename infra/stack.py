"""The one stack: composes the constructs and wires grants. It defines no resource itself."""

from __future__ import annotations

import json

from aws_cdk import Acknowledgment, CfnOutput, Duration, Stack, Validations
from aws_cdk import aws_events as events
from aws_cdk import aws_events_targets as targets
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda_event_sources as sources
from aws_cdk import aws_sns_subscriptions as sns_subscriptions
from constructs import Construct

from infra.config import ConfigError, DeployTarget
from infra.constructs.bot_function import CANARY_BAKE_SECONDS, BotFunction, log_retention, scheduled_function
from infra.constructs.conversation_table import ConversationTable
from infra.constructs.handoff import WEBHOOK_TIMEOUT_SECONDS, JobQueue
from infra.constructs.interactions_api import InteractionsApi
from infra.constructs.observability import Observability
from infra.constructs.oncall import OnCall
from infra.constructs.probe import EndpointProbe
from infra.constructs.secrets import BotSecrets
from valine.adapters import dynamodb as ddb
from valine.adapters.deliveries import DELIVERIES
from valine.adapters.site_sections import SECTIONS_READ, SECTIONS_WRITE
from valine.agents import KILL_SWITCHES
from valine.core import budgets, names
from valine.core.names import Env

budgets.check()  # the time budgets must fit together before anything is built


class StackError(ConfigError):
    """The composed stack breaks a rule of AWS's or of the plan's; the message says which."""


def stack_name(stage: str) -> str:
    return names.named("stack", stage)


class ValineStack(Stack):
    def __init__(self, scope: Construct, construct_id: str, *, target: DeployTarget, **kwargs: object) -> None:
        super().__init__(scope, construct_id, **kwargs)  # type: ignore[arg-type]
        phase, stage = target.phase, target.stage
        self.target = target

        table = ConversationTable(self, "Conversations", stage=stage.name, retain=stage.is_prod)
        secrets = BotSecrets(self, "Secrets", stage=stage.name, with_openai=phase.llm_enabled)
        jobs = JobQueue(self, "Jobs", stage=stage.name)
        oncall = OnCall(self, "OnCall", stage=stage.name, emails=stage.oncall_emails,
                        https_urls=stage.oncall_https_urls)

        common = {
            Env.STAGE: stage.name,
            Env.PHASE: str(phase.number),
            Env.TABLE_NAME: table.table.table_name,
            Env.DISCORD_APPLICATION_ID: stage.discord_application_id,
            Env.DISCORD_GUILD_IDS: ",".join(stage.guild_ids),
            Env.ADMIN_ROLE_IDS: ",".join(stage.admin_role_ids),
            Env.PM_ROLE_IDS: ",".join(stage.pm_role_ids),
            Env.DEVELOPER_ROLE_IDS: ",".join(stage.developer_role_ids),
            Env.CONVERSATION_TTL_MINUTES: str(stage.conversation_ttl_minutes),
            Env.AUDIT_RETENTION_DAYS: str(stage.audit_retention_days),
            # Kill-switch defaults; the live values are flags in the table (valine flags set).
            Env.USE_LLM_PARSING: "true" if phase.llm_enabled else "false",
            **{switch: "false" for switch in KILL_SWITCHES},
        }
        interactions = BotFunction(
            self, "Interactions",
            kind="interactions", stage=stage.name,
            description="Answers Discord interactions within 3 s; hands slow work to the worker",
            environment={
                **common,
                Env.DISCORD_PUBLIC_KEY: stage.discord_public_key,
                Env.JOB_QUEUE_URL: jobs.queue.queue_url,
                Env.RATE_REQUESTS_PER_HOUR: str(stage.requests_per_hour),
                Env.RATE_PRS_PER_HOUR: str(stage.prs_per_hour),
            },
            timeout=Duration.seconds(budgets.INTERACTIONS_TIMEOUT_SECONDS),
            # More memory buys more CPU, which is what a cold start within 3 s needs.
            memory_mb=1024,
            log_retention_days=stage.log_retention_days,
            canary=stage.is_prod,
            failed_events=jobs.failed_events,
        )
        worker_env = {
            **common,
            Env.GITHUB_REPOSITORY: stage.github_repository,
            Env.GITHUB_BASE_BRANCH: stage.github_base_branch,
            Env.GITHUB_SECRET_ARN: secrets.github.secret_arn,
            Env.JOB_MAX_RECEIVES: str(budgets.JOB_MAX_RECEIVES),
        }
        if secrets.openai is not None:
            worker_env |= {
                Env.OPENAI_SECRET_ARN: secrets.openai.secret_arn,
                Env.LLM_MODEL: stage.llm_model,
                Env.LLM_INPUT_USD_PER_MILLION: str(stage.llm_input_usd_per_million),
                Env.LLM_OUTPUT_USD_PER_MILLION: str(stage.llm_output_usd_per_million),
                Env.LLM_TIMEOUT_SECONDS: str(stage.llm_timeout_seconds),
                Env.LLM_MAX_RETRIES: str(stage.llm_max_retries),
                Env.LLM_DAILY_CAP_USD: str(phase.llm_daily_cap_usd),
            }
        worker = BotFunction(
            self, "Worker",
            kind="worker", stage=stage.name,
            description="Parses requests, builds previews from GitHub, opens draft PRs, edits Discord messages",
            environment=worker_env,
            timeout=Duration.seconds(budgets.WORKER_TIMEOUT_SECONDS),
            memory_mb=1024,
            log_retention_days=stage.log_retention_days,
            canary=stage.is_prod,
            failed_events=jobs.failed_events,
        )
        worker.alias.add_event_source(sources.SqsEventSource(
            jobs.queue, batch_size=1, report_batch_item_failures=True,
        ))
        webhook = BotFunction(
            self, "GitHubWebhook",
            kind="webhook", stage=stage.name,
            description="GitHub's pull_request webhook: tasks become merged or rejected; the requester is told",
            # Telling the requester goes through its own notices queue: GitHub is answered within its
            # 10 s whatever Discord does, and the same function posts the notices as the bot.
            environment={**common, Env.GITHUB_REPOSITORY: stage.github_repository,
                         Env.GITHUB_WEBHOOK_SECRET_ARN: secrets.github_webhook.secret_arn,
                         Env.DISCORD_BOT_TOKEN_SECRET_ARN: secrets.discord_bot_token.secret_arn,
                         Env.NOTICE_QUEUE_URL: jobs.notices.queue_url},
            timeout=Duration.seconds(WEBHOOK_TIMEOUT_SECONDS), memory_mb=256,
            log_retention_days=stage.log_retention_days, canary=False, failed_events=jobs.failed_events)
        webhook.alias.add_event_source(sources.SqsEventSource(
            jobs.notices, batch_size=1, report_batch_item_failures=True))
        api = InteractionsApi(self, "InteractionsApi", stage=stage.name, target=interactions.alias,
                              webhook=webhook.alias, log_retention=log_retention(stage.log_retention_days))

        observability = Observability(
            self, "Observability", stage=stage.name, phase=phase,
            functions={"interactions": interactions, "worker": worker}, table=table.table, queue=jobs.queue,
            dead_letters=jobs.dead_letters, topic=oncall.topic, api=api.api, failed_events=jobs.failed_events)
        observability.watch("webhook", webhook)
        # CodeDeploy rolls a canary back on its function's error-rate, latency, throttle and timeout alarms.
        for kind, fn in (("interactions", interactions), ("worker", worker)):
            for alarm in observability.canary_alarms[kind]:
                fn.deployment_group.add_alarm(alarm)
        longest = max(observability.factory.cadences[a.node.id].window_seconds
                      for alarms in observability.canary_alarms.values() for a in alarms)
        if stage.is_prod and longest > CANARY_BAKE_SECONDS:
            raise StackError(f"a rollback alarm needs {longest} s of data but the canary bakes only "
                             f"{CANARY_BAKE_SECONDS} s; CodeDeploy would finish before it could fire")

        status = scheduled_function(
            self, "Status", rule_id="DailyStatus", rule_description="The plan's daily status check, 09:00 UTC",
            schedule=events.Schedule.cron(minute="0", hour="9"),
            kind="status", stage=stage.name,
            description="Posts the last 24 hours' key metrics against the phase's targets to the team channel",
            environment={**common, Env.STATUS_CHANNEL_ID: stage.status_channel_id,
                         Env.DISCORD_BOT_TOKEN_SECRET_ARN: secrets.discord_bot_token.secret_arn,
                         Env.ELIGIBLE_USERS: json.dumps(dict(stage.eligible_users), sort_keys=True)},
            timeout=Duration.seconds(60), memory_mb=512, log_retention_days=stage.log_retention_days,
            failed_events=jobs.failed_events)
        # The plan's "weekly detailed report with metrics": the same function, every Monday.
        events.Rule(self, "WeeklyReport", description="The plan's weekly report, Mondays 09:00 UTC",
                    schedule=events.Schedule.cron(minute="0", hour="9", week_day="MON"),
                    targets=[targets.LambdaFunction(status.alias, event=events.RuleTargetInput.from_object(
                        {"report": "weekly"}), dead_letter_queue=jobs.failed_events)])
        relay = BotFunction(
            self, "IncidentRelay", kind="relay", stage=stage.name,
            description="Copies every alarm notification on the on-call topic to the team channel",
            environment={**common, Env.STATUS_CHANNEL_ID: stage.status_channel_id,
                         Env.DISCORD_BOT_TOKEN_SECRET_ARN: secrets.discord_bot_token.secret_arn},
            timeout=Duration.seconds(30), memory_mb=256, log_retention_days=stage.log_retention_days, canary=False,
            failed_events=jobs.failed_events)
        # The plan's "immediate notification of any incidents" in the team channel: alarm -> SNS -> relay.
        # A notice SNS cannot deliver to the relay is kept too (SNS's redrive policy).
        oncall.topic.add_subscription(sns_subscriptions.LambdaSubscription(relay.alias,
                                                                           dead_letter_queue=jobs.failed_events))
        secrets.discord_bot_token.grant_read(relay.alias)
        probe = EndpointProbe(self, "Probe", stage=stage.name, url=api.url,
                              log_retention_days=stage.log_retention_days, alarm=observability.factory,
                              jobs=jobs.queue, failed_events=jobs.failed_events)
        sweep = scheduled_function(
            self, "Sweep", rule_id="ExpirySweep", rule_description="Marks abandoned previews expired",
            schedule=events.Schedule.rate(Duration.minutes(5)), retry_attempts=0,
            kind="sweep", stage=stage.name,
            description="Every 5 minutes: previews nobody answered become expired, each once (the expiry rate)",
            environment=common,
            timeout=Duration.seconds(60), memory_mb=256, log_retention_days=stage.log_retention_days,
            failed_events=jobs.failed_events)

        for kind, fn in (("status", status), ("relay", relay), ("sweep", sweep), ("probe", probe.function)):
            observability.watch(kind, fn)
        observability.error_widget()

        # Grants: each role gets the actions its function calls, on exactly the resources it uses.
        table.grant(interactions.alias, (*ddb.TASK_STORE_READ_WRITE, *ddb.TASK_STORE_PINNED, *ddb.QUOTAS,
                                         *ddb.FLAGS_READ, *SECTIONS_READ),
                    indexes=ddb.TASK_STORE_AUDIT)
        table.grant(worker.alias, (*ddb.TASK_STORE_READ_WRITE, *ddb.FLAGS_READ, *SECTIONS_WRITE,
                                   *(ddb.BUDGET if phase.llm_enabled else ())))
        # DescribeTable: the item count; Query on the by-time index: the weekly report's adoption and feedback.
        table.grant(status.alias, ("dynamodb:DescribeTable",), indexes=ddb.TASK_STORE_AUDIT)
        table.grant(sweep.alias, ddb.TASK_STORE_READ_WRITE, indexes=ddb.TASK_STORE_AUDIT)
        table.grant(webhook.alias, (*ddb.TASK_STORE_READ_WRITE, *DELIVERIES))
        secrets.github_webhook.grant_read(webhook.alias)
        jobs.queue.grant_send_messages(interactions.alias)
        secrets.discord_bot_token.grant_read(webhook.alias)
        jobs.notices.grant_send_messages(webhook.alias)
        status.alias.add_to_role_policy(iam.PolicyStatement(
            actions=["cloudwatch:GetMetricData", "cloudwatch:DescribeAlarmHistory"], resources=["*"]))
        # The status, webhook and relay functions post as the bot; the worker edits messages with interaction
        # tokens and never holds the bot token.
        secrets.discord_bot_token.grant_read(status.alias)
        for secret in (secrets.github, secrets.openai):
            if secret is not None:
                secret.grant_read(worker.alias)

        Validations.of(status).acknowledge(Acknowledgment(
            id="AwsSolutions::AwsSolutions-IAM5[Resource::*]",
            reason="cloudwatch:GetMetricData supports no resource-level permissions, and DescribeAlarmHistory "
            "without an alarm name (the weekly report reads the stage's alarms) needs *; both are read-only.",
        ))
        table_arn_token = self.resolve(table.table.table_arn)["Fn::GetAtt"][0]
        for reader in (interactions, sweep, status):
            Validations.of(reader).acknowledge(Acknowledgment(
                id=f"AwsSolutions::AwsSolutions-IAM5[Resource::<{table_arn_token}.Arn>/index/*]",
                reason="dynamodb:Query only, on the table's two indexes (by-requester, by-time): /tasks and the "
                "expiry sweep read tasks by time; no other action reaches an index.",
            ))
        CfnOutput(self, "GitHubWebhookUrl", value=api.webhook_url,
                  description="GitHub's pull_request webhook (valine register-webhook sets it up)")
        CfnOutput(self, "InteractionsEndpoint", value=api.url,
                  description="Paste into Discord: Developer Portal > General Information > Interactions Endpoint URL")
        CfnOutput(self, "Phase", value=str(phase.number))
