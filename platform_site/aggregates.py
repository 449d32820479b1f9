"""Aggregates that cannot single out an organisation (DESIGN §7, docs/architecture.md).

A number that counts fewer than `SMALLEST_GROUP` organisations would let a reader recognise
them — a breakdown of secret ballots by organisation type with one donor reveals that donor's
ballot. Such numbers are shown as "fewer than 3" (`None` here; templates print
`includes/fewer_than.html`), and breakdowns fold small groups into one "other" row so that the
total of the rows cannot be used to work out a hidden one by subtraction.
"""

SMALLEST_GROUP = 3


def shown_count(count: int) -> int | None:
    """The count itself, or None when it counts one or two organisations (0 is a gap: shown)."""
    return count if count == 0 or count >= SMALLEST_GROUP else None


def fold_small_groups(groups: dict, *, merge, size, other):
    """Split `groups` (key → members) into those of at least `SMALLEST_GROUP` organisations and
    one "other" group holding the members of all the smaller ones.

    `size(members)` counts the organisations of a group, `merge(list_of_members)` combines
    several groups' members, `other` is the key of the folded group. Returns a new dict; the
    "other" group is present only when some group was folded.
    """
    kept, small = {}, []
    for key, members in groups.items():
        if size(members) >= SMALLEST_GROUP:
            kept[key] = members
        else:
            small.append(members)
    if small:
        kept[other] = merge(small)
    return kept
