from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from members.services import erase_user


class Command(BaseCommand):
    help = "Delete an account and every history row about that person (right to erasure)."

    def add_arguments(self, parser):
        parser.add_argument("email")

    def handle(self, *args, email, **options):
        user = get_user_model().objects.filter(email__iexact=email).first()
        if user is None:
            raise CommandError(f"No account uses {email}.")
        erase_user(user=user)
        self.stdout.write("The account and its personal history were erased.")
