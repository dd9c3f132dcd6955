"""One WebSocket session against the scenario routes, as python3-websockets sees it.

Run with Debian's Python (python3-websockets 10.4, asyncio client):

    /usr/bin/python3 session.py ws://127.0.0.1:PORT SECONDS

Every step is bounded by SECONDS. Prints one JSON object saying what the client
saw, with no timings or ports in it, so two servers' outputs can be compared
as they are.
"""

import asyncio
import hashlib
import json
import sys

import websockets
from websockets.exceptions import ConnectionClosed, InvalidStatusCode

MIB = 1 << 20


def digest(data):
    """A short fingerprint of a large message, so the JSON stays small."""
    raw = data.encode() if isinstance(data, str) else data
    return {"type": type(data).__name__, "length": len(raw), "sha256": hashlib.sha256(raw).hexdigest()}


def connect(base, path, limit, **options):
    return websockets.connect(
        base + path,
        open_timeout=limit,
        close_timeout=limit,
        ping_interval=None,
        max_size=4 * MIB,
        **options,
    )


async def echo(base, limit):
    seen = {}
    async with connect(base, "/echo", limit) as ws:

        async def round_trip(message):
            await ws.send(message)
            return await asyncio.wait_for(ws.recv(), limit)

        text = "héllo, wörld ✓ 👋"
        got = await round_trip(text)
        seen["text"] = {"type": type(got).__name__, "intact": got == text, "value": got}

        binary = bytes(range(256))
        got = await round_trip(binary)
        seen["binary"] = {"type": type(got).__name__, "intact": got == binary, "length": len(got)}

        empty = await round_trip(b"")
        seen["empty_binary"] = {"type": type(empty).__name__, "length": len(empty)}

        big_text = "abcé✓" * (MIB // 8)  # 8 bytes of UTF-8 a piece: 1 MiB, multi-byte characters throughout
        got = await round_trip(big_text)
        seen["mib_text"] = {"sent": digest(big_text), "received": digest(got), "intact": got == big_text}

        big_binary = bytes((i * 7 + 13) % 256 for i in range(MIB))
        got = await round_trip(big_binary)
        seen["mib_binary"] = {"sent": digest(big_binary), "received": digest(got), "intact": got == big_binary}

        count = 100
        for i in range(count):
            await ws.send(f"message {i}" if i % 2 == 0 else f"message {i}".encode())
        received = [await asyncio.wait_for(ws.recv(), limit) for _ in range(count)]
        expected = [f"message {i}" if i % 2 == 0 else f"message {i}".encode() for i in range(count)]
        seen["order"] = {"count": len(received), "in_order": received == expected}

        pong = await ws.ping(b"are you there")
        await asyncio.wait_for(pong, limit)
        seen["ping"] = {"answered": True}

        # The socket still echoes after the ping.
        seen["after_ping"] = await round_trip("still here")

        await ws.close(1000, "client done")
        seen["client_close"] = {"code": ws.close_code, "reason": ws.close_reason}
    return seen


async def protocols(base, limit):
    seen = {}
    for name, offer in (("v2_v1", ["v2", "v1"]), ("v2_only", ["v2"]), ("unknown", ["v9"]), ("none", None)):
        async with connect(base, "/protocols", limit, subprotocols=offer) as ws:
            first = json.loads(await asyncio.wait_for(ws.recv(), limit))
            seen[name] = {"offered": offer, "chosen": ws.subprotocol, "server_saw": first}
    return seen


async def deny(base, limit):
    try:
        async with connect(base, "/deny", limit):
            return {"opened": True}
    except InvalidStatusCode as error:
        return {
            "error": type(error).__name__,
            "status": error.status_code,
            "content_type": error.headers.get("Content-Type"),
        }


async def server_close(base, limit):
    async with connect(base, "/close-4001", limit) as ws:
        try:
            message = await asyncio.wait_for(ws.recv(), limit)
            raised = {"unexpected_message": str(message)}
        except ConnectionClosed as error:
            frame = error.rcvd
            raised = {
                "error": type(error).__name__,
                "code": None if frame is None else frame.code,
                "reason": None if frame is None else frame.reason,
            }
        await asyncio.wait_for(ws.wait_closed(), limit)
        return {"raised": raised, "close_code": ws.close_code, "close_reason": ws.close_reason}


async def main(base, limit):
    return {
        "echo": await echo(base, limit),
        "protocols": await protocols(base, limit),
        "deny": await deny(base, limit),
        "server_close": await server_close(base, limit),
    }


if __name__ == "__main__":
    base_url, seconds = sys.argv[1], float(sys.argv[2])
    result = asyncio.run(asyncio.wait_for(main(base_url, seconds), 4 * seconds))
    print(json.dumps(result, ensure_ascii=False, sort_keys=True))
