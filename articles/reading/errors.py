"""The site's own error pages (handler404 and handler500 in config/urls.py)."""

from django.http import HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.views.decorators.csrf import requires_csrf_token


def page_not_found(request, exception):
    return render(request, "404.html", status=404)


@requires_csrf_token
def server_error(request):
    """A standalone page: no database, no context processors, nothing that can fail again."""
    return HttpResponseServerError(loader.get_template("500.html").render())
