"""`mamori run`: serve mamori for local use (a demo, development) on http://127.0.0.1:8000/.

It uses Django's development server, which serves the static files too, so it only
runs with MAMORI_DEBUG=1. Production runs several gunicorn processes behind a reverse
proxy instead (docs/deployment.md).
"""

from __future__ import annotations

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

LOOPBACK = {"127.0.0.1", "localhost", "::1"}


class Command(BaseCommand):
    help = (
        "Serve mamori for local use (MAMORI_DEBUG=1) on http://127.0.0.1:8000/. "
        "In production run gunicorn (docs/deployment.md)."
    )
    requires_system_checks: list[str] = []  # the development server runs them itself

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--host",
            default="127.0.0.1",
            help="address to listen on (default: %(default)s); any other "
            "than 127.0.0.1 must be in MAMORI_ALLOWED_HOSTS",
        )
        parser.add_argument(
            "--port", type=int, default=8000, help="port to listen on (default: %(default)s)"
        )

    def handle(self, *args, host: str, port: int, **options) -> None:
        if not settings.DEBUG:
            raise CommandError(
                "mamori run is for local use and needs MAMORI_DEBUG=1. In production run "
                "gunicorn behind a reverse proxy: gunicorn mamori.wsgi (see docs/deployment.md)."
            )
        if not 0 < port < 65536:
            raise CommandError(f"--port {port}: must be between 1 and 65535")
        address = f"[{host}]" if ":" in host else host  # an IPv6 address in a URL
        self.stdout.write(f"mamori: open http://{address}:{port}/ in a browser (stop with Ctrl+C)")
        if host not in LOOPBACK:
            self.stdout.write(
                self.style.WARNING(
                    f"mamori: listening on {host}: other machines can reach this development "
                    "server; add the host name they use to MAMORI_ALLOWED_HOSTS."
                )
            )
        self.stdout.flush()  # seen at once even when the output goes to a pipe or a journal
        # The reloader would start a second process; a local demo does not need it.
        call_command(
            "runserver",
            f"{address}:{port}",
            use_reloader=False,
            use_threading=True,
            use_ipv6=":" in host,
        )
