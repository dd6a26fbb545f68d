from django.utils.translation import gettext_lazy as _

from mamori.web.nav import NavItem, register

register(NavItem("handling_check", _("取扱いの確認"), "assets:check", None, 35, group="handling"))
register(NavItem("assets", _("情報資産台帳"), "assets:list", None, 40, group="handling"))
register(NavItem("scan_check", _("公表前チェック"), "assets:scan", None, 37, group="handling"))
