from gomruk.core.identifiers import is_valid_fin, is_valid_voen


def test_voen_good_and_bad():
    assert is_valid_voen("1401555071")
    assert not is_valid_voen("1401555081")  # check digit
    assert not is_valid_voen("140155507")  # too short
    assert not is_valid_voen("")
    assert not is_valid_voen(None)


def test_fin():
    assert is_valid_fin("5ABCD12")
    assert not is_valid_fin("5ABC")
