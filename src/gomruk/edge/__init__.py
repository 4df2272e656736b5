"""The service's edge: what every request passes before a view sees it.

- ``gate``: the ASGI layer in front of Django (body read off-thread, bounded in size and time;
  a fixed number of request threads per process);
- ``middleware``: refusals of the gate and text PostgreSQL cannot store (NUL, lone surrogates)
  answered in the caller's format and language;
- ``headers``: Content-Security-Policy and the other browser-hardening headers;
- ``sessions``: absolute and idle expiry of portal sessions;
- ``files``: file responses (static files, attachments) streamed from the event loop under ASGI.
"""
