"""The four roles of 三审三校 as Django groups, with their permissions.

撰稿人 write and submit their own drafts; 编辑 edit any essay and submit it;
审核人 approve or send back (初审、复审、终审); 管理员 may do everything,
users and roles included. ``articles.workflow`` checks permissions, never
group names. Re-running is harmless: each group's permissions are set, not added.

History: the permissions are now declared in ``accounts.roles`` and set
after every migrate (a ``post_migrate`` receiver), which replaces whatever
this migration granted; the groups it creates are the same.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ESSAY = [
    ("articles", "add_article"),
    ("articles", "change_article"),
    ("articles", "view_article"),
    ("articles", "delete_article"),
    ("articles", "submit_article"),
    ("articles", "add_section"),
    ("articles", "change_section"),
    ("articles", "delete_section"),
    ("articles", "view_section"),
    ("articles", "view_articletransition"),
    ("topics", "view_topic"),
]
ROLES = {
    "撰稿人": ESSAY,
    "编辑": ESSAY
    + [
        ("articles", "edit_any_article"),
        ("topics", "add_topic"),
        ("topics", "change_topic"),
        ("topics", "delete_topic"),
        ("articles", "view_proofreadingrule"),
        ("articles", "add_proofreadingrule"),
        ("articles", "change_proofreadingrule"),
    ],
    "审核人": [
        ("articles", "view_article"),
        ("articles", "review_article"),
        ("articles", "view_section"),
        ("articles", "view_articletransition"),
        ("topics", "view_topic"),
        ("articles", "view_proofreadingrule"),
    ],
    "管理员": None,  # every permission
}


def create_roles(apps, schema_editor):
    # Permissions are normally created after migrate; the groups need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0, using=schema_editor.connection.alias)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    db = schema_editor.connection.alias
    for name, perms in ROLES.items():
        group, _ = Group.objects.using(db).get_or_create(name=name)
        if perms is None:
            chosen = Permission.objects.using(db).all()
        else:
            chosen = [
                Permission.objects.using(db).get(content_type__app_label=app, codename=codename)
                for app, codename in perms
            ]
        group.permissions.set(chosen)


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.using(schema_editor.connection.alias).filter(name__in=list(ROLES)).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0020_workflow_revisions_recycle_bin"),
        ("topics", "0002_help_texts"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("reversion", "0002_add_index_on_version_for_content_type_and_db"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
