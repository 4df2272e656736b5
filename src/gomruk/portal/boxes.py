"""Box titles in the active language and the labels of the fields inside a box.

Box names and their order are the box table's (:mod:`gomruk.document.boxes`); field labels
are translatable strings keyed by the document model's field names.
"""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from gomruk.core.i18n import language
from gomruk.document.boxes import box_table


def box_name(box: str | None) -> str:
    """The box's name in the active language (Azerbaijani unless English is active)."""
    found = box_table().get(box) if box else None
    return found.name(language()) if found is not None else ""


def box_title(box: str | None) -> str:
    """'Qrafa 33 — Malın kodu' / 'Box 33 — Commodity code'."""
    if not box:
        return str(_("Ümumi"))
    return f"{_('Qrafa')} {box} — {box_name(box)}"


#: Labels of fields, by name; the same name means the same thing in every box it appears in.
FIELD_LABELS: dict[str, Promise] = {
    # box 1
    "declaration_type": _("Bəyannamənin növü (əlavə 15)"),
    "direction": _("İstiqamət (İX / İD)"),
    "procedure": _("Prosedur (əlavə 2)"),
    "type_subdivision_3": _("3-cü bölmə (doldurulmur)"),
    "gratuitous": _("Təmənnasız sövdələşmə"),
    "no_monetary_settlement": _("Pul hesablaşması olmayan müqavilə"),
    # parties
    "identifier_kind": _("İdentifikatorun növü"),
    "identifier": _("VÖEN / GÖÖEN / FİN"),
    "person_kind": _("Şəxsin növü"),
    "name": _("Adı"),
    "address": _("Ünvanı"),
    "identity_document": _("Şəxsiyyət sənədi"),
    "acts_as_broker": _("Gömrük brokeri kimi"),
    "broker_licence_number": _("Broker lisenziyasının nömrəsi"),
    "broker_licence_date": _("Broker lisenziyasının tarixi"),
    "representation_documents": _("Təmsilçilik sənədləri"),
    # box A
    "office_code": _("Gömrük orqanının kodu"),
    "usd_rate": _("ABŞ dollarının məzənnəsi"),
    "usd_rate_date": _("Məzənnənin tarixi"),
    "attachment_sheets": _("Qoşma vərəqlərinin sayı (Qoşma-SS)"),
    "bank_details": _("Müşayiətçinin hesabı və bankı"),
    # boxes 3–13
    "sheet": _("Vərəqin nömrəsi"),
    "total": _("Cəmi"),
    "loading_lists": _("Yükləmə spesifikasiyası vərəqlərinin sayı"),
    "total_items": _("Malların sayı"),
    "total_packages": _("Yük yerlərinin ümumi sayı"),
    "registration_number": _("Qeydiyyat nömrəsi"),
    "alpha": _("Hərf kodu"),
    "numeric": _("Rəqəm kodu"),
    "total_customs_value": _("Ümumi gömrük dəyəri (AZN)"),
    "aeo_indicator": _("SİO əlaməti"),
    # boxes 15–30
    "dispatch_country_name": _("Göndərən ölkənin adı"),
    "origin_country_name": _("Mənşə ölkəsinin adı"),
    "destination_country_name": _("Təyinat ölkəsinin adı"),
    "count": _("Sayı"),
    "identifiers": _("Nömrələri"),
    "nationality": _("Ölkənin rəqəm kodu"),
    "same_as_box_18": _("18-ci qrafadakı nəqliyyat vasitəsi"),
    "container_indicator": _("Konteyner əlaməti"),
    "code": _("Kod"),
    "place": _("Yer"),
    "settlement_code": _("Hesablaşma kodu"),
    "invoice_currency": _("Valyutanın kodu"),
    "total_invoice_value": _("Ümumi invoys dəyəri"),
    "exchange_rate": _("Valyuta məzənnəsi"),
    "transaction_nature": _("Sövdələşmənin xüsusiyyəti"),
    "border_transport_mode": _("Sərhəddə nəqliyyat növü"),
    "inland_transport_mode": _("Ölkə daxilində nəqliyyat növü"),
    "loading_place": _("Yükləmə / boşaltma yeri"),
    "line": _("Sətir"),
    "text": _("Mətn"),
    "border_office": _("Sərhəd gömrük orqanı"),
    "goods_location": _("Malların yerləşdiyi yer"),
    # box 40
    "number": _("Nömrə"),
    "date": _("Tarix"),
    "exit_date": _("Malların çıxdığı tarix"),
    "kind": _("Növü"),
    "sequence": _("Sıra nömrəsi"),
    "transport_units": _("Nəqliyyat vahidlərinin sayı"),
    "weight": _("Çəki (kq)"),
    # boxes 48–54, C, D
    "deferred_until": _("Möhlət müddəti"),
    "licence_number": _("Lisenziyanın nömrəsi"),
    "licence_date": _("Lisenziyanın tarixi"),
    "principal_statement": _("Vəkalət verənin bəyanatı"),
    "office_codes": _("Gömrük orqanlarının kodları"),
    "office_name": _("Gömrük orqanının adı"),
    "country": _("Ölkə"),
    "letter": _("Hərf kodu"),
    "signatory_name": _("İmzalayan şəxsin adı"),
    "signatory_position": _("Vəzifəsi"),
    "contacts": _("Əlaqə məlumatları"),
    "broker_firm_name": _("Broker firmasının adı"),
    "broker_firm_voen": _("Broker firmasının VÖEN-i"),
    "specialist_name": _("Mütəxəssisin adı"),
    "customs_notes": _("Gömrük qeydləri"),
    "result": _("Nəticə"),
    "seals": _("Eyniləşdirmə vasitələri"),
    "conformity": _("Uyğunluq"),
    "officer": _("Vəzifəli şəxs"),
    # goods items
    "item_number": _("Mal №"),
    "description": _("Malın təsviri"),
    "marks": _("Markalanma"),
    "partial": _("Qismən istifadə"),
    "container_numbers": _("Konteynerlərin nömrələri"),
    "positions": _("Sənəd üzrə pozisiyalar"),
    "quantity": _("Əlavə ölçü vahidində miqdar"),
    "quantity_unit": _("Miqdarın ölçü vahidi"),
    "commodity_code": _("XİF MN kodu"),
    "gross_mass": _("Brutto çəki (kq)"),
    "privilege": _("İmtiyaz (əlavə 14)"),
    "procedure_code": _("Əməliyyat (PPppFF)"),
    "net_mass": _("Netto çəki (kq)"),
    "quota_remaining": _("Kvota qalığı"),
    "supplementary_unit": _("Əlavə ölçü vahidi (əlavə 16)"),
    "invoice_value": _("Malın invoys dəyəri"),
    "adjusted": _("Düzəliş əlaməti"),
    "method": _("Üsul"),
    "short_name": _("Qısa adı"),
    "issued_on": _("Verilmə tarixi"),
    "valid_until": _("Etibarlılıq müddəti"),
    "guarantee_until": _("Zəmanət müddəti"),
    "customs_value": _("Gömrük dəyəri (AZN)"),
    "statistical_value": _("Statistik dəyər (USD)"),
    "payment_type": _("Ödənişin növü"),
    "base": _("Hesablama bazası"),
    "rate": _("Tarif dərəcəsi"),
    "amount": _("Məbləğ"),
    "currency": _("Valyuta"),
    "guarantee": _("Təminat"),
}

#: Labels of the nested groups (a party's sub-object, a row of a repeated box).
GROUP_LABELS: dict[str, Promise] = {
    "packages": _("Yük yerləri"),
    "origin_country": _("Mənşə ölkəsi"),
    "valuation": _("Gömrük dəyəri"),
    "documents": _("Sənədlər"),
    "payments": _("Ödənişlər"),
    "previous_documents": _("Əvvəlki sənədlər"),
    "previous_declarations": _("Əvvəlki bəyannamələr"),
    "incomplete_declarations": _("Natamam bəyannamələr (NB cədvəli)"),
    "financial_details": _("Maliyyə və bank məlumatları"),
    "lines": _("Sətirlər"),
}

CHOICE_LABELS: dict[str, Promise] = {
    "legal": _("hüquqi şəxs"),
    "natural": _("fiziki şəxs"),
    "İX": _("İX — ixrac"),
    "İD": _("İD — idxal"),
    "true": _("Bəli"),
    "false": _("Xeyr"),
}


def field_label(name: str) -> str:
    label = FIELD_LABELS.get(name) or GROUP_LABELS.get(name)
    return str(label) if label is not None else name.replace("_", " ")
