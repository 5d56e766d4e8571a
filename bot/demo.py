"""Demo orders for ``make run``, dated relative to today so the demo never goes stale."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from actions.domain.orders import Order, parse_order


def _order(today: date, order_id: str, email: str, country: str, currency: str,
           delivered_days_ago: int | None, shipping: str, items: list[dict[str, Any]],
           **extra: Any) -> dict[str, Any]:  # fmt: skip
    placed = today - timedelta(days=(delivered_days_ago or 0) + 12)
    shipped = placed + timedelta(days=2)
    delivered = (
        today - timedelta(days=delivered_days_ago) if delivered_days_ago is not None else None
    )
    record: dict[str, Any] = {
        "order_id": order_id,
        "email": email,
        "country": country,
        "currency": currency,
        "placed_at": placed.isoformat(),
        "shipped_at": shipped.isoformat(),
        "delivered_at": delivered.isoformat() if delivered else None,
        "promised_delivery_by": (shipped + timedelta(days=8)).isoformat(),
        "shipping_cost": shipping,
        "duties_paid": "0.00",
        "tracking": {
            "carrier": "DHL",
            "number": f"JD{order_id[-6:].replace('-', '')}",
            "status": "delivered" if delivered else "in_transit",
            "last_update": (delivered or shipped + timedelta(days=3)).isoformat(),
        },
        "items": items,
    }
    record.update(extra)
    return record


def demo_orders(today: date) -> list[Order]:
    """A handful of orders that show the policy's main paths."""
    records = [
        _order(
            today,
            "100482",
            "jane.doe@example.com",
            "DE",
            "EUR",
            10,
            "9.90",
            [
                {
                    "sku": "MUG-01",
                    "name": "Ceramic mug",
                    "category": "home",
                    "unit_price": "12.50",
                    "quantity": 2,
                },
                {
                    "sku": "JKT-07",
                    "name": "Rain jacket",
                    "category": "apparel",
                    "unit_price": "59.00",
                    "quantity": 1,
                },
            ],
        ),
        _order(
            today,
            "100517",
            "sam.lee@example.com",
            "US",
            "USD",
            5,
            "7.50",
            [
                {
                    "sku": "HDP-22",
                    "name": "Wireless headphones",
                    "category": "electronics",
                    "unit_price": "89.00",
                    "quantity": 1,
                },
                {
                    "sku": "CBL-03",
                    "name": "USB-C cable",
                    "category": "electronics",
                    "unit_price": "9.00",
                    "quantity": 3,
                },
            ],
        ),
        _order(
            today,
            "100601",
            "olivia.brown@example.co.uk",
            "GB",
            "GBP",
            20,
            "4.95",
            [
                {
                    "sku": "EAR-05",
                    "name": "Silver earrings",
                    "category": "earrings",
                    "unit_price": "35.00",
                    "quantity": 1,
                },
                {
                    "sku": "SCF-02",
                    "name": "Wool scarf",
                    "category": "apparel",
                    "unit_price": "29.00",
                    "quantity": 1,
                    "final_sale": True,
                },
            ],
        ),
        _order(
            today,
            "SO-2026-0042",
            "m.silva@example.com.br",
            "BR",
            "BRL",
            None,
            "25.00",
            [
                {
                    "sku": "SHO-11",
                    "name": "Running shoes",
                    "category": "apparel",
                    "unit_price": "150.00",
                    "quantity": 1,
                },
            ],
            promised_delivery_by=(today - timedelta(days=10)).isoformat(),
        ),
        _order(
            today,
            "100733",
            "haruto.sato@example.jp",
            "JP",
            "JPY",
            3,
            "800",
            [
                {
                    "sku": "TEA-09",
                    "name": "Matcha tea set",
                    "category": "home",
                    "unit_price": "5000",
                    "quantity": 1,
                },
            ],
        ),
        _order(
            today,
            "100890",
            "li.wei@example.cn",
            "CN",
            "CNY",
            2,
            "30.00",
            [
                {
                    "sku": "LMP-04",
                    "name": "Desk lamp",
                    "category": "home",
                    "unit_price": "199.00",
                    "quantity": 1,
                },
            ],
        ),
        _order(
            today,
            "100912",
            "lucas.martin@example.fr",
            "FR",
            "EUR",
            4,
            "0.00",
            [
                {
                    "sku": "CAM-88",
                    "name": "Mirrorless camera",
                    "category": "electronics",
                    "unit_price": "899.00",
                    "quantity": 1,
                },
            ],
        ),
    ]
    return [parse_order(record) for record in records]
