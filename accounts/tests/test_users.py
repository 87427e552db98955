"""Managing staff accounts (accounts.admin): a 管理员 who is not a superuser
may run the accounts of the roles, but cannot make anyone — themselves
included — more powerful than they are, nor touch a superuser's account."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from articles.tests.test_roles import ADMINISTRATOR, EDITOR, logged_in, user_in

pytestmark = pytest.mark.django_db

User = get_user_model()


def change_url(user):
    return reverse("admin:auth_user_change", args=[user.pk])


def account_data(user, **overrides):
    """The user change form as the browser submits it for ``user``."""
    data = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "is_active": "on" if user.is_active else "",
        "is_staff": "on" if user.is_staff else "",
        "is_superuser": "on" if user.is_superuser else "",
        "groups": [str(pk) for pk in user.groups.values_list("pk", flat=True)],
        "user_permissions": [str(pk) for pk in user.user_permissions.values_list("pk", flat=True)],
        "last_login_0": "",
        "last_login_1": "",
        "date_joined_0": "2024-07-01",
        "date_joined_1": "09:00:00",
        "initial-date_joined_0": "2024-07-01",
        "initial-date_joined_1": "09:00:00",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value != ""}


@pytest.fixture
def chief(client):
    user = user_in(ADMINISTRATOR, "chief")
    logged_in(client, user)
    return user


@pytest.fixture
def root():
    return User.objects.create_superuser("root", password="x")


def test_an_administrator_cannot_make_themselves_a_superuser(client, chief):
    response = client.post(change_url(chief), account_data(chief, is_superuser="on"))
    assert response.status_code == 302  # saved; the field is read-only for them, and ignored
    chief.refresh_from_db()
    assert not chief.is_superuser


def test_an_administrator_cannot_make_someone_else_a_superuser(client, chief):
    editor = user_in(EDITOR, "editor")
    client.post(change_url(editor), account_data(editor, is_superuser="on"))
    editor.refresh_from_db()
    assert not editor.is_superuser


def test_an_administrator_cannot_give_individual_permissions(client, chief):
    editor = user_in(EDITOR, "editor")
    publish = Permission.objects.get(codename="publish_article")
    client.post(change_url(editor), account_data(editor, user_permissions=[str(publish.pk)]))
    assert not editor.user_permissions.exists()
    assert not User.objects.get(pk=editor.pk).has_perm("articles.publish_article")


def test_an_administrator_puts_people_in_the_role_groups(client, chief):
    newcomer = User.objects.create_user("newcomer", password="x")
    response = client.post(
        change_url(newcomer),
        account_data(
            newcomer,
            is_staff="on",
            groups=[str(Group.objects.get(name=EDITOR).pk)],
        ),
    )
    assert response.status_code == 302
    newcomer.refresh_from_db()
    assert newcomer.is_staff and list(newcomer.groups.values_list("name", flat=True)) == [EDITOR]


def test_an_administrator_cannot_give_a_group_holding_more_than_they_hold(client, chief):
    stronger = Group.objects.create(name="权限管理")
    stronger.permissions.add(Permission.objects.get(codename="change_group"))
    response = client.post(change_url(chief), account_data(chief, groups=[str(stronger.pk)]))
    assert response.status_code == 200
    assert "只能授予您自己拥有其全部权限的角色" in response.content.decode()
    assert not chief.groups.filter(pk=stronger.pk).exists()
    assert "权限管理" not in client.get(change_url(chief)).content.decode()  # not offered either


@pytest.mark.parametrize(
    "change",
    [
        {"is_active": ""},
        {"groups": EDITOR},
        {"username": "taken-over"},
        {"email": "attacker@example.com"},
    ],
)
def test_an_administrator_cannot_change_a_superusers_account(client, chief, root, change):
    if "groups" in change:
        change = {"groups": [str(Group.objects.get(name=change["groups"]).pk)]}
    client.post(change_url(root), account_data(root, **change))
    root.refresh_from_db()
    assert (root.is_active, root.username, root.email, root.is_superuser) == (True, "root", "", True)
    assert not root.groups.exists()


def test_an_administrator_sees_a_superusers_account_read_only(client, chief, root):
    page = client.get(change_url(root)).content.decode()
    assert 'name="username"' not in page and 'name="is_active"' not in page


def test_an_administrator_cannot_set_a_superusers_password(client, chief, root):
    url = reverse("admin:auth_user_password_change", args=[root.pk])
    response = client.post(url, {"password1": "a-new-password-2026", "password2": "a-new-password-2026"})
    assert response.status_code == 403
    root.refresh_from_db()
    assert root.check_password("x")


def test_an_administrator_cannot_delete_a_superuser(client, chief, root):
    assert client.post(reverse("admin:auth_user_delete", args=[root.pk]), {"post": "yes"}).status_code == 403
    client.post(
        reverse("admin:auth_user_changelist"),
        {
            "action": "delete_selected",
            "_selected_action": [str(root.pk)],
            "post": "yes",
        },
    )
    assert User.objects.filter(pk=root.pk).exists()


def test_an_administrator_cannot_take_over_an_account_holding_permissions_they_lack(client, chief):
    keeper = User.objects.create_user("keeper", password="x", is_staff=True)
    keeper.user_permissions.add(Permission.objects.get(codename="change_group"))
    url = reverse("admin:auth_user_password_change", args=[keeper.pk])
    assert client.post(url, {"password1": "a-new-password-2026", "password2": "a-new-password-2026"}).status_code == 403
    keeper.refresh_from_db()
    assert keeper.check_password("x")


def test_an_administrator_resets_an_editors_password(client, chief):
    editor = user_in(EDITOR, "editor")
    url = reverse("admin:auth_user_password_change", args=[editor.pk])
    response = client.post(url, {"password1": "a-new-password-2026", "password2": "a-new-password-2026"})
    assert response.status_code == 302
    editor.refresh_from_db()
    assert editor.check_password("a-new-password-2026")


def test_a_superuser_still_grants_superuser_status_and_individual_permissions(admin_client):
    editor = user_in(EDITOR, "editor")
    publish = Permission.objects.get(codename="publish_article")
    response = admin_client.post(
        change_url(editor),
        account_data(
            editor,
            is_superuser="on",
            user_permissions=[str(publish.pk)],
        ),
    )
    assert response.status_code == 302
    editor.refresh_from_db()
    assert editor.is_superuser and list(editor.user_permissions.all()) == [publish]


def test_an_administrator_adds_an_account(client, chief):
    response = client.post(
        reverse("admin:auth_user_add"),
        {
            "username": "newcomer",
            "usable_password": "true",
            "password1": "a-new-password-2026",
            "password2": "a-new-password-2026",
            "is_superuser": "on",
        },
    )
    assert response.status_code == 302
    newcomer = User.objects.get(username="newcomer")
    assert not newcomer.is_superuser and newcomer.check_password("a-new-password-2026")
