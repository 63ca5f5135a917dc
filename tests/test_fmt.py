from samverkan.fmt import NBSP, kr, num, pct


def test_thousands_use_non_breaking_space():
    assert num(1_260_000) == f"1{NBSP}260{NBSP}000"
    assert kr(916_210) == f"916{NBSP}210{NBSP}kr"


def test_decimal_comma_and_percent():
    assert pct(55 / 148) == f"37,2{NBSP}%"
    assert num(2.25, 1) in {"2,2", "2,3"}  # banker's rounding is Python's; either is honest
    assert num(-1500) == f"−1{NBSP}500"


def test_missing_values_show_a_dash():
    assert num(None) == kr(None) == pct(float("nan")) == "–"
