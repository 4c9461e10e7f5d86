"""Seed the national catalogue of emulation titles and forms of commendation
(Law on Emulation and Commendation No. 06/2022/QH15; Decree 152/2025/NĐ-CP)."""

from django.db import migrations

from core.text import fold, sort_key

LAW = "Luật Thi đua, khen thưởng số 06/2022/QH15"

# name, short name, category, recipient, level, decided by, criteria
NATIONAL = [
    ("Cờ thi đua của Chính phủ", "Cờ Chính phủ", "title", "collective", "state",
     "Thủ tướng Chính phủ",
     "Tặng hằng năm cho tập thể tiêu biểu xuất sắc, được lựa chọn trong số các tập thể "
     "dẫn đầu phong trào thi đua của cụm, khối thi đua."),
    ("Cờ thi đua của UBND tỉnh", "Cờ thi đua tỉnh", "title", "collective", "province",
     "Chủ tịch UBND tỉnh",
     "Tặng hằng năm cho tập thể dẫn đầu phong trào thi đua của cụm, khối thi đua của tỉnh."),
    ("Tập thể lao động xuất sắc", "TTLĐXS", "title", "collective", "province",
     "Chủ tịch UBND tỉnh", ""),
    ("Tập thể lao động tiên tiến", "TTLĐTT", "title", "collective", "grassroots",
     "Thủ trưởng cơ quan, Chủ tịch UBND cấp xã", ""),
    ("Chiến sĩ thi đua toàn quốc", "CSTĐ toàn quốc", "title", "individual", "state",
     "Thủ tướng Chính phủ", ""),
    ("Chiến sĩ thi đua cấp tỉnh", "CSTĐ cấp tỉnh", "title", "individual", "province",
     "Chủ tịch UBND tỉnh", ""),
    ("Chiến sĩ thi đua cơ sở", "CSTĐ cơ sở", "title", "individual", "grassroots",
     "Thủ trưởng cơ quan, Chủ tịch UBND cấp xã", ""),
    ("Lao động tiên tiến", "LĐTT", "title", "individual", "grassroots",
     "Thủ trưởng cơ quan, Chủ tịch UBND cấp xã", ""),
    ("Huân chương Lao động hạng Nhất", "", "commendation", "both", "state",
     "Chủ tịch nước", ""),
    ("Huân chương Lao động hạng Nhì", "", "commendation", "both", "state",
     "Chủ tịch nước", ""),
    ("Huân chương Lao động hạng Ba", "", "commendation", "both", "state",
     "Chủ tịch nước", ""),
    ("Bằng khen của Thủ tướng Chính phủ", "Bằng khen Thủ tướng", "commendation", "both",
     "state", "Thủ tướng Chính phủ", ""),
    ("Bằng khen của UBND tỉnh", "Bằng khen tỉnh", "commendation", "both", "province",
     "Chủ tịch UBND tỉnh", ""),
    ("Giấy khen", "", "commendation", "both", "grassroots",
     "Thủ trưởng cơ quan, Chủ tịch UBND cấp xã", ""),
]


def seed(apps, schema_editor):
    AwardType = apps.get_model("awards", "AwardType")
    for order, (name, short, category, recipient, level, decided_by, criteria) in enumerate(
        NATIONAL, start=1
    ):
        if AwardType.objects.filter(name=name, body__isnull=True).exists():
            continue
        AwardType.objects.create(
            name=name,
            short_name=short,
            category=category,
            recipient=recipient,
            level=level,
            decided_by=decided_by,
            criteria=criteria,
            legal_basis=LAW,
            order=order,
            search_text=" | ".join(fold(text) for text in (name, short) if text),
            sort_key=sort_key(name),
        )


def unseed(apps, schema_editor):
    AwardType = apps.get_model("awards", "AwardType")
    AwardType.objects.filter(body__isnull=True, name__in=[row[0] for row in NATIONAL]).delete()


class Migration(migrations.Migration):
    dependencies = [("awards", "0001_award_type_catalogue")]

    operations = [migrations.RunPython(seed, unseed)]
