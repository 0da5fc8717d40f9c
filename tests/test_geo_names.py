"""Name folding: the same place written many ways folds to one form."""

import pytest

from incidents.geo.names import normalize_name


@pytest.mark.parametrize(
    ("variants", "folded"),
    [
        (["عين الأسد", "عين الاسد", "عَيْنُ الأَسَدِ", "عيـــن الإسد"], "عين الاسد"),
        (["مدينة الحسكة", "مدينه الحسكه"], "مدينه الحسكه"),
        (["Al-Tanf", "al tanf", "AL–TANF", "“al Tanf”"], "al tanf"),
        (
            ["Kata'ib Hizballah", "Kata’ib Hizballah", "Kataib Hizballah"],
            "kataib hizballah",
        ),
        (["Şeddadê", "Seddade"], "seddade"),
        (["مستشفى", "مستشفي"], "مستشفي"),
    ],
)
def test_variants_fold_to_one_form(variants, folded):
    assert {normalize_name(v) for v in variants} == {folded}


def test_empty_and_punctuation_only_fold_to_empty():
    assert normalize_name("") == ""
    assert normalize_name(" -- ‘’ ") == ""
