"""How letters name people: every bad form issue 18 found, and the rules that fix them."""

from __future__ import annotations

import pytest

from caseworker.letters.names import (
    councillor_salutation,
    full_name,
    in_body,
    is_placeholder,
    mp_salutation,
    read_name,
    salutation,
    tidy_capitals,
)


@pytest.mark.parametrize(
    ("name", "title", "expected", "wrong"),
    [
        ("Seán Ó Ceallaigh", "Mr", "Mr Ó Ceallaigh", "Mr Ceallaigh"),
        ("Mr Seán Ó Ceallaigh", "", "Mr Ó Ceallaigh", "Mr Ceallaigh"),
        ("Anna van der Berg", "Mrs", "Mrs van der Berg", "Mrs Berg"),
        ("Mrs Anna van der Berg", "", "Mrs van der Berg", "Mrs Berg"),
        ("Róisín Nic Giolla Phádraig", "Ms", "Ms Nic Giolla Phádraig", "Ms Phádraig"),
        ("Dafydd ap Gwilym", "Mr", "Mr ap Gwilym", "Mr Gwilym"),
        ("Jane Smith-Jones", "Dr", "Dr Smith-Jones", "Dr Jones"),
        ("Ludwig von Beethoven", "Herr", "Herr von Beethoven", "Herr Beethoven"),
        ("Mary Bríain", "Dame", "Dame Mary", "Dame Bríain"),
        ("Dame Mary Bríain", "", "Dame Mary", "Dame Bríain"),
        ("Paddy Ashdown", "Sir", "Sir Paddy", "Sir Ashdown"),
        ("Sir Paddy Ashdown", "", "Sir Paddy", "Sir Ashdown"),
        ("Asha Patel", "", "Asha Patel", "Ms Patel"),
        ("Mrs Asha Patel", "", "Mrs Patel", "Mrs Asha Patel"),
    ],
)
def test_salutation_keeps_the_whole_surname(name, title, expected, wrong):
    assert salutation(name, title) == expected
    assert salutation(name, title) != wrong


@pytest.mark.parametrize(
    "name",
    ["Anonymous", "", "   ", "Firstname Surname", "first name surname", "ANONYMOUS", "n/a", "—"],
)
def test_no_usable_name_is_sir_or_madam(name):
    assert is_placeholder(name)
    assert salutation(name) == "Sir or Madam"
    assert in_body(name) == "the complainant"
    assert read_name(name).problem


def test_a_real_name_is_not_a_placeholder():
    assert not is_placeholder("Ann Nonymous")
    assert not is_placeholder("Jo")
    assert read_name("Asha Patel").problem == ""


@pytest.mark.parametrize(
    ("typed", "tidied"),
    [
        ("siân o'brien", "Siân O'Brien"),
        ("SIÂN O'BRIEN", "Siân O'Brien"),
        ("anna van der berg", "Anna van der Berg"),
        ("seán ó ceallaigh", "Seán Ó Ceallaigh"),
        ("jane smith-jones", "Jane Smith-Jones"),
        ("angus mcdonald", "Angus McDonald"),
        ("d'arcy d'souza", "D'Arcy D'Souza"),
        ("dafydd ap gwilym", "Dafydd ap Gwilym"),
        # the person's own mixed-case spelling is kept
        ("Angus Macdonald", "Angus Macdonald"),
        ("Ffion ap Rhys", "Ffion ap Rhys"),
        ("Mary-Kate DeVito", "Mary-Kate DeVito"),
    ],
)
def test_capitals_only_where_safe(typed, tidied):
    assert tidy_capitals(typed) == tidied


def test_mac_is_not_guessed():
    # Mackintosh, Macey: "mac" joined to a name is not always a prefix to capitalise after
    assert tidy_capitals("ruth mackintosh") == "Ruth Mackintosh"


def test_lower_case_name_in_salutation_and_body():
    assert salutation("siân o'brien") == "Siân O'Brien"
    assert salutation("siân o'brien", "ms") == "Ms O'Brien"
    assert in_body("siân o'brien", "ms") == "Ms O'Brien"


def test_how_they_like_to_be_addressed_wins():
    assert salutation("Brendan Murphy", "Revd", "Father Brendan") == "Father Brendan"
    assert in_body("Brendan Murphy", "Revd", "Father Brendan") == "Father Brendan"
    assert salutation("Anonymous", "", "Jo") == "Jo"
    assert read_name("Paddy Ashdown", "Sir", "Paddy").problem == ""


def test_sir_with_one_name_is_not_guessed_and_says_why():
    read = read_name("Sir Ashdown")
    assert read.salutation == "Sir or Madam"
    assert "first name" in read.problem
    assert read.in_body == "Sir Ashdown"


def test_address_block_name_has_title_and_whole_name():
    assert full_name("anna van der berg", "mrs") == "Mrs Anna van der Berg"
    assert full_name("Mr Seán Ó Ceallaigh") == "Mr Seán Ó Ceallaigh"
    assert full_name("Firstname Surname") == ""


def test_title_field_overrides_title_in_name():
    assert salutation("Mrs Jo Bloggs", "Dr") == "Dr Bloggs"
    assert full_name("Mrs Jo Bloggs", "Dr") == "Dr Jo Bloggs"


def test_councillor_and_mp():
    assert councillor_salutation("Cllr Pieter van der Berg") == "Councillor van der Berg"
    assert councillor_salutation("Councillor Seán Ó Ceallaigh") == "Councillor Ó Ceallaigh"
    assert councillor_salutation("Jo Bloggs", "Jo") == "Jo"
    assert mp_salutation("Paddy Ashdown MP", "Sir") == "Sir Paddy"
    assert mp_salutation("Jane Smith", "Ms") == "Ms Smith"
    assert mp_salutation("Jane Smith") == "Jane Smith MP"
    assert mp_salutation("Jane Smith MP") == "Jane Smith MP"
