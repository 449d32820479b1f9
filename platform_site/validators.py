from django.core.validators import URLValidator
from django.utils.translation import gettext_lazy as _

#: Only web addresses: no javascript:, data:, ftp: or file: links reach a page.
validate_web_url = URLValidator(
    schemes=["http", "https"],
    message=_("Enter a web address that starts with http:// or https://."),
)
