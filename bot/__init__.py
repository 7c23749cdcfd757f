"""Application wiring, configuration, entry point and jobs."""
