from django.urls import path

from mamori.web import calendar_views as views

app_name = "calendar"

urlpatterns = [
    path("", views.month, name="month"),
    path("mine.ics", views.mine_ics, name="mine"),
    path("feeds/", views.feeds, name="feeds"),
    path("feeds/<int:pk>/revoke/", views.feed_revoke, name="feed_revoke"),
    path("feed/<str:token>.ics", views.feed, name="feed"),
]
