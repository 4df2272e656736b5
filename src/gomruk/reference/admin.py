from django.contrib import admin

from gomruk.reference.models import Classifier, ClassifierEntry, ClassifierEntryHistory
from gomruk.reference.services import classifier_entry_update


class ClassifierEntryInline(admin.TabularInline):
    model = ClassifierEntry
    fields = ("key", "code", "name_az", "name_en", "valid_from", "valid_to", "note")
    extra = 0
    show_change_link = True


@admin.register(Classifier)
class ClassifierAdmin(admin.ModelAdmin):
    list_display = ("name", "appendix", "title_az")
    search_fields = ("name", "title_az", "title_en")


class HistoryInline(admin.TabularInline):
    model = ClassifierEntryHistory
    fields = ("changed_at", "source", "previous")
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(ClassifierEntry)
class ClassifierEntryAdmin(admin.ModelAdmin):
    list_display = ("classifier", "code", "name_az", "name_en", "valid_from", "valid_to")
    list_filter = ("classifier",)
    search_fields = ("code", "name_az", "name_en", "key")
    inlines = [HistoryInline]

    def save_model(self, request, obj, form, change):  # type: ignore[no-untyped-def]
        if not change:
            super().save_model(request, obj, form, change)
            return
        # Keep the row's previous content: edits by administrators are history too.
        original = ClassifierEntry.objects.get(pk=obj.pk)
        values = {name: getattr(obj, name) for name in form.changed_data}
        classifier_entry_update(row=original, values=values, source=f"admin:{request.user.username}")
