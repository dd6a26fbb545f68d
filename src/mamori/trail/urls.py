from django.urls import path

from mamori.trail import views

app_name = "trail"
urlpatterns = [
    path("", views.event_list, name="list"),
    path("export.csv", views.event_export, name="export"),
]
