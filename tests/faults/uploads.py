"""Uploads to an exchange space over HTTP, and the check of what they left: every document
version has its file with the right size and hash (no partial record), every stored file
belongs to a version (no orphan)."""

from __future__ import annotations

import hashlib
import random

import psycopg
import requests

from .appdata import UPLOADER_TOKEN

WORDS = [
    "migration",
    "flows",
    "central",
    "route",
    "quarter",
    "rose",
    "fell",
    "border",
    "police",
    "cooperation",
    "return",
    "liaison",
    "officers",
    "network",
    "analysis",
    "risk",
    "report",
    "season",
    "arrivals",
    "departures",
    "routes",
    "trends",
    "regional",
]


def text_file(rng: random.Random, size: int) -> bytes:
    """A plain-text document of about ``size`` bytes, words only (nothing the guard takes for
    personal data)."""
    line = " ".join(rng.choice(WORDS) for _ in range(12)) + ".\n"
    body = (line * (size // len(line) + 1))[:size]
    return body.rsplit("\n", 1)[0].encode() + b"\n"


def upload(base: str, space: int, content: bytes, title: str, timeout: float = 60) -> requests.Response:
    return requests.post(
        f"{base}/api/v1/exchange/spaces/{space}/documents",
        headers={"Authorization": f"Bearer {UPLOADER_TOKEN}"},
        data={"title": title, "category": "other", "marking": "normal"},
        files={"file": (f"{title}.txt", content, "text/plain")},
        timeout=timeout,
    )


def versions(conn: psycopg.Connection) -> list[tuple[str, int, str]]:
    return conn.execute("SELECT key, size, sha256 FROM exchange_documentversion ORDER BY id").fetchall()


def documents_without_version(conn: psycopg.Connection) -> int:
    return conn.execute("SELECT count(*) FROM exchange_document WHERE current_version_id IS NULL").fetchone()[
        0
    ]


def check_local(conn: psycopg.Connection, media) -> tuple[list[str], list[str]]:
    """(partial records, orphan files) of a local media directory."""
    rows = versions(conn)
    partial = []
    for key, size, sha256 in rows:
        path = media / key
        if not path.is_file():
            partial.append(f"{key}: missing")
            continue
        data = path.read_bytes()
        if len(data) != size or hashlib.sha256(data).hexdigest() != sha256:
            partial.append(f"{key}: {len(data)} bytes, expected {size}")
    known = {key for key, _size, _sha in rows}
    root = media / "exchange"
    stored = {str(p.relative_to(media)) for p in root.rglob("*") if p.is_file()} if root.exists() else set()
    return partial, sorted(stored - known)


def check_s3(conn: psycopg.Connection, client, bucket: str) -> tuple[list[str], list[str]]:
    rows = versions(conn)
    stored = {}
    for page in client.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix="exchange/"):
        for entry in page.get("Contents", ()):
            stored[entry["Key"]] = entry["Size"]
    partial = []
    for key, size, sha256 in rows:
        if key not in stored:
            partial.append(f"{key}: missing")
            continue
        data = client.get_object(Bucket=bucket, Key=key)["Body"].read()
        if len(data) != size or hashlib.sha256(data).hexdigest() != sha256:
            partial.append(f"{key}: {len(data)} bytes, expected {size}")
    known = {key for key, _size, _sha in rows}
    return partial, sorted(set(stored) - known)
