"""Pages of the review app."""

from django.urls import path

from danvan.review import views

app_name = "review"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("bulk/", views.bulk, name="bulk"),
    path("evaluate/", views.evaluate_many, name="evaluate_many"),
    path("criteria/", views.criteria_index, name="criteria"),
    path("criteria/new/", views.criteria_new, name="criteria_new"),
    path("criteria/<int:pk>/edit/", views.criteria_edit, name="criteria_edit"),
    path("criteria/<int:pk>/copy/", views.criteria_copy, name="criteria_copy"),
    path("initiatives/<int:pk>/exemplary/", views.exemplary, name="exemplary"),
    path("initiatives/<int:pk>/replication/", views.replication, name="replication"),
    path("initiatives/<int:pk>/continue/", views.continue_, name="continue"),
    path("initiatives/<int:pk>/register/", views.register, name="register"),
    path("initiatives/<int:pk>/return/", views.return_, name="return"),
    path("initiatives/<int:pk>/evaluate/", views.evaluate, name="evaluate"),
    path("initiatives/<int:pk>/awards/new/", views.award_new, name="award_new"),
    path("awards/", views.award_index, name="awards"),
    path("awards/documents/", views.award_documents, name="award_documents"),
    path("awards/<int:pk>/", views.award_detail, name="award"),
    path("awards/<int:pk>/recognise/", views.award_recognise_view, name="award_recognise"),
    path("awards/<int:pk>/nominate/", views.award_nominate_view, name="award_nominate"),
    path("awards/<int:pk>/commend/", views.award_commend_view, name="award_commend"),
    path("awards/<int:pk>/decision/", views.award_decision, name="award_decision"),
]
