"""`mamori demo`: build the demo organisations (idempotent) and print their logins."""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from mamori.org import demo


class Command(BaseCommand):
    @property
    def help(self) -> str:  # a property: translated when asked for, in the active language
        return _(
            "デモ用の組織（デモ省・デモ研究機構）、職員等、役割と申請の例を作成し、"
            "ログイン情報を表示します。"
        )

    def add_arguments(self, parser):
        parser.add_argument(
            "--quiet", action="store_true", help=_("何も表示しません（作成だけ行います）。")
        )
        parser.add_argument(
            "--logins",
            action="store_true",
            help=_("作成は行わず、デモアカウントのログイン情報だけを表示します。"),
        )

    def handle(self, *args, quiet: bool = False, logins: bool = False, **options):
        try:
            password = demo.demo_password()
            if not logins:
                result = demo.build_demo(password)
        except demo.DemoError as exc:
            raise CommandError(str(exc)) from None
        if quiet:
            return
        if not logins:
            if result.first_build:
                self.stdout.write(_("デモデータを作成しました。"))
            elif sum(result.created.values()):
                self.stdout.write(_("不足していたデモデータを補いました。"))
            elif not result.passwords_reset:
                self.stdout.write(_("デモデータは作成済みです（変更はありません）。"))
            if result.passwords_reset:
                self.stdout.write(
                    _(
                        "%(count)d 件のアカウントのパスワードを現在のデモ用パスワードに"
                        "更新しました。"
                    )
                    % {"count": result.passwords_reset}
                )
            self.stdout.write("")
        self.stdout.write(
            demo.format_logins(
                demo.logins(),
                url=settings.SITE_URL,
                password=password,
                source=demo.password_source(),
            ),
            ending="",
        )
