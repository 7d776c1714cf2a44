"""The service's API: HTTP/1.1 and JSON over a Unix socket, for consoles and commands (docs/api.md).

`server` listens and sets the socket's mode and group, `peer` asks the kernel who is on the other end,
`http_connection` speaks HTTP/1.1 (h11) on one connection, `routes` answers the `/v1/` paths.
"""
