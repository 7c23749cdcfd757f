"""python-telegram-bot's HTTP transport on aiohttp, for the bot's Bot API calls.

PTB's default transport (httpx on httpcore, h11 and anyio, all pure Python) costs about 1 ms
of CPU per Bot API call more than aiohttp (C-accelerated HTTP parsing) on the machines this
project is measured on: more than a typical question's whole handling. PTB supports replacing
it through :class:`telegram.request.BaseRequest`; the contract is the same as PTB's
``HTTPXRequest``: form-encoded JSON values, multipart when files are sent, the raw status and
body returned, timeouts raised as :class:`telegram.error.TimedOut` and other transport errors
as :class:`telegram.error.NetworkError`.

Long polling keeps PTB's own transport (one long request at a time; nothing to gain).
"""

from __future__ import annotations

from typing import Any

import aiohttp
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData

from kernel.metrics import REPLIES_SENT, REPLY_METHODS

__all__ = ["AiohttpRequest"]

#: The type of PTB's "not given" marker (``BaseRequest.DEFAULT_NONE``).
_DEFAULT = type(BaseRequest.DEFAULT_NONE)


class AiohttpRequest(BaseRequest):
    """Bot API calls over one :class:`aiohttp.ClientSession` (created in :meth:`initialize`).

    Timeouts as PTB's ``HTTPXRequest``: ``connect``, ``read`` and ``write`` seconds, ``pool``
    seconds to wait for a free connection (``media_write`` for requests with files); a value of
    None waits without limit.
    """

    __slots__ = ("_connections", "_defaults", "_session")

    def __init__(
        self,
        connection_pool_size: int = 256,
        *,
        read_timeout: float | None = 5.0,
        write_timeout: float | None = 5.0,
        connect_timeout: float | None = 5.0,
        pool_timeout: float | None = 1.0,
        media_write_timeout: float | None = 20.0,
    ) -> None:
        self._connections = connection_pool_size
        self._defaults = {
            "read": read_timeout, "write": write_timeout, "connect": connect_timeout,
            "pool": pool_timeout, "media_write": media_write_timeout,
        }
        self._session: aiohttp.ClientSession | None = None

    @property
    def read_timeout(self) -> float | None:
        return self._defaults["read"]

    async def initialize(self) -> None:
        if self._session is None or self._session.closed:
            connector = aiohttp.TCPConnector(limit=self._connections)
            self._session = aiohttp.ClientSession(
                connector=connector, headers={"User-Agent": self.USER_AGENT}
            )

    async def shutdown(self) -> None:
        session, self._session = self._session, None
        if session is not None and not session.closed:
            await session.close()

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Any = BaseRequest.DEFAULT_NONE,
        write_timeout: Any = BaseRequest.DEFAULT_NONE,
        connect_timeout: Any = BaseRequest.DEFAULT_NONE,
        pool_timeout: Any = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        if self._session is None or self._session.closed:
            raise RuntimeError("This AiohttpRequest is not initialized!")
        files = request_data.contains_files if request_data else False
        read = self._given(read_timeout, "read")
        write = self._given(write_timeout, "media_write" if files else "write")
        connect = self._given(connect_timeout, "connect")
        pool = self._given(pool_timeout, "pool")
        parts = (read, write, connect, pool)
        timeout = aiohttp.ClientTimeout(
            # aiohttp has no write timeout: the whole request gets the sum of its parts.
            total=None if None in parts else sum(p for p in parts if p is not None),
            connect=None if pool is None or connect is None else pool + connect,
            sock_connect=connect,
            sock_read=read,
        )
        try:
            async with self._session.request(
                method, url, data=_body(request_data), timeout=timeout
            ) as response:
                return response.status, await response.read()
        except TimeoutError as err:  # asyncio.TimeoutError is TimeoutError on 3.11+
            raise TimedOut from err
        except aiohttp.ClientError as err:
            raise NetworkError(f"aiohttp.{type(err).__name__}: {err}") from err

    def _given(self, value: Any, default: str) -> float | None:
        """A timeout PTB passed, or this transport's default when PTB passed its marker."""
        return self._defaults[default] if isinstance(value, _DEFAULT) else value


def _body(request_data: RequestData | None) -> Any:
    """Form fields (JSON-encoded values, as PTB sends them), multipart when there are files."""
    if request_data is None:
        return None
    fields = request_data.json_parameters
    if not request_data.contains_files:
        return fields or None
    form = aiohttp.FormData(fields)
    for name, (filename, content, mimetype) in request_data.multipart_data.items():
        form.add_field(name, content, filename=filename, content_type=mimetype)
    return form


class MeteredRequest(AiohttpRequest):
    """The bot's HTTP transport that also counts successful replies (``REPLIES_SENT``)."""

    __slots__ = ()

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Any = BaseRequest.DEFAULT_NONE,
        write_timeout: Any = BaseRequest.DEFAULT_NONE,
        connect_timeout: Any = BaseRequest.DEFAULT_NONE,
        pool_timeout: Any = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        status, payload = await super().do_request(
            url, method, request_data, read_timeout, write_timeout, connect_timeout, pool_timeout
        )
        api_method = url.rsplit("/", 1)[-1]
        if status == 200 and api_method in REPLY_METHODS:
            REPLIES_SENT.labels(api_method).inc()
        return status, payload
