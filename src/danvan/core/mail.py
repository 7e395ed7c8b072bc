"""The demo's mail: printed to the console, on standard error.

Django's console backend writes to standard output, which is where commands print what a
script reads (``danvan api_token`` prints the new key, and creating a token also mails its
owner): the key would arrive with an e-mail wrapped around it.
"""

import sys

from django.core.mail.backends import console


class ConsoleEmailBackend(console.EmailBackend):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("stream", sys.stderr)
        super().__init__(*args, **kwargs)
