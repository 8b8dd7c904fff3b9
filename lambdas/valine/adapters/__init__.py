"""The only modules that import boto3, requests or openai."""
