"""Access for the web views: the same checks as the API, answered as 404/403 pages."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, Concatenate, ParamSpec, TypeVar

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse

from keryx.accounts.access import Access, workspace_access
from keryx.accounts.models import User
from keryx.accounts.roles import Perm
from keryx.core.errors import Forbidden, NotFound

P = ParamSpec("P")
R = TypeVar("R", bound=HttpResponse)


def signed_in_user(request: HttpRequest) -> User:
    """The user of a view behind ``login_required``."""
    user = request.user
    assert isinstance(user, User)
    return user


def raise_http(exc: Exception) -> None:
    if isinstance(exc, NotFound):
        raise Http404(exc.message) from exc
    if isinstance(exc, Forbidden):
        raise PermissionDenied(exc.message) from exc


def area(
    perm: Perm, *, key: str = ""
) -> Callable[[Callable[Concatenate[HttpRequest, Access, P], R]], Callable[..., HttpResponse]]:
    """Decorate a view taking ``(request, access, …)`` under ``/w/<workspace>/``."""

    def decorate(
        view: Callable[Concatenate[HttpRequest, Access, P], R],
    ) -> Callable[..., HttpResponse]:
        @login_required
        @wraps(view)
        def wrapper(
            request: HttpRequest, workspace: str, *args: Any, **kwargs: Any
        ) -> HttpResponse:
            try:
                access = workspace_access(request.user, workspace, perm)  # type: ignore[arg-type]
                request.keryx_area = key  # type: ignore[attr-defined]
                return view(request, access, *args, **kwargs)
            except (NotFound, Forbidden) as exc:
                raise_http(exc)
                raise

        return wrapper

    return decorate
