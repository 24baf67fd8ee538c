"""The pure core: no files, no clock, no console. Imports only model, errors, issues."""
