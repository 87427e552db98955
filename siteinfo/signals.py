"""Drop the cached site settings whenever the row changes."""

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from siteinfo.models import SiteSettings


@receiver([post_save, post_delete], sender=SiteSettings)
def forget_cached_settings(**kwargs):
    SiteSettings.forget()
    # A page rendered between the save and the commit may have cached the old
    # row again: forget it once more when the change is visible to everyone.
    transaction.on_commit(SiteSettings.forget)
