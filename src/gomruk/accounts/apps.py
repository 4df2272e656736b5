from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


class AccountsConfig(AppConfig):
    name = "gomruk.accounts"
    label = "accounts"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from gomruk.accounts.models import BrokerLicence, Representation, Trader, TraderBinding
        from gomruk.accounts.selectors import voens_forget

        for model in (TraderBinding, Representation, BrokerLicence, Trader):
            post_save.connect(voens_forget, sender=model, dispatch_uid=f"voens_forget_save_{model.__name__}")
            post_delete.connect(voens_forget, sender=model, dispatch_uid=f"voens_forget_delete_{model.__name__}")
