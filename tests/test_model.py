import pytest

from storyline.model import entity_key


@pytest.mark.parametrize("forms", [
    ("Kim Jong-un", "Kim Jong Un", "KIM JONG UN", "Kim Jong‐un"),  # the last with a Unicode hyphen
    ("O’Brien", "O'Brien", "O BRIEN"),
    ("Sheriff’s Office", "Sheriff's Office"),
    ("José Ruiz", "Jose Ruiz", "JOSÉ RUIZ"),
    ("Łódź", "ŁÓDŹ", "Łodz"),
])
def test_the_forms_of_one_name_share_a_key(forms):
    assert len({entity_key(form) for form in forms}) == 1


def test_keys_keep_the_letters_of_any_script():
    assert entity_key("Łódź") == "łodz"  # no letter lost for want of an ASCII form
    assert entity_key("Владимир Путин") == "владимир путин"
    assert entity_key("O’Brien") != entity_key("Obrien")
