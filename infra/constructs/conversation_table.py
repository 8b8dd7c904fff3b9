"""DynamoDB table for tasks (the conversation state), flags and the LLM budget."""

from __future__ import annotations

from collections.abc import Sequence

from aws_cdk import RemovalPolicy
from aws_cdk import aws_dynamodb as dynamodb
from aws_cdk import aws_iam as iam
from constructs import Construct

from valine.core import names

TTL_ATTRIBUTE = names.TTL_ATTRIBUTE


class ConversationTable(Construct):
    def __init__(self, scope: Construct, construct_id: str, *, stage: str, retain: bool) -> None:
        super().__init__(scope, construct_id)
        self.table = dynamodb.TableV2(
            self,
            "Table",
            table_name=names.named("table", stage),
            partition_key=dynamodb.Attribute(name="pk", type=dynamodb.AttributeType.STRING),
            sort_key=dynamodb.Attribute(name="sk", type=dynamodb.AttributeType.STRING),
            billing=dynamodb.Billing.on_demand(),
            time_to_live_attribute=TTL_ATTRIBUTE,
            point_in_time_recovery_specification=dynamodb.PointInTimeRecoverySpecification(
                point_in_time_recovery_enabled=True
            ),
            deletion_protection=retain,
            removal_policy=RemovalPolicy.RETAIN if retain else RemovalPolicy.DESTROY,
            global_secondary_indexes=[
                # The audit trail: a requester's tasks (gsi1) and everyone's (gsi2) by time.
                dynamodb.GlobalSecondaryIndexPropsV2(
                    index_name="by-requester",
                    partition_key=dynamodb.Attribute(name="gsi1pk", type=dynamodb.AttributeType.STRING),
                    sort_key=dynamodb.Attribute(name="created_at", type=dynamodb.AttributeType.STRING),
                ),
                dynamodb.GlobalSecondaryIndexPropsV2(
                    index_name="by-time",
                    partition_key=dynamodb.Attribute(name="gsi2pk", type=dynamodb.AttributeType.STRING),
                    sort_key=dynamodb.Attribute(name="created_at", type=dynamodb.AttributeType.STRING),
                ),
            ],
        )

    def grant(self, grantee: iam.IGrantable, actions: Sequence[str], *, indexes: Sequence[str] = ()) -> None:
        """Exactly ``actions`` on the table, and ``indexes`` actions on its indexes (no wildcards
        beyond the index ARNs, unlike ``grant_read_write_data``)."""
        iam.Grant.add_to_principal(grantee=grantee, actions=sorted(set(actions)),
                                   resource_arns=[self.table.table_arn])
        if indexes:
            iam.Grant.add_to_principal(grantee=grantee, actions=sorted(set(indexes)),
                                       resource_arns=[f"{self.table.table_arn}/index/*"])
