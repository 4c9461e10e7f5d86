"""The public ballot page: a code alone opens its ballot, without an account; wrong codes
are throttled per address; the page is Vietnamese and needs no JavaScript."""

import re

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from clusters.models import VoteRule
from votes import codes, services
from votes.models import BallotCode, ElectronicBallot

Purpose = VoteRule.Purpose
URL = "/phieu/"


@pytest.fixture(autouse=True)
def fresh_throttle():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def e_vote(year_end, members):
    vote = services.vote_create(
        meeting=year_end, purpose=Purpose.HEAD, title="Bầu Cụm trưởng năm 2023", electronic=True
    )
    services.vote_set_candidates(vote=vote, members=[members["Na Rì"], members["Pác Nặm"]])
    services.vote_set_tellers(
        vote=vote, tellers=[{"full_name": "Hoàng Thị Hà"}, {"full_name": "Lý Văn Minh"}]
    )
    return services.vote_open(vote=vote)


@pytest.fixture
def anonymous():
    return Client(enforce_csrf_checks=False)


def candidate(vote, short_name):
    return vote.candidates.get(member__unit__short_name=short_name).pk


def text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode())).strip()


def test_codes_are_ten_characters_to_type_and_forgive_case_dashes_and_look_alikes(e_vote):
    code = e_vote.issued_codes[0]
    assert re.fullmatch(r"[0-9A-HJKMNP-TV-Z]{10}", code)
    printed = codes.display(code)
    assert printed == f"{code[:5]}-{code[5:]}"
    assert codes.normalize(f" {printed.lower()} ") == code
    assert codes.normalize("OIL0000000") == "0110000000"
    assert codes.normalize("ABC") == ""
    assert codes.normalize("ABCDEFGHIU") == ""  # U is not in the alphabet


def test_the_url_is_exactly_the_one_printed_on_the_slips():
    assert reverse("votes:public-ballot") == URL


def test_a_code_alone_opens_its_ballot_without_an_account(anonymous, e_vote):
    code = e_vote.issued_codes[0]
    response = anonymous.get(URL, {"code": codes.display(code).lower()})
    assert response.status_code == 200
    assert response["Content-Language"] == "vi"
    assert "no-store" in response["Cache-Control"]
    # The code in the address never reaches another site; the form's own origin is sent
    # (with "no-referrer" the browser sends "Origin: null" and the CSRF check refuses).
    assert response["Referrer-Policy"] == "same-origin"
    page = text(response)
    assert "Bầu Cụm trưởng năm 2023" in page
    assert "Đánh dấu ứng cử viên bạn chọn (tối đa 1)." in page
    assert "Huyện Na Rì" in page and "Huyện Pác Nặm" in page
    assert "<script" not in response.content.decode()


def test_casting_through_the_page_stores_one_secret_ballot_and_uses_the_code(anonymous, e_vote):
    code = e_vote.issued_codes[0]
    na_ri = candidate(e_vote, "Na Rì")
    response = anonymous.post(URL, {"code": code, "choices": [na_ri], "cast": "1"})
    assert response.status_code == 302
    assert response["Location"] == reverse("votes:public-ballot-done")
    done = anonymous.get(response["Location"])
    assert "Phiếu bầu của bạn đã được ghi nhận. Xin cảm ơn." in text(done)
    assert list(ElectronicBallot.objects.values_list("choices", flat=True)) == [[na_ri]]
    assert BallotCode.objects.filter(vote=e_vote, used=True).count() == 1
    # The session keeps nothing of the code either.
    assert code not in str(dict(anonymous.session))


def test_a_used_code_says_so_and_casts_nothing(anonymous, e_vote):
    code, na_ri = e_vote.issued_codes[0], candidate(e_vote, "Na Rì")
    services.ballot_cast(vote=e_vote, code=code, choices=[na_ri])
    response = anonymous.post(URL, {"code": code, "choices": [na_ri], "cast": "1"})
    assert response.status_code == 200
    assert response.context["form"].errors["code"] == [
        "Mã này đã được dùng: mỗi mã chỉ bỏ được một phiếu. "
        "Nếu bạn chưa dùng mã này, hãy báo ban kiểm phiếu."
    ]
    assert ElectronicBallot.objects.count() == 1


def test_a_code_of_a_closed_vote_has_expired(anonymous, e_vote):
    code = e_vote.issued_codes[0]
    services.vote_close(vote=e_vote)
    response = anonymous.get(URL, {"code": code})
    assert response.context["form"].errors["code"] == [
        "Cuộc bỏ phiếu của mã này đã kết thúc: không nhận thêm phiếu."
    ]


def test_an_unknown_code_is_refused_plainly(anonymous, e_vote):
    response = anonymous.post(URL, {"code": "7K3QX-M9D2R"})
    assert response.status_code == 200
    assert response.context["form"].errors["code"] == [
        "Mã không đúng. Hãy so với phiếu mã được phát và nhập lại."
    ]


def test_more_marks_than_seats_are_refused_and_the_code_stays_unused(anonymous, e_vote):
    code = e_vote.issued_codes[0]
    both = [candidate(e_vote, "Na Rì"), candidate(e_vote, "Pác Nặm")]
    response = anonymous.post(URL, {"code": code, "choices": both, "cast": "1"})
    assert response.status_code == 200
    assert "Bạn đã đánh dấu 2; chỉ được chọn tối đa 1." in text(response)
    assert not BallotCode.objects.filter(used=True).exists()
    assert not ElectronicBallot.objects.exists()


def test_no_mark_casts_a_blank_ballot(anonymous, e_vote):
    response = anonymous.post(URL, {"code": e_vote.issued_codes[0], "cast": "1"})
    assert response.status_code == 302
    assert list(ElectronicBallot.objects.values_list("choices", flat=True)) == [[]]


def test_wrong_codes_are_throttled_per_address_and_right_ones_do_not_count(
    anonymous, e_vote, settings
):
    settings.BALLOT_CODE_FAILURE_RATE = "3/10m"
    good = e_vote.issued_codes[0]
    for _ in range(5):
        assert anonymous.get(URL, {"code": good}).status_code == 200
    for wrong in ("AAAAA-AAAAA", "BBBBB-BBBBB", "CCCCC-CCCCC"):
        assert anonymous.post(URL, {"code": wrong}).status_code == 200
    limited = anonymous.get(URL, {"code": good})
    assert limited.status_code == 429
    assert "Đã nhập sai mã quá nhiều lần" in text(limited)
    # Another address is not held back.
    other = Client(REMOTE_ADDR="10.0.0.9")
    assert other.get(URL, {"code": good}).status_code == 200


def test_a_logged_in_page_stays_closed_to_anonymous_visitors(anonymous, e_vote):
    response = anonymous.get(e_vote.get_absolute_url())
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
