"""The delivery interface: how a built pack reaches its recipients."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class DeliveryItem:
    """One pack for one recipient."""

    pack_id: str
    recipient: str
    pdf: Path
    period: str
    pdf_sha256: str
    subject: str
    body: str


class Delivery:
    """Base class for deliveries. Subclass it and register an instance.

    Required attributes: ``name`` (what ``[delivery] type`` selects),
    ``description`` (one line) and ``deliver(item, options)``, which raises on
    failure and returns normally once the item is accepted.
    """

    name: str = ""
    description: str = ""
    options: dict[str, str] = {}

    def deliver(self, item: DeliveryItem, options: dict) -> None:  # pragma: no cover - abstract
        raise NotImplementedError
