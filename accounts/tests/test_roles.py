"""The roles' permissions (accounts.roles): declared once, set on every migrate, and what
each role then sees of the apps added after the roles (问题库与对策库, 网站信息)."""

from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.core.management.sql import emit_post_migrate_signal
from django.urls import reverse

from accounts import roles
from articles.tests.test_roles import (
    ADMINISTRATOR,
    AUTHOR,
    EDITOR,
    REVIEWER,
    essay_with_library_items,
    logged_in,
    user_in,
)

pytestmark = pytest.mark.django_db

ROLES = (AUTHOR, EDITOR, REVIEWER, ADMINISTRATOR)
KNOWN_PROJECT_APPS = {"accounts", "articles", "library", "siteinfo", "topics"}
# What only superusers do: define permissions and roles, rewrite the 流转记录.
SUPERUSER_ONLY = {
    "auth.add_permission",
    "auth.change_permission",
    "auth.delete_permission",
    "auth.add_group",
    "auth.change_group",
    "auth.delete_group",
    "articles.add_articletransition",
    "articles.change_articletransition",
    "articles.delete_articletransition",
    # Nobody edits or deletes a reviewer's comment (issue 20).
    "articles.change_sectioncomment",
    "articles.delete_sectioncomment",
}


def held(role):
    return {
        f"{app}.{codename}"
        for app, codename in Group.objects.get(name=role).permissions.values_list("content_type__app_label", "codename")
    }


def every_permission():
    return {
        f"{app}.{codename}" for app, codename in Permission.objects.values_list("content_type__app_label", "codename")
    }


@pytest.mark.parametrize("role", [AUTHOR, EDITOR, REVIEWER])
def test_after_migrate_each_role_holds_exactly_its_declared_permissions(role):
    assert held(role) == roles.DECLARED[role]  # every declared one exists: no typo


@pytest.mark.parametrize("role", roles.OFFICERS)
def test_after_migrate_each_officer_holds_its_declared_permissions_that_exist(role):
    # The sensitive-word lists' permissions exist once that app is installed (i22-access).
    assert held(role) == roles.DECLARED[role] & every_permission()
    assert {name for name in roles.DECLARED[role] if not name.startswith("sensitive.")} <= held(role)


def test_the_project_apps_are_the_folders_of_this_repository():
    from django.apps import apps

    labels = roles.project_app_labels()
    assert KNOWN_PROJECT_APPS <= labels
    for app_config in apps.get_app_configs():  # not Django's own, axes, reversion …
        inside = Path(app_config.path).resolve().parent == Path(settings.BASE_DIR).resolve()
        assert (app_config.label in labels) is inside, app_config.label
    assert not labels & {"admin", "auth", "contenttypes", "sessions", "axes", "reversion"}


def test_an_app_added_later_is_a_project_app():
    class NewApp:
        path = str(Path(settings.BASE_DIR) / "newapp")

    assert roles.is_project_app(NewApp())


def test_a_model_added_later_reaches_the_administrator_and_no_other_role():
    available = every_permission() | {"library.delete_newmodel", "newapp.change_newmodel", "axes.delete_newmodel"}
    for_administrator = roles.permissions_of(ADMINISTRATOR, available, KNOWN_PROJECT_APPS | {"newapp"})
    assert {"library.delete_newmodel", "newapp.change_newmodel"} <= for_administrator
    assert "axes.delete_newmodel" not in for_administrator
    assert not SUPERUSER_ONLY & for_administrator
    for role in (AUTHOR, EDITOR, REVIEWER):
        assert not {"library.delete_newmodel", "newapp.change_newmodel"} & roles.permissions_of(role, available)


def test_migrate_sets_the_permissions_rather_than_adding_to_them():
    editors = Group.objects.get(name=EDITOR)
    editors.permissions.add(Permission.objects.get(codename="publish_article"))
    editors.permissions.remove(Permission.objects.get(codename="edit_any_article"))
    Group.objects.get(name=REVIEWER).delete()
    emit_post_migrate_signal(verbosity=0, interactive=False, db="default")
    assert held(EDITOR) == roles.DECLARED[EDITOR]
    assert held(REVIEWER) == roles.DECLARED[REVIEWER]
    before = {role: held(role) for role in ROLES}
    roles.apply_roles()
    assert {role: held(role) for role in ROLES} == before  # idempotent


def test_the_administrator_holds_every_permission_of_the_project_and_auth_apps_but_the_superuser_and_officer_only_ones():
    apps = roles.project_app_labels() | {"auth"}
    expected = {name for name in every_permission() if name.split(".")[0] in apps} - SUPERUSER_ONLY
    # 三员分立: the three officers' own powers stay theirs (accounts.roles.OFFICERS_ONLY)
    expected -= {
        "accounts.assign_roles",
        "accounts.view_security_auditentry",
        "accounts.export_auditentry",
        "accounts.add_securitypolicy",
        "accounts.change_securitypolicy",
        "accounts.delete_securitypolicy",
    }
    # and reads the background tasks' results
    expected |= {"django_tasks_database.view_dbtaskresult"}
    assert held(ADMINISTRATOR) == expected
    assert {"library.delete_libraryitem", "library.change_theme", "siteinfo.change_sitesettings"} <= expected


LIBRARY_MENU = ("library_theme", "library_libraryitem", "library_countermeasurelink")


@pytest.mark.parametrize(
    ("role", "library", "siteinfo"),
    [
        (AUTHOR, False, False),
        (EDITOR, True, False),
        (REVIEWER, False, False),
        (ADMINISTRATOR, True, True),
    ],
)
def test_the_library_and_site_information_menus_by_role(client, role, library, siteinfo):
    page = logged_in(client, user_in(role)).get(reverse("admin:index")).content.decode()
    for name in LIBRARY_MENU:
        assert (f'href="{reverse(f"admin:{name}_changelist")}"' in page) is library, name
    assert (f'href="{reverse("admin:siteinfo_sitesettings_changelist")}"' in page) is siteinfo


def test_an_editor_renames_a_library_theme(client):
    essay_with_library_items()
    from library.models import Theme

    theme = Theme.objects.first()
    response = logged_in(client, user_in(EDITOR)).post(
        reverse("admin:library_theme_change", args=[theme.pk]),
        {
            "custom_label": "编辑起的名字",
            "items-TOTAL_FORMS": "0",
            "items-INITIAL_FORMS": "0",
            "items-MIN_NUM_FORMS": "0",
            "items-MAX_NUM_FORMS": "1000",
        },
    )
    assert response.status_code == 302
    theme.refresh_from_db()
    assert theme.custom_label == "编辑起的名字"


@pytest.mark.parametrize("role", [AUTHOR, EDITOR, REVIEWER])
def test_the_administrator_holds_every_permission_of_the_other_roles_so_may_grant_them(role):
    assert held(role) <= held(ADMINISTRATOR)


@pytest.mark.parametrize(("role", "status"), [(ADMINISTRATOR, 200), (EDITOR, 403), (REVIEWER, 403), (AUTHOR, 403)])
def test_administrators_read_the_background_tasks_results(client, role, status):
    page = logged_in(client, user_in(role)).get(reverse("admin:django_tasks_database_dbtaskresult_changelist"))
    assert page.status_code == status
