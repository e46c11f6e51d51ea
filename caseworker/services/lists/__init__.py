"""The case list, Today and the list's first page at start-up."""
