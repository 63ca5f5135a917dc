from samverkan.fmt import NBSP, kr, num, pct


def test_thousands_use_non_breaking_space():
    assert num(1_260_000) == f"1{NBSP}260{NBSP}000"
    assert kr(916_210) == f"916{NBSP}210{NBSP}kr"


def test_decimal_comma_and_percent():
    assert pct(55 / 148) == f"37,2{NBSP}%"
    # Python's format rounds the binary value: 2.25 is exact and ties go to the even digit
    # (2,2); 2.35 is stored as 2.3500000000000000888 and 2.45 as 2.4500000000000001776, both
    # a little above the tie, so they round up (2,4 and 2,5); 0.125 is exact: tie to even (0,12)
    assert [num(2.25, 1), num(2.35, 1), num(2.45, 1), num(0.125, 2)] == [
        "2,2", "2,4", "2,5", "0,12"]
    assert num(2.26, 1) == "2,3" and num(2.24, 1) == "2,2"
    assert num(-1500) == f"−1{NBSP}500"


def test_missing_values_show_a_dash():
    assert num(None) == kr(None) == pct(float("nan")) == "–"
