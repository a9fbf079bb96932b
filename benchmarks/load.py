"""Many sessions at once, without browsers: raw websocket clients speaking Streamlit's protocol.

``python -m benchmarks.load URL [--sessions 25] [--seconds 60]`` opens that many sessions
against a running app; each keeps asking for a page run (pages and regions in turn, as
managers clicking around would) and waits for ``script_finished``. Prints one JSON object:
runs, errors, p50 / p95 / max seconds per run. Measures the server only: browser rendering is
the browser step's business (benchmarks/browser.py).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import time
from urllib.parse import urlencode

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

PAGES = ["home", "satisfaction", "complaints", "loyalty", "retention", "lifetime_value", "training"]
REGIONS = ["", "上海", "北京", "广州", "深圳", "成都", "杭州", "武汉"]


async def _run_once(ws, page: str, region: str) -> tuple[float, bool]:
    """Ask for one script run of ``page``; seconds until it finished, and whether it failed."""
    msg = BackMsg()
    params = {"lang": "en", **({"region": region} if region else {})}
    msg.rerun_script.query_string = urlencode(params)
    msg.rerun_script.page_name = page
    t0 = time.perf_counter()
    await ws.send(msg.SerializeToString())
    failed = False
    while True:
        raw = await asyncio.wait_for(ws.recv(), timeout=300)
        fwd = ForwardMsg()
        fwd.ParseFromString(raw)
        kind = fwd.WhichOneof("type")
        if kind == "delta" and fwd.delta.new_element.WhichOneof("type") == "exception":
            failed = True
        if kind == "script_finished":
            return time.perf_counter() - t0, failed


async def _session(url: str, k: int, until: float, times: list[float], errors: list[str]) -> None:
    ws_url = url.replace("http", "ws", 1).rstrip("/") + "/_stcore/stream"
    try:
        async with websockets.connect(ws_url, subprotocols=["streamlit"], max_size=None) as ws:
            i = k
            while time.perf_counter() < until:
                seconds, failed = await _run_once(ws, PAGES[i % len(PAGES)], REGIONS[(i // 3) % len(REGIONS)])
                times.append(seconds)
                if failed:
                    errors.append(PAGES[i % len(PAGES)])
                i += 1
    except Exception as exc:  # noqa: BLE001 — a broken session is a result, not a crash
        errors.append(f"session {k}: {type(exc).__name__}: {exc}")


async def _load(url: str, sessions: int, seconds: float) -> dict:
    times: list[float] = []
    errors: list[str] = []
    until = time.perf_counter() + seconds
    await asyncio.gather(*(_session(url, k, until, times, errors) for k in range(sessions)))
    q = statistics.quantiles(times, n=20) if len(times) >= 20 else [max(times or [0])] * 19
    return {
        "sessions": sessions,
        "seconds": seconds,
        "runs": len(times),
        "errors": errors[:10],
        "error_count": len(errors),
        "p50_s": round(statistics.median(times), 2) if times else None,
        "p95_s": round(q[18], 2),
        "max_s": round(max(times), 2) if times else None,
    }


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m benchmarks.load")
    p.add_argument("url")
    p.add_argument("--sessions", type=int, default=25)
    p.add_argument("--seconds", type=float, default=60)
    args = p.parse_args(argv)
    print(json.dumps(asyncio.run(_load(args.url, args.sessions, args.seconds)), ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
