from django.urls import path

from mamori.org import views

app_name = "org"
urlpatterns = [
    path("people/", views.people, name="people"),
    path("people/export.csv", views.people_export, name="people_export"),
]
