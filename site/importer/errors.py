"""What the importer says when it refuses a whole file."""


class ImportFileError(Exception):
    """The file as a whole cannot be imported; the message (Chinese) says why."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


def megabytes(size):
    return f"{size / 1024 / 1024:.1f} MB"
