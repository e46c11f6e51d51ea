"""The tabs of the case file window: overview, issues and notes, interviews, home visit, letters,
timeline. Each shows a :class:`caseworker.services.cases.casefile.CaseFile` and edits through the
:class:`caseworker.services.desk.CaseDesk`."""
