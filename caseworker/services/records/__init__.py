"""The file as a record: the stage file pack, retention and purge."""
