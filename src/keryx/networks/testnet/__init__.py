"""The test network: a local HTTP server (``server.py``) and its connector.

Enabled only with ``KERYX_ENABLE_TEST_NETWORK=1``; it exists for tests, benchmarks and demos
and is never offered to real users.
"""
