"""``valine local``: the whole bot on 127.0.0.1, talking real protocols.

- moto's server over HTTP stands in for DynamoDB, SQS and Secrets Manager;
- the Discord and GitHub emulators answer the real API paths;
- ``POST /discord`` runs the same interactions handler as the Lambda (API Gateway event
  shape, base64 body), verifying Ed25519 signatures;
- worker threads poll the job queue and call the same worker entry point as the Lambda,
  with ``ApproximateReceiveCount`` and a dead-letter queue after 3 receives.
"""

from __future__ import annotations

import json
import logging
import os
import threading
import time
from typing import Any

from valine.agents import KILL_SWITCHES
from valine.core import names
from valine.core.names import Env
from valine.handlers.worker import process as worker_process
from valine.settings import Settings
from valine.wiring import build_interactions, build_worker
from valine.wiring.support import build_github_webhook
from valine_local.config import LocalConfig, dev_signing_key, free_port
from valine_local.discord_emulator import DiscordEmulator
from valine_local.endpoint import serve_endpoint
from valine_local.faults import parse_faults
from valine_local.github_emulator import GitHubEmulator, GitRepo

log = logging.getLogger("valine.local")


class LocalStack:
    def __init__(self, config: LocalConfig) -> None:
        self.config = config
        self.TABLE = names.named("table", config.name)
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        self.worker_runs = 0

    # ---- lifecycle ---------------------------------------------------------------------
    def start(self) -> LocalStack:
        from valine_local.aws import MotoServer

        logging.getLogger("werkzeug").setLevel(logging.WARNING)  # moto's request log drowns everything
        cfg = self.config
        for key, value in {"AWS_ACCESS_KEY_ID": "local", "AWS_SECRET_ACCESS_KEY": "local",
                           "AWS_DEFAULT_REGION": "us-east-1"}.items():
            os.environ.setdefault(key, value)
        self.moto_port = free_port()
        self.moto = MotoServer(ip_address="127.0.0.1", port=self.moto_port, verbose=False)
        self.moto.start()
        self.aws_url = f"http://127.0.0.1:{self.moto_port}"
        self.github_token = "ghp_local_" + os.urandom(8).hex()
        self.discord_bot_token = "local-bot-" + os.urandom(8).hex()
        self._provision_aws()

        repo = GitRepo.seed(cfg.state_dir / "site.git", cfg.site, cfg.base_branch)
        self.github = GitHubEmulator(repo, cfg.repository, token=self.github_token).start()
        self.discord = DiscordEmulator(application_id=cfg.application_id, bot_token=self.discord_bot_token).start()
        if cfg.faults:
            self.github.faults.set(parse_faults(cfg.faults))
            self.discord.faults.set(parse_faults(cfg.faults))
            self.moto.faults.set(parse_faults(cfg.faults))

        if cfg.public_key_hex:
            self.signing_key = None
            public_key = cfg.public_key_hex
        else:
            self.signing_key = dev_signing_key(cfg.state_dir)
            public_key = self.signing_key.verify_key.encode().hex()
        self.settings = Settings.from_env({
            "STAGE": "local", "PHASE": cfg.phase, "TABLE_NAME": self.TABLE,
            "DISCORD_APPLICATION_ID": cfg.application_id, "DISCORD_PUBLIC_KEY": public_key,
            "DISCORD_GUILD_IDS": ",".join(cfg.guild_ids), "ADMIN_ROLE_IDS": ",".join(cfg.admin_role_ids),
            "PM_ROLE_IDS": ",".join(cfg.pm_role_ids), "DEVELOPER_ROLE_IDS": ",".join(cfg.developer_role_ids),
            "CONVERSATION_TTL_MINUTES": str(cfg.ttl_minutes), "JOB_QUEUE_URL": self.queue_url,
            "GITHUB_REPOSITORY": cfg.repository, "GITHUB_BASE_BRANCH": cfg.base_branch,
            "GITHUB_SECRET_ARN": self.github_secret_arn, "OPENAI_SECRET_ARN": self.openai_secret_arn,
            Env.GITHUB_WEBHOOK_SECRET_ARN: self.webhook_secret_arn,
            Env.DISCORD_BOT_TOKEN_SECRET_ARN: self.bot_token_secret_arn,
            "USE_LLM_PARSING": "true" if int(cfg.phase) >= 5 else "false", **{k: "false" for k in KILL_SWITCHES},
            "JOB_MAX_RECEIVES": "3", "OPENAI_BASE_URL": self.llm_url or "", Env.NOTICE_QUEUE_URL: self.notice_queue_url,
            "AWS_ENDPOINT_URL": self.aws_url,
            Env.RATE_REQUESTS_PER_HOUR: str(cfg.rate_limits.get("requests_per_hour", "")),
            Env.RATE_PRS_PER_HOUR: str(cfg.rate_limits.get("prs_per_hour", "")), "GITHUB_API_URL": self.github.url,
            "DISCORD_API_URL": cfg.discord_api_url or f"{self.discord.url}/api/v10",
            **cfg.extra_env,
        })
        self.interactions = build_interactions(self.settings)
        self.agent = build_worker(self.settings)
        self.webhooks = build_github_webhook(self.settings)
        self._serve_endpoint()
        # Discord sends interactions to the endpoint, signed with the application's key.
        self.discord.interactions_url = f"{self.url}/discord"
        self.discord.signing_key = self.signing_key
        # As `valine register-webhook` does against GitHub: pull_request events to POST /github.
        self.github.hooks.append({"id": 1, "url": f"{self.url}/github", "secret": self.webhook_secret,
                                  "events": ["pull_request"], "active": True})
        for i in range(cfg.worker_threads):
            t = threading.Thread(target=self._work, name=f"worker-{i}", daemon=True)
            t.start()
            self._threads.append(t)
        if cfg.worker_threads:  # the webhook function's notices queue, as its SQS trigger runs it
            t = threading.Thread(target=self._notices, name="notices", daemon=True)
            t.start()
            self._threads.append(t)
        return self

    def stop(self) -> None:
        self._stop.set()
        for t in self._threads:
            t.join(timeout=5)
        self.endpoint.shutdown()
        self.endpoint.server_close()
        self.github.stop()
        self.discord.stop()
        if self.llm:
            self.llm.stop()
        self.moto.stop()

    # ---- AWS resources, as the CDK stack declares them ---------------------------------
    def _provision_aws(self) -> None:
        import boto3

        db = boto3.client("dynamodb", endpoint_url=self.aws_url)
        gsi = [{"IndexName": name, "KeySchema": [{"AttributeName": pk, "KeyType": "HASH"},
                                                 {"AttributeName": "created_at", "KeyType": "RANGE"}],
                "Projection": {"ProjectionType": "ALL"}} for name, pk in (("by-requester", "gsi1pk"),
                                                                           ("by-time", "gsi2pk"))]
        db.create_table(TableName=self.TABLE, BillingMode="PAY_PER_REQUEST",
                        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"},
                                   {"AttributeName": "sk", "KeyType": "RANGE"}],
                        AttributeDefinitions=[{"AttributeName": n, "AttributeType": "S"}
                                              for n in ("pk", "sk", "gsi1pk", "gsi2pk", "created_at")],
                        GlobalSecondaryIndexes=gsi)
        db.update_time_to_live(TableName=self.TABLE,
                               TimeToLiveSpecification={"Enabled": True, "AttributeName": "purge_at"})
        sqs = boto3.client("sqs", endpoint_url=self.aws_url)
        dlq = sqs.create_queue(QueueName=names.named("dead-letters", self.config.name))["QueueUrl"]
        dlq_arn = sqs.get_queue_attributes(QueueUrl=dlq, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
        self.dlq_url = dlq
        self.queue_url = sqs.create_queue(QueueName=names.named("queue", self.config.name), Attributes={
            "VisibilityTimeout": str(self.config.visibility_timeout),
            "RedrivePolicy": json.dumps({"deadLetterTargetArn": dlq_arn, "maxReceiveCount": "3"}),
        })["QueueUrl"]
        sm = boto3.client("secretsmanager", endpoint_url=self.aws_url)
        self.github_secret_arn = sm.create_secret(Name=names.secret_name(self.config.name, "github"),
                                                  SecretString=json.dumps({"token": self.github_token}))["ARN"]
        self.bot_token_secret_arn = sm.create_secret(
            Name=names.secret_name(self.config.name, "discord-bot-token"),
            SecretString=json.dumps({"bot_token": self.discord_bot_token}))["ARN"]
        self.webhook_secret = os.urandom(20).hex()
        self.webhook_secret_arn = sm.create_secret(Name=names.secret_name(self.config.name, "github-webhook"),
                                                   SecretString=json.dumps({"secret": self.webhook_secret}))["ARN"]
        self.llm: Any = None
        api_key = os.environ.get("OPENAI_API_KEY", "") if self.config.llm_base_url else ""
        if self.config.llm_base_url is None and int(self.config.phase) >= 5:
            from valine_local.openai_emulator import OpenAiEmulator

            self.llm = OpenAiEmulator(api_key="sk-local-" + os.urandom(6).hex()).start()
            api_key = self.llm.api_key
        secret = {"api_key": api_key} if api_key else {"unset": True}
        self.openai_secret_arn = sm.create_secret(Name=names.secret_name(self.config.name, "openai"),
                                                  SecretString=json.dumps(secret))["ARN"]
        self.notice_queue_url = sqs.create_queue(QueueName=names.named("notices", self.config.name), Attributes={
            "VisibilityTimeout": str(self.config.visibility_timeout),
            "RedrivePolicy": json.dumps({"deadLetterTargetArn": dlq_arn, "maxReceiveCount": "5"}),
        })["QueueUrl"]
        self.sqs = sqs
        self.dynamodb = db

    # ---- the endpoint ------------------------------------------------------------------
    def _serve_endpoint(self) -> None:
        self.endpoint = serve_endpoint(self.config.port, health=self.health, app=lambda: self.interactions,
                                       webhooks=lambda: self.webhooks)
        self.config.port = self.endpoint.server_address[1]

    @property
    def llm_url(self) -> str | None:
        if self.llm is not None:
            return f"{self.llm.url}/v1"
        return self.config.llm_base_url

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.config.port}"

    def health(self) -> dict[str, Any]:
        s = self.settings
        flags = self.interactions.flags.current()
        return {
            "status": "ok", "phase": s.phase.number, "phase_name": s.phase.name, "stage": s.stage,
            "flags": {**{k: flags.paused(k) for k in KILL_SWITCHES}, "USE_LLM_PARSING": flags.use_llm_parsing},
            "repository": s.github_repository, "base_branch": s.github_base_branch,
            "github_url": self.github.url, "discord_url": self.discord.url, "aws_url": self.aws_url,
            "application_id": s.application_id, "guild_ids": sorted(s.guild_ids),
            "role_ids": {"admin": sorted(s.admin_role_ids), "pm": sorted(s.pm_role_ids),
                         "developer": sorted(s.developer_role_ids)},
            "llm_url": self.llm_url, "public_key": s.public_key_hex,
            "bot_token_secret": names.secret_name(self.config.name, "discord-bot-token"),
            "dev_signing_key": bool(self.signing_key),
            "state_dir": str(self.config.state_dir), "table": self.TABLE, "name": self.config.name,
            "endpoint_url": f"{self.url}/discord",
            # GitHub's pull_request webhook: where it is delivered, and the local secret it is signed with
            "github_webhook_url": f"{self.url}/github",
            "github_webhook_secret": names.secret_name(self.config.name, "github-webhook"),
        }

    # ---- the worker --------------------------------------------------------------------
    def _work(self) -> None:
        def run(record: dict[str, Any]) -> dict[str, Any]:
            result = worker_process({"Records": [record]}, agent=self.agent,
                                    max_receives=self.settings.job_max_receives)
            self.worker_runs += 1
            return result

        self._poll(self.queue_url, run)

    def _notices(self) -> None:
        from valine.wiring.support import run_notices

        self._poll(self.notice_queue_url, lambda record: run_notices(self.settings, {"Records": [record]}))

    def _poll(self, queue_url: str, run: Any) -> None:
        """What Lambda's SQS event source does for one function: receive, run, delete what
        succeeded. A failed receive is one line in the log, not a traceback per half second:
        if moto's state was reset under the stack (another in-process moto in the same test
        session), the queue is gone for good and the thread says so once and stops."""
        while not self._stop.is_set():
            try:
                out = self.sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=1, WaitTimeSeconds=1,
                                               AttributeNames=["ApproximateReceiveCount"])
            except Exception as exc:  # noqa: BLE001 - the loop must outlive any one failure
                if self._stop.is_set():
                    return
                if "NonExistentQueue" in str(exc) or "QueueDoesNotExist" in type(exc).__name__:
                    log.warning("the queue %s no longer exists; this consumer stops", queue_url.rsplit("/", 1)[-1])
                    return
                log.warning("receive from %s failed: %s", queue_url.rsplit("/", 1)[-1], exc)
                time.sleep(0.5)
                continue
            for message in out.get("Messages", []):
                record = {"messageId": message["MessageId"], "body": message["Body"],
                          "attributes": message.get("Attributes", {}), "eventSource": "aws:sqs"}
                if not run(record)["batchItemFailures"]:
                    self.sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"])

    def queue_depth(self) -> tuple[int, int]:
        def depth(url: str) -> int:
            attrs = self.sqs.get_queue_attributes(QueueUrl=url, AttributeNames=[
                "ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"])["Attributes"]
            return int(attrs["ApproximateNumberOfMessages"]) + int(attrs["ApproximateNumberOfMessagesNotVisible"])
        return depth(self.queue_url), depth(self.dlq_url)
