"""Portal pages, mounted at the site root."""

from django.urls import path

from gomruk.portal.views import auth, editor, home, notifications, officer, reports, risk, submit

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
    # Officer
    path("officer/", officer.queue, name="queue"),
    path("officer/queue.xlsx", officer.queue_export, name="queue_export"),
    path("officer/declarations/<uuid:declaration_id>/assignment/", officer.assign, name="officer_assign"),
    path("officer/dashboard/", reports.dashboard_view, name="dashboard"),
    path("officer/dashboard/<str:name>.<str:fmt>", reports.figure_view, name="dashboard_figure"),
    path("risk/", risk.profiles, name="risk_profiles"),
    path("risk/new/", risk.profile_edit, name="risk_profile_new"),
    path("risk/random/", risk.random_rate, name="risk_random"),
    path("risk/<str:code>/", risk.profile_edit, name="risk_profile"),
    path("notifications/", notifications.notifications, name="notifications"),
    path("notifications/read/", notifications.notifications_read, name="notifications_read"),
    path("officer/declarations/<uuid:declaration_id>/", officer.declaration_view, name="officer_declaration"),
    path("officer/declarations/<uuid:declaration_id>/<str:name>/", officer.action, name="officer_action"),
]
