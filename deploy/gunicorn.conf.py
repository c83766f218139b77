"""gunicorn settings for Lantern (used by the systemd unit, `lantern-admin gunicorn` and the container).
Installed to /srv/lantern/deploy/gunicorn.conf.py by deploy/install.sh."""

import os

bind = os.environ.get("LANTERN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("LANTERN_WORKERS", "4"))
worker_class = "sync"
timeout = 30
graceful_timeout = 20
# Recycle workers now and then so that a slow leak can never grow without bound.
max_requests = 5000
max_requests_jitter = 500
limit_request_line = 8190
limit_request_fields = 100
forwarded_allow_ips = os.environ.get("LANTERN_FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = "-"
# No query strings in access logs: they can carry search terms that are personal data.
access_log_format = '{"remote":"%(h)s","request":"%(m)s %(U)s","status":%(s)s,"bytes":%(B)s,"ms":%(M)s,"request_id":"%({x-request-id}o)s"}'
errorlog = "-"
# gunicorn's control socket (for `gunicornc`) goes to the runtime directory systemd gives the service
# (RuntimeDirectory=lantern): its default, under the home directory, is read-only with ProtectSystem=strict.
# Without one (container, `lantern-admin gunicorn`), no control socket.
_runtime = os.environ.get("RUNTIME_DIRECTORY", "").split(":")[0]
control_socket_disable = not _runtime
if _runtime:
    control_socket = os.path.join(_runtime, "gunicorn.ctl")
