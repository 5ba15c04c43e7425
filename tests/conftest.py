"""Fixtures shared by the test folders that need the running assistant (tests/running.py)."""
pytest_plugins = ("tests.running",)
