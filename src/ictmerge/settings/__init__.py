"""Settings profiles: base (shared), dev (default), test, production."""
