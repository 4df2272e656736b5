"""Portal pages, mounted at the site root."""

from django.urls import path

from gomruk.portal.views import after, auth, complaints, editor, home, officer, requests, submit

app_name = "portal"

urlpatterns = [
    path("", home.home, name="home"),
    path("login/", auth.login_view, name="login"),
    path("login/challenge/", auth.challenge_download, name="login_challenge"),
    path("login/certificate/", auth.certificate_view, name="login_certificate"),
    path("login/asan/", auth.asan_start_view, name="login_asan"),
    path("login/asan/state/", auth.asan_poll_view, name="login_asan_state"),
    path("logout/", auth.logout_view, name="logout"),
    # Declarant
    path("declarations/new/", home.declaration_new, name="new"),
    path("declarations/goods-template.<str:fmt>", editor.goods_template, name="goods_template"),
    path("declarations/<uuid:declaration_id>/", home.declaration_detail, name="declaration"),
    path("declarations/<uuid:declaration_id>/edit/<str:section>/", editor.section_view, name="section"),
    path("declarations/<uuid:declaration_id>/save/", editor.autosave, name="autosave"),
    path("declarations/<uuid:declaration_id>/goods/<int:item>/", editor.item_view, name="item"),
    path("declarations/<uuid:declaration_id>/goods/add/", editor.goods_add, name="goods_add"),
    path("declarations/<uuid:declaration_id>/goods/import/", editor.goods_import_view, name="goods_import"),
    path("declarations/<uuid:declaration_id>/rows/remove/", editor.row_remove, name="row_remove"),
    path("declarations/<uuid:declaration_id>/summary/", submit.summary, name="summary"),
    path("declarations/<uuid:declaration_id>/attachments/", submit.attachment_upload, name="attachment_upload"),
    path(
        "declarations/<uuid:declaration_id>/attachments/<uuid:attachment_id>/",
        submit.attachment_file,
        name="attachment",
    ),
    path("declarations/<uuid:declaration_id>/pdf/", submit.pdf, name="pdf"),
    path("declarations/<uuid:declaration_id>/sign/", submit.sign, name="sign"),
    path("declarations/<uuid:declaration_id>/sign/payload/", submit.sign_payload, name="sign_payload"),
    path("declarations/<uuid:declaration_id>/sign/upload/", submit.sign_upload, name="sign_upload"),
    path("declarations/<uuid:declaration_id>/sign/asan/", submit.sign_asan_start, name="sign_asan"),
    path("declarations/<uuid:declaration_id>/sign/asan/state/", submit.sign_asan_poll, name="sign_asan_state"),
    path("declarations/<uuid:declaration_id>/confirm/", submit.confirm, name="confirm"),
    path("declarations/<uuid:declaration_id>/send/", submit.send, name="send"),
    path("declarations/<uuid:declaration_id>/withdraw/", submit.withdraw, name="withdraw"),
    # After sending (issue 19): amendment, cancellation, versions, complaints
    path("declarations/<uuid:declaration_id>/amendments/new/", after.amendment_new, name="amendment_new"),
    path("declarations/<uuid:declaration_id>/amendments/<int:number>/", after.amendment_view, name="amendment"),
    path(
        "declarations/<uuid:declaration_id>/amendments/<int:number>/edit/<str:section>/",
        after.amendment_section,
        name="amendment_section",
    ),
    path(
        "declarations/<uuid:declaration_id>/amendments/<int:number>/edit/<str:section>/<int:item>/",
        after.amendment_section,
        name="amendment_item",
    ),
    path("declarations/<uuid:declaration_id>/amendments/<int:number>/reason/", after.amendment_reason, name="amendment_reason"),
    path("declarations/<uuid:declaration_id>/amendments/<int:number>/sign/", after.amendment_signing, name="amendment_signing"),
    path(
        "declarations/<uuid:declaration_id>/amendments/<int:number>/sign/payload/",
        after.amendment_payload,
        name="amendment_payload",
    ),
    path(
        "declarations/<uuid:declaration_id>/amendments/<int:number>/sign/upload/",
        after.amendment_sign,
        name="amendment_sign",
    ),
    path(
        "declarations/<uuid:declaration_id>/amendments/<int:number>/sign/asan/",
        after.amendment_asan_start,
        name="amendment_asan",
    ),
    path(
        "declarations/<uuid:declaration_id>/amendments/<int:number>/sign/asan/state/",
        after.amendment_asan_poll,
        name="amendment_asan_state",
    ),
    path(
        "declarations/<uuid:declaration_id>/amendments/<int:number>/discard/",
        after.amendment_discard,
        name="amendment_discard",
    ),
    path("declarations/<uuid:declaration_id>/cancellation/", after.cancellation, name="cancellation"),
    path("declarations/<uuid:declaration_id>/versions/", after.versions, name="versions"),
    path("declarations/<uuid:declaration_id>/versions/<int:number>/diff/", after.diff, name="version_diff"),
    path("declarations/<uuid:declaration_id>/complaints/new/", complaints.complaint_new, name="complaint_new"),
    path("complaints/", complaints.complaints_mine, name="complaints"),
    path("complaints/<uuid:complaint_id>/", complaints.complaint_detail, name="complaint"),
    path("complaints/<uuid:complaint_id>/attachments/", complaints.complaint_attach, name="complaint_attach"),
    path(
        "complaints/<uuid:complaint_id>/declaration.pdf",
        complaints.complaint_declaration_pdf,
        name="complaint_declaration_pdf",
    ),
    path(
        "complaints/<uuid:complaint_id>/attachments/<uuid:attachment_id>/",
        complaints.complaint_file,
        name="complaint_file",
    ),
    path("complaints/<uuid:complaint_id>/sign/payload/", complaints.complaint_payload, name="complaint_payload"),
    path("complaints/<uuid:complaint_id>/sign/upload/", complaints.complaint_sign, name="complaint_sign"),
    path("complaints/<uuid:complaint_id>/sign/asan/", complaints.complaint_asan_start, name="complaint_asan"),
    path("complaints/<uuid:complaint_id>/sign/asan/state/", complaints.complaint_asan_poll, name="complaint_asan_state"),
    path("complaints/<uuid:complaint_id>/discard/", complaints.complaint_discard, name="complaint_discard"),
    # Officer
    path("officer/", officer.queue, name="queue"),
    path("officer/declarations/<uuid:declaration_id>/", officer.declaration_view, name="officer_declaration"),
    path("officer/requests/", requests.waiting, name="officer_requests"),
    path(
        "officer/declarations/<uuid:declaration_id>/amendments/<int:number>/",
        requests.amendment,
        name="officer_amendment",
    ),
    path(
        "officer/declarations/<uuid:declaration_id>/cancellations/<int:number>/",
        requests.cancellation,
        name="officer_cancellation",
    ),
    path("officer/complaints/", complaints.complaint_queue_view, name="officer_complaints"),
    path("officer/complaints/<uuid:complaint_id>/review/", complaints.complaint_take, name="complaint_take"),
    path("officer/complaints/<uuid:complaint_id>/decision/", complaints.complaint_decide, name="complaint_decide"),
    path("officer/declarations/<uuid:declaration_id>/<str:name>/", officer.action, name="officer_action"),
]
