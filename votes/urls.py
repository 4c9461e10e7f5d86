from django.urls import path

from votes import document_views, hall, public, views

app_name = "votes"

urlpatterns = [
    # The public ballot page, typed from a paper slip: short, and in Vietnamese.
    path("phieu/", public.ballot, name="public-ballot"),
    path("phieu/xong/", public.ballot_done, name="public-ballot-done"),
    path("votes/<int:pk>/screen/", hall.screen, name="vote-screen"),
    path("votes/<int:pk>/screen/count/", hall.screen_count, name="vote-screen-count"),
    path("meetings/<int:pk>/votes/", views.VoteListView.as_view(), name="vote-list"),
    path("meetings/<int:pk>/votes/new/", views.VoteCreateView.as_view(), name="vote-create"),
    path("votes/<int:pk>/", views.VoteDetailView.as_view(), name="vote-detail"),
    path("votes/<int:pk>/edit/", views.VoteSetUpView.as_view(), name="vote-update"),
    path("votes/<int:pk>/counts/", views.tally_enter, name="vote-counts"),
    path("votes/<int:pk>/open/", views.vote_open, name="vote-open"),
    path("votes/<int:pk>/close/", views.vote_close, name="vote-close"),
    path("votes/<int:pk>/confirm/", views.vote_confirm, name="vote-confirm"),
    path("votes/<int:pk>/correct/", views.vote_correct, name="vote-correct"),
    path("votes/<int:pk>/ballots.pdf", document_views.ballots_pdf, name="vote-ballots-pdf"),
    path("votes/<int:pk>/minutes.pdf", document_views.minutes_pdf, name="vote-minutes-pdf"),
    path("votes/<int:pk>/minutes.docx", document_views.minutes_docx, name="vote-minutes-docx"),
]

urlpatterns += [
    path(
        "votes/<int:pk>/tellers/<int:teller_pk>/ballots/",
        views.paper_ballots,
        name="paper-ballots",
    ),
    path(
        "votes/<int:pk>/tellers/<int:teller_pk>/ballots/delete/",
        views.paper_ballot_delete,
        name="paper-ballot-delete",
    ),
    path(
        "votes/<int:pk>/tellers/<int:teller_pk>/ballots/issued/",
        views.paper_ballots_issued,
        name="paper-ballots-issued",
    ),
    path(
        "votes/<int:pk>/tellers/<int:teller_pk>/ballots/start-over/",
        views.paper_ballots_start_over,
        name="paper-ballots-start-over",
    ),
]
