"""`manage.py invite_coordinator EMAIL`: make (or find) a coordinator's account and e-mail it the
one-time link that sets up its second factor. Without that link, the account's password alone
never reaches the set-up page."""

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email
from django.db import transaction

from credentials.services import send_enrolment_link
from platform_site.permissions import COORDINATORS


class Command(BaseCommand):
    help = "Create or find a coordinator's account and e-mail it a two-factor set-up link."

    def add_arguments(self, parser):
        parser.add_argument("email")

    def handle(self, *args, email, **options):
        try:
            validate_email(email)
        except ValidationError:
            raise CommandError(f"{email!r} is not an e-mail address.") from None
        User = get_user_model()
        with transaction.atomic():
            user = User.objects.filter(email__iexact=email).first()
            created = user is None
            if created:
                user = User(username=email.lower()[:150], email=email.lower())
                user.set_unusable_password()
            user.is_staff = True
            user.is_active = True
            user.save()
            user.groups.add(Group.objects.get(name=COORDINATORS))
            EmailAddress.objects.update_or_create(
                user=user,
                email__iexact=user.email,
                defaults={"email": user.email, "verified": True, "primary": True},
            )
            send_enrolment_link(user=user)
        self.stdout.write(
            f"{'Created' if created else 'Updated'} the coordinator {user.email}; "
            "a two-factor set-up link was e-mailed to that address."
        )
