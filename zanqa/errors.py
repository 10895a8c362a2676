"""Errors a user can hit by what they typed (a flag, a name, a value): the CLI shows
their message as one line, without a traceback. Any other ValueError is a bug to see."""


class UsageError(ValueError):
    """What was asked for does not exist or is out of range; the message says what to do."""
