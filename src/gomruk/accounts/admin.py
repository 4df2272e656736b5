from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from gomruk.accounts.forms import ThrottledAdminLoginForm
from gomruk.accounts.models import BrokerLicence, Representation, Trader, TraderBinding, User

# /admin/login/ counts and locks failed passwords like the portal and the API.
admin.site.login_form = ThrottledAdminLoginForm


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "get_full_name", "role", "office_code", "is_active")
    list_filter = ("role", "is_active")
    fieldsets = (
        *(BaseUserAdmin.fieldsets or ()),
        ("Gömrük", {"fields": ("role", "fin", "phone_number", "asan_user_id", "office_code", "is_demo")}),
    )


@admin.register(Trader)
class TraderAdmin(admin.ModelAdmin):
    list_display = ("voen", "name", "is_aeo")
    search_fields = ("voen", "name")


admin.site.register(TraderBinding)
admin.site.register(BrokerLicence)
admin.site.register(Representation)
