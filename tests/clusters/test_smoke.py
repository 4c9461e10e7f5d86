from django.urls import reverse


def test_it_shows_the_year_to_staff(staff_client, cluster_year):
    response = staff_client.get(reverse("clusters:clusteryear-detail", args=[cluster_year.pk]))
    assert response.status_code == 200
    assert "Huyện Na Rì" in response.content.decode()
