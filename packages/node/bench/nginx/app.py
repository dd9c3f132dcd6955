# The equivalent WSGI app for Nginx -> uWSGI in the benchmark: the same small JSON body.
import json

BODY = json.dumps({"hello": "world"}, separators=(",", ":")).encode()


def application(environ, start_response):
    start_response("200 OK", [
        ("Content-Type", "application/json; charset=utf-8"),
        ("Content-Length", str(len(BODY))),
    ])
    return [BODY]
