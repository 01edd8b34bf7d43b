"""The judge terminal's screens and dialogs."""
