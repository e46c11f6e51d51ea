"""Council policies: the validated files in ``policies/`` and the working-day clock."""
