from django.apps import AppConfig


class BorderConfig(AppConfig):
    name = "gomruk.border"
    label = "border"
    verbose_name = "Sərhəd buraxılış məntəqələri"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Arrivals follow the declarations that cover them: declared on send, cleared on
        # release, back in storage on refusal or withdrawal. Declarations, below this app,
        # calls the hook from its transition path (docs/adr/0006-transition-hooks.md).
        # Imported here, not at the top: models may be imported only once the registry is ready.
        from gomruk.border.declaring import arrivals_follow_transition
        from gomruk.declarations.lifecycle import transition_hook_register

        transition_hook_register("border.arrivals_follow", arrivals_follow_transition)
