from django import forms


class ConfirmForm(forms.Form):
    """A button: the POST itself is the decision (CSRF-protected)."""
