"""The operator and local-development CLI (``.venv/bin/valine``); never shipped to Lambda."""
