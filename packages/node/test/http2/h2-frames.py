#!/usr/bin/python3
"""Frame-level HTTP/2 client for the conformance cases in cases.ts.

Usage: h2-frames.py HOST PORT tls|h2c CASE_NAME SECONDS < steps.json

Opens one connection (TLS with ALPN h2, or cleartext with prior knowledge),
sends the connection preface through h2's H2Connection, waits for the
server's SETTINGS and for the ACK of its own, then plays the case's steps
(read as JSON from stdin): well-formed frames are built with hyperframe,
malformed ones are written byte by byte. Then it reads what the server sends
until the case's stop condition, the connection closing, or SECONDS.

It prints one JSON line of facts (responses, RST_STREAM and GOAWAY codes,
window updates, data counts, whether the connection closed or the wait timed
out); judging them is the test's job.
"""

import json
import select
import socket
import ssl
import struct
import sys
import time

import h2.config
import h2.connection
import h2.errors
import h2.settings
import hpack
from hyperframe.frame import (
    ContinuationFrame,
    DataFrame,
    Frame,
    GoAwayFrame,
    HeadersFrame,
    PingFrame,
    PriorityFrame,
    RstStreamFrame,
    SettingsFrame,
    WindowUpdateFrame,
)

SETTING_IDS = {s.name: int(s) for s in h2.settings.SettingCodes}


def code_name(code):
    try:
        return h2.errors.ErrorCodes(code).name
    except ValueError:
        return "UNKNOWN_%d" % code


def text(octets):
    """A field's octets as text: UTF-8, or Latin-1 when they are not UTF-8 (obs-text)."""
    try:
        return octets.decode("utf-8")
    except UnicodeDecodeError:
        return octets.decode("latin-1")


class Closed(Exception):
    """The server closed the connection."""


class Driver:
    def __init__(self, sock, deadline):
        self.sock = sock
        self.deadline = deadline
        self.buffer = b""
        self.encoder = hpack.Encoder()
        self.decoder = hpack.Decoder()
        self.decoder.max_allowed_table_size = 1 << 16
        self.pending_block = {}
        self.streams = {}
        self.goaway = None
        self.closed = False
        self.timed_out = False
        self.server_settings = {}
        self.settings_acks = 0
        self.window_updates = []
        self.ping_acks = []
        self.syncs = []
        self.notes = []
        self.ping_counter = 0

    # ----- sending

    def send_bytes(self, data):
        if self.closed:
            raise Closed()
        try:
            self.sock.sendall(data)
        except (BrokenPipeError, ConnectionResetError, ssl.SSLError, OSError):
            self.closed = True
            raise Closed()

    def send_frame(self, frame):
        self.send_bytes(frame.serialize())

    def raw(self, ftype, flags, stream, payload):
        header = struct.pack(">I", len(payload))[1:] + struct.pack(">BBI", ftype, flags, stream)
        self.send_bytes(header + payload)

    def block(self, step):
        if "block" in step:
            return bytes.fromhex(step["block"])
        fields = [(n.encode(), v.encode()) for n, v in step.get("fields", [])]
        return self.encoder.encode(fields, huffman=False)

    # ----- receiving

    def stream(self, sid):
        return self.streams.setdefault(
            sid,
            {"status": None, "headers": {}, "trailers": None, "dataBytes": 0,
             "body": "", "endStream": False, "reset": None},
        )

    def read_some(self):
        """Reads once from the socket (bounded by the deadline); handles whole frames."""
        remaining = self.deadline - time.monotonic()
        if remaining <= 0:
            self.timed_out = True
            return False
        pending = isinstance(self.sock, ssl.SSLSocket) and self.sock.pending()
        if not pending:
            ready, _, _ = select.select([self.sock], [], [], min(remaining, 0.5))
            if not ready:
                return True
        try:
            chunk = self.sock.recv(65536)
        except (ConnectionResetError, ssl.SSLError, OSError):
            chunk = b""
        if not chunk:
            self.closed = True
            return False
        self.buffer += chunk
        while len(self.buffer) >= 9:
            frame, length = Frame.parse_frame_header(memoryview(self.buffer[:9]))
            if len(self.buffer) < 9 + length:
                break
            body = self.buffer[9:9 + length]
            self.buffer = self.buffer[9 + length:]
            try:
                frame.parse_body(memoryview(body))
            except Exception as error:  # a frame the server should never send
                self.notes.append("unparsable %s: %s" % (type(frame).__name__, error))
                continue
            self.on_frame(frame)
        return True

    def on_frame(self, frame):
        if isinstance(frame, SettingsFrame):
            if "ACK" in frame.flags:
                self.settings_acks += 1
            else:
                for key, value in frame.settings.items():
                    self.server_settings[h2.settings.SettingCodes(key).name
                                         if key in SETTING_IDS.values() else str(key)] = value
                self.send_frame(SettingsFrame(0, flags=["ACK"]))
        elif isinstance(frame, PingFrame):
            if "ACK" in frame.flags:
                self.ping_acks.append(frame.opaque_data.hex())
            else:
                self.send_frame(PingFrame(0, opaque_data=frame.opaque_data, flags=["ACK"]))
        elif isinstance(frame, (HeadersFrame, ContinuationFrame)):
            sid = frame.stream_id
            self.pending_block[sid] = self.pending_block.get(sid, b"") + frame.data
            if isinstance(frame, HeadersFrame) and "END_STREAM" in frame.flags:
                self.stream(sid)["endStream"] = True
            if "END_HEADERS" in frame.flags:
                fields = [(text(n), text(v))
                          for n, v in self.decoder.decode(self.pending_block.pop(sid), raw=True)]
                entry = self.stream(sid)
                as_dict = {}
                for name, value in fields:
                    as_dict[name] = value if name not in as_dict else as_dict[name] + ", " + value
                if entry["status"] is None:
                    entry["status"] = int(as_dict.pop(":status", "0"))
                    entry["headers"] = as_dict
                else:
                    entry["trailers"] = as_dict
        elif isinstance(frame, DataFrame):
            entry = self.stream(frame.stream_id)
            entry["dataBytes"] += len(frame.data)
            if len(entry["body"]) < 1024:
                entry["body"] += frame.data.decode("utf-8", "replace")[: 1024 - len(entry["body"])]
            if "END_STREAM" in frame.flags:
                entry["endStream"] = True
        elif isinstance(frame, RstStreamFrame):
            self.stream(frame.stream_id)["reset"] = code_name(frame.error_code)
        elif isinstance(frame, GoAwayFrame):
            self.goaway = {"code": code_name(frame.error_code),
                           "lastStream": frame.last_stream_id,
                           "debug": frame.additional_data.decode("utf-8", "replace")}
        elif isinstance(frame, WindowUpdateFrame):
            self.window_updates.append({"stream": frame.stream_id,
                                        "increment": frame.window_increment})

    def drain(self):
        """After a failed send: reads what the server sent before it closed."""
        self.closed = False
        while self.goaway is None and self.read_some():
            pass
        self.closed = True

    def read_until(self, done):
        """Reads until done() holds or the connection ends; False when it did not hold."""
        while not done():
            if self.goaway is not None or self.closed:
                return False
            if not self.read_some():
                return done()
        return True

    # ----- steps

    def sync(self):
        """Two PING round trips, one after the other: whatever the server queued
        before answering the first (an RST_STREAM beside its ACK) has been read."""
        for _ in range(2):
            self.ping_counter += 1
            opaque = struct.pack(">Q", 0x5359_4E43_0000_0000 + self.ping_counter)
            self.send_frame(PingFrame(0, opaque_data=opaque))
            if not self.read_until(lambda: opaque.hex() in self.ping_acks):
                self.syncs.append(None)
                return
        self.syncs.append({str(s): e["dataBytes"] for s, e in self.streams.items()})

    def play(self, step):
        op = step["op"]
        sid = step.get("stream", 1)
        if op == "headers":
            flags = []
            if step.get("endStream"):
                flags.append("END_STREAM")
            if step.get("endHeaders", True):
                flags.append("END_HEADERS")
            frame = HeadersFrame(sid, data=self.block(step), flags=flags)
            if "priority" in step:
                prio = step["priority"]
                frame.flags.add("PRIORITY")
                frame.depends_on = prio["dependsOn"]
                frame.stream_weight = prio.get("weight", 15)
                frame.exclusive = prio.get("exclusive", False)
            self.send_frame(frame)
        elif op == "continuation":
            flags = ["END_HEADERS"] if step.get("endHeaders", True) else []
            self.send_frame(ContinuationFrame(sid, data=self.block(step), flags=flags))
        elif op == "data":
            payload = step["text"].encode() if "text" in step else b"x" * step.get("size", 0)
            flags = ["END_STREAM"] if step.get("endStream") else []
            self.send_frame(DataFrame(sid, data=payload, flags=flags))
        elif op == "raw":
            self.raw(step["type"], step.get("flags", 0), step.get("stream", 0),
                     bytes.fromhex(step.get("payload", "")))
        elif op == "settings":
            values = {SETTING_IDS.get(k, None) or int(k): v
                      for k, v in step.get("settings", {}).items()}
            self.send_frame(SettingsFrame(0, settings=values))
        elif op == "ping":
            self.send_frame(PingFrame(0, opaque_data=bytes.fromhex(step.get("data", "00" * 8))))
        elif op == "priority":
            self.send_frame(PriorityFrame(sid, depends_on=step["dependsOn"],
                                          stream_weight=step.get("weight", 15),
                                          exclusive=step.get("exclusive", False)))
        elif op == "rst":
            self.send_frame(RstStreamFrame(sid, error_code=step.get("code", 8)))
        elif op == "window_update":
            self.send_frame(WindowUpdateFrame(sid, window_increment=step["increment"]))
        elif op == "goaway":
            self.send_frame(GoAwayFrame(sid, last_stream_id=step.get("lastStream", 0),
                                        error_code=step.get("code", 0)))
        elif op == "wait":
            what = step["for"]
            entry = lambda: self.streams.get(sid, {})
            checks = {
                "headers": lambda: entry().get("status") is not None,
                "end": lambda: entry().get("endStream", False),
                "data": lambda: entry().get("dataBytes", 0) >= step.get("bytes", 1),
                "done": lambda: entry().get("endStream", False) or entry().get("reset") is not None,
            }
            if not self.read_until(checks[what]):
                self.notes.append("wait for %s on %d ended early" % (what, sid))
        elif op == "sync":
            self.sync()
        elif op == "exceed_concurrency":
            limit = self.server_settings.get("MAX_CONCURRENT_STREAMS")
            if limit is None or limit > 1000:
                self.notes.append("no usable MAX_CONCURRENT_STREAMS: %r" % limit)
                return
            fields = [(n.encode(), v.encode()) for n, v in step["fields"]]
            frames = b""
            for index in range(limit + 1):
                block = self.encoder.encode(fields, huffman=False)
                frames += HeadersFrame(1 + 2 * index, data=block, flags=["END_HEADERS"]).serialize()
            self.send_bytes(frames)  # one write: the server reads them all before it answers
            self.notes.append("opened %d streams, limit %d" % (limit + 1, limit))
        else:
            raise ValueError("unknown step %r" % op)

    def stop_condition(self, until):
        def done():
            if not until:
                return True
            for token in until:
                kind, _, sid = token.partition(":")
                entries = [self.streams.get(int(sid), {})] if sid else list(self.streams.values())
                if kind == "end" and any(e.get("endStream") for e in entries):
                    return True
                if kind == "rst" and any(e.get("reset") for e in entries):
                    return True
            return False
        return done


def connect(host, port, mode, deadline):
    sock = socket.create_connection((host, port), timeout=max(0.1, deadline - time.monotonic()))
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    alpn = None
    if mode == "tls":
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE  # the test's own throwaway certificate, loopback only
        context.set_alpn_protocols(["h2"])
        sock = context.wrap_socket(sock, server_hostname=host)
        alpn = sock.selected_alpn_protocol()
    sock.setblocking(True)
    sock.settimeout(None)
    return sock, alpn


def main():
    host, port, mode, name, seconds = sys.argv[1:6]
    case = json.loads(sys.stdin.read())
    deadline = time.monotonic() + float(seconds)
    report = {"case": name, "alpn": None, "error": None}
    driver = None
    try:
        sock, report["alpn"] = connect(host, int(port), mode, deadline)
        driver = Driver(sock, deadline)
        # The preface and the client's SETTINGS, from h2 itself.
        conn = h2.connection.H2Connection(h2.config.H2Configuration(client_side=True))
        local = {SETTING_IDS[k]: v for k, v in case.get("settings", {}).items()}
        conn.local_settings = h2.settings.Settings(client=True, initial_values=local)
        conn.initiate_connection()
        driver.send_bytes(conn.data_to_send())
        ready = driver.read_until(lambda: driver.settings_acks >= 1 and driver.server_settings != {})
        if not ready:
            driver.notes.append("no SETTINGS exchange")
        else:
            for step in case["steps"]:
                driver.play(step)
            until = driver.stop_condition(case.get("until", ["end", "rst"]))
            driver.read_until(until)
    except Closed:
        driver.drain()
    except Exception as error:
        report["error"] = "%s: %s" % (type(error).__name__, error)
    if driver is not None:
        report.update({
            "timedOut": driver.timed_out,
            "closed": driver.closed,
            "goaway": driver.goaway,
            "streams": {str(k): v for k, v in sorted(driver.streams.items())},
            "serverSettings": driver.server_settings,
            "windowUpdates": driver.window_updates,
            "pingAcks": driver.ping_acks,
            "syncs": driver.syncs,
            "notes": driver.notes,
        })
        try:
            driver.sock.close()
        except OSError:
            pass
    print(json.dumps(report))


if __name__ == "__main__":
    main()
