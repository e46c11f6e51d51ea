"""The tabs of the case file window: overview, issues and notes, interviews, home visit, letters,
timeline. Each shows a :class:`caseworker.services.cases.casefile.CaseFile` and edits by calling the
services with the window's :class:`caseworker.services.context.Context`."""
