"""Keryx: the social media workbench for seminars."""

__version__ = "0.1.0"
