"""Where documents' bytes live: one small interface, a local directory or an S3 bucket.

The local filesystem (`DOCUMENT_STORAGE_PATH`, by default `documents/` in the instance
directory next to the SQLite file) is the embedded default; `DOCUMENT_S3_BUCKET` switches to
an S3-compatible bucket through boto3 (`DOCUMENT_S3_ENDPOINT_URL`, `DOCUMENT_S3_REGION`, and
the keys from the usual AWS environment or `DOCUMENT_S3_ACCESS_KEY_ID`/`_SECRET_ACCESS_KEY`).
Keys are random (`new_key`), never made from a client's file name.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any, Protocol

from flask import current_app

CHUNK = 256 * 1024


class Storage(Protocol):
    """The operations documents need from a store of bytes."""

    def put(self, key: str, fileobj: IO[bytes]) -> None:
        """Store the file (read from its current position) under `key`."""

    def open(self, key: str) -> IO[bytes]:
        """The stored bytes as a file to read (the caller closes it)."""

    def delete(self, key: str) -> None:
        """Remove `key` (no error when it is already gone)."""

    def exists(self, key: str) -> bool:
        """Whether `key` is stored."""

    def presigned_url(self, key: str, seconds: int, name: str, content_type: str) -> str | None:
        """A URL the client may fetch directly for `seconds`, or None (serve it ourselves)."""

    def stale_keys(self, older_than: float) -> Iterator[str]:
        """Keys stored before the epoch time `older_than` (for the orphan sweep)."""


def new_key() -> str:
    """A random storage key: two letters of fan-out, then 32 hex digits."""
    token = secrets.token_hex(16)
    return f"{token[:2]}/{token}"


class LocalStorage:
    """A directory: each key a file, written to a temporary name and renamed into place."""

    def __init__(self, root: str | Path) -> None:
        self.root = Path(root)

    def _path(self, key: str) -> Path:
        # Keys are ours (new_key), never a client's; a stray separator still stays inside.
        return self.root / Path(*[p for p in key.split("/") if p not in ("", ".", "..")])

    def put(self, key: str, fileobj: IO[bytes]) -> None:
        """Copy the file in (written whole to a temporary file first, then renamed)."""
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".upload-")
        try:
            with os.fdopen(fd, "wb") as out:
                shutil.copyfileobj(fileobj, out, CHUNK)
            os.replace(tmp, path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise

    def open(self, key: str) -> IO[bytes]:
        """The file, open for reading (a real file: a WSGI server may `sendfile` it)."""
        return self._path(key).open("rb")

    def delete(self, key: str) -> None:
        """Remove the file."""
        with contextlib.suppress(FileNotFoundError):
            self._path(key).unlink()

    def exists(self, key: str) -> bool:
        """Whether the file is there."""
        return self._path(key).is_file()

    def presigned_url(self, key: str, seconds: int, name: str, content_type: str) -> None:
        """None: local files are served through the signed app route."""
        return None

    def stale_keys(self, older_than: float) -> Iterator[str]:
        """Files (and temporary files a crash left) last changed before `older_than`."""
        if not self.root.is_dir():
            return
        for path in self.root.rglob("*"):
            if path.is_file() and path.stat().st_mtime < older_than:
                yield path.relative_to(self.root).as_posix()


class S3Storage:
    """An S3-compatible bucket through boto3."""

    def __init__(self, bucket: str, client: Any, prefix: str = "documents/") -> None:
        self.bucket = bucket
        self.client = client
        self.prefix = prefix

    def put(self, key: str, fileobj: IO[bytes]) -> None:
        """Upload (multipart for large files, as boto3 decides)."""
        self.client.upload_fileobj(fileobj, self.bucket, self.prefix + key)

    def open(self, key: str) -> IO[bytes]:
        """The object's body, streamed as it is read."""
        return self.client.get_object(Bucket=self.bucket, Key=self.prefix + key)["Body"]

    def delete(self, key: str) -> None:
        """Delete the object (S3 answers success for a missing one)."""
        self.client.delete_object(Bucket=self.bucket, Key=self.prefix + key)

    def exists(self, key: str) -> bool:
        """Whether the object is there."""
        found = self.client.list_objects_v2(Bucket=self.bucket, Prefix=self.prefix + key, MaxKeys=1)
        return any(o["Key"] == self.prefix + key for o in found.get("Contents", ()))

    def presigned_url(self, key: str, seconds: int, name: str, content_type: str) -> str:
        """A presigned GET answering with our Content-Disposition and type."""
        return self.client.generate_presigned_url(
            "get_object",
            Params={
                "Bucket": self.bucket,
                "Key": self.prefix + key,
                "ResponseContentDisposition": name,
                "ResponseContentType": content_type,
            },
            ExpiresIn=seconds,
        )

    def stale_keys(self, older_than: float) -> Iterator[str]:
        """Objects last modified before `older_than`."""
        pages = self.client.get_paginator("list_objects_v2").paginate(
            Bucket=self.bucket, Prefix=self.prefix
        )
        for page in pages:
            for obj in page.get("Contents", ()):
                if obj["LastModified"].timestamp() < older_than:
                    yield obj["Key"][len(self.prefix) :]


def build(config: Any) -> Storage:
    """The storage the settings name (S3 when DOCUMENT_S3_BUCKET is set)."""
    bucket = config.get("DOCUMENT_S3_BUCKET")
    if not bucket:
        return LocalStorage(config["DOCUMENT_STORAGE_PATH"])
    import boto3  # only a deployment on S3 pays for importing it

    client = boto3.client(
        "s3",
        endpoint_url=config.get("DOCUMENT_S3_ENDPOINT_URL"),
        region_name=config.get("DOCUMENT_S3_REGION"),
        aws_access_key_id=config.get("DOCUMENT_S3_ACCESS_KEY_ID"),
        aws_secret_access_key=config.get("DOCUMENT_S3_SECRET_ACCESS_KEY"),
    )
    return S3Storage(bucket, client)


def storage() -> Storage:
    """The app's storage, built once per app (tests may replace `extensions['documents']`)."""
    found = current_app.extensions.get("documents")
    if found is None:
        found = current_app.extensions["documents"] = build(current_app.config)
    return found
