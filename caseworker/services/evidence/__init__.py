"""Documents and emails filed on a case."""
