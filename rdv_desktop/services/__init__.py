"""Use cases: plain Python, no Qt. Each call opens its own session."""
