from django.apps import AppConfig
from django.db.models import Model
from django.db.models.signals import post_delete, post_save


class AccountsConfig(AppConfig):
    name = "gomruk.accounts"
    label = "accounts"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from gomruk.accounts import models, token_memo
        from gomruk.accounts.selectors import voens_forget

        voens: tuple[type[Model], ...] = (models.TraderBinding, models.Representation, models.BrokerLicence, models.Trader)
        for model in voens:
            post_save.connect(voens_forget, sender=model, dispatch_uid=f"voens_forget_save_{model.__name__}")
            post_delete.connect(voens_forget, sender=model, dispatch_uid=f"voens_forget_delete_{model.__name__}")
        # What a bearer token's caller is made of (``token_lookup``): a change moves the shared
        # stamp on, and no process uses the row it remembers any more (``token_memo``).
        principals: tuple[type[Model], ...] = (*voens, models.ApiToken, models.User)
        for principal in principals:
            made_at_sign_in = principal in (models.ApiToken, models.User)
            saved = token_memo.principals_saved if made_at_sign_in else token_memo.principals_changed
            post_save.connect(saved, sender=principal, dispatch_uid=f"principals_save_{principal.__name__}")
            post_delete.connect(
                token_memo.principals_changed, sender=principal, dispatch_uid=f"principals_delete_{principal.__name__}"
            )
