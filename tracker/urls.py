from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from projects.milestones.import_views import node_import_view

from . import health

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    # Every signed-in person changes their own password here; the admin's page is for staff.
    path(
        "accounts/password/",
        auth_views.PasswordChangeView.as_view(
            template_name="registration/change_password.html",
            success_url="/accounts/password/done/",
        ),
        name="password_change",
    ),
    path(
        "accounts/password/done/",
        auth_views.PasswordChangeDoneView.as_view(
            template_name="registration/change_password_done.html"
        ),
        name="password_change_done",
    ),
    path("i18n/", include("django.conf.urls.i18n")),
    # Before the ledger's imports, whose /admin/imports/<kind>/ would take "nodes".
    path("admin/imports/nodes/", admin.site.admin_view(node_import_view), name="node_import"),
    path("admin/imports/", include("projects.admin.imports")),
    path("admin/", admin.site.urls),
    path("", include("projects.coordination.urls")),
    path("", include("projects.milestones.urls")),
    path("", include("projects.attachments.urls")),
    path("", include("projects.notifications.urls")),
    path("", include("projects.desk.urls")),
    path("", include("projects.dashboard.urls")),
    # Last: its project pages take any code ("path"), which would swallow the
    # dispatch apps' /projects/<code>/photos/ and /plan/ addresses.
    path("", include("projects.web.urls")),
]
