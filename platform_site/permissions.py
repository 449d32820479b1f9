"""Helpers for data migrations that give the Coordinators group its permissions."""

COORDINATORS = "Coordinators"


def grant_coordinators(apps, permissions: dict[str, dict[str, list[str]]]) -> None:
    """Give the Coordinators group these permissions, creating them if needed.

    `permissions` maps app label → model name → actions, e.g.
    {"members": {"organisation": ["view", "change"]}}. Works with a migration's historical
    `apps` as well as with the real registry.
    """
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        # Historical app configs have no models module, which create_permissions requires.
        original = getattr(app_config, "models_module", None)
        app_config.models_module = original or True
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = original
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=COORDINATORS)
    for app_label, models in permissions.items():
        for model, actions in models.items():
            for action in actions:
                group.permissions.add(
                    Permission.objects.get(
                        content_type__app_label=app_label, codename=f"{action}_{model}"
                    )
                )
