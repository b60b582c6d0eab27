"""Multi-step jobs built on the api: batch render, live preview, results import."""
