"""The ``nesy`` command line."""
