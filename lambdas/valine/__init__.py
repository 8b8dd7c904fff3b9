"""Valine: the Discord /ux-update agent. This package is what ships to Lambda."""

__version__ = "0.1.0"
