"""The HTTP JSON API: thin over the same application services as the command line.

`create_app` builds the Litestar application; `reviewledger serve` runs it with uvicorn.
"""

from adapters.http.app import create_app

__all__ = ["create_app"]
