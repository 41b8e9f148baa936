"""`random_uuid` (ADR 0910): version 4 keys as `uuid.uuid4` makes them, never the same twice,
in two threads or in a forked child."""

from __future__ import annotations

import os
import threading
import uuid

from sightline.core.ids import _PER_READ, random_uuid


def test_random_uuids_are_version_4_and_all_different_across_reads() -> None:
    ids = [random_uuid() for _ in range(3 * _PER_READ + 7)]
    assert len(set(ids)) == len(ids)
    assert {u.version for u in ids} == {4}
    assert {u.variant for u in ids} == {uuid.RFC_4122}


def test_two_threads_never_hand_out_the_same_key() -> None:
    got: dict[str, list[uuid.UUID]] = {}

    def take(name: str) -> None:
        got[name] = [random_uuid() for _ in range(_PER_READ * 2)]

    threads = [threading.Thread(target=take, args=(n,)) for n in ("a", "b")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(got["a"]) == len(got["b"]) == 2 * _PER_READ
    assert not set(got["a"]) & set(got["b"])


def test_a_forked_child_does_not_repeat_the_parents_buffered_keys() -> None:
    random_uuid()  # the parent's buffer now holds keys not yet handed out
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: its next keys, sent to the parent
        os.close(read)
        os.write(write, b"".join(random_uuid().bytes for _ in range(8)))
        os._exit(0)
    os.close(write)
    data = b""
    while chunk := os.read(read, 4096):
        data += chunk
    os.close(read)
    os.waitpid(pid, 0)
    child = {uuid.UUID(bytes=data[i : i + 16]) for i in range(0, len(data), 16)}
    parent = {random_uuid() for _ in range(_PER_READ)}
    assert len(child) == 8
    assert not child & parent
