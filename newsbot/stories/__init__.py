"""Which articles report one story: grouping features, the grouper, and its state."""

from newsbot.stories.grouper import Grouper, GrouperConfig, Story, group, parse_published

__all__ = ["Grouper", "GrouperConfig", "Story", "group", "parse_published"]
