from __future__ import annotations

from bot.console.throttle import LoginThrottle


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_five_wrong_passwords_block_the_username_until_the_window_passes():
    clock = Clock()
    throttle = LoginThrottle(per_username=5, per_address=100, window_seconds=900, clock=clock)
    for _ in range(4):
        throttle.failed("Ana", "10.0.0.1")
    assert not throttle.blocked("ana", "10.0.0.1")
    throttle.failed("ana", "10.0.0.2")
    assert throttle.blocked("ANA", "10.0.0.9")  # by username, whatever the address
    assert not throttle.blocked("ben", "10.0.0.1")
    clock.now += 901
    assert not throttle.blocked("ana", "10.0.0.1")


def test_one_address_guessing_many_usernames_is_blocked_too():
    throttle = LoginThrottle(per_username=5, per_address=3, clock=Clock())
    for name in ("a", "b", "c"):
        throttle.failed(name, "203.0.113.7")
    assert throttle.blocked("d", "203.0.113.7")
    assert not throttle.blocked("d", "198.51.100.1")


def test_a_successful_login_clears_the_usernames_failures():
    throttle = LoginThrottle(per_username=2, clock=Clock())
    throttle.failed("ana", "x")
    throttle.succeeded("ana")
    throttle.failed("ana", "x")
    assert not throttle.blocked("ana", "x")
