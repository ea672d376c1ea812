from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _


class LoginForm(AuthenticationForm):
    """Django's login form, refusing a username longer than any account's before anything is
    authenticated: Django only sets the field's max_length (the widget's maxlength) without
    validating it, so a long name reached authenticate() and the lock-out's record of the
    failed attempt, whose column is 255 characters (a server error on PostgreSQL)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["username"]
        longest = getattr(field, "max_length", None) or 150  # the User model's username length
        field.validators.append(MaxLengthValidator(longest))


class EnrolmentCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code from your authenticator app"),
        help_text=_("The six digits the app shows for Schakel."),
        max_length=16,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )


class VerificationCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        help_text=_("The six digits your authenticator app shows, or one of your recovery codes."),
        max_length=32,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autofocus": True}),
    )
