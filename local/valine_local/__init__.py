"""The whole system on one machine: moto over HTTP, Discord and GitHub emulators, the
interactions endpoint and the worker, wired through the same contracts as in AWS."""
