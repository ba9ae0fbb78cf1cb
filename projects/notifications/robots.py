"""What a group robot expects: the address (signed for DingTalk) and the JSON body.

DingTalk (钉钉) robots with 加签 take ``timestamp`` (milliseconds) and ``sign`` on the address:
``sign`` is base64(HMAC-SHA256(key=secret, msg=f"{timestamp}\\n{secret}")), URL-encoded, and
the server refuses a timestamp more than an hour off. WeCom (企业微信) group robots are
authenticated by the ``key`` in their address and take no signature. Both take
``{"msgtype": "text", "text": {"content": …}}`` and answer ``{"errcode": 0, …}`` when they
accept it; anything else is a failure to retry.
"""

import base64
import hashlib
import hmac
import json
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from urllib.parse import quote_plus, urlsplit

from projects.text import clean_text

from .models import Robot

TIMEOUT_SECONDS = 5
# Robots cut long texts; both platforms take a few thousand characters.
MAX_TEXT = 1800


@dataclass(frozen=True)
class Outgoing:
    url: str
    body: bytes


def dingtalk_sign(secret: str, timestamp_ms: int) -> str:
    message = f"{timestamp_ms}\n{secret}".encode()
    digest = hmac.new(secret.encode(), message, hashlib.sha256).digest()
    return quote_plus(base64.b64encode(digest).decode())


def outgoing(robot: Robot, text: str, *, now_ms: int | None = None) -> Outgoing:
    """The request for one message to ``robot``; signed when the platform asks for it."""
    url = robot.url
    if robot.kind == Robot.Kind.DINGTALK and robot.secret:
        stamp = int(time.time() * 1000) if now_ms is None else now_ms
        joiner = "&" if urlsplit(url).query else "?"
        url = f"{url}{joiner}timestamp={stamp}&sign={dingtalk_sign(robot.secret, stamp)}"
    content = clean_text(text)[:MAX_TEXT]
    body = json.dumps({"msgtype": "text", "text": {"content": content}}, ensure_ascii=False)
    return Outgoing(url, body.encode("utf-8"))


class SendError(Exception):
    """The robot did not take the message; the text says why, for the delivery log."""


def post(message: Outgoing) -> None:
    request = urllib.request.Request(
        message.url,
        data=message.body,
        headers={"Content-Type": "application/json; charset=utf-8"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310
            answer = response.read(64 * 1024)
    except urllib.error.HTTPError as exc:
        raise SendError(f"HTTP {exc.code}") from exc
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        raise SendError(str(getattr(exc, "reason", exc))[:200]) from exc
    try:
        errcode = json.loads(answer or b"{}").get("errcode", 0)
    except (ValueError, AttributeError):
        raise SendError("robot answered something that is not JSON") from None
    if errcode != 0:
        raise SendError(f"errcode {errcode}")
