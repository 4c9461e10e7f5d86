"""Vietnamese names as they occur, for the benchmark's data set.

Family names carry their share of the population (Nguyễn about 38 %, Trần 11 %, Lê
9.5 % …, with the Tày and Nùng names of the northern mountain provinces at the tail);
middle and given names are drawn by gender from lists of common ones, weighted roughly
by how often they occur. Unit and cluster names follow the forms of a province's
register ("Huyện …", "Thành phố …", "Xã …", "Sở …").
"""

import random

# (family name, share in per cent)
FAMILY_NAMES = [
    ("Nguyễn", 38.4),
    ("Trần", 11.0),
    ("Lê", 9.5),
    ("Phạm", 7.1),
    ("Hoàng", 4.1),
    ("Huỳnh", 1.0),
    ("Phan", 4.5),
    ("Vũ", 2.9),
    ("Võ", 1.0),
    ("Đặng", 2.1),
    ("Bùi", 2.0),
    ("Đỗ", 1.4),
    ("Hồ", 1.3),
    ("Ngô", 1.3),
    ("Dương", 1.0),
    ("Lý", 0.5),
    ("Nông", 0.6),
    ("Hà", 0.6),
    ("Lương", 0.4),
    ("Triệu", 0.3),
    ("Đinh", 0.5),
    ("Trịnh", 0.4),
    ("Đào", 0.4),
    ("Mai", 0.3),
    ("Lò", 0.2),
    ("Ma", 0.2),
    ("Lục", 0.1),
    ("Hứa", 0.1),
    ("Tô", 0.2),
    ("Cao", 0.3),
    ("Vương", 0.2),
    ("Quách", 0.1),
]

MALE_MIDDLE = [
    ("Văn", 40),
    ("Hữu", 8),
    ("Đức", 10),
    ("Minh", 9),
    ("Quang", 7),
    ("Công", 6),
    ("Thanh", 5),
    ("Xuân", 4),
    ("Ngọc", 3),
    ("Tiến", 3),
    ("Mạnh", 2),
    ("Trọng", 3),
]
FEMALE_MIDDLE = [
    ("Thị", 55),
    ("Ngọc", 8),
    ("Thu", 7),
    ("Thanh", 6),
    ("Minh", 5),
    ("Hồng", 5),
    ("Thùy", 4),
    ("Phương", 3),
    ("Kim", 3),
    ("Bích", 2),
    ("Mai", 2),
]
MALE_GIVEN = [
    ("Anh", 6),
    ("Hùng", 6),
    ("Dũng", 6),
    ("Nam", 5),
    ("Tuấn", 6),
    ("Hải", 5),
    ("Long", 4),
    ("Thắng", 4),
    ("Cường", 4),
    ("Hiếu", 3),
    ("Minh", 4),
    ("Quân", 3),
    ("Sơn", 4),
    ("Tùng", 3),
    ("Trung", 3),
    ("Đức", 3),
    ("Huy", 3),
    ("Bình", 3),
    ("Phong", 2),
    ("Khánh", 2),
    ("Thành", 3),
    ("Vinh", 2),
    ("Toàn", 2),
    ("Kiên", 2),
    ("Lâm", 2),
    ("Bường", 1),
    ("Nguyên", 2),
]
FEMALE_GIVEN = [
    ("Hương", 6),
    ("Lan", 5),
    ("Linh", 6),
    ("Hà", 5),
    ("Trang", 6),
    ("Thủy", 5),
    ("Hằng", 4),
    ("Huyền", 4),
    ("Nga", 4),
    ("Mai", 4),
    ("Hoa", 4),
    ("Phương", 4),
    ("Thảo", 4),
    ("Yến", 3),
    ("Ngọc", 3),
    ("Nhung", 3),
    ("Dung", 3),
    ("Loan", 2),
    ("Oanh", 2),
    ("Vân", 3),
    ("Chi", 2),
    ("Anh", 4),
    ("Liên", 2),
    ("Thơ", 1),
]

POSITIONS = [
    ("Chuyên viên", 30),
    ("Chuyên viên chính", 10),
    ("Phó Trưởng phòng", 8),
    ("Trưởng phòng", 6),
    ("Phó Chủ tịch UBND", 3),
    ("Chủ tịch UBND", 2),
    ("Bí thư", 2),
    ("Phó Giám đốc", 3),
    ("Giám đốc", 2),
    ("Cán bộ", 20),
    ("Văn thư", 4),
    ("Kế toán", 4),
    ("", 6),
]

# A district-level register, then the provincial agencies and enterprises.
DISTRICTS = [
    "Thành phố Tuyên Quang",
    "Huyện Lâm Bình",
    "Huyện Na Hang",
    "Huyện Chiêm Hóa",
    "Huyện Hàm Yên",
    "Huyện Yên Sơn",
    "Huyện Sơn Dương",
]
AGENCIES = [
    "Văn phòng UBND tỉnh",
    "Sở Nội vụ",
    "Sở Tài chính",
    "Sở Xây dựng",
    "Sở Y tế",
    "Sở Giáo dục và Đào tạo",
    "Sở Tư pháp",
    "Sở Công Thương",
    "Sở Nông nghiệp và Môi trường",
    "Sở Văn hóa, Thể thao và Du lịch",
    "Sở Khoa học và Công nghệ",
    "Sở Ngoại vụ",
    "Sở Dân tộc và Tôn giáo",
    "Thanh tra tỉnh",
    "Công an tỉnh",
    "Bộ Chỉ huy Quân sự tỉnh",
    "Ban Quản lý các khu công nghiệp",
    "Đài Phát thanh và Truyền hình tỉnh",
    "Báo Tuyên Quang",
    "Trường Chính trị tỉnh",
    "Trường Cao đẳng Kỹ thuật",
    "Bệnh viện Đa khoa tỉnh",
    "Liên đoàn Lao động tỉnh",
    "Tỉnh đoàn",
    "Hội Liên hiệp Phụ nữ tỉnh",
    "Hội Nông dân tỉnh",
    "Hội Cựu chiến binh tỉnh",
    "Ủy ban Mặt trận Tổ quốc tỉnh",
    "Kho bạc Nhà nước tỉnh",
    "Cục Thuế tỉnh",
    "Công ty Điện lực",
    "Công ty Cổ phần Cấp thoát nước",
    "Ngân hàng Chính sách xã hội chi nhánh tỉnh",
]
PLACE_SYLLABLES = [
    "An",
    "Bình",
    "Phú",
    "Thái",
    "Minh",
    "Xuân",
    "Tân",
    "Trung",
    "Yên",
    "Hòa",
    "Lợi",
    "Hưng",
    "Đông",
    "Tây",
    "Thành",
    "Long",
    "Phúc",
    "Vĩnh",
    "Hồng",
    "Lạc",
    "Thượng",
    "Quang",
    "Sơn",
    "Thủy",
    "Lâm",
    "Đức",
    "Hợp",
    "Tiến",
    "Thắng",
    "Khánh",
    "Hùng",
    "Mỹ",
    "Kim",
    "Vinh",
    "Nhân",
    "Nghĩa",
    "Tràng",
    "Đà",
    "Kiến",
    "Thiết",
    "Lực",
    "Bạch",
    "Xa",
    "Côn",
    "Lôn",
    "Hà",
    "Lang",
    "Quán",
    "Nhữ",
]

BLOC_NAMES = [
    "Khối thi đua các cơ quan tổng hợp",
    "Khối thi đua các sở, ngành kinh tế",
    "Khối thi đua văn hóa - xã hội",
    "Khối thi đua nội chính",
    "Khối thi đua các cơ quan Đảng, đoàn thể",
    "Khối thi đua các doanh nghiệp",
    "Khối thi đua các cơ quan Trung ương đóng trên địa bàn",
    "Khối thi đua các trường học",
    "Khối thi đua các đơn vị sự nghiệp",
    "Khối thi đua lực lượng vũ trang",
]


def weighted(rng: random.Random, pairs: list[tuple[str, float]], count: int) -> list[str]:
    values = [value for value, _weight in pairs]
    weights = [weight for _value, weight in pairs]
    return rng.choices(values, weights=weights, k=count)


def full_names(rng: random.Random, count: int) -> list[str]:
    """``count`` full names, half of them women's, families by their real shares."""
    families = weighted(rng, FAMILY_NAMES, count)
    names = []
    for family in families:
        if rng.random() < 0.5:
            middle, given = MALE_MIDDLE, MALE_GIVEN
        else:
            middle, given = FEMALE_MIDDLE, FEMALE_GIVEN
        parts = [family, *weighted(rng, middle, 1)]
        if rng.random() < 0.15:  # a second middle name: "Nguyễn Thị Thu Hương"
            parts += weighted(rng, FEMALE_MIDDLE[2:] if middle is FEMALE_MIDDLE else middle, 1)
        parts += weighted(rng, given, 1)
        names.append(" ".join(_no_repeats(parts)))
    return names


def _no_repeats(parts: list[str]) -> list[str]:
    kept = []
    for part in parts:
        if not kept or kept[-1] != part:
            kept.append(part)
    return kept


def place_names(rng: random.Random, count: int) -> list[str]:
    """``count`` different two-syllable place names ("Kim Phú", "Thái Bình" …)."""
    names: list[str] = []
    seen = set()
    while len(names) < count:
        first, second = rng.sample(PLACE_SYLLABLES, 2)
        name = f"{first} {second}"
        if name not in seen:
            seen.add(name)
            names.append(name)
    return names
