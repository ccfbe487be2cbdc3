"""How people reach ris3kg: the ``ris3kg`` command line (and, later, the web front end)."""
