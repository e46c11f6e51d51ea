"""Letters: building a structured draft from a case, checking it, and filling a Word template.

``build_draft`` (builder) makes the draft the officer edits; ``check_letter`` (checks) lists what
Appendix A or the case's policy requires that the draft still lacks; ``plain_english`` (plain)
gives advice on long sentences and jargon with a readability score; ``render_letter`` (render)
fills the template; ``services`` saves a letter on its case. Nothing here imports Qt.
"""
