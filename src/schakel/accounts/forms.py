from django import forms
from django.utils.translation import gettext_lazy as _


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
