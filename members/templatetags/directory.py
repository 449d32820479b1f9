from django import template

from members import cards

register = template.Library()

# Why a search result matched, as the directory's cards say it: {% match_reasons organisation %}
register.simple_tag(cards.match_reasons, name="match_reasons")
