-- wrk: every request is the POST of the echo-json handler (servers/handlers.mjs).
wrk.method = "POST"
wrk.body = '{"message":"Hello!"}'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["X-Test"] = "123"
