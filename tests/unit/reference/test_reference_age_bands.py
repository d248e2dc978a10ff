import pytest

from kasane.reference import age_band_of, is_valid


@pytest.mark.parametrize(
    ("age", "band"),
    [(0, "0-9"), (9, "0-9"), (10, "10-19"), (49, "40-49"), (50, "50-59"), (89, "80-89"),
     (90, "90+"), (104, "90+")],
)  # fmt: skip
def test_age_band_boundaries(age: int, band: str) -> None:
    assert age_band_of(age) == band


def test_every_result_is_a_valid_code() -> None:
    assert all(is_valid("age_bands", age_band_of(age)) for age in range(0, 121))


def test_negative_age_is_rejected() -> None:
    with pytest.raises(ValueError, match="negative"):
        age_band_of(-1)


@pytest.mark.parametrize("bad", [True, 42.0, "42"])
def test_non_int_is_rejected(bad: object) -> None:
    with pytest.raises(TypeError):
        age_band_of(bad)  # type: ignore[arg-type]
