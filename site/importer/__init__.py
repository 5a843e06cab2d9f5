"""Bulk import of the bureau's spreadsheets (.xlsx / .csv) into the register.

readers: file to rows; normalize: cell to value; kinds: what each kind of file holds and how its
rows become records; engine: preview and commit, the same code for the admin and the command.
"""
