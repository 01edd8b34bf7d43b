"""The judge's terminal: its command line (`judge-terminal`) and, later, the Textual app,
over the store and sync client in `sync`."""
