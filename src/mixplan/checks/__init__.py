"""Findings: structure errors from the models, and the coherence rules by family."""
