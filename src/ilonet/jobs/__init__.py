"""Background work: a task queue in the database, retries, a dead-letter state, idempotent
jobs, and a scheduler of periodic jobs declared in code.

- ``registry.job``: declare a job (``@job(...)``), optionally periodic (``schedule=``).
- ``queue.enqueue``: put a job on the queue, once per idempotency key.
- ``manage.py db_worker`` (django-tasks-db) runs the queue; ``manage.py run_scheduler``
  enqueues the periodic jobs and recovers the jobs of a worker that died.
- ``notify.notify``: the one hook through which jobs and services tell people something.

See docs/architecture.md, "Background work".
"""
