"""The settings every ``keryx`` process runs with."""

from keryx.settings.base import *  # noqa: F403
