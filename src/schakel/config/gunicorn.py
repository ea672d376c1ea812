"""gunicorn's configuration for production: `gunicorn -c python:schakel.config.gunicorn
schakel.config.wsgi:application` (docs/operations.md#the-production-server).

Every value a deployment may want to change is read from an environment variable; the defaults
fit one application server behind nginx on the same host. The reasons, per setting:

- bind: loopback only by default. Schakel trusts the X-Forwarded-Proto and X-Forwarded-For headers
  the proxy sets (settings/production.py, core/middleware.py), so nothing but the proxy may reach
  gunicorn. A unix socket (`unix:/run/schakel/gunicorn.sock`) is just as good.
- workers: sync workers, 2 × cores + 1 (the usual rule: a request waits on PostgreSQL about as
  long as it computes), but never more than the memory allows at WORKER_BUDGET_MB a worker. A
  worker imports matplotlib, numpy, WeasyPrint and pypdf, keeps the matching index in memory and
  renders big lists and PDFs: the budget leaves room for a peak well above its resting size, and
  for PostgreSQL on the same machine. SCHAKEL_WORKERS overrides the count.
- worker class: sync. Django's ORM and the PDF and chart rendering are synchronous and partly
  CPU-bound; threads would share one GIL for them. Slow clients are nginx's problem: it buffers
  request and response bodies, so a sync worker is never held by a slow upload or download.
- timeout 60 s: the longest legitimate request is a PDF (the annual report, a signal card); a
  worker silent for longer is hung and is killed and replaced. nginx waits a little longer
  (proxy_read_timeout 75s), so it reports the timeout rather than cutting the worker off first.
- graceful_timeout 30 s: on a restart or stop, a worker gets this long to finish the requests it
  is serving (a report being stored is one transaction: it commits or rolls back, never half).
- max_requests 1000 with a jitter of 100: each worker is replaced after about a thousand requests,
  so a slow leak (font and chart caches, fragmentation after big pages) cannot grow without
  bound, and the jitter keeps the workers from all restarting at the same moment.
- preload_app: the application is imported once in the master and the workers are forked from
  it: the big libraries are shared copy-on-write, a worker starts in milliseconds (also after
  max_requests), and broken settings stop the master at once instead of workers failing in a
  loop. The price: `systemctl reload` (HUP) does not load new code; an upgrade needs a restart.
  No database connection may cross the fork: pre_fork closes any the master opened.
- access log: to standard output (the journal), without the client's address, the query string,
  the referrer or the browser. The public form promises that a reporter's address is not kept
  with the report: a log line with the address and the moment of a POST to /melden/ would keep
  it after all. Query strings and referrers carry search terms (names, places). What stays is
  enough to see load and errors: time, method, path, status, size, duration and worker.
- control socket off (gunicorn 25.1+): see below.
- forwarded_allow_ips: the addresses whose X-Forwarded-Proto gunicorn believes (it sets
  wsgi.url_scheme); the proxy's, loopback by default. Django decides on X-Forwarded-Proto itself
  (SECURE_PROXY_SSL_HEADER), which is why the bind above must keep everyone else out.
"""

from __future__ import annotations

import os
from typing import Any

# A worker's share of memory: resting size plus the peak of a big page or PDF.
WORKER_BUDGET_MB = 512


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))  # the cores this process may use (cgroups, taskset)
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def _memory_mb() -> int | None:
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") // (1024 * 1024)
    except (ValueError, OSError, AttributeError):
        return None


def default_workers(cores: int, memory_mb: int | None) -> int:
    """2 × cores + 1, within the memory at WORKER_BUDGET_MB a worker, and at least 2 (one
    worker busy with a PDF must not stop every other request)."""
    count = 2 * cores + 1
    if memory_mb is not None:
        count = min(count, memory_mb // WORKER_BUDGET_MB)
    return max(2, count)


bind = os.environ.get("SCHAKEL_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("SCHAKEL_WORKERS") or default_workers(_cores(), _memory_mb()))
worker_class = "sync"
timeout = int(os.environ.get("SCHAKEL_WORKER_TIMEOUT", "60"))
graceful_timeout = 30
keepalive = 5  # seconds an idle connection from nginx stays open (nginx's keepalive is shorter)
max_requests = int(os.environ.get("SCHAKEL_MAX_REQUESTS", "1000"))
max_requests_jitter = max_requests // 10
preload_app = True
# systemd (or the test) manages the server by signals; gunicorn's own control socket (a second
# way to change the worker count) stays off, and two servers on one host never share its path.
control_socket_disable = True

forwarded_allow_ips = os.environ.get("SCHAKEL_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("SCHAKEL_LOG_LEVEL", "info").lower()
# time "METHOD /path HTTP/1.1" status bytes duration-ms <worker pid>: no address, no query string
access_log_format = '%(t)s "%(m)s %(U)s %(H)s" %(s)s %(B)s %(M)sms %(p)s'


def pre_fork(server: Any, worker: Any) -> None:
    """A connection opened in the master (by anything at import time) must not be shared by
    the forked workers: close it, each worker opens its own."""
    from django.db import connections

    connections.close_all()
