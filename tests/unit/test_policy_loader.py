"""The policy loader refuses a bad file with the file, the key and the line; folders and ids; the
`caseworker policies` command.

The bad files are in tests/fixtures/policies/, each the valid ``minimal.toml`` broken one way, with
the line the loader must point at marked ``# wrong``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from caseworker.cli.main import main
from caseworker.errors import UserError
from caseworker.policy.loader import (
    PolicyError,
    clear_policy_cache,
    get_policy,
    load_policies,
    load_policy_file,
    user_policy_dir,
)

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "policies"
MINIMAL = (FIXTURES / "minimal.toml").read_text(encoding="utf-8")


def marked_line(path: Path) -> int:
    """The line marked '# wrong' (after some TOML, not in the header comment)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(n for n, line in enumerate(lines, 1) if "# wrong" in line and line[0] != "#")


def line_of(text: str, needle: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), 1) if line.startswith(needle))


def refused(path: Path) -> PolicyError:
    with pytest.raises(PolicyError) as caught:
        load_policy_file(path)
    return caught.value


def write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture(autouse=True)
def fresh_cache() -> None:
    clear_policy_cache()


# -- one bad file, one located problem ---------------------------------------------------------


def test_the_minimal_fixture_is_valid() -> None:
    assert load_policy_file(FIXTURES / "minimal.toml").id == "minimal"


@pytest.mark.parametrize(
    ("name", "key", "words"),
    [
        (
            "unknown-key.toml",
            "routes[0].stages[1].escalation_windw",
            "unknown key 'escalation_windw'; did you mean 'escalation_window'?",
        ),
        (
            "wrong-type.toml",
            "routes[0].stages[1].respond_days",
            'must be a whole number (got "20")',
        ),
        (
            "missing-value.toml",
            "routes[0].stages[1].respond_days",
            "missing: this table needs 'respond_days'",
        ),
        (
            "impossible-number.toml",
            "routes[0].stages[1].respond_days",
            "must be at most 130 (got 400)",
        ),
        (
            "next-contact-nowhere.toml",
            "routes[0].stages[0].next_contact",
            "'complaint-team' is not in [contacts]",
        ),
    ],
)
def test_a_bad_file_is_refused_with_its_file_key_and_line(name: str, key: str, words: str) -> None:
    path = FIXTURES / name
    error = refused(path)
    assert len(error.problems) == 1, str(error)
    assert error.path == path
    assert error.key == key
    assert error.line == marked_line(path)
    assert words in error.message
    assert str(error).startswith(f"{path}, line {marked_line(path)}, key {key}: ")
    assert isinstance(error, UserError)


def test_a_toml_syntax_error_gives_its_line() -> None:
    path = FIXTURES / "syntax-error.toml"
    error = refused(path)
    line = marked_line(path)
    assert error.line == line
    assert error.key is None
    assert error.message.startswith("not valid TOML: ")
    assert "(at line" not in error.message  # the place is given once, in front
    assert str(error).startswith(f"{path}, line {line}: not valid TOML: ")


def test_the_message_reads_as_in_the_brief(tmp_path: Path) -> None:
    text = MINIMAL.replace("respond_days = 20\n", "respond_days = 400\n")
    path = write(tmp_path, "x.toml", text)
    line = line_of(text, "respond_days = 400")
    assert str(refused(path)) == (
        f"{path}, line {line}, key routes[0].stages[1].respond_days: must be at most 130 (got 400)"
    )


def test_every_problem_is_reported_in_line_order(tmp_path: Path) -> None:
    text = (
        MINIMAL.replace('anonymous = "accepted"', 'anonymous = "yes"')
        .replace("months = 12", "months = 12\nweeks = 2")
        .replace('next_contact = "lgsco"', 'next_contact = "ombudsman"')
        .replace("respond_days = 10", "respond_days = 0")
    )
    path = write(tmp_path, "many.toml", text)
    error = refused(path)
    found = [(problem.key, problem.line) for problem in error.problems]
    assert found == [
        ("time_limit.weeks", line_of(text, "weeks = 2")),
        ("complainants.anonymous", line_of(text, 'anonymous = "yes"')),
        ("routes[0].stages[0].respond_days", line_of(text, "respond_days = 0")),
        ("routes[0].stages[1].next_contact", line_of(text, 'next_contact = "ombudsman"')),
    ]
    assert str(error).count(str(path)) == 4
    messages = [problem.message for problem in error.problems]
    assert messages[1] == "must be 'accepted', 'refused' or 'safeguarding-only' (got \"yes\")"
    assert messages[2] == "must be at least 1 (got 0)"


# -- locating keys in every TOML shape ---------------------------------------------------------


def test_keys_in_inline_tables_arrays_and_quoted_tables_are_located(tmp_path: Path) -> None:
    text = (
        MINIMAL.replace('"first-class", days = 1,', '"first-class", days = 11,')
        .replace(
            'escalation_window = { length = 20, unit = "calendar-days" }',
            'escalation_window = { length = 20, unit = "fortnights" }',
        )
        .replace('phone = "0300 061 0614"', "phone = 3000610614")
        .replace("closure_days = [2026-12-29]", 'closure_days = [2026-12-29, "2026-12-30"]')
    )
    path = write(tmp_path, "shapes.toml", text)
    found = {problem.key: problem.line for problem in refused(path).problems}
    assert found == {
        "clock.closure_days[1]": line_of(text, "closure_days"),
        "deemed_receipt[2].days": line_of(text, '    { method = "first-class"'),
        "routes[0].stages[0].escalation_window.unit": line_of(text, "escalation_window"),
        "contacts.lgsco.phone": line_of(text, "phone = 3000610614"),
    }


def test_strings_spanning_lines_do_not_confuse_the_line_count(tmp_path: Path) -> None:
    text = MINIMAL.replace(
        'title = "Minimal Complaints Policy"',
        'title = """Minimal\n[not.a.table]\nrespond_days = 1 # "quoted" \\"""\n"""\n'
        "source2 = '''\n[[routes]]\n'''",
    ).replace("respond_days = 20\n", "respond_days = 400\n")
    path = write(tmp_path, "strings.toml", text)
    found = {problem.key: problem.line for problem in refused(path).problems}
    assert found == {
        "source2": line_of(text, "source2 = "),
        "routes[0].stages[1].respond_days": line_of(text, "respond_days = 400"),
    }


def test_array_of_tables_indices_follow_their_parent(tmp_path: Path) -> None:
    second_route = """
[[routes]]
id = "housing"
name = "Housing"
statutory = false
ombudsman = "lgsco"

[[routes.stages]]
number = 1
name = "Stage 1"
handled_by = "the housing service"
respond_days = 10
respond_from = "receipt"
extension_days = 0
extension_in_writing = false
extension_gives_ombudsman = false
escalation_request = "none"
handler_must_differ = false
letter_must_include = ["ombudsman"]
next_contact = "nowhere"
"""
    contacts = "[contacts.complaints-team]"
    text = MINIMAL.replace(contacts, second_route + "\n" + contacts)
    path = write(tmp_path, "two.toml", text)
    error = refused(path)
    assert (error.key, error.line) == (
        "routes[1].stages[0].next_contact",
        line_of(text, 'next_contact = "nowhere"'),
    )


def test_a_missing_top_level_table_is_reported_without_a_line(tmp_path: Path) -> None:
    text = MINIMAL.replace("[retention]\nyears_after_closure = 3\n", "")
    path = write(tmp_path, "x.toml", text)
    error = refused(path)
    assert (error.key, error.line) == ("retention", None)
    assert str(error) == f"{path}, key retention: missing: the file needs 'retention'"


def test_a_missing_key_in_a_named_table_points_at_its_header(tmp_path: Path) -> None:
    text = MINIMAL.replace('waived_by = "the Head of Service"\n', "")
    error = refused(write(tmp_path, "x.toml", text))
    assert (error.key, error.line) == ("time_limit.waived_by", line_of(text, "[time_limit]"))


def test_a_stage_rule_from_the_schema_points_at_the_route(tmp_path: Path) -> None:
    text = MINIMAL.replace('escalation_request = "any"', 'escalation_request = "none"')
    error = refused(write(tmp_path, "x.toml", text))
    assert (error.key, error.line) == ("routes[0]", line_of(text, "[[routes]]"))
    assert "stage 2 needs escalation_request" in error.message


def test_a_missing_sending_method_is_located(tmp_path: Path) -> None:
    text = MINIMAL.replace('    { method = "hand", days = 0, unit = "calendar-days" },\n', "")
    error = refused(write(tmp_path, "x.toml", text))
    assert (error.key, error.line) == ("deemed_receipt", line_of(text, "deemed_receipt = ["))
    assert error.message == "must cover every sending method; missing hand"


@pytest.mark.parametrize(("value", "got"), [("{}", "a table"), ("[]", "an array"), ("1", "1")])
def test_a_sending_method_that_is_not_text_is_one_located_problem(
    tmp_path: Path, value: str, got: str
) -> None:
    text = MINIMAL.replace('{ method = "hand",', f"{{ method = {value},")
    error = refused(write(tmp_path, "x.toml", text))
    assert len(error.problems) == 1  # not also "missing hand": that entry says what is wrong
    assert (error.key, error.line) == (
        "deemed_receipt[1].method",
        line_of(text, "    { method = " + value),
    )
    assert error.message == (
        f"must be 'email', 'first-class', 'second-class' or 'hand' (got {got})"
    )


def test_an_unreadable_file_is_a_policy_error(tmp_path: Path) -> None:
    assert refused(tmp_path / "absent.toml").message == "no such file"
    bad = tmp_path / "latin1.toml"
    bad.write_bytes('council = "Caf\xe9"'.encode("latin-1"))
    assert refused(bad).message.startswith("not UTF-8 text")


# -- folders, ids and overrides ----------------------------------------------------------------


def test_a_council_folder_overrides_the_bundled_policy(tmp_path: Path) -> None:
    bundled = load_policies()["stockport"]
    text = (FIXTURES.parents[2] / "policies" / "stockport.toml").read_text(encoding="utf-8")
    own = write(tmp_path / "council", "stockport.toml", text.replace("months = 12", "months = 6"))
    policies = load_policies([own.parent])
    assert bundled.time_limit.months == 12
    assert policies["stockport"].time_limit.months == 6
    assert "warwickshire" in policies  # the rest are still there


def test_a_new_council_policy_is_added(tmp_path: Path) -> None:
    write(tmp_path, "minimal.toml", MINIMAL)
    assert load_policies([tmp_path])["minimal"].council == "Minimal Council"


def test_a_missing_extra_folder_is_skipped(tmp_path: Path) -> None:
    assert "stockport" in load_policies([tmp_path / "not-there"])


def test_a_file_name_must_match_its_id(tmp_path: Path) -> None:
    path = write(tmp_path, "other.toml", MINIMAL)
    with pytest.raises(PolicyError) as caught:
        load_policies([tmp_path])
    error = caught.value
    assert (error.path, error.key, error.line) == (path, "id", line_of(MINIMAL, "id = "))
    assert "rename it to minimal.toml" in error.message


def test_a_duplicate_id_in_one_folder_is_refused(tmp_path: Path) -> None:
    write(tmp_path, "a.toml", MINIMAL)
    second = write(tmp_path, "b.toml", MINIMAL)
    with pytest.raises(PolicyError) as caught:
        load_policies([tmp_path])
    problems = caught.value.problems
    assert any(
        p.path == second and p.key == "id" and "already used by a.toml" in p.message
        for p in problems
    )


def test_bad_files_in_a_folder_are_all_reported(tmp_path: Path) -> None:
    for name in ("unknown-key.toml", "impossible-number.toml"):
        write(tmp_path, name, (FIXTURES / name).read_text(encoding="utf-8"))
    with pytest.raises(PolicyError) as caught:
        load_policies([tmp_path])
    assert {problem.path.name for problem in caught.value.problems} == {
        "unknown-key.toml",
        "impossible-number.toml",
    }


def test_a_second_baseline_is_refused(tmp_path: Path) -> None:
    write(
        tmp_path,
        "minimal.toml",
        MINIMAL.replace('source = "tests/fixtures/policies"', 'source = "x"\nbaseline = true'),
    )
    with pytest.raises(PolicyError) as caught:
        load_policies([tmp_path])
    assert {problem.key for problem in caught.value.problems} == {"baseline"}


def test_get_policy_reads_the_council_folder_and_caches(isolated_home: Path) -> None:
    assert user_policy_dir() == isolated_home / "policies"
    write(user_policy_dir(), "minimal.toml", MINIMAL)
    policy = get_policy("minimal")
    assert policy.council == "Minimal Council"
    assert get_policy("minimal") is policy
    assert get_policy("stockport").council == "Stockport Council"


def test_get_policy_names_the_known_ids_when_unknown() -> None:
    with pytest.raises(UserError) as caught:
        get_policy("atlantis", extra_dirs=())
    message = str(caught.value)
    assert message.startswith("unknown policy 'atlantis'; known policies: ")
    assert "stockport" in message and "warwickshire" in message
    assert not isinstance(caught.value, PolicyError)


# -- the command -------------------------------------------------------------------------------


def test_cli_lists_policies_with_routes_and_targets(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["policies"]) == 0
    out = capsys.readouterr().out
    for policy_id in (
        "stockport",
        "stoke-on-trent",
        "information-governance",
        "warwickshire",
        "southampton",
        "complaint-handling-code",
    ):
        assert f"\n{policy_id} — " in out
    assert "Stockport Council" in out
    # Stockport 2.8: a dissatisfied Member/MP makes a formal complaint, to Customer Feedback (1.4);
    # the route's Ombudsman is still the LGSCO.
    assert (
        "member-enquiry: Member / MP enquiry (then customer-feedback, Ombudsman lgsco, replies to "
        "the referrer)" in out
    )
    assert "childrens-services: Children's Services complaints (statutory, then lgsco)" in out
    assert "stage 3: respond 50" in out
    assert (
        "stage 1: acknowledge 5, respond 10 from acknowledgement +10, ask for the next stage "
        "within 1 month" in out
    )


def test_cli_lists_a_council_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(tmp_path, "minimal.toml", MINIMAL)
    assert main(["policies", "--dir", str(tmp_path)]) == 0
    assert "\nminimal — Minimal Council" in capsys.readouterr().out


def test_cli_check_accepts_a_good_file(capsys: pytest.CaptureFixture[str]) -> None:
    path = FIXTURES.parents[2] / "policies" / "warwickshire.toml"
    assert main(["policies", "--check", str(path)]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"OK: {path} is policy 'warwickshire' (Warwickshire County Council)")
    assert "note:" not in out


def test_cli_check_notes_a_file_name_that_does_not_match(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = write(tmp_path, "draft.toml", MINIMAL)
    assert main(["policies", "--check", str(path)]) == 0
    assert "must be named minimal.toml" in capsys.readouterr().out


def test_cli_check_refuses_a_bad_file_with_located_messages(
    capsys: pytest.CaptureFixture[str],
) -> None:
    path = FIXTURES / "impossible-number.toml"
    assert main(["policies", "--check", str(path)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == (
        f"caseworker: {path}, line {marked_line(path)}, key routes[0].stages[1].respond_days: "
        "must be at most 130 (got 400)\n"
    )


def test_cli_check_reports_a_missing_file(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["policies", "--check", "no/such/policy.toml"]) == 2
    assert capsys.readouterr().err == "caseworker: no/such/policy.toml: no such file\n"


# -- issue 21: the settings a file states, milestones, placeholders ----------------------------


def test_a_file_without_the_new_settings_takes_the_defaults() -> None:
    # A council's own copy written before these settings existed still loads, read the way the
    # bundled files state: next working day, time limit from awareness, any form of request.
    policy = load_policy_file(FIXTURES / "minimal.toml")
    assert policy.clock.start_on_non_working_day == "next-working-day"
    assert policy.time_limit.runs_from == "awareness"
    assert policy.stage("corporate", 2).escalation_request_in == "any-form"
    assert (policy.placeholders, policy.placeholder_values()) == ([], [])


@pytest.mark.parametrize(
    ("change", "key", "words"),
    [
        (
            ('start_on_non_working_day = "monday"', "closure_days = [2026-12-29]"),
            "clock.start_on_non_working_day",
            "next-working-day",
        ),
        (('runs_from = "discovery"', "months = 12"), "time_limit.runs_from", "awareness"),
    ],
)
def test_a_bad_setting_is_refused_with_its_key(
    tmp_path: Path, change: tuple[str, str], key: str, words: str
) -> None:
    added, after = change
    text = MINIMAL.replace(after + "\n", f"{after}\n{added}\n")
    path = write(tmp_path, "minimal.toml", text)
    error = refused(path)
    assert (error.key, error.line) == (key, line_of(text, added))
    assert words in error.message


MILESTONES = 'milestones = [{ id = "panel", name = "Panel", days = 12 }, %s]\n'


@pytest.mark.parametrize(
    ("second", "words"),
    [
        (
            '{ id = "report", name = "Report", days = 5, after = "hearing" }',
            "milestone 'report' comes after 'hearing', which is not 'start' or an earlier "
            "milestone of the stage",
        ),
        (
            '{ id = "report", name = "Report", days = 9, after = "panel" }',
            "milestone 'report' falls 21 working days into the stage, after its response is due "
            "(20)",
        ),
        (
            '{ id = "panel", name = "Again", days = 1 }',
            "milestone 'panel' is listed twice",
        ),
    ],
)
def test_milestones_must_chain_within_the_stage(tmp_path: Path, second: str, words: str) -> None:
    text = MINIMAL.replace(
        'letter_must_include = ["decision", "ombudsman"]\n',
        'letter_must_include = ["decision", "ombudsman"]\n' + MILESTONES % second,
    )
    error = refused(write(tmp_path, "minimal.toml", text))
    assert error.key == "routes[0].stages[1]"
    assert words in error.message


def test_a_referral_must_name_a_contact(tmp_path: Path) -> None:
    text = MINIMAL + (
        '\n[rules.referral]\nat_stage = 2\nto = "resolution-team"\ngrounds = ["Complex"]\n'
        "complainant_told_reasons = true\ntimescale_may_change = true\n"
    )
    error = refused(write(tmp_path, "minimal.toml", text))
    assert error.key == "rules.referral.to"
    assert error.line == line_of(text, 'to = "resolution-team"')
    assert "'resolution-team' is not in [contacts]" in error.message


def test_placeholders_must_name_values_of_the_policy(tmp_path: Path) -> None:
    text = MINIMAL.replace(
        'source = "tests/fixtures/policies"\n',
        'source = "tests/fixtures/policies"\nplaceholders = ["contacts.complaint-team.address"]\n',
    )
    error = refused(write(tmp_path, "minimal.toml", text))
    assert "placeholders: 'contacts.complaint-team.address' is not a value of this policy" in (
        str(error)
    )


def test_cli_check_warns_of_placeholders(capsys: pytest.CaptureFixture[str]) -> None:
    # Seed 002 names no council and gives the Information Governance Team no address.
    path = FIXTURES.parents[2] / "policies" / "information-governance.toml"
    assert main(["policies", "--check", str(path)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith(f"OK: {path} is policy 'information-governance'")
    assert out[1:] == [
        "warning: council is still a placeholder ('A council whose Information Governance Team "
        "runs complaints (not named in the text)'): set the council's own value and remove it "
        "from placeholders",
        "warning: contacts.information-governance.address is still a placeholder ('(the "
        "Information Governance Team's address: not given in the policy text; set it here)'): "
        "set the council's own value and remove it from placeholders",
    ]
    path = FIXTURES.parents[2] / "policies" / "stockport.toml"
    assert main(["policies", "--check", str(path)]) == 0
    assert "warning" not in capsys.readouterr().out


def test_cli_check_warns_of_a_bracketed_detail_not_listed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = MINIMAL.replace(
        'email = "complaints@example.org"', 'email = "(the team\'s email: set it here)"'
    )
    path = write(tmp_path, "minimal.toml", text)
    assert main(["policies", "--check", str(path)]) == 0
    assert capsys.readouterr().out.splitlines()[1:] == [
        "warning: contacts.complaints-team.email is still a placeholder ('(the team's email: set "
        "it here)'): set the council's own value"
    ]


def test_cli_lists_the_settings_issue_21_added(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["policies"]) == 0
    out = capsys.readouterr().out
    assert out.count("  clock: start_on_non_working_day = next-working-day (day 0 of a count") == 6
    assert "time limit: 12 months from the event complained of" in out  # Southampton only
    assert out.count("time limit: 12 months from when the complainant became aware") == 5
    assert "+10: the Complaint Handling Code, borrowed: the council's policy sets no limit" in out
    assert "stage 2: respond 20 +20, asked for by email, decide escalation 5" in out  # Stoke
    assert "milestones: panel 30, report 5 after panel, reply 15 after report" in out
    assert "placeholders still to set: council, contacts.information-governance.address" in out
    assert "stage 2 may be referred to complaints-resolution" in out
    assert "a request for further information after stage 1 is answered with the information" in (
        out
    )
