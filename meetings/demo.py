"""Demo meetings from the source articles.

- Bắc Kạn, Cụm thi đua các huyện, thành phố: year-end conference, afternoon of 7/2/2023
  in Thành phố Bắc Kạn, co-chaired by Dương Hữu Bường (head) and Nông Văn Nguyên
  (deputy); the vote for the flag and the election of the 2023 head and deputy. A
  follow-up task stays open, so the next (planned) meeting lists it.
- Lào Cai bloc: mid-year conference, morning of 22/7/2022 in Bắc Hà, concluded by the
  deputy head Đinh Văn Đăng, with the half-year statistics.
- Midland provinces' cluster: mid-year conference, morning of 28/7/2023 in Tuyên Quang,
  with Phạm Đức Toàn of the central board, Phạm Duy Hưng (Bắc Kạn, head) and Hoàng Việt
  Phương (Tuyên Quang, deputy).
Idempotent: a meeting with the same cluster year and title is left as it is.
"""

import datetime
import zoneinfo

from clusters.models import ClusterYear, Person
from clusters.selectors import members_of
from meetings import services
from meetings.models import Meeting, Participant

TZ = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")


def _at(year, month, day, hour, minute=0):
    return datetime.datetime(year, month, day, hour, minute, tzinfo=TZ)


def _person(body, full_name, position, unit=None) -> Person:
    person = Person.objects.filter(body=body, full_name=full_name).first()
    if person is None:
        person = Person.objects.create(body=body, full_name=full_name, position=position, unit=unit)
    return person


def _meeting(cluster_year, title, **fields):
    existing = Meeting.objects.filter(cluster_year=cluster_year, title=title).first()
    if existing is not None:
        return None
    return services.meeting_create(cluster_year=cluster_year, title=title, **fields)


def seed(data: dict, log=print) -> None:
    units, bodies, clusters = data["units"], data["bodies"], data["clusters"]
    _bac_kan(ClusterYear.objects.get(cluster=clusters["districts"], year=2022), units, bodies)
    _lao_cai(ClusterYear.objects.get(cluster=clusters["bloc"], year=2022), units, bodies)
    _midland(ClusterYear.objects.get(cluster=clusters["midland"], year=2023), units, bodies)
    log(f"Demo: {Meeting.objects.count()} meetings, {Person.objects.count()} people.")


def _all_present(meeting, representatives=None):
    representatives = representatives or {}
    services.attendance_save(
        meeting=meeting,
        rows={
            member.pk: {
                "present": True,
                "representative": representatives.get(member.unit.short_name, ("", ""))[0],
                "representative_position": representatives.get(member.unit.short_name, ("", ""))[1],
            }
            for member in members_of(meeting.cluster_year)
        },
    )


def _bac_kan(cluster_year, units, bodies):
    meeting = _meeting(
        cluster_year,
        "Tổng kết công tác thi đua, khen thưởng năm 2022, triển khai phương hướng, "
        "nhiệm vụ năm 2023",
        kind=Meeting.Kind.YEAR_END,
        starts_at=_at(2023, 2, 7, 14),
        ends_at=_at(2023, 2, 7, 17),
        host=units["TP Bắc Kạn"],
        place="Thành phố Bắc Kạn",
    )
    if meeting is None:
        return
    body = bodies["bac_kan"]
    buong = _person(
        body,
        "Dương Hữu Bường",
        "Tỉnh ủy viên, Phó Bí thư Thành ủy, Chủ tịch UBND Thành phố Bắc Kạn",
        units["TP Bắc Kạn"],
    )
    nguyen = _person(
        body,
        "Nông Văn Nguyên",
        "Phó Bí thư Huyện uỷ, Chủ tịch UBND huyện Na Rì",
        units["Na Rì"],
    )
    services.participants_save(
        meeting=meeting,
        rows=[
            {
                "person": buong,
                "role": Participant.Role.CHAIR,
                "position": f"{buong.position}, Cụm trưởng cụm thi đua",
            },
            {
                "person": nguyen,
                "role": Participant.Role.CHAIR,
                "position": f"{nguyen.position}, Phó Trưởng cụm thi đua",
            },
        ],
    )
    _all_present(
        meeting,
        {
            "TP Bắc Kạn": ("Dương Hữu Bường", "Chủ tịch UBND Thành phố Bắc Kạn"),
            "Na Rì": ("Nông Văn Nguyên", "Chủ tịch UBND huyện Na Rì"),
        },
    )
    services.agenda_save(
        meeting=meeting,
        rows=[
            {"title": "Khai mạc hội nghị", "presenter": "Đồng chí Dương Hữu Bường"},
            {"title": "Báo cáo tổng kết công tác thi đua, khen thưởng năm 2022 của Cụm"},
            {"title": "Thảo luận, bỏ phiếu suy tôn đơn vị dẫn đầu và bầu Cụm trưởng, Cụm phó "
                      "năm 2023"},
            {"title": "Kết luận hội nghị"},
        ],
    )  # fmt: skip
    services.meeting_update(
        meeting=meeting,
        report=(
            "Năm 2022, công tác thi đua, khen thưởng của các huyện, thành phố đạt nhiều kết quả, "
            "góp phần thực hiện các chỉ tiêu kế hoạch phát triển kinh tế, xã hội của tỉnh. Tổng "
            "thu ngân sách trong toàn Cụm thi đua là trên 400 tỷ đồng. An sinh xã hội, giáo dục "
            "- đào tạo, y tế, bảo vệ môi trường được quan tâm; an ninh chính trị, trật tự an "
            "toàn xã hội được bảo đảm.\n\n"
            "Các phong trào thi đua được triển khai toàn diện, tiêu biểu như: “Cả nước chung sức "
            "xây dựng nông thôn mới”, “Cả nước chung tay vì người nghèo - Không để ai bị bỏ lại "
            "phía sau”, “Doanh nghiệp Việt Nam hội nhập và phát triển”, “Cán bộ, công chức, viên "
            "chức thi đua thực hiện văn hóa công sở”."
        ),
        discussion=(
            "Các đơn vị thành viên thảo luận, bỏ phiếu thống nhất suy tôn huyện Na Rì nhận Cờ "
            "thi đua của UBND tỉnh; huyện Chợ Mới và huyện Pác Nặm nhận Bằng khen của UBND "
            "tỉnh. Bầu huyện Na Rì làm Cụm trưởng, huyện Pác Nặm làm Cụm phó thi đua năm 2023."
        ),
    )
    services.conclusions_save(
        meeting=meeting,
        rows=[
            {"text": "Tổ chức triển khai, thực hiện hiệu quả các phong trào thi đua yêu nước "
                     "gắn với thực hiện thắng lợi nhiệm vụ phát triển kinh tế - xã hội năm 2023 "
                     "theo Nghị quyết của tỉnh."},
            {"text": "Chú trọng nâng cao chất lượng các phong trào thi đua; đẩy mạnh phong trào "
                     "thi đua gắn với chăm lo xây dựng, nhân rộng điển hình tiên tiến; ghi nhận, "
                     "động viên kịp thời những tập thể, cá nhân có thành tích xuất sắc."},
            {"text": "Hoàn thiện hồ sơ đề nghị tặng Cờ thi đua và Bằng khen của UBND tỉnh, gửi "
                     "Ban Thi đua - Khen thưởng tỉnh.",
             "is_task": True, "owner": units["TP Bắc Kạn"],
             "due_on": datetime.date(2023, 2, 28), "done_on": datetime.date(2023, 2, 20)},
            {"text": "Chuẩn bị nội dung và địa điểm hội nghị sơ kết 6 tháng đầu năm 2023 của "
                     "Cụm.",
             "is_task": True, "owner": units["Na Rì"], "due_on": datetime.date(2023, 6, 30)},
        ],
    )  # fmt: skip
    services.meeting_mark_held(meeting=meeting)
    services.meeting_approve_minutes(meeting=meeting)
    # The next meeting of the cluster, still to be held: it lists the open task above.
    next_year = ClusterYear.objects.filter(cluster=cluster_year.cluster, year=2023).first()
    if next_year is not None:
        _meeting(
            next_year,
            "Sơ kết công tác thi đua, khen thưởng 6 tháng đầu năm 2023",
            kind=Meeting.Kind.MID_YEAR,
            starts_at=_at(2023, 7, 14, 8),
            host=units["Na Rì"],
            place="Huyện Na Rì",
        )


def _lao_cai(cluster_year, units, bodies):
    meeting = _meeting(
        cluster_year,
        "Sơ kết công tác thi đua, khen thưởng 6 tháng đầu năm, triển khai nhiệm vụ 6 tháng "
        "cuối năm 2022",
        kind=Meeting.Kind.MID_YEAR,
        starts_at=_at(2022, 7, 22, 8),
        ends_at=_at(2022, 7, 22, 11, 30),
        host=units["Bắc Hà"],
        place="Huyện Bắc Hà",
    )
    if meeting is None:
        return
    dang = _person(
        bodies["lao_cai"],
        "Đinh Văn Đăng",
        "Phó Bí thư Huyện ủy Bắc Hà",
        units["Bắc Hà"],
    )
    services.participants_save(
        meeting=meeting,
        rows=[
            {
                "person": dang,
                "role": Participant.Role.CHAIR,
                "position": "Phó Bí thư Huyện ủy, Phó trưởng Khối thi đua huyện, thị xã, "
                "thành phố năm 2022",
            },
        ],
    )
    _all_present(meeting)
    services.meeting_update(
        meeting=meeting,
        report=(
            "Dự hội nghị có lãnh đạo các sở, ngành và đại diện các huyện, thị xã, thành phố cùng "
            "các cá nhân, tập thể tiêu biểu.\n\n"
            "Ngay từ đầu năm, 9/9 huyện, thị xã, thành phố đã ký giao ước thi đua tại Hội nghị "
            "tổng kết năm 2021 tại huyện Si Ma Cai; 09/09 đơn vị đăng ký Cờ thi đua của Chính phủ, "
            "Cờ thi đua của UBND tỉnh. Trong 6 tháng đầu năm toàn khối có 1.524 lượt tập thể và "
            "18.568 lượt cá nhân đăng ký các danh hiệu thi đua.\n\n"
            "Trong 6 tháng đầu năm, Thủ tướng Chính phủ, UBND tỉnh Lào Cai đã khen thưởng cho 517 "
            "lượt tập thể, cá nhân; Chủ tịch UBND các huyện, thị xã, thành phố khen thưởng và công "
            "nhận danh hiệu thi đua cho 1.315 lượt tập thể và 9.294 cá nhân; Khối thi đua đã tặng "
            "Giấy khen cho 07 tập thể, 11 cá nhân điển hình tiên tiến."
        ),
        discussion=(
            "Các thành viên đề xuất giải pháp thực hiện nhiệm vụ thời gian tới:\n\n"
            "- Chuyển đổi số nâng cao chất lượng giáo dục toàn diện, hội nhập;\n"
            "- Bảo tồn và phát huy văn hóa người Mông gắn với phát triển du lịch trong các mô "
            "hình trường học;\n"
            "- Phát triển mô hình chế biến, sản xuất, kinh doanh các sản phẩm trà thảo mộc từ cây "
            "dược liệu, thảo dược và hoa quả nhiệt đới;\n"
            "- Xây dựng nền nông nghiệp hàng hóa hiện đại, bền vững;\n"
            "- Mô hình du lịch Homestay kết hợp phát triển sản phẩm truyền thống đặc trưng của "
            "từng địa phương."
        ),
    )
    services.conclusions_save(
        meeting=meeting,
        rows=[
            {"text": "UBND các huyện, thị xã, thành phố tiếp tục thi đua phấn đấu hoàn thành xuất "
                     "sắc các nhiệm vụ, chỉ tiêu, kế hoạch đã đăng ký, góp phần thực hiện thắng "
                     "lợi nhiệm vụ phát triển kinh tế - xã hội, quốc phòng, an ninh của địa "
                     "phương."},
            {"text": "Huyện Bắc Hà, đơn vị Phó trưởng khối, tặng Giấy khen cho 04 tập thể và 05 "
                     "cá nhân điển hình tiên tiến thuộc các huyện, thị xã, thành phố."},
        ],
    )  # fmt: skip
    services.exemplars_save(
        meeting=meeting,
        rows=[
            {"kind": "collective", "collective": "Mô hình du lịch Homestay gắn với sản phẩm "
             "truyền thống", "unit": units["Bắc Hà"],
             "achievement": "Phát triển du lịch cộng đồng kết hợp sản phẩm truyền thống đặc "
                            "trưng của địa phương."},
            {"kind": "collective", "collective": "Mô hình chế biến trà thảo mộc từ cây dược liệu",
             "unit": units["Bắc Hà"],
             "achievement": "Sản xuất, kinh doanh các sản phẩm trà thảo mộc từ cây dược liệu, "
                            "thảo dược và hoa quả nhiệt đới."},
        ],
    )  # fmt: skip
    services.meeting_mark_held(meeting=meeting)
    services.meeting_approve_minutes(meeting=meeting)


def _midland(cluster_year, units, bodies):
    meeting = _meeting(
        cluster_year,
        "Sơ kết công tác thi đua, khen thưởng 6 tháng đầu năm, triển khai nhiệm vụ 6 tháng "
        "cuối năm 2023",
        kind=Meeting.Kind.MID_YEAR,
        starts_at=_at(2023, 7, 28, 8),
        host=units["Tỉnh Tuyên Quang"],
        place="Tỉnh Tuyên Quang",
    )
    if meeting is None:
        return
    central = bodies["central"]
    toan = _person(central, "Phạm Đức Toàn", "Phó Trưởng ban Thi đua - Khen thưởng Trung ương")
    hung = _person(
        central, "Phạm Duy Hưng", "Phó Chủ tịch UBND tỉnh Bắc Kạn", units["Tỉnh Bắc Kạn"]
    )
    phuong = _person(
        central,
        "Hoàng Việt Phương",
        "Phó Chủ tịch UBND tỉnh Tuyên Quang",
        units["Tỉnh Tuyên Quang"],
    )
    services.participants_save(
        meeting=meeting,
        rows=[
            {"person": toan, "role": Participant.Role.CHAIR,
             "organization": "Ban Thi đua - Khen thưởng Trung ương"},
            {"person": hung, "role": Participant.Role.CHAIR,
             "position": "Phó Chủ tịch UBND tỉnh Bắc Kạn (đơn vị Cụm trưởng năm 2023)"},
            {"person": phuong, "role": Participant.Role.CHAIR,
             "position": "Phó Chủ tịch UBND tỉnh Tuyên Quang (đơn vị Cụm phó năm 2023)"},
        ],
    )  # fmt: skip
    _all_present(meeting)
    services.meeting_update(
        meeting=meeting,
        report=(
            "Trong 6 tháng đầu năm 2023, phong trào thi đua yêu nước và công tác khen thưởng của "
            "các tỉnh trong Cụm thi đua tiếp tục phát huy hiệu quả. Công tác tuyên truyền, phổ "
            "biến các chủ trương, đường lối của Đảng, chính sách pháp luật của Nhà nước về thi "
            "đua, khen thưởng, gương người tốt, việc tốt được quan tâm đẩy mạnh."
        ),
        discussion=(
            "Đại biểu thảo luận và thống nhất nhiều giải pháp, tập trung đổi mới phong trào thi "
            "đua thực hiện các nhiệm vụ phát triển kinh tế - xã hội từ nay đến hết năm 2023."
        ),
    )
    services.conclusions_save(
        meeting=meeting,
        rows=[
            {"text": "Tiếp tục phát huy những thành tích đã đạt được, đẩy mạnh phong trào thi đua "
                     "yêu nước, tạo động lực trong xây dựng và phát triển kinh tế - xã hội."},
            {"text": "Thực hiện tốt các phong trào thi đua do Thủ tướng Chính phủ phát động, gắn "
                     "với Chỉ thị 05 của Bộ Chính trị về “Học tập và làm theo tư tưởng, đạo đức, "
                     "phong cách Hồ Chí Minh”."},
            {"text": "Nâng cao chất lượng công tác khen thưởng, bảo đảm chính xác, kịp thời, công "
                     "khai, minh bạch; quan tâm khen thưởng điển hình, nhân tố mới, tập thể ở cơ "
                     "sở, vùng khó khăn, người trực tiếp lao động, sản xuất."},
        ],
    )  # fmt: skip
    services.meeting_mark_held(meeting=meeting)
