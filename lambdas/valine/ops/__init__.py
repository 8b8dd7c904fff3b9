"""Operations: the rollout plan's go/no-go criteria measured from CloudWatch."""
