"""Print nginx's ``geo`` block for ADMIN_ALLOWED_NETWORKS (deploy/nginx/portal.conf).

    manage.py staff_networks_nginx    # paste over the geo $portal_staff_network block

The app refuses the same addresses itself (accounts/network.py); the block
makes nginx refuse them first.
"""

from django.conf import settings
from django.core.management.base import BaseCommand

from config.client_address import parse_networks


class Command(BaseCommand):
    help = "打印 deploy/nginx/portal.conf 中与 ADMIN_ALLOWED_NETWORKS 一致的 geo 配置块。"

    def handle(self, *args, **options):
        networks = parse_networks(settings.ADMIN_ALLOWED_NETWORKS)
        lines = ["geo $portal_staff_network {"]
        lines.append("    default 0;" if networks else "    default 1;")
        lines += [f"    {network} 1;" for network in networks]
        lines.append("}")
        self.stdout.write("\n".join(lines))
