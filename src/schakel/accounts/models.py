from schakel.organisations.models import User


class ReviewedAccount(User):
    """An account as the yearly rights review sees it: a proxy, so it has its own access policy
    (the review is not the administrator's account management, and the privacy officer reads it
    too)."""

    class Meta:
        proxy = True
        default_permissions = ()
