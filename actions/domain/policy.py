"""The store's refund policy as data: every number and list the engine applies.

The rules live in ``actions.domain.engine``; what they compare against lives
here, so a store operator changes the policy in a YAML file
(``actions.policy_file``) and never in code. The defaults are
policy-spec.md's "Default configuration"; statutory floors may be raised,
and lowering them is the operator's legal responsibility.

Tables keyed by market or currency are read-only ``Mapping``s; lists are tuples.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

OTHER_MARKET = "OTHER"
"""The market of every country that no market lists."""

EU_COUNTRIES: tuple[str, ...] = (
    "AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE",
    "IT", "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE",
    "IS", "LI", "NO",  # EEA: the Consumer Rights Directive applies there too
)  # fmt: skip

_DEFAULT_MARKETS: dict[str, tuple[str, ...]] = {
    "EU": EU_COUNTRIES,
    "UK": ("GB",),
    "US": ("US",),
    "CA": ("CA",),
    "AU": ("AU",),
    "CN": ("CN",),
    "JP": ("JP",),
    "BR": ("BR",),
}

_DEFAULT_USD_RATES: dict[str, Decimal] = {
    "EUR": Decimal("1.08"),
    "GBP": Decimal("1.27"),
    "USD": Decimal("1"),
    "CAD": Decimal("0.73"),
    "AUD": Decimal("0.66"),
    "CNY": Decimal("0.14"),
    "JPY": Decimal("0.0067"),
    "BRL": Decimal("0.18"),
}

_DEFAULT_RETURN_SHIPPING_USD: dict[str, Decimal] = {
    "EU": Decimal("12"),
    "UK": Decimal("10"),
    "US": Decimal("15"),
    "CA": Decimal("18"),
    "AU": Decimal("20"),
    "CN": Decimal("8"),
    "JP": Decimal("15"),
    "BR": Decimal("25"),
    OTHER_MARKET: Decimal("30"),
}


@dataclass(frozen=True)
class WithdrawalPolicy:
    """Statutory withdrawal (no-reason return) rights, per market.

    ``floor_days`` lists only the markets that have a legal floor (EU and UK
    14 days, BR and CN 7); a market missing here has none (US, CA, AU, JP).
    """

    floor_days: Mapping[str, int] = field(
        default_factory=lambda: {"EU": 14, "UK": 14, "BR": 7, "CN": 7}
    )
    # EU/UK: a buyer never told of the right gets 12 more months (CRD art. 10).
    uninformed_extension_days: int = 365
    uninformed_markets: tuple[str, ...] = ("EU", "UK")
    # Where withdrawal applies, the outbound shipping share is refunded too.
    refund_outbound_shipping_markets: tuple[str, ...] = ("EU", "UK", "BR")
    # Where withdrawal applies, the seller pays the return (BR: CDC art. 49).
    seller_pays_return_markets: tuple[str, ...] = ("BR",)
    # A used item within withdrawal goes to a person who assesses the deduction.
    used_item_review_markets: tuple[str, ...] = ("EU", "UK")


@dataclass(frozen=True)
class SellerFaultPolicy:
    """How long a buyer may claim for a faulty item, and the legal guarantee beyond."""

    claim_window_days: int = 365
    legal_guarantee_days: int = 730
    legal_guarantee_markets: tuple[str, ...] = ("EU", "UK")


@dataclass(frozen=True)
class CategoryPolicy:
    """Item categories with their own return rules (order categories are lower case)."""

    non_returnable: tuple[str, ...] = ("personalised", "perishable", "digital", "gift_card")
    # Returnable only ``new_unopened``.
    hygiene: tuple[str, ...] = ("cosmetics", "underwear", "earrings")


@dataclass(frozen=True)
class ReturnlessPolicy:
    """When the seller refunds without asking for the item back."""

    max_item_value_usd: Decimal = Decimal("15")
    # Also returnless when the estimated return label costs at least the item.
    when_shipping_at_least_item_value: bool = True


@dataclass(frozen=True)
class DeliveryPolicy:
    """When a parcel that has not arrived counts as lost or late."""

    lost_after_days: int = 20
    late_grace_days: int = 3


@dataclass(frozen=True)
class ManualReviewPolicy:
    """Requests a person decides, whatever the other rules say."""

    item_value_usd: Decimal = Decimal("750")
    returns_last_12_months: int = 10


@dataclass(frozen=True)
class Policy:
    """Every setting of the refund policy; ``Policy()`` is the shipped default."""

    return_window_days: int = 30
    withdrawal: WithdrawalPolicy = field(default_factory=WithdrawalPolicy)
    seller_fault: SellerFaultPolicy = field(default_factory=SellerFaultPolicy)
    categories: CategoryPolicy = field(default_factory=CategoryPolicy)
    returnless: ReturnlessPolicy = field(default_factory=ReturnlessPolicy)
    estimated_return_shipping_usd: Mapping[str, Decimal] = field(
        default_factory=lambda: dict(_DEFAULT_RETURN_SHIPPING_USD)
    )
    delivery: DeliveryPolicy = field(default_factory=DeliveryPolicy)
    manual_review: ManualReviewPolicy = field(default_factory=ManualReviewPolicy)
    store_credit_bonus: Decimal = Decimal("0.10")
    free_exchange_size_fit: bool = True
    # Percent of the item value kept on buyer-reason returns; never under withdrawal.
    restocking_fee_percent: Decimal = Decimal("0")
    return_by_days: int = 14
    refund_within_days: int = 14
    usd_rates: Mapping[str, Decimal] = field(default_factory=lambda: dict(_DEFAULT_USD_RATES))
    markets: Mapping[str, tuple[str, ...]] = field(default_factory=lambda: dict(_DEFAULT_MARKETS))

    def market_of(self, country: str) -> str:
        """The market whose law and prices apply to an order shipped to ``country``."""
        code = country.strip().upper()
        for market, countries in self.markets.items():
            if code in countries:
                return market
        return OTHER_MARKET

    def withdrawal_floor_days(self, market: str, *, informed: bool) -> int | None:
        """The statutory withdrawal period in ``market``, or None where there is none.

        A buyer who was never told of the right (``informed`` false) gets the
        extension in the markets that grant it.
        """
        floor = self.withdrawal.floor_days.get(market)
        if floor is None:
            return None
        if not informed and market in self.withdrawal.uninformed_markets:
            return floor + self.withdrawal.uninformed_extension_days
        return floor

    def return_shipping_estimate_usd(self, market: str) -> Decimal | None:
        """Estimated return label cost in USD; markets without one use ``OTHER``'s."""
        table = self.estimated_return_shipping_usd
        return table.get(market, table.get(OTHER_MARKET))


DEFAULT_POLICY = Policy()
"""The policy of policy-spec.md, and of the shipped ``policy.yml``."""
