"""The admin's sign-in form, throttled like every password sign-in (``accounts.throttle``)."""

from __future__ import annotations

from typing import Any

from django.contrib.admin.forms import AdminAuthenticationForm
from django.core.exceptions import ValidationError

from gomruk.accounts.throttle import LoginLocked, password_authenticate


class ThrottledAdminLoginForm(AdminAuthenticationForm):
    def clean(self) -> dict[str, Any]:
        username = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if username is not None and password:
            try:
                self.user_cache = password_authenticate(
                    request=self.request, username=username, password=password, channel="admin"
                )
            except LoginLocked as locked:
                raise ValidationError(locked.message(), code="login_locked") from None
            if self.user_cache is None:
                raise self.get_invalid_login_error()
            self.confirm_login_allowed(self.user_cache)
        return self.cleaned_data
