from django.apps import AppConfig


class BorderConfig(AppConfig):
    name = "gomruk.border"
    label = "border"
    verbose_name = "Sərhəd buraxılış məntəqələri"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Arrivals follow the declarations that cover them: declared on send, cleared on
        # release, back in storage on refusal or withdrawal.
        from gomruk.border.declaring import on_declaration_transitioned
        from gomruk.declarations.lifecycle import declaration_transitioned

        declaration_transitioned.connect(on_declaration_transitioned, dispatch_uid="border.arrivals_follow")
